"""End to end: the real `budget-tui` command in tmux, searched, edited, saved and quit like a user would over SSH."""

from __future__ import annotations

import difflib
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from tests.conftest import CHANGJI

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

COMMAND = Path(sys.executable).parent / "budget-tui"
DEADLINE = 60.0
"""Seconds to wait for the screen to show something before failing."""


class Tmux:
    """One tmux server on its own socket, running one session."""

    def __init__(self, socket: str) -> None:
        self.socket = socket

    def run(self, *args: str) -> str:
        result = subprocess.run(["tmux", "-L", self.socket, *args], capture_output=True, text=True, check=True)
        return result.stdout

    def send(self, *keys: str) -> None:
        self.run("send-keys", "-t", "budget", *keys)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", "budget", "-l", "--", text)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", "budget")

    def wait_for(self, *texts: str) -> str:
        """Poll the pane until every text is on it; fail with the last screen after the deadline."""
        end = time.monotonic() + DEADLINE
        while True:
            screen = self.screen()
            if all(text in screen for text in texts):
                return screen
            if time.monotonic() > end:
                pytest.fail(f"never saw {texts!r} on screen:\n{screen}")
            time.sleep(0.1)

    def wait_for_absence(self, text: str) -> str:
        """Poll the pane until the text has left it; fail with the last screen after the deadline."""
        end = time.monotonic() + DEADLINE
        while text in (screen := self.screen()):
            if time.monotonic() > end:
                pytest.fail(f"{text!r} stayed on screen:\n{screen}")
            time.sleep(0.1)
        return screen

    def wait_until_gone(self) -> None:
        end = time.monotonic() + DEADLINE
        while subprocess.run(["tmux", "-L", self.socket, "has-session", "-t", "budget"], capture_output=True).returncode == 0:
            if time.monotonic() > end:
                pytest.fail(f"the app did not quit:\n{self.screen()}")
            time.sleep(0.1)


@pytest.fixture
def tmux():
    server = Tmux(f"budget-tui-test-{uuid.uuid4().hex[:12]}")
    yield server
    subprocess.run(["tmux", "-L", server.socket, "kill-server"], capture_output=True)


def start_app(tmux: Tmux, budget: Path, tmp_path: Path, stdout: Path | None = None) -> None:
    """Run the real budget-tui on budget in a 100×30 tmux session, with no user key file.

    pytest's process hands COLUMNS=80 LINES=24 to children, which would pin the app to 80×24: they are unset.
    """
    config = shlex.quote(f"XDG_CONFIG_HOME={tmp_path / 'config'}")
    command = f"env -u COLUMNS -u LINES {config} {shlex.quote(str(COMMAND))} {shlex.quote(str(budget))}"
    if stdout is not None:
        command = f"sh -c {shlex.quote(command + ' > ' + shlex.quote(str(stdout)))}"
    tmux.run("new-session", "-d", "-s", "budget", "-x", "100", "-y", "30", command)


def row(screen: str, code: str) -> str:
    return next(line for line in screen.splitlines() if f" {code} " in line)


def status_total(screen: str) -> str:
    """The grand total at the right end of the status line (the line above the footer), e.g. `合计 1695.33 万元`."""
    status = screen.splitlines()[-2].rstrip()
    return status[status.rindex("合计") :]


