"""Before and after a change, alternately on the same budgets: `python benchmarks/ab.py --before OTHER/.venv`.

OTHER is a checkout of the commit before the change with its own virtual environment (`git worktree add` or a clone,
then `python3 -m venv .venv && .venv/bin/pip install -e .`); the after side is this checkout's (--after, default
.venv). Each round measures every figure once per side, the side that goes first alternating, so that a machine
whose speed drifts (a shared one) slows both alike; the table gives the median of the rounds for each side.
Figures: paint (first paint, headless, s), paint-rss and checked-rss (MB), print (`print --table all`, s),
print-rss (MB), check (s), version (`budget-tui --version`, s), edits (median and slowest of edits through the app,
ms), moves (median and slowest cursor move while a background check runs, ms), save (median and slowest of
saves after one amount edit each, in one process, ms: probes.saves, what run.py's "save after one edit" times).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import probes  # noqa: E402
from run import generate, parse_size  # noqa: E402

FIGURES = ("paint", "print", "check", "version", "edits", "moves", "save")
HERE = Path(__file__).resolve().parent
SAVES = 9
"""Saves per sample of the save figure."""


def measure(figure: str, venv: Path, path: Path, env: dict[str, str], edits: int) -> dict[str, float]:
    """One sample of a figure (and of those taken with it) with the budget-tui of a virtual environment."""
    python, command = str(venv / "bin" / "python"), str(venv / "bin" / "budget-tui")
    if figure == "paint":
        seconds, painted, checked = probes.first_paint(path, env, python)
        return {"paint (s)": seconds, "peak RSS at paint (MB)": painted, "peak RSS once checked (MB)": checked}
    if figure == "print":
        seconds, peak = probes.run_command([command, "print", str(path), "--table", "all"], env)
        return {"print --table all (s)": seconds, "peak RSS, print (MB)": peak}
    if figure == "check":
        seconds, peak = probes.run_command([command, "check", str(path)], env)
        return {"check (s)": seconds, "peak RSS, check (MB)": peak}
    if figure == "save":
        code = f"import json, sys; sys.path.insert(0, {str(HERE)!r}); import probes; from pathlib import Path; " \
            f"print(json.dumps(probes.saves(Path({str(path)!r}), {SAVES})))"
        output = subprocess.run([python, "-P", "-c", code], capture_output=True, text=True, env=env, check=True).stdout
        times = json.loads(output.splitlines()[-1])
        return {"save after one edit, median (ms)": statistics.median(times), "save, slowest (ms)": max(times)}
    if figure == "version":
        return {"budget-tui --version (s)": probes.run_command([command, "--version"], env)[0]}
    times = probes.app_edits(path, edits if figure == "edits" else 0, edits if figure == "moves" else 0, env, python)
    if figure == "edits":
        return {"edit through the app, median (ms)": statistics.median(times["edits"]), "edit, slowest (ms)": max(times["edits"])}
    return {"cursor move while checking, median (ms)": statistics.median(times["moves"]), "cursor move, slowest (ms)": max(times["moves"])}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="virtual environment of the commit before")
    parser.add_argument("--after", type=Path, default=Path(".venv"), help="virtual environment of this checkout")
    parser.add_argument("--sizes", default="50000,50000/1", help="as benchmarks/run.py --sizes")
    parser.add_argument("--figures", default="paint,print,check", help=f"comma separated, of: {', '.join(FIGURES)}")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--edits", type=int, default=20, help="edits or cursor moves per sample")
    args = parser.parse_args(argv)
    figures = [figure for figure in args.figures.split(",") if figure]
    sides = {"before": args.before.absolute(), "after": args.after.absolute()}
    samples: dict[tuple[str, str, str], list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="budget-ab-") as scratch:
        scratch = Path(scratch)
        env = probes.child_env(scratch / "config")
        paths = [generate(scratch, *parse_size(size)) for size in args.sizes.split(",") if size]
        for round_ in range(args.rounds):
            order = list(sides.items()) if round_ % 2 == 0 else list(reversed(sides.items()))
            for path in paths:
                name = path.parent.name if path.is_file() else path.name
                for figure in figures:
                    for side, venv in order:
                        for row, value in measure(figure, venv, path, env, args.edits).items():
                            samples.setdefault((name, row, side), []).append(value)
            print(f"round {round_ + 1} of {args.rounds} done", file=sys.stderr, flush=True)
    print("| budget | figure | before | after | after / before |")
    print("| --- | --- | ---: | ---: | ---: |")
    for (name, row, side), values in samples.items():
        if side != "before":
            continue
        before, after = statistics.median(values), statistics.median(samples[(name, row, "after")])
        print(f"| {name} | {row} | {before:.3g} | {after:.3g} | {after / before:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
