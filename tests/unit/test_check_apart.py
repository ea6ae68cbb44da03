"""A background check computed in a forked child gives the very problems check_budget gives here."""

import os
import threading
import time
from pathlib import Path

import pytest

from budget_tui.core.checks import check_budget
from budget_tui.files.fileformat import load
from budget_tui.session import apart as session_module
from budget_tui.session.apart import check_apart
from budget_tui.synth import write_budgets

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 120.0
"""Seconds a child may take to start or to finish on a busy machine."""
BUDGETS = [
    ROOT / "data" / "changji-2020.toml",
    ROOT / "tests" / "unit" / "bad_input" / "check-three-decimals.toml",
    ROOT / "tests" / "unit" / "bad_input" / "check-unknown-codes.toml",
    ROOT / "tests" / "unit" / "bad_input" / "check-negative.toml",
]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here: check_apart checks in this process")
@pytest.mark.parametrize("path", BUDGETS, ids=lambda path: path.name)
def test_the_child_finds_what_check_budget_finds(path):
    budget = load(path)
    assert check_apart(budget) == check_budget(budget)
    assert check_budget(budget) or path.name == "changji-2020.toml"


def test_a_folder_is_checked_alike(tmp_path):
    write_budgets(tmp_path / "folder", 3, 300, 5)
    budget = load(tmp_path / "folder")
    assert check_apart(budget) == check_budget(budget)


def test_without_fork_or_when_the_child_fails_the_check_runs_here(monkeypatch):
    budget = load(BUDGETS[1])
    expected = check_budget(budget)

    def no_fork():
        raise OSError("no more processes")

    monkeypatch.setattr(os, "fork", no_fork)
    assert check_apart(budget) == expected
    monkeypatch.delattr(os, "fork")
    assert check_apart(budget) == expected


@pytest.mark.skipif(not hasattr(os, "waitid"), reason="no waitid here: an older check is not stopped")
def test_a_newer_check_stops_an_older_one_still_running(monkeypatch):
    slow, fast = load(BUDGETS[1]), load(BUDGETS[2])
    never_written, unwritten = os.pipe()
    real_check = session_module.check_budget

    def check(budget):  # the older check never ends on its own (in the child it blocks on a pipe nobody writes)
        if budget is slow:
            os.read(never_written, 1)
        return real_check(budget)

    monkeypatch.setattr(session_module, "check_budget", check)
    answers = {}
    older = threading.Thread(target=lambda: answers.setdefault("older", check_apart(slow)))
    older.start()
    end = time.monotonic() + DEADLINE
    while not session_module._newest_check and time.monotonic() < end:
        time.sleep(0.01)
    assert session_module._newest_check, "the older check's child did not start"
    assert check_apart(fast) == real_check(fast)
    older.join(DEADLINE)
    os.close(never_written)
    os.close(unwritten)
    assert not older.is_alive() and answers["older"] is None
    assert not session_module._newest_check and not session_module._superseded
