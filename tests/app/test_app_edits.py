"""Issue 14 items 3, 4, 9 and 10 in the app: the edit box previews its result, an edit that changes nothing leaves no
undo step, n/N say which match of how many, `]` with nothing flagged says so, and a keys file that names an unknown key
or takes another binding's key is reported with its line."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from budget_tui.app.app import BudgetApp
from budget_tui.app.screens.dialogs import FormScreen
from budget_tui.app.widgets.budget_tree import BudgetTree
from budget_tui.app.widgets.inputs import AmountInput
from budget_tui.app.widgets.status_line import StatusLine
from budget_tui.core.model import Fund, Kind, LineKey
from budget_tui.files.lock import side_file
from budget_tui.session import Session
from tests.app.waiting import until

SIZE = (100, 30)
L30101 = ("line", LineKey(Kind.BASIC, None, Fund.GENERAL, "2010301", "30101"))


def make_app(path: Path) -> BudgetApp:
    return BudgetApp(Session.open(path))


def status(app: BudgetApp) -> str:
    return str(app.screen.query_one(StatusLine).render())


def messages(app: BudgetApp) -> list[str]:
    return list(app.shown_messages)  # every message shown, also those whose toast is gone


def cursor_id(app: BudgetApp) -> tuple | None:
    node = app.screen.query_one(BudgetTree).cursor_model_node
    return node.id if node is not None else None


async def search(pilot, query: str) -> None:
    await pilot.press("slash", *query, "enter")
    await pilot.pause()


# -- item 3: the preview ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "shown", "committed"),
    [("95%", "335.04 → 318.29", "318.29"), ("+5%", "335.04 → 351.79", "351.79"), ("-8%", "335.04 → 308.24", "308.24"),
     ("*1.05", "335.04 → 351.79", "351.79"), ("５.", "335.04 → 5.00", "5.00"), ("１２３.５", "335.04 → 123.50", "123.50")],
)
async def test_the_edit_box_shows_the_result_as_it_is_typed_and_commits_it(changji_copy, typed, shown, committed):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30101")
        await pilot.press("e")
        await until(pilot, lambda: "335.04 → 335.04" in status(app), "the preview of the amount as it is")
        # The amount is selected: typing replaces it. (Pilot cannot press full-width punctuation, ．or ％: tests/unit has them.)
        await pilot.press(*typed)  # Pilot names a character that is not a letter or digit (% is percent_sign) itself
        await until(pilot, lambda: shown in status(app), f"the preview {shown}")
        await pilot.press("enter")
        await until(pilot, lambda: not app.screen.query_one(AmountInput).display, "the edit box to close")
        assert app.session.editor.line(L30101[1]).amount == Decimal(committed)
        assert "→" not in status(app) and "changji-2020.toml" in status(app)


async def test_the_preview_says_why_input_cannot_be_read_and_the_box_stays_open(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30101")
        await pilot.press("e", *"1,2")
        await until(pilot, lambda: "335.04 → ?: " in status(app), "the preview of unreadable input")
        assert "commas may only" in status(app)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one(AmountInput).display and not app.session.dirty  # 1,2 is not 12
        await pilot.press("escape")
        await until(pilot, lambda: "→" not in status(app), "the status line to show the file again")


# -- item 4: no-op edits --------------------------------------------------------------------------


@pytest.mark.parametrize("keys", [("e", "enter"), ("enter", "enter"), ("e", *"+0", "enter"), ("e", *"100%", "enter")])
async def test_an_edit_that_changes_nothing_is_no_undo_step_no_journal_entry_and_no_unsaved_mark(changji_copy, keys):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30101")
        await pilot.press(*keys)
        await until(pilot, lambda: not app.screen.query_one(AmountInput).display, "the edit box to close")
        assert cursor_id(app) == L30101
        assert "unsaved" not in status(app) and not app.session.dirty
        await pilot.press("u")
        await until(pilot, lambda: any("Nothing to undo" in message for message in messages(app)), "Nothing to undo")
        assert not side_file(changji_copy, "journal").exists()


async def test_one_u_undoes_a_real_edit_after_no_op_ones(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30101")
        await pilot.press("e", *"340", "enter", "e", "enter", "e", "enter")  # one edit, then twice Enter unchanged
        await until(pilot, lambda: not app.screen.query_one(AmountInput).display and app.session.dirty, "the edit")
        await pilot.press("u")
        await until(pilot, lambda: not app.session.dirty, "one u to undo the edit")
        assert "unsaved" not in status(app)


async def test_recoding_a_line_to_its_own_code_is_no_undo_step(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30101")
        await pilot.press("r", "enter")  # the form offers the line's own code
        await until(pilot, lambda: not isinstance(app.screen, FormScreen), "the form to close")
        assert cursor_id(app) == L30101
        assert not app.session.dirty and not app.session.editor.undo_stack
        assert not any("already has a line" in message for message in messages(app))


# -- item 9: match counter and `]` ---------------------------------------------------------------


async def test_n_and_N_say_which_match_of_how_many(synthetic_copy):
    app = make_app(synthetic_copy)
    async with app.run_test(size=SIZE) as pilot:
        count = len(app.session.find("30201"))
        assert count >= 3
        await search(pilot, "30201")
        await pilot.press("n")
        await until(pilot, lambda: f"match 2 of {count}" in status(app), "match 2 of N")
        await pilot.press("n")
        await until(pilot, lambda: f"match 3 of {count}" in status(app), "match 3 of N")
        await pilot.press("N", "N")
        await until(pilot, lambda: f"match 1 of {count}" in status(app), "match 1 of N")
        await pilot.press("N")
        await until(pilot, lambda: f"match {count} of {count}" in status(app), "the wrap to the last match")
        await pilot.press("j")  # the cursor leaves the match: the status line shows the file again
        await until(pilot, lambda: "match" not in status(app) and synthetic_copy.name in status(app), "the file name back")


async def test_a_search_with_full_width_text_and_filters_finds_the_same_nodes(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "３０１０１")  # full-width digits
        assert cursor_id(app) == L30101
        await pilot.press("g")
        await search(pilot, "is:changed")
        await until(pilot, lambda: any("No code or name matches 'is:changed'" in message for message in messages(app)), "no match")
        await pilot.press("g")
        await search(pilot, ">abc")
        await until(pilot, lambda: any("after > type an amount" in message for message in messages(app)), "the filter's error")


async def test_next_flagged_with_nothing_reviewed_or_commented_says_so_and_stays(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        before = cursor_id(app)
        await pilot.press("right_square_bracket")
        await until(pilot, lambda: any("Nothing flagged" in message for message in messages(app)), "Nothing flagged")
        assert cursor_id(app) == before
        await pilot.press("left_square_bracket")
        assert cursor_id(app) == before
        await pilot.press("m", "right_square_bracket")  # once a node is reviewed, ] goes to the next unreviewed one
        await until(pilot, lambda: cursor_id(app) != before, "] to move to the next unreviewed node")


# -- item 10: the keys file ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ('save = "ctrl+s"\nedit = "q"\n', 2, "edit = 'q' would take the key of quit (Quit); edit keeps its default (e)"),
        ('edit = "notakey!!"\n', 1, "edit needs a key Textual knows, and 'notakey!!' is not one"),
    ],
)
async def test_a_key_file_entry_that_names_no_key_or_takes_another_bindings_key_is_reported(
    changji_copy, tmp_path, monkeypatch, content, line, message
):
    config = tmp_path / "config" / "budget-tui" / "keys.toml"
    config.parent.mkdir(parents=True)
    config.write_text(content, encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: any(message in text for text in messages(app)), "the key file's message")
        assert any(text.startswith(f"{config}:{line}:") for text in messages(app))
        await search(pilot, "30101")
        await pilot.press("e")  # the binding keeps its default
        await until(pilot, lambda: app.screen.query_one(AmountInput).display, "e to edit")
        await pilot.press("escape", "q")  # and Quit keeps q
        await until(pilot, lambda: not app.is_running, "q to quit")


async def test_two_bindings_may_trade_keys(changji_copy, tmp_path, monkeypatch):
    config = tmp_path / "budget-tui" / "keys.toml"
    config.parent.mkdir(parents=True)
    config.write_text('edit = "q"\nquit = "e"\n', encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30101")
        await pilot.press("q")
        await until(pilot, lambda: app.screen.query_one(AmountInput).display, "q to edit")
        assert not app.keymap_problems
        await pilot.press("escape", "e")
        await until(pilot, lambda: not app.is_running, "e to quit")


# -- the snapshot -------------------------------------------------------------------------------------


def test_edit_box_with_the_preview_at_80x24(snap_compare, changji_copy):
    keys = ["slash", *"30101", "enter", "e", *"95%"]
    assert snap_compare(make_app(changji_copy), press=keys, terminal_size=(80, 24))
