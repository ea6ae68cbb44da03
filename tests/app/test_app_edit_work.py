"""An edit through the app without needless work (issue 15): the footer recomposed only when the keys it shows change,
the tree's rows repainted, not laid out again, when the focus moves to the amount input and back."""

from __future__ import annotations

from budget_tui.app.app import BudgetApp
from budget_tui.app.widgets.budget_tree import BudgetTree
from budget_tui.app.widgets.footer import KeysFooter
from budget_tui.app.widgets.inputs import AmountInput
from budget_tui.app.widgets.status_line import StatusLine
from budget_tui.session import Session
from tests.app.waiting import until

SIZE = (100, 30)


def footer_keys(app: BudgetApp) -> list:
    return list(app.screen.query_one(KeysFooter).children)


def footer_text(app: BudgetApp) -> str:
    """The keys the footer shows, each as its key and description (not as drawn: the spacing follows the width)."""
    return " ".join(f"{key.key_display} {key.description}" for key in footer_keys(app))


async def test_the_footer_is_recomposed_only_when_its_keys_change(changji_copy):
    app = BudgetApp(Session.open(changji_copy))
    async with app.run_test(size=SIZE) as pilot:
        footer = app.screen.query_one(KeysFooter)
        await until(pilot, lambda: footer_keys(app) and app.screen.tree.has_focus and footer.up_to_date(), "the footer's keys")
        keys, text = footer_keys(app), footer_text(app)
        app.screen.refresh_bindings()
        app.screen.tree.focus()
        await pilot.pause()
        assert footer_keys(app) == keys  # the very widgets: nothing changed, nothing recomposed
        await pilot.press("slash", *"30101", "enter")
        await pilot.press("e")
        await until(pilot, lambda: "Cancel edit" in footer_text(app), "the input's key in the footer")
        assert "Cancel edit" not in text
        await pilot.press("ctrl+u", *"1", "enter")
        await until(pilot, lambda: footer_text(app) == text, "the screen's keys back in the footer")
        assert "合计" in str(app.screen.query_one(StatusLine).render())


async def test_rows_are_not_laid_out_again_when_the_focus_comes_and_goes(changji_copy):
    app = BudgetApp(Session.open(changji_copy))
    async with app.run_test(size=SIZE) as pilot:
        tree = app.screen.query_one(BudgetTree)
        await pilot.press("slash", *"30101", "enter")
        await pilot.pause()
        before = tree.render_lines(tree.region.reset_offset)
        laid_out = tree.layouts
        await pilot.press("e")
        await until(pilot, lambda: app.screen.query_one(AmountInput).has_focus, "the amount input")
        await pilot.press("escape")
        await until(pilot, lambda: tree.has_focus, "the tree's focus back")
        await pilot.pause()
        assert tree.layouts == laid_out
        assert [strip.text for strip in tree.render_lines(tree.region.reset_offset)] == [strip.text for strip in before]
