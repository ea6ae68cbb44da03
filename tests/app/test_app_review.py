"""The review workflow in the app (issue 8): tables, economic view, last year beside this year, sorting, marks and
comments, bulk adjustment, the diff, and the keys that reach them."""

from __future__ import annotations

from budget_tui.app.screens.adjust import AdjustScreen
from budget_tui.app.screens.budget import BudgetScreen
from budget_tui.app.screens.dialogs import ConfirmScreen, FormScreen, QuitScreen
from budget_tui.app.screens.diff import DiffScreen
from budget_tui.app.screens.help import HelpScreen
from budget_tui.app.screens.tables import TablesScreen
from budget_tui.app.widgets.status_line import StatusLine
from budget_tui.cli import main
from budget_tui.files.review import Review
from tests.app.test_app import L30101, SIZE, cursor_id, line_id, make_app, messages, row_of, rows, search, status, type_text
from tests.app.test_app_reliability import held  # noqa: F401 - the fixture: another budget-tui holds the lock

NEW_KEYS = {
    "tables", "toggle-view", "prior-year", "sort", "mark-reviewed", "comment", "next-flagged",
    "previous-flagged", "bulk-adjust", "diff", "merge-departments", "recode",
}


async def scale_302(pilot, typed: str = "-8%") -> None:
    """Open the bulk adjustment on 302 under 2010301 and type how to scale it."""
    await search(pilot, "302")
    await pilot.press("percent_sign")
    await type_text(pilot, typed)
    await pilot.press("enter")
    await pilot.pause()


# -- tables ---------------------------------------------------------------------------------


async def test_t_shows_the_tables_as_print_does_and_1_to_9_switch(changji_copy, capsys):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TablesScreen) and app.screen.number == 1
        assert app.screen.text.startswith("表一：部门收支总体情况表")
        await pilot.press("6")
        await pilot.pause()
        shown = app.screen.text
        await pilot.press("9")
        assert app.screen.text.startswith("表九")
        await pilot.press("escape")
        assert isinstance(app.screen, BudgetScreen)
    assert main(["print", str(changji_copy), "--table", "6"]) == 0
    assert shown == capsys.readouterr().out


async def test_tables_are_recomputed_after_an_edit(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "6")
        await pilot.pause()
        assert "  726.79" in app.screen.text and "  731.79" not in app.screen.text
        await pilot.press("escape")
        await search(pilot, "30201")
        await pilot.press("e", *"+5", "enter")
        await pilot.press("t", "6")
        await pilot.pause()
        assert "731.79" in app.screen.text and "21.00" in app.screen.text


