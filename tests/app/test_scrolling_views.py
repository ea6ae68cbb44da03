"""Issue 14 item 6: the help, the tables view and the diff scroll with the tree's keys (j/k a line, g/G top and bottom,
ctrl+d/ctrl+u half a screen, PgDn/PgUp a screen, h/l a whole screen sideways, never a column); the tables view keeps
its heading on screen while the rows scroll, and offers compact columns (c) and fitting the screen's width (w)."""

from __future__ import annotations

import pytest

from budget_tui.app.app import BudgetApp
from budget_tui.app.screens.budget import BudgetScreen
from budget_tui.app.screens.diff import DiffScreen
from budget_tui.app.screens.help import HelpScreen
from budget_tui.app.screens.tables import TablesScreen
from budget_tui.app.widgets.scrolling import PagedScroll
from budget_tui.app.widgets.sticky_table import StickyTable
from budget_tui.session import Session
from tests.app.waiting import until

SIZE = (80, 24)
LONG_DIFF = "\n".join(f"{n:4d}  " + "款项 " * 30 + f"{n}.00 → {n + 1}.00" for n in range(80))
"""A diff longer and wider than the screen, to scroll both ways."""


async def open_view(pilot, app: BudgetApp, view: str) -> PagedScroll:
    """Open the view and return the widget that scrolls (it has focus)."""
    await until(pilot, lambda: isinstance(app.screen, BudgetScreen), "the budget")
    if view == "help":
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
    elif view == "tables":
        await pilot.press("t", "6")  # 35 lines, 92 columns: wider and longer than 80x24
        await until(pilot, lambda: isinstance(app.screen, TablesScreen) and app.screen.number == 6, "table 6")
    else:
        app.push_screen(DiffScreen(LONG_DIFF))
        await until(pilot, lambda: isinstance(app.screen, DiffScreen), "the diff")
    await until(pilot, lambda: isinstance(app.focused, PagedScroll) and app.focused.max_scroll_y > 10, "a focused view longer than the screen")
    assert isinstance(app.focused, PagedScroll) and app.focused.screen is app.screen
    return app.focused


def expected(scroller: PagedScroll, key: str, start: tuple[int, int]) -> tuple[int, int]:
    """Where the key leaves the view, from start: a line, half a screen, a screen, the ends; sideways a screen."""
    x, y = start
    half, page, across = scroller.page_height // 2, scroller.page_height, scroller.page_width
    moves = {
        "j": (x, y + 1), "down": (x, y + 1), "k": (x, y - 1), "up": (x, y - 1),
        "g": (x, 0), "home": (x, 0), "G": (x, scroller.max_scroll_y), "end": (x, scroller.max_scroll_y),
        "ctrl+d": (x, y + half), "ctrl+u": (x, y - half), "pagedown": (x, y + page), "pageup": (x, y - page),
        "l": (x + across, y), "right": (x + across, y), "h": (x - across, y), "left": (x - across, y),
    }
    new_x, new_y = moves[key]
    return max(0, min(new_x, scroller.max_scroll_x)), max(0, min(new_y, scroller.max_scroll_y))


SIDEWAYS = ("l", "h", "right", "left")
KEYS = ["j", "k", "down", "up", "g", "G", "home", "end", "ctrl+d", "ctrl+u", "pagedown", "pageup", "l", "h", "right", "left"]


@pytest.mark.parametrize("view", ["help", "tables", "diff"])
@pytest.mark.parametrize("key", KEYS)
async def test_each_scrolling_key_moves_each_view_as_in_the_tree(changji_copy, view, key):
    app = BudgetApp(Session.open(changji_copy))
    async with app.run_test(size=SIZE) as pilot:
        scroller = await open_view(pilot, app, view)
        middle = scroller.max_scroll_y // 2
        start = (scroller.max_scroll_x if key in ("h", "left") else 0, middle)  # h from the right edge
        scroller.scroll_to(*start, animate=False)
        await until(pilot, lambda: scroller.scroll_offset == start, "the view scrolled to the start")
        assert middle > 0
        target = expected(scroller, key, start)
        await pilot.press(key)
        await until(pilot, lambda: scroller.scroll_offset == target, f"{key} to scroll {view} to {target}")
        if view == "help" and key in SIDEWAYS:
            assert target == start  # the help is as wide as its box: nothing to scroll sideways
        else:
            assert target != start, "from the middle, every key moves the view"


