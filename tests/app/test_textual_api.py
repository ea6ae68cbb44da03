"""What budget-tui relies on in Textual beyond its documented API, pinned so a Textual release that changes it fails
here (pyproject pins the tested major), and the app's public record of the messages it showed."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widgets import Tree

from budget_tui.app.app import SHOWN_KEPT
from budget_tui.app.widgets.budget_tree import BudgetTree
from budget_tui.core.tree import label
from tests.app.test_app import SIZE, cursor_id, make_app, messages
from tests.app.waiting import until


class OneTree(App):
    def compose(self) -> ComposeResult:
        yield Tree("root")


async def test_reading_last_line_numbers_the_rows_of_nodes_just_opened():
    """BudgetTree.move_cursor_to_row reads Tree.last_line so that TreeNode.line (where move_cursor goes) counts rows
    opened since the last paint; without it the cursor would land on a stale line."""
    app = OneTree()
    async with app.run_test() as pilot:
        tree = app.query_one(Tree)
        await pilot.pause()
        first = tree.root.add("first")
        second = tree.root.add("second")
        child = first.add("child")
        tree.root.expand()
        first.expand()
        assert tree.last_line == 3  # root, first, child, second
        assert (first.line, child.line, second.line) == (1, 2, 3)
        tree.move_cursor(child)
        assert tree.cursor_node is child and tree.cursor_line == 2


async def test_opening_a_deep_node_at_once_puts_the_cursor_on_it(changji_copy):
    """Several levels opened in one go (a search hit, a problem, a review jump): the cursor is on the node itself."""
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        tree = app.screen.query_one(BudgetTree)
        await until(pilot, lambda: cursor_id(app) is not None, "the first row")
        deep = next(node for node in app.session.tree.root.walk() if node.depth == 4)
        tree.reveal(deep.id)
        assert cursor_id(app) == deep.id
        await pilot.pause()
        assert label(deep).split()[0] in tree.render_line(tree.cursor_line - round(tree.scroll_offset.y)).text


async def test_the_app_keeps_the_messages_it_showed_after_their_toasts_are_gone(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("u")
        await until(pilot, lambda: any("Nothing to undo" in text for text in messages(app)), "the message")
        app.clear_notifications()
        assert messages(app)[-1] == "Nothing to undo: this is the budget as loaded."
        assert app.shown[-1].severity == "information" and app.shown[-1].markup is False


async def test_the_record_of_messages_is_bounded(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        for number in range(SHOWN_KEPT + 10):
            app.notify(f"message {number}")
        assert len(app.shown) == SHOWN_KEPT
        assert messages(app)[0] == "message 10" and messages(app)[-1] == f"message {SHOWN_KEPT + 9}"


async def test_the_private_parts_of_textual_the_app_uses_are_still_there(changji_copy):
    """BudgetTree overrides Tree._build (rows laid out with the label width taken once) and clears Tree._line_cache
    (a style change repaints without a layout); KeysFooter reads Footer._bindings_ready, as Footer.compose does. A
    Textual release that renames or drops one of them fails here, not silently in the app."""
    from textual.widgets import Footer

    assert callable(getattr(Tree, "_build", None))
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        tree = app.screen.query_one(BudgetTree)
        await until(pilot, lambda: cursor_id(app) is not None, "the first row")
        assert hasattr(tree._line_cache, "clear")
        before = tree.layouts
        tree.reveal(next(node for node in app.session.tree.root.walk() if node.depth == 4).id)
        await until(pilot, lambda: tree.layouts > before, "a layout of the rows through Tree._build")
        footer = app.screen.query_one(Footer)
        assert isinstance(footer._bindings_ready, bool)
