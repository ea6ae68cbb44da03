"""Issue 12, items 5 and 8 in the app: an amount beyond money.AMOUNT_LIMIT, or not plainly a number, typed in
the edit box, the add-line form or the bulk adjustment is answered at once with a message, and the app stays
usable; a journal holding such an amount never stops the app from starting."""

from __future__ import annotations

from decimal import Decimal

import pytest

from budget_tui.app.screens.budget import BudgetScreen
from budget_tui.app.screens.dialogs import FormScreen, RecoverScreen
from budget_tui.core.editing import Change
from budget_tui.files.fileformat import load
from budget_tui.files.journal import Journal
from tests.app.test_app import SIZE, make_app, messages, row_of, search, status, type_text
from tests.app.waiting import until

THIRTY_DIGITS = "123456789012345678901234567890"
DEADLINE = 60.0  # seconds: generous for a busy 2-core machine; a frozen app never gets there


async def wait_for(pilot, condition, what: str) -> None:
    """Pause until condition() holds; fails (never hangs) past DEADLINE."""
    await until(pilot, condition, what, DEADLINE)


async def edit_30101(pilot, typed: str) -> None:
    await search(pilot, "30101")
    await pilot.press("e", "backspace")
    await type_text(pilot, typed)
    await pilot.press("enter")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (THIRTY_DIGITS, "is too large: amounts stay below 10,000,000,000,000"),
        ("*1" + "0" * 29, "is too large"),
        ("1e999999999", "is too large"),
        ("1,5", "commas may only separate thousands"),
        ("1_0.0_5", "is not an amount"),
    ],
)
async def test_an_amount_that_is_not_what_it_looks_like_is_answered_at_once(changji_copy, typed, message):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await edit_30101(pilot, typed)
        await wait_for(pilot, lambda: any(message in text for text in messages(app)), "message")
        assert row_of(app, "30101").endswith("335.04") and not app.session.dirty
        assert "合计 1695.33 万元" in status(app)
        # Still usable: leave the input, edit again with a real amount, save.
        await pilot.press("escape")
        await edit_30101(pilot, "1,340.00")  # a comma between thousands is read
        await wait_for(pilot, lambda: row_of(app, "30101").endswith("1340.00"), "edit")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: not app.session.dirty, "save")
    assert next(line.amount for line in load(changji_copy).lines if line.economic == "30101") == Decimal("1340.00")


async def test_the_add_line_form_refuses_a_30_digit_amount_with_a_message(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30201")
        await pilot.press("a")
        assert isinstance(app.screen, FormScreen)
        await type_text(pilot, "30215")
        await pilot.press("enter")
        await type_text(pilot, THIRTY_DIGITS)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "too large" in str(app.screen.query_one(".problem").render()), "problem")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BudgetScreen), "budget screen")
        assert not app.session.dirty and "合计 1695.33 万元" in status(app)


async def test_the_bulk_adjustment_refuses_a_target_beyond_the_maximum(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "302")
        await pilot.press("percent_sign")
        await type_text(pilot, THIRTY_DIGITS)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "too large" in str(app.screen.query_one(".problem").render()), "problem")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BudgetScreen), "budget screen")
        assert not app.session.dirty


@pytest.mark.parametrize("amount", [Decimal("1E+30"), Decimal("123456789012345678901234567890")])
async def test_a_journal_with_an_amount_beyond_the_maximum_does_not_stop_the_app(changji_copy, amount):
    """Before, such an entry was offered for replay and describing it crashed the app on every start."""
    budget = load(changji_copy)
    line = next(line for line in budget.lines if line.economic == "30101")
    journal = Journal(changji_copy)
    journal.record(Change(line, line.with_amount(amount)), changji_copy.read_bytes())
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        # The entry is shown as refused, with why, and nothing of it is replayed.
        await wait_for(pilot, lambda: isinstance(app.screen, RecoverScreen), "the recovery dialog")
        assert any("too large" in refused for refused in app.screen.refused)
        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, BudgetScreen), "budget screen")
        assert "合计 1695.33 万元" in status(app) and not app.session.dirty
        await edit_30101(pilot, "340")
        await wait_for(pilot, lambda: row_of(app, "30101").endswith("340.00"), "edit")
