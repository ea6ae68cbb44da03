"""Benchmarks of issues 7 and 15: `.venv/bin/python benchmarks/run.py [--sizes 1000,10000,50000,50000/1,200000,500000]`.

Synthetic budgets (budget_tui.synth, fixed seed) are written to a temporary folder and measured with the reference
figures (a bare tomllib process, tomllib, tomli, hledger) in the same run; one Markdown table of medians is printed
(and written to --out), with every target of issue 15 marked met or missed. A size is a number of lines, shared by
one file per 250 lines (5, 40 and 200 files at the three smaller sizes, 2,000 at 500,000), or LINES/FILES:
`50000/1` is one file of 50,000 lines, measured as that file. Above 100,000 lines only the figures of scale are
taken (first paint, print, check, peak memory, the references); the other cells say `not run`.
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
FULL_LIMIT = 100_000
"""Above this many lines only the figures of scale are measured (first paint, print, check, memory, references)."""
LARGE = 500_000
"""The size of the stricter first-paint target and of the memory targets."""
NOT_RUN = "not run"
ROWS = [
    ("lines / files / MB", ""),
    ("first paint, headless, fresh process (s)", ""),
    ("  domain part: load + Tree (s)", ""),
    ("edit → total: Editor.set_amount + Tree.update (ms)", ""),
    ("edit + recheck: Session.set_amount, as the app does (ms)", ""),
    ("edit through the app: e +1 Enter → status total, median (ms)", ""),
    ("edit through the app: slowest of the run (ms)", ""),
    ("cursor move while a background check runs, median (ms)", ""),
    ("cursor move while a background check runs, slowest (ms)", ""),
    ("save after one edit (ms)", ""),
    ("print --table all (s)", ""),
    ("check (s)", ""),
    ("peak RSS, first paint (MB)", ""),
    ("peak RSS, app open once its checks ran (MB)", ""),
    ("peak RSS, print --table all (MB)", ""),
    ("tomllib process: read and parse every file, parse_float=Decimal (s)", ""),
    ("tomllib parse in-process, parse_float=Decimal (s)", ""),
    ("tomllib parse in-process, plain floats (s)", ""),
    ("tomli parse in-process, parse_float=Decimal (s)", ""),
    ("hledger balance --tree, one posting per line (s)", ""),
    ("peak RSS, hledger balance --tree (MB)", ""),
    ("python -c pass (s)", ""),
    ("budget-tui --version (s)", ""),
    ("target: print --table all / tomllib process", "≤ 1.5"),
    ("target: print --table all / hledger", "≤ 0.5"),
    ("target: check / tomllib process", "≤ 2"),
    ("target: first paint / tomllib process", "≤ 2; ≤ 1.5 at 500,000 lines"),
    ("target: edit shown through the app, median (ms)", "≤ 50"),
    ("target: edit shown through the app, slowest (ms)", "≤ 100"),
    ("target: save after one edit (ms)", "≤ 100"),
    ("target: cursor move while checking, slowest (ms)", "≤ 20"),
    ("target: budget-tui --version / python -c pass", "≤ 2"),
    ("target: peak RSS, app open once checked (MB)", "≤ 300"),
    ("target: peak RSS, print --table all (MB)", "≤ 150"),
]
BANDWIDTH_ROWS = {step: f"bytes to the terminal at 80×24: {step}" for step in ("first screen", "one cursor move (j)", "one page down", "one edit (e, +1, Enter)")}
BANDWIDTH_TARGETS = {"one cursor move (j)": 2048}


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def repeat(runs: int, measure) -> list:
    """`runs` results of calling measure()."""
    return [measure() for _ in range(runs)]


def parse_size(text: str) -> tuple[int, int | None]:
    """`50000` → (50000, None): files by FILES or one per 250 lines; `50000/1` → (50000, 1)."""
    lines, _, files = text.partition("/")
    return int(lines), int(files) if files else None


def generate(folder: Path, lines: int, files: int | None = None) -> Path:
    """The synthetic budget of `lines` lines, written once per run with the fixed seed: its folder, or with an explicit
    single file, that file."""
    count = files if files is not None else FILES.get(lines, max(1, lines // 250))
    name = f"{lines}-lines" if files is None else f"{lines}-lines-in-{files}-file{'s' if files != 1 else ''}"
    written = write_budgets(folder / name, count, lines, SEED)
    return written[0] if files == 1 else folder / name


def measure(path: Path, runs: int, edits: int, env: dict[str, str], hledger: bool, full: bool) -> dict[str, float | None]:
    """Every figure of one budget (file or folder), by name: the figures of scale always, the others when `full`."""
    files = probes.budget_paths(path)
    budget = load(path)
    paint = repeat(runs, lambda: probes.first_paint(path, env))
    printing = repeat(runs, lambda: probes.run_command([probes.COMMAND, "print", str(path), "--table", "all"], env))
    figures: dict[str, float | None] = {
        "lines": len(budget.lines),
        "files": len(files),
        "megabytes": sum(file.stat().st_size for file in files) / 1e6,
        "paint": median([seconds for seconds, _, _ in paint]),
        "print": median([seconds for seconds, _ in printing]),
        "check": median([probes.run_command([probes.COMMAND, "check", str(path)], env)[0] for _ in range(runs)]),
        "paint rss": max(peak for _, peak, _ in paint),
        "settled rss": max(peak for _, _, peak in paint),
        "print rss": max(peak for _, peak in printing),
        "tomllib process": median(repeat(runs, lambda: probes.tomllib_process(path, env))),
    }
    if full:
        editor, tree = Editor(budget), Tree(budget)
        app = probes.app_edits(path, edits, edits, env)
        figures |= {
            "domain": median(repeat(runs, lambda: probes.domain_open(path))),
            "edit": median(repeat(runs, lambda: probes.domain_edit(budget, tree, editor))),
            "session edit": median(probes.session_edits(path, runs)),
            "app edit": median(app["edits"]),
            "app edit worst": max(app["edits"]),
            "move": median(app["moves"]),
            "move worst": max(app["moves"]),
            "save": median(probes.saves(path, runs)),
        }
    for name, (loads, options) in probes.parsers().items():
        figures[name] = (
            median(repeat(runs, lambda loads=loads, options=options: probes.parse_all(path, loads, **options))) if loads else None
        )
    if hledger:
        figures["hledger"], figures["hledger rss"] = hledger_medians(budget, runs, env)
    return figures


def hledger_medians(budget, runs: int, env: dict[str, str]) -> tuple[float, float]:
    """Median seconds and highest peak MB of `hledger balance --tree` on a journal of the same lines."""
    with tempfile.TemporaryDirectory() as scratch:
        journal = probes.write_journal(budget, Path(scratch) / "budget.journal")
        samples = [probes.run_command(["hledger", "-f", str(journal), "balance", "--tree"], env) for _ in range(runs)]
    return median([seconds for seconds, _ in samples]), max(peak for _, peak in samples)


def startup_figures(runs: int, env: dict[str, str]) -> dict[str, float]:
    """Start-up of the interpreter alone and of `budget-tui --version` (medians of twice `runs`, alternated)."""
    bare, version = [], []
    for _ in range(2 * runs):
        bare.append(probes.startup([sys.executable, "-c", "pass"], env))
        version.append(probes.startup([probes.COMMAND, "--version"], env))
    return {"python": median(bare), "version": median(version)}


def rows_of(f: dict[str, float | None]) -> dict[str, str]:
    """The table's cells of one budget, with each target marked met or missed (`not run` where not measured)."""
    floor, hledger = f["tomllib process"], f.get("hledger")
    large = f["lines"] >= LARGE
    cells = {
        "lines / files / MB": f"{f['lines']:,} / {f['files']:,} / {f['megabytes']:.1f}",
        "first paint, headless, fresh process (s)": seconds(f["paint"]),
        "  domain part: load + Tree (s)": seconds(f.get("domain")),
        "edit → total: Editor.set_amount + Tree.update (ms)": millis(f.get("edit")),
        "edit + recheck: Session.set_amount, as the app does (ms)": millis(f.get("session edit")),
        "edit through the app: e +1 Enter → status total, median (ms)": millis(f.get("app edit")),
        "edit through the app: slowest of the run (ms)": millis(f.get("app edit worst")),
        "cursor move while a background check runs, median (ms)": millis(f.get("move")),
        "cursor move while a background check runs, slowest (ms)": millis(f.get("move worst")),
        "save after one edit (ms)": millis(f.get("save")),
        "print --table all (s)": seconds(f["print"]),
        "check (s)": seconds(f["check"]),
        "peak RSS, first paint (MB)": f"{f['paint rss']:.0f}",
        "peak RSS, app open once its checks ran (MB)": f"{f['settled rss']:.0f}",
        "peak RSS, print --table all (MB)": f"{f['print rss']:.0f}",
        "tomllib process: read and parse every file, parse_float=Decimal (s)": seconds(floor),
        "tomllib parse in-process, parse_float=Decimal (s)": seconds(f["tomllib"]),
        "tomllib parse in-process, plain floats (s)": seconds(f["tomllib plain"]),
        "tomli parse in-process, parse_float=Decimal (s)": seconds(f["tomli"]) if f["tomli"] is not None else "not installed",
        "hledger balance --tree, one posting per line (s)": seconds(hledger) if hledger is not None else "not installed",
        "peak RSS, hledger balance --tree (MB)": f"{f['hledger rss']:.0f}" if hledger is not None else "not installed",
        "python -c pass (s)": f"{f['python']:.3f}",
        "budget-tui --version (s)": f"{f['version']:.3f}",
        "target: print --table all / tomllib process": verdict(f["print"] / floor, 1.5),
        "target: print --table all / hledger": verdict(f["print"] / hledger, 0.5) if hledger else "no hledger",
        "target: check / tomllib process": verdict(f["check"] / floor, 2),
        "target: first paint / tomllib process": verdict(f["paint"] / floor, 1.5 if large else 2),
        "target: edit shown through the app, median (ms)": verdict(f.get("app edit"), 50, digits=0),
        "target: edit shown through the app, slowest (ms)": verdict(f.get("app edit worst"), 100, digits=0),
        "target: save after one edit (ms)": verdict(f.get("save"), 100, digits=0),
        "target: cursor move while checking, slowest (ms)": verdict(f.get("move worst"), 20, digits=0),
        "target: budget-tui --version / python -c pass": verdict(f["version"] / f["python"], 2),
        "target: peak RSS, app open once checked (MB)": verdict(f["settled rss"], 300, digits=0),
        "target: peak RSS, print --table all (MB)": verdict(f["print rss"], 150, digits=0),
    }
    return cells


