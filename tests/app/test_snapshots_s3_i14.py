"""Snapshots at 80×24 for issue 14 (items 5, 7, 8, 9): a refused amount beside its editor, the filtered tree, the
save-as form and the new forms of `a`, each with focus in a field and text typed.

Regenerate with `pytest tests/app/test_snapshots_s3_i14.py --snapshot-update` and look at tests/app/__snapshots__/.
"""

from __future__ import annotations

from budget_tui.app.app import BudgetApp
from budget_tui.session import Session

SIZE = (80, 24)


def budget_app(path) -> BudgetApp:
    return BudgetApp(Session.open(path))


def test_refused_amount_beside_the_open_editor_at_80x24(snap_compare, changji_copy):
    keys = ["slash", *"30101", "enter", "e", *"12,5", "enter"]
    assert snap_compare(budget_app(changji_copy), press=keys, terminal_size=SIZE)


def test_tree_filtered_to_matches_and_parents_at_80x24(snap_compare, changji_copy):
    keys = ["f", *"302", "space", *">10", "enter"]
    assert snap_compare(budget_app(changji_copy), press=keys, terminal_size=SIZE)