async def test_p_writes_the_table_beside_the_budget_and_asks_before_replacing(changji_copy):
    app = make_app(changji_copy)
    target = changji_copy.with_name("changji-2020-table6.txt")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "6", "p")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        assert app.screen.query_one("Input").value == str(target)
        await pilot.press("enter")
        await pilot.pause()
        assert target.read_text("utf-8") == app.screen.text
        assert messages(app)[-1] == f"Wrote table 6 to {target}"
        target.write_text("mine", "utf-8")
        await pilot.press("p", "enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen) and "exists" in app.screen.question
        await pilot.press("n")
        await pilot.pause()
        assert target.read_text("utf-8") == "mine"
        await pilot.press("p", "enter", "y")
        await pilot.pause()
        assert target.read_text("utf-8").startswith("表六：一般公共预算基本支出情况表")
        await pilot.press("p", "ctrl+a")  # select the name to type another, relative to the budget's folder
        await pilot.press("ctrl+k")
        await type_text(pilot, "t6.txt")
        await pilot.press("enter")
        await pilot.pause()
        assert changji_copy.with_name("t6.txt").read_text("utf-8").startswith("表六")


# -- the economic view ----------------------------------------------------------------------


async def test_v_toggles_the_economic_view_with_the_same_editing(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30101")
        await pilot.press("v")
        await pilot.pause()
        assert cursor_id(app) == L30101  # a line has one id in both views
        assert rows(app)[0].split()[:2] == ["▼", "301"] and row_of(app, "301").endswith("939.31")
        assert "economic" in status(app)
        await pilot.press("e", *"+4.96", "enter")
        await pilot.pause()
        assert row_of(app, "301").endswith("944.27") and row_of(app, "2010301").endswith("340.00")
        assert "合计 1700.29 万元" in status(app)
        await pilot.press("v")
        await pilot.pause()
        assert cursor_id(app) == L30101 and "economic" not in status(app)
        assert row_of(app, "2010301").endswith("1647.48")


# -- last year beside this year, sorting ------------------------------------------------------


async def test_y_shows_prior_year_columns_where_the_file_has_them(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4", "y")
        await pilot.pause()
        header = str(app.screen.query_one("#columns").render())
        assert header.split() == ["上年", "本年", "增减", "增减%"]
        assert row_of(app, "2010301").split()[-4:] == ["1728.57", "1642.52", "-86.05", "-5.0%"]
        assert row_of(app, "2010350").split()[-4:] == ["52.81", "52.81", "0.00", "0.0%"]
        assert row_of(app, "301").split()[-1] == "886.50"  # no prior figure: only 本年
        await search(pilot, "30101")
        await pilot.press("e", *"+4.96", "enter")  # the columns follow the edit
        await pilot.pause()
        assert row_of(app, "2010301").split()[-4:] == ["1728.57", "1647.48", "-81.09", "-4.7%"]
        await pilot.press("y")
        await pilot.pause()
        assert not app.screen.query_one("#columns").display
        assert row_of(app, "2010301").split()[-1] == "1647.48"


async def test_s_cycles_the_order_of_children_by_code_amount_and_change(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30201")

        def codes() -> list[str]:
            return [word for row in rows(app) for word in row.split()[:4] if len(word) == 5 and word.startswith("302")]

        assert codes()[:3] == ["30201", "30202", "30205"]
        await pilot.press("s")
        await pilot.pause()
        assert codes()[:4] == ["30299", "30211", "30208", "30231"]  # largest first, ties by code
        assert "by amount" in status(app) and cursor_id(app) == line_id("2010301", "30201")
        await pilot.press("s")
        assert "by change" in status(app)
        await pilot.press("s")
        assert "by " not in status(app)
        assert codes()[:3] == ["30201", "30202", "30205"]


# -- marks and comments -----------------------------------------------------------------------


async def test_m_marks_c_comments_and_both_show_in_the_row(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("3", "j", "j")
        assert cursor_id(app) == ("f", "2010301")
        await pilot.press("m")
        assert "2010301 行政运行 ✓ " in row_of(app, "2010301")
        await pilot.press("c")
        await type_text(pilot, "公用经费压减8%？")
        await pilot.press("enter")
        await pilot.pause()
        assert "2010301 行政运行 ✓✎ " in row_of(app, "2010301")
        await pilot.press("m")
        assert "2010301 行政运行 ✎ " in row_of(app, "2010301")
        await pilot.press("c", "ctrl+a", "ctrl+k", "enter")  # an empty comment removes it
        await pilot.pause()
        assert "✎" not in row_of(app, "2010301") and app.session.review.note(("f", "2010301")) is None


async def test_marks_are_saved_on_ctrl_s_and_on_quit_and_survive_edits(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30201")
        await pilot.press("m", "c")
        await type_text(pilot, "办公费偏高")
        await pilot.press("enter", "ctrl+s")
        await pilot.pause()
        assert messages(app)[-1].startswith("Saved the review marks to ")
        assert not app.session.dirty
        await pilot.press("e", *"20", "enter")  # the marked line is edited: its note stays
        await pilot.pause()
        assert "✓✎" in row_of(app, "30201")
        await search(pilot, "30199")
        await pilot.press("m")  # marked, then quit without saving the edit
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("y")
        await pilot.pause()
    review = Review.open(changji_copy)
    assert review.note(line_id("2010301", "30201")).comment == "办公费偏高"
    assert review.is_reviewed(line_id("2010301", "30199"))  # saved on quit
    again = make_app(changji_copy)
    async with again.run_test(size=SIZE) as pilot:
        await search(pilot, "30201")
        assert "✓✎" in row_of(again, "30201")


async def test_brackets_go_to_the_next_and_previous_unreviewed_or_commented_node(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        review = app.session.review
        order = [node.id for node in app.screen.tree.walk()]
        for node_id in order[:3]:
            review.mark(app.session.tree.by_id[node_id])
        review.comment(app.session.tree.by_id[order[1]], "看一下")
        assert cursor_id(app) == order[0]
        await pilot.press("right_square_bracket")
        assert cursor_id(app) == order[1]  # reviewed but commented
        await pilot.press("right_square_bracket")
        assert cursor_id(app) == order[3]  # the first unreviewed
        await pilot.press("left_square_bracket")
        assert cursor_id(app) == order[1]
        await pilot.press("left_square_bracket")  # wraps around to the last node
        assert cursor_id(app) == order[-1]


# -- bulk adjustment --------------------------------------------------------------------------


async def test_percent_previews_every_line_and_applies_as_one_undo_step(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await scale_302(pilot, "-8%")
        assert isinstance(app.screen, AdjustScreen)
        preview = app.screen.preview.splitlines()
        assert len(preview) == 14  # 13 lines of 302, then the subtotal
        assert preview[0].split()[-3:] == ["16.00", "→", "14.72"]
        assert preview[-1].split() == ["小计", "726.79", "→", "668.65"]
        assert "726.79 → 668.65" in app.screen.title_text
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, BudgetScreen)
        assert row_of(app, "302").endswith("668.65") and cursor_id(app) == ("f", "2010301", "basic", "302")
        assert "合计 1637.19 万元" in status(app)
        await pilot.press("u")
        await pilot.pause()
        assert row_of(app, "302").endswith("726.79") and "合计 1695.33 万元" in status(app)
        assert not app.session.dirty
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert "合计 1637.19 万元" in status(app)


async def test_a_target_total_a_refused_input_and_a_cancelled_preview(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await scale_302(pilot, "abc")
        assert isinstance(app.screen, FormScreen)
        assert "is not an amount" in str(app.screen.query_one(".problem").render())
        await pilot.press("ctrl+a", "ctrl+k")
        await type_text(pilot, "700")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.preview.splitlines()[-1].split() == ["小计", "726.79", "→", "700.00"]
        await pilot.press("n")
        await pilot.pause()
        assert not app.session.dirty and row_of(app, "302").endswith("726.79")


async def test_bulk_adjustment_is_refused_read_only(changji_copy, held):  # noqa: F811 - the fixture
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")  # read-only
        await search(pilot, "302")
        await pilot.press("percent_sign")
        assert isinstance(app.screen, BudgetScreen) and messages(app)[-1].startswith("Read-only")


# -- the diff ---------------------------------------------------------------------------------


async def test_D_shows_changes_since_loaded_and_since_saved_with_subtotals(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("D")
        await pilot.pause()
        assert isinstance(app.screen, DiffScreen)
        assert app.screen.text == "Since the file was loaded: no changes.\n\nSince the last save: no changes.\n"
        await pilot.press("escape")
        await search(pilot, "30101")
        await pilot.press("e", *"+4.96", "enter", "ctrl+s")
        await search(pilot, "30201")
        await pilot.press("e", *"20", "enter", "D")
        await pilot.pause()
        loaded, saved = app.screen.text.split("\n\n")
        assert loaded.startswith("Since the file was loaded: 2 lines changed")
        assert "2010301 30101 基本工资" in loaded and "335.04 →  340.00" in loaded
        assert saved.startswith("Since the last save: 1 line changed")
        assert "2010301 30201 办公费" in saved and "2010301 30101" not in saved
        assert "302 商品和服务支出" in saved and "726.79 →  730.79" in saved
        assert saved.splitlines()[-1].split() == ["合计", "1700.29", "→", "1704.29", "+4.00"]
        await pilot.press("D")
        assert isinstance(app.screen, BudgetScreen)


# -- keys -------------------------------------------------------------------------------------


async def test_every_key_has_an_id_and_a_description_and_help_lists_the_new_ones(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        for binding in BudgetScreen.BINDINGS + TablesScreen.BINDINGS + AdjustScreen.BINDINGS + DiffScreen.BINDINGS:
            assert binding.id and binding.description, binding
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert NEW_KEYS <= {row.binding_id for row in app.screen.rows}
        keys = {row.binding_id: row.keys for row in app.screen.rows}
        assert keys["next-flagged"] == "]" and keys["bulk-adjust"] == "%" and keys["diff"] == "D"


async def test_the_footer_still_fits_80_columns(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer_keys = list(app.screen.query("FooterKey"))  # by its CSS type name: the class is in a private module
        assert footer_keys and max(key.region.right for key in footer_keys) <= 80
        assert {key.description for key in footer_keys} >= {"Search", "Edit", "Save", "Help", "Quit"}


async def test_the_status_line_keeps_one_blank_cell_at_its_right_edge(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        line = app.screen.query_one(StatusLine)
        assert line.content_region.right == SIZE[0] - 1
        assert status(app).endswith("合计 1695.33 万元 ")


def test_a_review_file_that_cannot_be_read_turns_marks_off_with_a_message(changji_copy):
    from budget_tui.session import Session

    changji_copy.with_name("changji-2020.review.toml").write_text("format = 1\nnote = 3\n", "utf-8")
    session = Session.open(changji_copy)
    assert session.review is None and "review marks are off" in session.review_trouble
    assert session.save_review() is None