def seconds(value: float | None) -> str:
    return NOT_RUN if value is None else f"{value:.2f}"


def millis(value: float | None) -> str:
    if value is None:
        return NOT_RUN
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def verdict(value: float | None, limit: float, digits: int = 2) -> str:
    """`1.23 met` or `4.56 missed` against a limit the value may reach; `not run` without a value."""
    if value is None:
        return NOT_RUN
    return f"{value:.{digits}f} {'met' if value <= limit else 'missed'}"


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
    parser.add_argument("--sizes", default="1000,10000,50000,50000/1,200000,500000",
                        help="budget lines per synthetic budget, comma separated; LINES/FILES sets the files")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure; the table shows medians")
    parser.add_argument("--large-runs", type=int, default=3, help=f"runs per figure above {FULL_LIMIT:,} lines")
    parser.add_argument("--edits", type=int, help="edits and cursor moves timed in the app per budget (default 4 × runs)")
    parser.add_argument("--out", type=Path, help="also write the table to this file")
    parser.add_argument("--no-hledger", action="store_true", help="skip the hledger reference")
    parser.add_argument("--no-bandwidth", action="store_true", help="skip the terminal bandwidth rows")
    parser.add_argument("--sample", type=Path, action="append", default=[], help="also measure this budget file or folder")
    args = parser.parse_args(argv)
    hledger = not args.no_hledger and shutil.which("hledger") is not None
    with tempfile.TemporaryDirectory(prefix="budget-bench-") as scratch:
        scratch = Path(scratch)
        env = probes.child_env(scratch / "config")
        start = startup_figures(args.runs, env)
        paths = [*args.sample, *(generate(scratch, *parse_size(size)) for size in args.sizes.split(",") if size)]
        columns = {}
        for path in paths:
            name = path.parent.name if path.is_file() and path.parent.parent == scratch else path.name
            lines = len(load(path).lines)
            full = lines <= FULL_LIMIT
            edits = args.edits if args.edits is not None else 4 * args.runs
            figures = measure(path, args.runs if full else args.large_runs, edits, env, hledger, full)
            columns[name] = rows_of(figures | start)
            if not args.no_bandwidth:
                columns[name] |= bandwidth_cells(path) if full else dict.fromkeys(BANDWIDTH_ROWS.values(), NOT_RUN)
            print(f"measured {name}", file=sys.stderr, flush=True)
    output = table(columns, not args.no_bandwidth)
    sys.stdout.write(output)
    if args.out is not None:
        args.out.write_text(output, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
