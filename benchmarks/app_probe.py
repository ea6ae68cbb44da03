"""The app run headless in a fresh process: `python benchmarks/app_probe.py PATH [--edits N] [--moves N] [--settle]`.

It prints `painted MB` as soon as the first screen has been rendered (the parent times the process from its start
to that line; MB is this process's peak memory so far); with --edits it then times N edits through the keys (e, +1,
Enter) until the status line shows the new grand total; with --moves it times N cursor moves (down, up, ...) made
while a background check runs (the check of a large budget starts 0.4 s after a change; a small budget is checked at
once, so its moves run with no check beside them); and with --settle it waits until the checks of the budget as
opened have run and prints `checked MB`. The times come last, as one JSON object of lists of milliseconds. Keys are
posted as events and the screen is updated with `pilot.pause(0)`: `pilot.press` would add at least 40 ms of
idle-waiting per key.
"""

import argparse
import asyncio
import json
import resource
import sys
import time
from pathlib import Path

from textual import events

from budget_tui.app.app import BudgetApp
from budget_tui.app.widgets.status_line import StatusLine
from budget_tui.core.money import format_amount
from budget_tui.session import Session

SIZE = (80, 24)
EDIT_KEYS = (("e", "e"), ("plus", "+"), ("1", "1"), ("enter", "\r"))
"""The keys of one edit, as (key, character): open the amount input, type +1, commit."""
MOVE_KEYS = (("down", None), ("up", None))
"""A cursor move and its way back."""
DEADLINE = 600.0
"""Seconds any wait of the probe may take before it gives up (a 500,000-line check takes tens of seconds)."""


def peak_mb() -> float:
    """This process's peak resident memory so far (VmHWM: unlike ru_maxrss, it does not count the process that
    started this one)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def probe(path: Path, edits: int, moves: int, settle: bool) -> dict[str, list[float]]:
    """Open the app headless, announce the first paint, then time what was asked for."""
    app = BudgetApp(Session.open(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        print(f"painted {peak_mb():.1f}", flush=True)
        times: dict[str, list[float]] = {"edits": [], "moves": []}
        if settle:
            await until(pilot, lambda: not app.screen.session.problems_stale)
            print(f"checked {peak_mb():.1f}", flush=True)
        for _ in range(edits):
            times["edits"].append(await timed_edit(app, pilot))
        while len(times["moves"]) < moves:
            times["moves"] += await moves_while_checking(app, pilot, moves - len(times["moves"]))
        return times


async def until(pilot, condition) -> None:
    """Let the app run until the condition holds (RuntimeError past the deadline)."""
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("the app did not get there before the deadline")
        await pilot.pause(0.01)


async def timed_edit(app: BudgetApp, pilot) -> float:
    """Milliseconds from pressing e on the middle line until the status line shows the total plus one."""
    session = app.screen.session
    key = session.budget.lines[len(session.budget.lines) // 2].key
    app.screen.tree.reveal(("line", key))
    await pilot.pause()
    expected = f"合计 {format_amount(session.tree.root.total + 1)}"
    start = time.perf_counter()
    for key, character in EDIT_KEYS:
        app.post_message(events.Key(key, character))
        await pilot.pause(0)
    while expected not in str(app.screen.query_one(StatusLine).render()):
        await pilot.pause(0)
    return (time.perf_counter() - start) * 1000


async def moves_while_checking(app: BudgetApp, pilot, wanted: int) -> list[float]:
    """Up to `wanted` cursor moves timed while one background check runs (started by an edit of the middle line)."""
    screen = app.screen
    session = screen.session
    await timed_edit(app, pilot)
    background = session.problems_stale

    def running() -> bool:
        return session.checks_started == session.checks_generation and session.problems_stale

    if background:
        await until(pilot, lambda: running() or not session.problems_stale)
    samples = []
    tree = screen.tree
    while len(samples) < wanted and (running() or not background):
        for key, character in MOVE_KEYS:
            before = tree.cursor_line
            start = time.perf_counter()
            app.post_message(events.Key(key, character))
            await pilot.pause(0)
            deadline = time.monotonic() + DEADLINE
            while tree.cursor_line == before and time.monotonic() < deadline:
                await pilot.pause(0)
            if tree.cursor_line == before:
                raise RuntimeError(f"the cursor did not move on {key}")
            samples.append((time.perf_counter() - start) * 1000)
    return samples[:wanted]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--edits", type=int, default=0)
    parser.add_argument("--moves", type=int, default=0)
    parser.add_argument("--settle", action="store_true")
    args = parser.parse_args()
    times = asyncio.run(probe(args.path, args.edits, args.moves, args.settle))
    if args.edits or args.moves:
        print(json.dumps(times), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
