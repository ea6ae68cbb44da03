"""The app run headless in a fresh process: `python benchmarks/app_probe.py PATH [--edits N]`.

It prints `painted` as soon as the first screen has been rendered (the parent times the process from its start
to that line); with --edits it then times N edits through the keys (e, +1, Enter) until the status line shows
the new grand total, and prints their times in milliseconds as one JSON list. Keys are posted as events and the
screen is updated with `pilot.pause(0)`: `pilot.press` would add at least 40 ms of idle-waiting per key.
"""

import argparse
import asyncio
import json
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


async def probe(path: Path, edits: int) -> list[float]:
    """Open the app headless, announce the first paint, then time `edits` edits of the middle line."""
    app = BudgetApp(Session.open(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        print("painted", flush=True)
        return [await timed_edit(app, pilot) for _ in range(edits)]


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


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--edits", type=int, default=0)
    args = parser.parse_args()
    times = asyncio.run(probe(args.path, args.edits))
    if args.edits:
        print(json.dumps(times), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