def test_search_edit_save_and_quit_in_a_real_terminal(tmux, tmp_path):
    budget = tmp_path / "changji-2020.toml"
    shutil.copy(CHANGJI, budget)
    start_app(tmux, budget, tmp_path)
    screen = tmux.wait_for("201 一般公共服务支出", "合计 1695.33 万元")
    assert status_total(screen) == "合计 1695.33 万元"  # the last cell of the line is kept blank, so 元 shows

    tmux.send("/")
    tmux.wait_for("esc Cancel search")
    tmux.type("30101")
    tmux.send("Enter")
    screen = tmux.wait_for("30101 基本工资")
    assert row(screen, "2010301").rstrip().endswith("1642.52")

    tmux.send("e")
    tmux.wait_for("esc Cancel edit")
    tmux.type("+4.96")
    tmux.send("Enter")
    screen = tmux.wait_for("合计 1700.29 万元", "unsaved")
    assert status_total(screen) == "合计 1700.29 万元"
    assert row(screen, "2010301").rstrip().endswith("1647.48")  # 4.96 higher
    assert row(screen, "30101").rstrip().endswith("340.00")

    tmux.send("C-s")
    screen = tmux.wait_for("Saved")
    assert "unsaved" not in screen
    tmux.send("q")
    tmux.wait_until_gone()

    diff = difflib.unified_diff(CHANGJI.read_text().splitlines(), budget.read_text().splitlines(), n=0, lineterm="")
    changed = [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["-30101 = 335.04  # 基本工资", "+30101 = 340.00  # 基本工资"]


def test_a_dropped_connection_leaves_the_journal_and_the_next_start_replays_it(tmux, tmp_path):
    from budget_tui.files.lock import EditLock, LockHeld, side_file

    budget = tmp_path / "changji-2020.toml"
    shutil.copy(CHANGJI, budget)
    start_app(tmux, budget, tmp_path)
    tmux.wait_for("合计 1695.33 万元")
    tmux.send("/")
    tmux.wait_for("esc Cancel search")
    tmux.type("30101")
    tmux.send("Enter")
    tmux.wait_for("30101 基本工资")
    tmux.send("e")
    tmux.wait_for("esc Cancel edit")
    tmux.type("+4.96")
    tmux.send("Enter")
    tmux.wait_for("合计 1700.29 万元", "unsaved")

    tmux.run("kill-server")  # the terminal goes away: the app gets SIGHUP, like a dropped SSH connection
    end = time.monotonic() + DEADLINE
    while True:  # the lock is free once the app is gone
        try:
            with EditLock(budget):
                break
        except LockHeld:
            if time.monotonic() > end:
                pytest.fail("the app did not end after SIGHUP")
            time.sleep(0.1)
    journal = side_file(budget, "journal")
    assert journal.exists() and '"amount": "340.00"' in journal.read_text("utf-8")
    assert budget.read_bytes() == CHANGJI.read_bytes()

    start_app(tmux, budget, tmp_path)
    tmux.wait_for("1 unsaved edit from an earlier session", "2010301 行政运行 / 30101 基本工资: 335.04 → 340.00", "Replay (r)")
    tmux.send("r")
    screen = tmux.wait_for("Replayed 1 of 1", "unsaved")
    assert row(screen, "201").rstrip().endswith("1700.29")  # the grand total, 4.96 higher
    assert row(screen, "30101").rstrip().endswith("340.00")
    tmux.send("C-s")
    screen = tmux.wait_for("Saved")
    assert "● unsaved" not in screen
    tmux.send("q")
    tmux.wait_until_gone()

    diff = difflib.unified_diff(CHANGJI.read_text().splitlines(), budget.read_text().splitlines(), n=0, lineterm="")
    changed = [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["-30101 = 335.04  # 基本工资", "+30101 = 340.00  # 基本工资"]
    assert not journal.exists()


def test_scale_302_by_minus_8_percent_save_and_print_table_6(tmux, tmp_path):
    budget = tmp_path / "changji-2020.toml"
    shutil.copy(CHANGJI, budget)
    start_app(tmux, budget, tmp_path)
    tmux.wait_for("合计 1695.33 万元")

    tmux.send("/")
    tmux.wait_for("esc Cancel search")
    tmux.type("302")
    tmux.send("Enter")
    screen = tmux.wait_for("302 商品和服务支出")
    assert row(screen, "302").rstrip().endswith("726.79")
    tmux.type("%")
    tmux.wait_for("Scale the lines below 302")
    tmux.type("-8%")
    tmux.send("Enter")
    screen = tmux.wait_for("Apply as one undo step?", "小计")
    assert "726.79 → 668.65" in screen
    tmux.type("y")
    screen = tmux.wait_for("合计 1637.19 万元", "unsaved")
    assert status_total(screen) == "合计 1637.19 万元"
    assert row(screen, "302").rstrip().endswith("668.65")
    tmux.send("C-s")
    screen = tmux.wait_for("Saved")
    tmux.send("q")
    tmux.wait_until_gone()

    printed = subprocess.run([str(COMMAND), "print", str(budget), "--table", "6"], capture_output=True, text=True, check=True).stdout
    total = next(line for line in printed.splitlines() if line.startswith("合计"))
    assert total.split() == ["合计", "1637.19", "968.54", "668.65"]
    office = next(line for line in printed.splitlines() if line.split()[:2] == ["302", "99"])
    assert office.split()[-2:] == ["491.20", "491.20"]
    operating = [Decimal(line.split()[-1]) for line in printed.splitlines() if line.startswith("302 ")]
    assert sum(operating) == Decimal("668.65") and len(operating) == 13
    personnel = [Decimal(line.split()[-1]) for line in printed.splitlines() if line.startswith(("301 ", "303 "))]
    assert sum(personnel) == Decimal("968.54")


def test_the_app_works_with_standard_output_redirected(tmux, tmp_path):
    budget = tmp_path / "changji-2020.toml"
    shutil.copy(CHANGJI, budget)
    out = tmp_path / "out.txt"
    start_app(tmux, budget, tmp_path, stdout=out)
    tmux.wait_for("201 一般公共服务支出", "合计 1695.33 万元")
    tmux.send("q")
    tmux.wait_until_gone()
    assert out.read_bytes() == b""  # the app draws on the terminal, never into the redirected output


def test_text_typed_into_every_form_is_on_the_screen_before_enter(tmux, tmp_path):
    budget = tmp_path / "changji-2020.toml"
    shutil.copy(CHANGJI, budget)
    start_app(tmux, budget, tmp_path)
    tmux.wait_for("201 一般公共服务支出")
    tmux.send("/")
    tmux.wait_for("esc Cancel search")
    tmux.type("30101")
    tmux.send("Enter")
    tmux.wait_for("30101 基本工资")
    # (key that opens the form, what the form says, text typed, keys that close it unsaved)
    forms = [
        ("a", "New line under 2010301", "30199", ["Escape"]),
        ("r", "Move 30101 基本工资", "30102", ["Escape"]),
        ("c", "Comment on 30101", "checked by Li", ["Escape"]),
        ("%", "Scale the lines below", "-8%", ["Escape"]),
    ]
    for key, title, text, close in forms:
        tmux.type(key)
        tmux.wait_for(title)
        if key == "r":
            tmux.send("C-a", "C-k")  # the field starts with the line's own code
        tmux.type(text)
        tmux.wait_for(title, text)
        tmux.send(*close)
        tmux.wait_for_absence(title)
    tmux.type("t")
    tmux.wait_for("Print to file")
    tmux.type("p")
    tmux.wait_for("as plain text to", "-table1.txt")  # the field shows the name it suggests: it has the keys now
    tmux.send("C-a", "C-k")
    tmux.wait_for_absence("-table1.txt")
    tmux.type("table1-typed.txt")
    tmux.wait_for("as plain text to", "table1-typed.txt")
    tmux.send("Escape")
    tmux.wait_for_absence("as plain text to")
    tmux.send("Escape")
    tmux.wait_for_absence("Print to file")
    tmux.type("q")
    tmux.wait_until_gone()
    assert budget.read_bytes() == CHANGJI.read_bytes()


def test_ctrl_z_suspends_to_the_shell_and_fg_resumes(tmux, tmp_path):
    budget = tmp_path / "changji-2020.toml"
    shutil.copy(CHANGJI, budget)
    config = shlex.quote(f"XDG_CONFIG_HOME={tmp_path / 'config'}")
    shell = "env -u COLUMNS -u LINES PS1='shell$ ' sh -i"  # an interactive shell with job control
    tmux.run("new-session", "-d", "-s", "budget", "-x", "100", "-y", "30", shell)
    tmux.wait_for("shell$")
    tmux.type(f"env {config} {shlex.quote(str(COMMAND))} {shlex.quote(str(budget))}")
    tmux.send("Enter")
    tmux.wait_for("201 一般公共服务支出", "合计 1695.33 万元")
    tmux.send("C-z")
    tmux.wait_for_absence("合计 1695.33 万元")
    tmux.type("echo suspended-$((40+2))")
    tmux.send("Enter")
    tmux.wait_for("suspended-42")
    tmux.type("fg")
    tmux.send("Enter")
    tmux.wait_for("201 一般公共服务支出", "合计 1695.33 万元")
    tmux.type("q")
    tmux.wait_for("shell$")