async def test_sideways_scrolling_moves_a_whole_screen_not_a_column(changji_copy):
    app = BudgetApp(Session.open(changji_copy))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BudgetScreen), "the budget")
        await pilot.press("t", "7")  # 222 columns: about three screens
        table = app.screen.query_one(StickyTable)
        await until(pilot, lambda: table.virtual_size.width > 2 * table.page_width, "table 7, wider than two screens")
        width, end = table.page_width, table.max_scroll_x
        assert width > 60 and end > width
        for key, x in (("l", width), ("l", end), ("h", end - width), ("h", 0)):
            await pilot.press(key)
            await until(pilot, lambda x=x: table.scroll_x == x, f"{key} to scroll to column {x}")


async def test_the_tables_heading_stays_while_the_rows_scroll(changji_copy):
    app = BudgetApp(Session.open(changji_copy))
    async with app.run_test(size=SIZE) as pilot:
        table = await open_view(pilot, app, "tables")
        heading = [table.render_line(y).text.rstrip() for y in range(len(table.heading))]
        assert heading[0] == "表六：一般公共预算基本支出情况表" and heading[-1].startswith("------")
        assert "小计" in heading[-2]
        first_row = table.render_line(len(table.heading)).text
        await pilot.press("G")
        await until(pilot, lambda: table.scroll_y == table.max_scroll_y, "the bottom")
        assert [table.render_line(y).text.rstrip() for y in range(len(table.heading))] == heading
        last = table.render_line(table.scrollable_content_region.height - 1).text
        assert last.startswith("备注：") and table.render_line(len(table.heading)).text != first_row
        # a screen of rows is the rows under the heading
        assert table.page_height == table.scrollable_content_region.height - len(table.heading)


async def test_compact_and_fit_to_width_change_the_table_and_back(changji_copy):
    app = BudgetApp(Session.open(changji_copy))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BudgetScreen), "the budget")
        await pilot.press("t", "3")  # 项目支出 is empty in every row of changji
        screen = app.screen
        assert isinstance(screen, TablesScreen)
        table = screen.query_one(StickyTable)
        await until(pilot, lambda: "项目支出" in "\n".join(table.heading), "table 3 with all its columns")
        full = screen.text
        await pilot.press("c")
        await until(pilot, lambda: "项目支出" not in "\n".join(table.heading), "the empty column left out")
        assert "compact" in str(screen.query_one("#table-title").render())
        await pilot.press("c")
        await until(pilot, lambda: screen.text == full, "all the columns again")

        await pilot.press("7")  # 222 columns
        await until(pilot, lambda: table.virtual_size.width > 200, "table 7 at its natural width")
        await pilot.press("w")
        await until(pilot, lambda: table.virtual_size.width < 200, "table 7 narrowed to the screen (names wrap)")
        assert screen.fit and "fit to width" in str(screen.query_one("#table-title").render())
        await pilot.press("w")
        await until(pilot, lambda: table.virtual_size.width > 200, "table 7 at its natural width again")


async def test_the_help_lists_only_budget_tuis_own_keys(changji_copy):
    app = BudgetApp(Session.open(changji_copy))
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BudgetScreen), "the budget")
        await pilot.press("t")
        await until(pilot, lambda: isinstance(app.screen, TablesScreen), "the tables")
        await pilot.press("question_mark")
        await until(pilot, lambda: isinstance(app.screen, HelpScreen), "the help of the tables view")
        rows = app.screen.rows
        assert rows and all(row.binding_id for row in rows)
        ids = {row.binding_id for row in rows}
        assert {"cursor-down", "half-page-down", "screen-right", "compact-table", "fit-table", "print-table"} <= ids
        assert not any("Focus" in row.description or row.keys in ("tab", "^q") for row in rows)


def test_the_tables_view_at_80x24_scrolled_down_keeps_its_headings(snap_compare, changji_copy):
    assert snap_compare(BudgetApp(Session.open(changji_copy)), press=["t", "6", "G"], terminal_size=SIZE)


async def test_a_remapped_tree_motion_moves_the_views_too(changji_copy, tmp_path, monkeypatch):
    config = tmp_path / "config" / "budget-tui" / "keys.toml"
    config.parent.mkdir(parents=True)
    config.write_text('top = "T"\n', "utf-8")  # the tree's id for g: the views share it
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    app = BudgetApp(Session.open(changji_copy))
    async with app.run_test(size=SIZE) as pilot:
        assert app.keymap == {"top": "T"} and not app.keymap_problems
        table = await open_view(pilot, app, "tables")
        await pilot.press("G")
        await until(pilot, lambda: table.scroll_y == table.max_scroll_y > 0, "the bottom")
        await pilot.press("g")  # no longer bound
        await pilot.press("k")
        await until(pilot, lambda: table.scroll_y == table.max_scroll_y - 1, "k after g: g did not move the view")
        await pilot.press("T")
        await until(pilot, lambda: table.scroll_y == 0, "T, the remapped key, to go to the top")
