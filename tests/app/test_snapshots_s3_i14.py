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


def test_form_save_as_typed_at_80x24(snap_compare, changji_copy):
    async def open_save_as_and_type(pilot) -> None:
        await pilot.press("slash", *"30101", "enter", "e", *"340", "enter")
        pilot.app.screen.ask_save_as("The save failed.")  # as after a failed save; the title names no temporary path
        await pilot.pause()
        await pilot.press("ctrl+a", "ctrl+k", *"mine-2020.toml")

    assert snap_compare(budget_app(changji_copy), run_before=open_save_as_and_type, terminal_size=SIZE)


def test_form_new_item_typed_at_80x24(snap_compare, changji_copy):
    keys = ["slash", *"20103", "enter", "a", "i", *"2010302", "enter", *"30201"]
    assert snap_compare(budget_app(changji_copy), press=keys, terminal_size=SIZE)


def test_form_new_project_with_its_fund_typed_at_80x24(snap_compare, synthetic_copy):
    keys = ["slash", *"20502", "enter", "a", "p", *"营养餐补助", "enter", *"2050203"]
    assert snap_compare(budget_app(synthetic_copy), press=keys, terminal_size=SIZE)


def test_form_new_line_asking_the_fund_typed_at_80x24(snap_compare, synthetic_copy):
    keys = ["slash", *"2080505", "enter", "a", *"30199", "enter", *"1.5"]
    assert snap_compare(budget_app(synthetic_copy), press=keys, terminal_size=SIZE)
