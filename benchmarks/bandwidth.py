"""Bytes the real `budget-tui` writes to an 80×24 terminal, through a pseudo-terminal: `python benchmarks/bandwidth.py PATH...`.

Steps: the first screen; 4 (show four levels) and a search for the first line's code, which opens the tree
down to it (neither counted); one edit there (e, +1, Enter); one cursor move (j); one page down. After each key the terminal is read from its first
output until it has been quiet for QUIET seconds. The app runs on a copy of the budget, so its journal and lock stay there.
"""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from probes import COMMAND, child_env, copy_budget  # noqa: E402

from budget_tui.files.fileformat import load  # noqa: E402

COLUMNS, ROWS = 80, 24
QUIET = 0.5
"""Seconds without output after which a step's screen update is taken as finished."""
FIRST_SCREEN_TIMEOUT = 300.0
KEY_TIMEOUT = 30.0
"""Seconds a key may take before its first output (an edit rechecks a 50k-line budget first)."""
PAINTED = "合计".encode()
"""On the status line: the first screen is there once this has been written."""
PAGE_DOWN = b"\x1b[6~"
NEVER_QUIET = 30.0
"""Seconds past a step's timeout after which output that never stops is an error, not a measurement."""
MEASURED = ("first screen", "one cursor move (j)", "one page down", "one edit (e, +1, Enter)")


def read_until_quiet(master: int, needle: bytes, timeout: float, quiet: float = QUIET) -> int:
    """Bytes read from the terminal until `needle` was seen and then nothing came for `quiet` seconds.

    An empty needle waits for any output; none within the timeout counts as 0 (a key with nothing to redraw).
    """
    received = b""
    deadline = time.monotonic() + timeout
    while True:
        seen = bool(received) and needle in received
        if seen and time.monotonic() > deadline + NEVER_QUIET:
            raise RuntimeError(f"the terminal never went quiet ({len(received)} bytes): something keeps repainting")
        waiting = quiet if seen else deadline - time.monotonic()
        ready, _, _ = select.select([master], [], [], max(waiting, 0))
        if not ready:
            if seen or (not needle and not received):
                return len(received)
            raise RuntimeError(f"the terminal did not show {needle!r} (read {len(received)} bytes)")
        chunk = os.read(master, 65536)
        if not chunk:
            raise RuntimeError("the app closed the terminal")
        received += chunk


def steps(economic: str) -> list[tuple[str | None, list[bytes]]]:
    """(name, keys) of every step after the first screen; a step named None is done but not counted."""
    return [
        (None, [b"4", b"/", economic.encode(), b"\r"]),
        ("one edit (e, +1, Enter)", [b"e", b"+", b"1", b"\r"]),
        ("one cursor move (j)", [b"j"]),
        ("one page down", [PAGE_DOWN]),
    ]


def measure(path: Path) -> dict[str, int]:
    """Bytes written to the terminal for each measured step, on a copy of the budget at `path`."""
    economic = load(path).lines[0].economic
    with tempfile.TemporaryDirectory() as scratch:
        copy = copy_budget(path, Path(scratch))
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        env = child_env(Path(scratch) / "config") | {"TERM": "xterm-256color"}
        process = subprocess.Popen(
            [COMMAND, str(copy)], stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True
        )
        os.close(slave)
        try:
            counts = {"first screen": read_until_quiet(master, PAINTED, FIRST_SCREEN_TIMEOUT)}
            for name, keys in steps(economic):
                total = 0
                for key in keys:
                    os.write(master, key)
                    total += read_until_quiet(master, b"", KEY_TIMEOUT)
                if name is not None:
                    counts[name] = total
        finally:
            process.terminate()
            process.wait()
            os.close(master)
    return counts


def main(argv: list[str]) -> int:
    """Print a Markdown table of the bytes per step for each budget path given."""
    paths = [Path(arg) for arg in argv] or [Path(__file__).resolve().parent.parent / "data" / "changji-2020.toml"]
    results = {path: measure(path) for path in paths}
    print("| bytes written at 80×24 | " + " | ".join(path.name for path in paths) + " |")
    print("| --- |" + " ---: |" * len(paths))
    for step in MEASURED:
        print(f"| {step} | " + " | ".join(f"{results[path][step]:,}" for path in paths) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
