"""Benchmarks of issue 7: `.venv/bin/python benchmarks/run.py [--sizes 1000,10000,50000] [--runs 5] [--out FILE]`.

Synthetic budgets (budget_tui.synth, fixed seed) are written to a temporary folder and measured with the reference
figures (tomllib, tomli, hledger) in the same run; one Markdown table of medians is printed (and written to --out).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import probes  # noqa: E402

from budget_tui.core.editing import Editor  # noqa: E402
from budget_tui.core.tree import Tree  # noqa: E402
from budget_tui.files.fileformat import load  # noqa: E402
from budget_tui.synth import write_budgets  # noqa: E402

SEED = 2021
FILES = {1000: 5, 10000: 40, 50000: 200}
"""Department files per size; other sizes get one file per 250 lines."""
ROWS = [
    ("lines / files / MB", ""),
    ("first paint, headless, fresh process (s)", ""),
    ("  domain part: load + Tree (s)", ""),
    ("edit → total: Editor.set_amount + Tree.update (ms)", ""),
    ("edit + recheck: Session.set_amount, as the app does (ms)", ""),
    ("edit through the app: e +1 Enter → status total (ms)", ""),
    ("save after one edit (ms)", ""),
    ("print --table all (s)", ""),
    ("check (s)", ""),
    ("peak RSS, first paint (MB)", ""),
    ("peak RSS, print --table all (MB)", ""),
    ("tomllib parse, parse_float=Decimal (s)", ""),
    ("tomllib parse, plain floats (s)", ""),
    ("tomli parse, parse_float=Decimal (s)", ""),
    ("hledger balance --tree (s)", ""),
    ("target: first paint / tomllib", "≤ 1.5"),
    ("target: print --table all / tomllib", "≤ 2"),
    ("target: print --table all / hledger", "< 1"),
    ("target: edit shown through the app (ms)", "≤ 50"),
    ("target: save after one edit (ms)", "≤ 100"),
    ("target: peak RSS, worst of the two (MB)", "≤ 300"),
]
BANDWIDTH_ROWS = {step: f"bytes to the terminal at 80×24: {step}" for step in ("first screen", "one cursor move (j)", "one page down", "one edit (e, +1, Enter)")}
BANDWIDTH_TARGETS = {"one cursor move (j)": 2048}


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def repeat(runs: int, measure) -> list:
    """`runs` results of calling measure()."""
    return [measure() for _ in range(runs)]


def generate(folder: Path, lines: int) -> Path:
    """The synthetic budget of `lines` lines in its folder, written once per run with the fixed seed."""
    path = folder / f"{lines}-lines"
    write_budgets(path, FILES.get(lines, max(1, lines // 250)), lines, SEED)
    return path


def measure(path: Path, runs: int, env: dict[str, str], hledger: bool) -> dict[str, str]:
    """Every figure of one budget (file or folder), formatted for the table, by row name."""
    files = probes.budget_paths(path)
    budget = load(path)
    megabytes = sum(file.stat().st_size for file in files) / 1e6
    paint = repeat(runs, lambda: probes.first_paint(path, env))
    printing = repeat(runs, lambda: probes.run_command([probes.COMMAND, "print", str(path), "--table", "all"], env))
    check = [probes.run_command([probes.COMMAND, "check", str(path)], env)[0] for _ in range(runs)]
    editor, tree = Editor(budget), Tree(budget)
    figures = {
        "paint": median([seconds for seconds, _ in paint]),
        "domain": median(repeat(runs, lambda: probes.domain_open(path))),
        "edit": median(repeat(runs, lambda: probes.domain_edit(budget, tree, editor))),
        "session edit": median(probes.session_edits(path, runs)),
        "app edit": median(probes.app_edits(path, runs, env)),
        "save": median(probes.saves(path, runs)),
        "print": median([seconds for seconds, _ in printing]),
        "check": median(check),
        "paint rss": max(peak for _, peak in paint),
        "print rss": max(peak for _, peak in printing),
    }
    for name, (loads, options) in probes.parsers().items():
        figures[name] = median(repeat(runs, lambda: probes.parse_all(path, loads, **options))) if loads else None
    figures["hledger"] = hledger_median(budget, runs, env) if hledger else None
    return rows_of(figures, f"{len(budget.lines):,} / {len(files)} / {megabytes:.1f}")


def hledger_median(budget, runs: int, env: dict[str, str]) -> float:
    """Median seconds of `hledger balance --tree` on a journal of the same lines."""
    with tempfile.TemporaryDirectory() as scratch:
        journal = probes.write_journal(budget, Path(scratch) / "budget.journal")
        return median([probes.run_command(["hledger", "-f", str(journal), "balance", "--tree"], env)[0] for _ in range(runs)])


def rows_of(f: dict[str, float | None], size: str) -> dict[str, str]:
    """The table's cells of one budget, with each target ratio marked met or missed."""
    tomllib_time, hledger = f["tomllib"], f["hledger"]
    worst_rss = max(f["paint rss"], f["print rss"])
    return {
        "lines / files / MB": size,
        "first paint, headless, fresh process (s)": seconds(f["paint"]),
        "  domain part: load + Tree (s)": seconds(f["domain"]),
        "edit → total: Editor.set_amount + Tree.update (ms)": millis(f["edit"]),
        "edit + recheck: Session.set_amount, as the app does (ms)": millis(f["session edit"]),
        "edit through the app: e +1 Enter → status total (ms)": millis(f["app edit"]),
        "save after one edit (ms)": millis(f["save"]),
        "print --table all (s)": seconds(f["print"]),
        "check (s)": seconds(f["check"]),
        "peak RSS, first paint (MB)": f"{f['paint rss']:.0f}",
        "peak RSS, print --table all (MB)": f"{f['print rss']:.0f}",
        "tomllib parse, parse_float=Decimal (s)": seconds(tomllib_time),
        "tomllib parse, plain floats (s)": seconds(f["tomllib plain"]),
        "tomli parse, parse_float=Decimal (s)": seconds(f["tomli"]) if f["tomli"] is not None else "not installed",
        "hledger balance --tree (s)": seconds(hledger) if hledger is not None else "not installed",
        "target: first paint / tomllib": verdict(f["paint"] / tomllib_time, 1.5),
        "target: print --table all / tomllib": verdict(f["print"] / tomllib_time, 2),
        "target: print --table all / hledger": verdict(f["print"] / hledger, 1, strict=True) if hledger else "no hledger",
        "target: edit shown through the app (ms)": verdict(f["app edit"], 50, digits=0),
        "target: save after one edit (ms)": verdict(f["save"], 100, digits=0),
        "target: peak RSS, worst of the two (MB)": verdict(worst_rss, 300, digits=0),
    }


