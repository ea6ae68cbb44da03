"""Snapshots of what the app shows (pytest-textual-snapshot): Chinese labels at 80×24 and 120×40, the edit input, help.

Regenerate with `pytest tests/test_app_snapshots.py --snapshot-update` and look at tests/__snapshots__/.
"""

from __future__ import annotations

from budget_tui.app.app import BudgetApp
from budget_tui.app.session import Session


def budget_app(path) -> BudgetApp:
    return BudgetApp(Session.open(path))


def test_depth_3_at_80x24(snap_compare, changji_copy):
    assert snap_compare(budget_app(changji_copy), press=["3"], terminal_size=(80, 24))


def test_whole_tree_at_120x40(snap_compare, changji_copy):
    assert snap_compare(budget_app(changji_copy), press=["5"], terminal_size=(120, 40))


def test_edit_input_open_over_the_amount_at_80x24(snap_compare, changji_copy):
    keys = ["slash", *"30101", "enter", "e", *"+4.96"]
    assert snap_compare(budget_app(changji_copy), press=keys, terminal_size=(80, 24))


def test_edit_committed_at_120x40(snap_compare, changji_copy):
    keys = ["slash", *"30101", "enter", "e", *"+4.96", "enter"]
    assert snap_compare(budget_app(changji_copy), press=keys, terminal_size=(120, 40))


def test_projects_and_funds_at_120x40(snap_compare, synthetic_copy):
    assert snap_compare(budget_app(synthetic_copy), press=["4"], terminal_size=(120, 40))


def test_help_at_80x24(snap_compare, changji_copy):
    assert snap_compare(budget_app(changji_copy), press=["question_mark"], terminal_size=(80, 24))


def test_problems_panel_at_80x24(snap_compare, changji_copy):
    assert snap_compare(budget_app(changji_copy), press=["3", "exclamation_mark"], terminal_size=(80, 24))
