"""Messages never cover what is typed (issue 14, item 5): a refused amount is said beside the editor, one toast at a
time, never over the status line or the row being edited."""

from __future__ import annotations

from budget_tui.app.app import BudgetApp
from budget_tui.app.widgets.edit_problem import EditProblem
from budget_tui.app.widgets.inputs import AmountInput
from budget_tui.app.widgets.status_line import StatusLine
from budget_tui.session import Session
from tests.app.test_app import row_of, search
from tests.app.waiting import until

SIZE = (80, 24)


def make_app(path) -> BudgetApp:
    return BudgetApp(Session.open(path))


def toasts(app: BudgetApp) -> list:
    """The toasts on screen now (Textual's Toast widgets, by their CSS type name)."""
    return list(app.screen.query("Toast"))


def overlaps(one, other) -> bool:
    return one.region.overlaps(other.region)


async def test_several_messages_in_a_row_show_one_toast_above_the_status_line(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.pause()
        for _ in range(3):
            await pilot.press("u")  # Nothing to undo
        await pilot.press("slash", *"nothing-is-called-this", "enter")  # No code or name matches
        await pilot.press("M")  # merging works on a folder only
        for number in range(4):  # long-lived ones: were they stacked, all would still be on screen
            app.notify(f"message {number}", timeout=600)
        await until(pilot, lambda: any("message 3" in str(toast.render()) for toast in toasts(app)), "the last toast")
        await pilot.pause()
        assert len(toasts(app)) == 1
        status = app.screen.query_one(StatusLine)
        (toast,) = toasts(app)
        assert toast.region.height > 0 and not overlaps(toast, status)
        assert toast.region.bottom <= status.region.y
        assert len(app.shown_messages) >= 5  # every message is kept, though only the latest is shown


async def test_a_refused_amount_is_said_beside_the_editor_not_over_it(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await search(pilot, "30101")
        await pilot.press("e", *"abc", "enter")
        problem = app.screen.query_one(EditProblem)
        await until(pilot, lambda: problem.display and problem.region.height == 1, "the problem beside the editor")
        editor = app.screen.query_one(AmountInput)
        assert editor.display and editor.has_focus and editor.value == "abc"
        assert not overlaps(problem, editor) and not toasts(app)
        assert "'abc' is not an amount" in str(problem.render())
        assert "'abc' is not an amount" in app.shown_messages[-1]
        assert "合计 1695.33 万元" in str(app.screen.query_one(StatusLine).render())
        await pilot.press("backspace", "backspace", "backspace", *"340")  # typing again takes the problem away
        await until(pilot, lambda: not problem.display, "the problem hidden")
        await pilot.press("enter")
        await until(pilot, lambda: row_of(app, "30101").endswith("340.00"), "the edit")


async def test_a_toast_while_editing_low_on_the_screen_stays_off_the_edited_row(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("5", "G")  # the last line of the whole tree: the lowest row
        await pilot.press("e")
        editor = app.screen.query_one(AmountInput)
        await until(pilot, lambda: editor.display and editor.region.height == 1, "the editor")
        assert editor.region.y >= SIZE[1] // 2
        app.notify("a message while typing")
        await until(pilot, lambda: len(toasts(app)) == 1 and toasts(app)[0].region.height > 0, "the toast")
        (toast,) = toasts(app)
        assert not overlaps(toast, editor)
        assert not overlaps(toast, app.screen.query_one(StatusLine))


async def test_a_refused_amount_on_the_last_row_is_said_above_the_editor(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await pilot.press("5", "G", "e", *"1.234", "enter")
        problem, editor = app.screen.query_one(EditProblem), app.screen.query_one(AmountInput)
        await until(pilot, lambda: problem.display and problem.region.height == 1, "the problem")
        assert problem.region.y == editor.region.y - 1 and editor.value == "1.234"
        assert problem.region.bottom <= app.screen.query_one(StatusLine).region.y
