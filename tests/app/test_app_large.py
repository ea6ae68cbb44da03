"""A large budget's checks run in the background: an edit shows its totals at once, the count follows."""

from decimal import Decimal

from budget_tui import session as session_module
from budget_tui.app.app import BudgetApp
from budget_tui.app.screens.budget import BudgetScreen
from budget_tui.app.widgets.status_line import StatusLine
from budget_tui.core.checks import check_budget
from budget_tui.session import Session
from tests.app.waiting import until


async def checked(app, pilot) -> None:
    """Wait until the background check has started (after its delay) and finished."""
    await until(pilot, lambda: not app.screen.session.problems_stale, "the background check")
    await app.workers.wait_for_complete()


async def test_checks_run_in_a_worker_above_the_threshold(changji_copy, monkeypatch):
    monkeypatch.setattr(session_module, "SYNC_CHECK_LINES", 10)  # changji's 34 lines count as large here
    text = changji_copy.read_text("utf-8").replace("[procurement]", "[stated]\nthree_public = 45.60\n\n[procurement]")
    changji_copy.write_text(text, "utf-8")
    app = BudgetApp(Session.open(changji_copy))
    async with app.run_test(size=(100, 30)) as pilot:
        await checked(app, pilot)
        screen = app.screen
        assert isinstance(screen, BudgetScreen)
        session = screen.session
        assert not session.problems_stale
        assert [p.rule for p in session.problems] == [p.rule for p in check_budget(session.budget)]
        reception = next(l for l in session.budget.lines if l.economic == "30217")
        await pilot.press("slash", *"30217", "enter", "e", "ctrl+a", "ctrl+k", *"4.00", "enter")
        # The edit is shown at once; the checks of the changed budget follow from the worker.
        assert session.tree.root.total == Decimal("1695.33") + Decimal("0.40")
        assert app.screen.query_one(StatusLine).checking
        await checked(app, pilot)
        await until(pilot, lambda: not app.screen.query_one(StatusLine).checking, "the status line to stop saying checking")
        assert not session.problems_stale
        assert "stated-mismatch" in {p.rule for p in session.problems}
        assert session.editor.line(reception.key).amount == Decimal("4.00")
