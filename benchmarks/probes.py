"""The measurements of benchmarks/run.py: each returns a list of samples (seconds, milliseconds or megabytes)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import tomllib
from decimal import Decimal
from pathlib import Path

from budget_tui.core.catalogue import economic_class, functional_path
from budget_tui.core.editing import Editor
from budget_tui.core.model import Budget
from budget_tui.core.tree import Tree
from budget_tui.files.fileformat import budget_files, load
from budget_tui.files.save import save

HERE = Path(__file__).resolve().parent
COMMAND = str(Path(sys.executable).parent / "budget-tui")
EDIT_REPEATS = 50
"""In-process edits timed per sample run (their median is one sample)."""


def child_env(config: Path) -> dict[str, str]:
    """The environment of a measured process: no inherited COLUMNS/LINES, no user keymap."""
    env = {name: value for name, value in os.environ.items() if name not in ("COLUMNS", "LINES")}
    env["XDG_CONFIG_HOME"] = str(config)
    return env


def budget_paths(path: Path) -> list[Path]:
    """The files a budget path stands for: itself, or the department files below a folder."""
    return budget_files(path) if path.is_dir() else [path]


def copy_budget(path: Path, into: Path) -> Path:
    """A copy of a budget file or folder inside `into`, for measurements that write."""
    target = into / path.name
    if path.is_dir():
        shutil.copytree(path, target)
    else:
        shutil.copy(path, target)
    return target


def spawn(argv: list[str], env: dict[str, str], stdout=subprocess.DEVNULL) -> tuple[subprocess.Popen, callable]:
    """Start a command through spawn.py; returns the launcher and a function that waits for it and gives the command's
    report: its start and end (time.monotonic) and its own peak MB (see spawn.py for why not ru_maxrss from here)."""
    launcher = subprocess.Popen(
        [sys.executable, "-S", str(HERE / "spawn.py"), *argv], stdout=stdout, stderr=subprocess.PIPE, env=env
    )

    def report() -> dict:
        _, errors = launcher.communicate()
        lines = errors.decode("utf-8", "replace").strip().splitlines()
        if launcher.returncode != 0 or not lines:
            raise RuntimeError(f"could not run {argv[0]} (launcher exit {launcher.returncode})")
        return json.loads(lines[-1])

    return launcher, report


def run_command(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak MB of a command whose output is thrown away."""
    _, report = spawn(argv, env)
    figures = report()
    return figures["end"] - figures["start"], figures["peak_mb"]


def first_paint(path: Path, env: dict[str, str], python: str = sys.executable) -> tuple[float, float, float]:
    """Seconds from starting a fresh process until the headless app has painted, that process's peak MB when it
    painted, and its peak MB once the checks of the budget as opened have run (in the background above 2,000 lines)."""
    launcher, report = spawn([python, str(HERE / "app_probe.py"), str(path), "--settle"], env, subprocess.PIPE)
    painted = launcher.stdout.readline()
    seen = time.monotonic()
    figures = report()
    if not painted.startswith(b"painted ") or figures["status"] != 0:
        raise RuntimeError(f"the headless app did not paint {path} (exit {figures['status']})")
    return seen - figures["start"], float(painted.split()[1]), figures["peak_mb"]


def app_edits(path: Path, edits: int, moves: int, env: dict[str, str], python: str = sys.executable) -> dict[str, list[float]]:
    """Milliseconds of each of `edits` edits made through the keys in one headless app, and of `moves` cursor moves
    made while a background check runs, on a copy of the budget: {"edits": [...], "moves": [...]}."""
    with tempfile.TemporaryDirectory() as scratch:
        copy = copy_budget(path, Path(scratch))
        output = subprocess.run(
            [python, str(HERE / "app_probe.py"), str(copy), "--edits", str(edits), "--moves", str(moves)],
            capture_output=True, text=True, env=env, check=True,
        ).stdout
    return json.loads(output.splitlines()[-1])


def tomllib_process(path: Path, env: dict[str, str]) -> float:
    """Seconds of a fresh `python` process that reads and parses every file of the budget with tomllib.loads
    (parse_float=Decimal): the floor a budget-tui command is measured against."""
    return run_command([sys.executable, str(HERE / "tomllib_probe.py"), str(path)], env)[0]


def startup(argv: list[str], env: dict[str, str]) -> float:
    """Seconds of a command that reads no budget (`python -c pass`, `budget-tui --version`)."""
    return run_command(argv, env)[0]


def domain_open(path: Path) -> float:
    """Seconds to load the budget and build its tree, in this process."""
    start = time.perf_counter()
    Tree(load(path))
    return time.perf_counter() - start


def middle_key(budget: Budget):
    """The key of the line in the middle of the budget: the one every edit benchmark changes."""
    return budget.lines[len(budget.lines) // 2].key


def domain_edit(budget: Budget, tree: Tree, editor: Editor) -> float:
    """Median milliseconds of Editor.set_amount + Tree.update on the middle line."""
    key = middle_key(budget)
    samples = []
    for _ in range(EDIT_REPEATS):
        start = time.perf_counter()
        change = editor.set_amount(key, editor.line(key).amount + Decimal("0.01"))
        tree.update(key, change.after.amount)
        samples.append((time.perf_counter() - start) * 1000)
    return sorted(samples)[len(samples) // 2]


def session_edits(path: Path, runs: int) -> list[float]:
    """Milliseconds of each of `runs` edits through Session.set_amount (what the app calls: edit, recheck, tree)."""
    from budget_tui.session import Session

    session = Session.open(path)
    key = middle_key(session.budget)
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        session.set_amount(key, "+1")
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def saves(path: Path, runs: int) -> list[float]:
    """Milliseconds of each of `runs` saves, each after one edit, on a copy of the budget."""
    with tempfile.TemporaryDirectory() as scratch:
        budget = load(copy_budget(path, Path(scratch)))
        editor = Editor(budget)
        key = middle_key(budget)
        samples = []
        for _ in range(runs):
            editor.set_amount(key, editor.line(key).amount + 1)
            start = time.perf_counter()
            save(budget, editor.changes())
            samples.append((time.perf_counter() - start) * 1000)
            editor.mark_saved()
    return samples


def parse_all(path: Path, loads, **options) -> float:
    """Seconds to read and parse every file of the budget with a TOML reader's `loads`."""
    start = time.perf_counter()
    for file in budget_paths(path):
        loads(file.read_bytes().decode("utf-8"), **options)
    return time.perf_counter() - start


def tomli_loads():
    """tomli's loads, or None when the bench extra is not installed."""
    try:
        import tomli
    except ImportError:
        return None
    return tomli.loads


def parsers() -> dict[str, tuple]:
    """The reference parsers by row name: (loads, options); tomli's loads is None when not installed."""
    return {
        "tomllib": (tomllib.loads, {"parse_float": Decimal}),
        "tomllib plain": (tomllib.loads, {}),
        "tomli": (tomli_loads(), {"parse_float": Decimal}),
    }


def write_journal(budget: Budget, target: Path) -> Path:
    """An hledger journal with one posting per budget line: one transaction per line, whose only posting is a virtual
    one (`(expenses:201:20103:2010301:301:30101)  amount`), which hledger does not ask to balance."""
    entries = []
    for line in budget.lines:
        cls, kuan, xiang = functional_path(line.functional)
        account = f"expenses:{cls}:{kuan}:{xiang}:{economic_class(line.economic)}:{line.economic}"
        entries.append(f"2021-01-01 line {line.file_line}\n    ({account})  {line.amount}\n")
    target.write_text("\n".join(entries), encoding="utf-8")
    return target
