"""The `f` filter (issue 14, item 9): the tree narrowed to the matches and their parents, said in the status line,
cleared by Esc or an empty filter, the cursor on a sensible node; `/` still jumps."""

from __future__ import annotations

from budget_tui.app.app import BudgetApp
from budget_tui.app.widgets.budget_tree import BudgetTree
from budget_tui.app.widgets.inputs import SearchBar
from budget_tui.app.widgets.status_line import StatusLine
from budget_tui.session import Session
from tests.app.test_app import L30101, cursor_id, row_of, rows, search
from tests.app.waiting import until

SIZE = (80, 24)


def make_app(path) -> BudgetApp:
    return BudgetApp(Session.open(path))


def shown_codes(app: BudgetApp) -> list[str]:
    """The codes of every node the tree would show, open or not, in order."""
    return [node.code for node in app.screen.query_one(BudgetTree).walk()]


def status(app: BudgetApp) -> str:
    return str(app.screen.query_one(StatusLine).render())


async def filter_to(pilot, query: str) -> None:
    await pilot.press("f", *("space" if ch == " " else ch for ch in query), "enter")


async def test_f_keeps_the_matches_and_their_parents_and_esc_shows_all_again(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        everything = shown_codes(app)
        await filter_to(pilot, "3021")
        await until(pilot, lambda: "filter 3021: 3 matches" in status(app), "the filter in the status line")
        assert shown_codes(app) == ["201", "20103", "2010301", "302", "30211", "30213", "30217"]
        assert row_of(app, "30213")  # the matches are open to see, their paths opened
        await pilot.press("escape")
        await until(pilot, lambda: shown_codes(app) == everything, "every node again")
        assert "filter" not in status(app)


async def test_an_empty_filter_clears_it_and_the_cursor_stays_on_its_node(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        everything = shown_codes(app)
        await search(pilot, "30101")
        await filter_to(pilot, "基本工资")
        await until(pilot, lambda: "filter 基本工资" in status(app), "the filter")
        assert cursor_id(app) == L30101  # a match: the cursor stays on it
        await pilot.press("f", "ctrl+u", "enter")
        await until(pilot, lambda: shown_codes(app) == everything, "every node again")
        assert cursor_id(app) == L30101


async def test_the_cursor_goes_to_the_first_match_when_its_node_is_filtered_out(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30101")
        await filter_to(pilot, ">700")
        await until(pilot, lambda: "filter >700" in status(app), "the filter")
        node = app.screen.query_one(BudgetTree).cursor_model_node
        assert node is not None and node.total > 700
        assert "30101" not in shown_codes(app)


async def test_a_filter_follows_edits_and_n_jumps_only_to_shown_matches(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30101")
        await pilot.press("e", *"340", "enter")
        await filter_to(pilot, "is:changed")
        await until(pilot, lambda: "1 match " in status(app), "one changed line")
        assert shown_codes(app)[-1] == "30101"
        await search(pilot, "30102")  # / still jumps; a match hidden by the filter: its nearest shown parent
        await pilot.press("n")
        await until(pilot, lambda: "esc clears the filter" in app.shown_messages[-1], "n says every match is hidden")
        await pilot.press("escape")  # the filter is cleared; the edit and the search stay
        await until(pilot, lambda: "30102" in shown_codes(app), "every node")
        await pilot.press("n")
        await until(pilot, lambda: row_of(app, "30102"), "the match")


async def test_a_filter_that_matches_nothing_or_cannot_be_read_leaves_the_tree_as_it_was(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        everything = shown_codes(app)
        await filter_to(pilot, "nothing-is-called-this")
        await until(pilot, lambda: "Nothing matches" in app.shown_messages[-1], "the message")
        await filter_to(pilot, ">abc")
        await until(pilot, lambda: "after > type an amount" in app.shown_messages[-1], "the message")
        assert shown_codes(app) == everything and "filter" not in status(app)
        assert not app.screen.query_one(SearchBar).display and rows(app)
