"""End to end: the real `budget-tui` in a terminal (a pseudo-terminal this test reads) copies a table with Y, and the
terminal receives it as an OSC 52 sequence (ESC ] 52 ; c ; BASE64 BEL), which is how the text reaches the clipboard of
the user's own terminal, over SSH too. Also tmux with set-clipboard on takes it into its paste buffer."""

from __future__ import annotations

import base64
import fcntl
import os
import re
import select
import shlex
import shutil
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tests.conftest import CHANGJI
from tests.e2e.test_e2e_tmux import COMMAND, DEADLINE, Tmux, tmux  # noqa: F401 - the fixture

OSC52 = re.compile(rb"\x1b\]52;c;([A-Za-z0-9+/=]*)(?:\x07|\x1b\\)")


class Terminal:
    """budget-tui on a pseudo-terminal of 100×30: keys written to it, everything it draws kept."""

    def __init__(self, budget: Path, home: Path) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        env = {key: value for key, value in os.environ.items() if key not in ("COLUMNS", "LINES")}
        env.update(TERM="xterm-256color", XDG_CONFIG_HOME=str(home / "config"), TEXTUAL_ANIMATIONS="none")
        self.process = subprocess.Popen(
            [str(COMMAND), str(budget)], stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.output = b""

    def read_until(self, pattern: re.Pattern[bytes] | bytes, start: int = 0) -> re.Match[bytes]:
        """Read what the app draws until pattern appears after position start; fail after the deadline."""
        compiled = pattern if isinstance(pattern, re.Pattern) else re.compile(re.escape(pattern))
        end = time.monotonic() + DEADLINE
        while (found := compiled.search(self.output, start)) is None:
            if time.monotonic() > end:
                pytest.fail(f"never saw {compiled.pattern!r}; the last output: {self.output[-2000:]!r}")
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:  # the app is gone
                    break
        if found is None:
            pytest.fail(f"the app ended before {compiled.pattern!r}: {self.output[-2000:]!r}")
        return found

    def press(self, keys: str) -> None:
        os.write(self.master, keys.encode("utf-8"))

    def wait(self) -> int:
        """The app's exit status, reading what it draws meanwhile (a full terminal would block it)."""
        end = time.monotonic() + DEADLINE
        while (status := self.process.poll()) is None:
            if time.monotonic() > end:
                pytest.fail(f"the app did not quit: {self.output[-2000:]!r}")
            ready, _, _ = select.select([self.master], [], [], 0.2)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:
                    pass
        return status

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=DEADLINE)
        os.close(self.master)


@pytest.fixture
def budget(tmp_path: Path) -> Path:
    path = tmp_path / "changji-2020.toml"
    shutil.copy(CHANGJI, path)
    return path


def expected_table() -> str:
    result = subprocess.run([sys.executable, "-m", "budget_tui", "print", str(CHANGJI), "--table", "6", "--format", "tsv"],
                            capture_output=True, text=True, check=True)
    return result.stdout


def test_Y_in_the_tables_view_writes_the_table_as_an_osc_52_sequence(budget, tmp_path):
    terminal = Terminal(budget, tmp_path)
    try:
        terminal.read_until("合计 1695.33 万元".encode())
        terminal.press("t")
        terminal.read_until(b"Table 1 of 9")
        terminal.press("6")
        mark = len(terminal.output)
        terminal.read_until(b"Table 6 of 9", mark)
        mark = len(terminal.output)
        terminal.press("Y")
        sequence = terminal.read_until(OSC52, mark)
        copied = base64.b64decode(sequence.group(1)).decode("utf-8")
        assert copied == expected_table()  # what `print --table 6 --format tsv` prints, cell for cell
        assert "301\t01\t基本工资\t335.04\t335.04\t" in copied
        terminal.read_until(b"Copied table 6", mark)
        mark = len(terminal.output)
        terminal.press("\x1b")  # back to the tree, then quit (an Esc and a q sent together read as alt+q)
        terminal.read_until("一般公共服务支出".encode(), mark)
        terminal.press("q")
        assert terminal.wait() == 0
    finally:
        terminal.close()


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_tmux_with_set_clipboard_on_takes_the_copied_node_into_its_buffer(tmux, budget, tmp_path):  # noqa: F811
    config = shlex.quote(f"XDG_CONFIG_HOME={tmp_path / 'config'}")
    command = f"env -u COLUMNS -u LINES {config} {shlex.quote(str(COMMAND))} {shlex.quote(str(budget))}"
    tmux.run("-f", "/dev/null", "new-session", "-d", "-s", "budget", "-x", "100", "-y", "30", command)
    tmux.run("set-option", "-g", "set-clipboard", "on")
    tmux.wait_for("201 一般公共服务支出")
    tmux.send("/")
    tmux.wait_for("esc Cancel search")
    tmux.type("30101")
    tmux.send("Enter")
    tmux.wait_for("30101 基本工资")
    tmux.send("Y")
    tmux.wait_for("Copied 30101")
    end = time.monotonic() + DEADLINE
    while True:
        result = subprocess.run(["tmux", "-L", tmux.socket, "show-buffer"], capture_output=True, text=True)
        if result.returncode == 0 and result.stdout:
            break
        if time.monotonic() > end:
            pytest.fail(f"tmux has no paste buffer: {result.stderr}")
        time.sleep(0.1)
    assert result.stdout == "30101\t基本工资\t335.04"
    tmux.send("q")
    tmux.wait_until_gone()
