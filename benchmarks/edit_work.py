"""What one edit through the app makes Textual do: `python benchmarks/edit_work.py PATH [--edits N]`.

Counts, per edit, the layouts of the tree's rows (Tree._build, one pass over every open row), the recompositions of
widgets (the footer's keys removed and mounted again), and the style updates (App.update_styles), from pressing e on the middle line until the status line shows the new total, after three
edits to warm up, in a headless app at 80x24 (benchmarks/app_probe.py's edit). Unlike a time on a shared machine,
these counts do not drift with the load; the process time of the edits is printed beside them. One line of JSON.
"""

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from app_probe import SIZE, BudgetApp, Session, timed_edit
from probes import copy_budget
from textual.app import App
from textual.widget import Widget
from textual.widgets import Tree

COUNTED = {"tree layouts": (Tree, "_build"), "recompositions": (Widget, "recompose"), "style updates": (App, "update_styles")}
counts: dict[str, int] = {}


def count(name: str, owner: type, method: str) -> None:
    original = getattr(owner, method)

    def counted(self, *args, **kwargs):
        counts[name] = counts.get(name, 0) + 1
        return original(self, *args, **kwargs)

    setattr(owner, method, counted)


async def probe(path: Path, edits: int) -> dict[str, float]:
    for name, (owner, method) in COUNTED.items():
        count(name, owner, method)
    app = BudgetApp(Session.open(path))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for _ in range(3):
            await timed_edit(app, pilot)
        counts.clear()
        spent = []
        for _ in range(edits):
            start = time.process_time()
            await timed_edit(app, pilot)
            spent.append((time.process_time() - start) * 1000)
    figures: dict[str, float] = {name: counts.get(name, 0) / edits for name in COUNTED}
    figures["process time, median (ms)"] = round(statistics.median(spent), 1)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--edits", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:  # the app leaves a journal beside the file it edits
        print(json.dumps(asyncio.run(probe(copy_budget(args.path, Path(scratch)), args.edits))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
