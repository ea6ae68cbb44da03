"""A background check computed in a forked child gives the very problems check_budget gives here."""

import os
from pathlib import Path

import pytest

from budget_tui.core.checks import check_budget
from budget_tui.files.fileformat import load
from budget_tui.session.apart import check_apart
from budget_tui.synth import write_budgets

ROOT = Path(__file__).resolve().parents[2]
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
