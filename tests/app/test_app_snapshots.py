"""Snapshots of what the app shows (pytest-textual-snapshot): Chinese labels at 80×24 and 120×40, the edit input, help,
and each view of the review workflow at 100×30 (tables, economic view, prior-year columns, bulk adjustment, diff, marks).

Regenerate with `pytest tests/app/test_app_snapshots.py --snapshot-update` and look at tests/app/__snapshots__/.
"""

from __future__ import annotations

from budget_tui.app.app import BudgetApp
from budget_tui.session import Session


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


# -- the review workflow at 100×30 (issue 8) -------------------------------------------------


def test_tables_view_table_6_at_100x30(snap_compare, changji_copy):
    assert snap_compare(budget_app(changji_copy), press=["t", "6"], terminal_size=(100, 30))


def test_economic_view_at_100x30(snap_compare, changji_copy):
    assert snap_compare(budget_app(changji_copy), press=["v", "2"], terminal_size=(100, 30))


def test_prior_year_columns_at_100x30(snap_compare, changji_copy):
    assert snap_compare(budget_app(changji_copy), press=["3", "y"], terminal_size=(100, 30))


def test_bulk_adjust_preview_at_100x30(snap_compare, changji_copy):
    keys = ["slash", *"302", "enter", "percent_sign", *"-8%", "enter"]
    assert snap_compare(budget_app(changji_copy), press=keys, terminal_size=(100, 30))


def test_diff_at_100x30(snap_compare, changji_copy):
    async def edit_save_adjust_then_diff(pilot) -> None:
        await pilot.press("slash", *"30101", "enter", "e", *"+4.96", "enter", "ctrl+s")
        await pilot.press("slash", *"302", "enter", "percent_sign", *"-8%", "enter", "y")
        pilot.app.clear_notifications()  # "Saved PATH" names the test's temporary folder
        await pilot.press("D")

    assert snap_compare(budget_app(changji_copy), run_before=edit_save_adjust_then_diff, terminal_size=(100, 30))


def test_reviewed_and_commented_rows_at_100x30(snap_compare, changji_copy):
    keys = ["3", "j", "j", "m", "c", *"check", "space", *"8%", "enter", "j", "m", "k", "k", "c", *"why?", "enter"]
    assert snap_compare(budget_app(changji_copy), press=keys, terminal_size=(100, 30))


# -- every form with focus in a field and text typed, at 80×24 (issue 14) --------------------
# Each shows what was typed inside the focused field; before, a focused field drew only its borders.


def test_form_add_line_typed_at_80x24(snap_compare, changji_copy):
    keys = ["slash", *"30101", "enter", "a", *"30199"]
    assert snap_compare(budget_app(changji_copy), press=keys, terminal_size=(80, 24))


def test_form_recode_typed_at_80x24(snap_compare, changji_copy):
    keys = ["slash", *"30101", "enter", "r", "ctrl+a", "ctrl+k", *"30102"]
    assert snap_compare(budget_app(changji_copy), press=keys, terminal_size=(80, 24))


def test_form_comment_typed_at_80x24(snap_compare, changji_copy):
    keys = ["slash", *"30101", "enter", "c", *"why", "space", *"+5%?"]
    assert snap_compare(budget_app(changji_copy), press=keys, terminal_size=(80, 24))


def test_form_bulk_adjust_typed_at_80x24(snap_compare, changji_copy):
    keys = ["slash", *"302", "enter", "percent_sign", *"-8%"]
    assert snap_compare(budget_app(changji_copy), press=keys, terminal_size=(80, 24))


def test_form_print_table_to_file_typed_at_80x24(snap_compare, changji_copy):
    keys = ["t", "6", "p", "ctrl+a", "ctrl+k", *"table6.txt"]
    assert snap_compare(budget_app(changji_copy), press=keys, terminal_size=(80, 24))