def seconds(value: float) -> str:
    return f"{value:.2f}"


def millis(value: float) -> str:
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def verdict(value: float, limit: float, strict: bool = False, digits: int = 2) -> str:
    """`1.23 met` or `4.56 missed` against a limit (strict: must be below it)."""
    met = value < limit if strict else value <= limit
    return f"{value:.{digits}f} {'met' if met else 'missed'}"


def bandwidth_cells(path: Path) -> dict[str, str]:
    """Bytes per terminal step of one budget, the cursor move marked against its 2 KB target."""
    import bandwidth

    counts = bandwidth.measure(path)
    cells = {}
    for step, row in BANDWIDTH_ROWS.items():
        limit = BANDWIDTH_TARGETS.get(step)
        cells[row] = f"{counts[step]:,}" + ("" if limit is None else f" {'met' if counts[step] <= limit else 'missed'}")
    return cells


def table(columns: dict[str, dict[str, str]], with_bandwidth: bool) -> str:
    """One Markdown table: a row per figure, a column per budget, and the target."""
    rows = [(name, target) for name, target in ROWS]
    if with_bandwidth:
        rows += [(row, "≤ 2,048" if step in BANDWIDTH_TARGETS else "") for step, row in BANDWIDTH_ROWS.items()]
    lines = ["| measure | " + " | ".join(columns) + " | target |", "| --- |" + " ---: |" * len(columns) + " --- |"]
    for name, target in rows:
        cells = [cells_of.get(name, "—") for cells_of in columns.values()]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {target} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,50000", help="budget lines per synthetic budget, comma separated")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure; the table shows medians")
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    parser.add_argument("--no-hledger", action="store_true", help="skip the hledger reference")
    parser.add_argument("--no-bandwidth", action="store_true", help="skip the terminal bandwidth rows")
    parser.add_argument("--sample", type=Path, action="append", default=[], help="also measure this budget file or folder")
    args = parser.parse_args(argv)
    hledger = not args.no_hledger and shutil.which("hledger") is not None
    with tempfile.TemporaryDirectory(prefix="budget-bench-") as scratch:
        scratch = Path(scratch)
        env = probes.child_env(scratch / "config")
        paths = [*args.sample, *(generate(scratch, int(size)) for size in args.sizes.split(",") if size)]
        columns = {}
        for path in paths:
            name = path.name
            columns[name] = measure(path, args.runs, env, hledger)
            if not args.no_bandwidth:
                columns[name] |= bandwidth_cells(path)
            print(f"measured {name}", file=sys.stderr, flush=True)
    output = table(columns, not args.no_bandwidth)
    sys.stdout.write(output)
    if args.out is not None:
        args.out.write_text(output, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
