"""The Textual app driven through Pilot: every key, editing to the file on disk, safety of file text, remapping."""

from __future__ import annotations

import difflib
import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from budget_tui.app.app import BudgetApp, binding_ids
from budget_tui.app.screens.budget import BudgetScreen
from budget_tui.app.screens.dialogs import ChangedOnDiskScreen, ConfirmScreen, FormScreen, QuitScreen
from budget_tui.app.screens.help import HelpScreen
from budget_tui.app.widgets.budget_tree import BudgetTree
from budget_tui.app.widgets.inputs import AmountInput, SearchBar
from budget_tui.app.widgets.status_line import StatusLine
from budget_tui.cli import main
from budget_tui.core.model import Fund, Kind, LineKey
from budget_tui.session import Session
from tests.conftest import CHANGJI, SYNTHETIC

SIZE = (100, 30)


def line_id(functional: str, economic: str, kind=Kind.BASIC, project=None, fund=Fund.GENERAL) -> tuple:
    return ("line", LineKey(kind, project, fund, functional, economic))


L30101 = line_id("2010301", "30101")


def make_app(path: Path) -> BudgetApp:
    return BudgetApp(Session.open(path))


def tree_of(app: BudgetApp) -> BudgetTree:
    return app.screen.query_one(BudgetTree)


def rows(app: BudgetApp) -> list[str]:
    """The tree's visible rows as plain text."""
    tree = tree_of(app)
    return [tree.render_line(y).text.rstrip() for y in range(tree.size.height)]


def row_of(app: BudgetApp, code: str) -> str:
    """The visible row whose code is the given one."""
    return next(row for row in rows(app) if f" {code} " in row)


def status(app: BudgetApp) -> str:
    return str(app.screen.query_one(StatusLine).render())


def cursor_id(app: BudgetApp) -> tuple | None:
    node = tree_of(app).cursor_model_node
    return node.id if node is not None else None


def messages(app: BudgetApp) -> list[str]:
    return list(app.shown_messages)


async def type_text(pilot, text: str) -> None:
    await pilot.press(*("space" if ch == " " else ch for ch in text))


async def search(pilot, query: str) -> None:
    await pilot.press("slash")
    await type_text(pilot, query)
    await pilot.press("enter")
    await pilot.pause()


def on_disk_diff(original: Path, edited: Path) -> list[str]:
    diff = difflib.unified_diff(original.read_text().splitlines(), edited.read_text().splitlines(), n=0, lineterm="")
    return [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]


# -- opening -------------------------------------------------------------------------------


async def test_opens_on_the_tree_with_the_status_line(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BudgetScreen)
        assert rows(app)[0].startswith("▶ 201 一般公共服务支出")
        assert rows(app)[0].endswith("1695.33")
        line = status(app)
        for part in ("changji-2020.toml", "昌吉回族自治州人民政府办公室", "2020", "合计 1695.33 万元"):
            assert part in line
        assert "unsaved" not in line
        assert cursor_id(app) == ("f", "201")
        assert app.animation_level == "none"


async def test_children_are_built_only_when_a_node_is_first_opened(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        tree = tree_of(app)
        assert set(tree.rows_by_id) == {("f", "201")}
        await pilot.press("l")
        assert set(tree.rows_by_id) == {("f", "201"), ("f", "20103")}
        await pilot.press("5")
        assert len(tree.rows_by_id) == len(tree.model.by_id)


async def test_amounts_are_right_aligned_in_one_column(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("4")
        await pilot.pause()
        visible = [row for row in rows(app) if row]
        assert len({len(row) + sum(1 for ch in row if ord(ch) > 0x2E80) for row in visible}) == 1  # same display width
        assert row_of(app, "2010301").endswith("1642.52")
        assert row_of(app, "302").endswith("726.79")


# -- moving around -------------------------------------------------------------------------


async def test_hjkl_and_arrows_open_close_and_move(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l")  # open 201
        assert tree_of(app).rows_by_id[("f", "201")].is_expanded
        await pilot.press("l")  # on an open node: go to its first child
        assert cursor_id(app) == ("f", "20103")
        await pilot.press("right", "j")
        assert cursor_id(app) == ("f", "2010301")
        await pilot.press("down")
        assert cursor_id(app) == ("f", "2010350")
        await pilot.press("k")
        assert cursor_id(app) == ("f", "2010301")
        await pilot.press("up")
        assert cursor_id(app) == ("f", "20103")
        await pilot.press("h")  # close 20103
        assert not tree_of(app).rows_by_id[("f", "20103")].is_expanded
        await pilot.press("left")  # closed: go to the parent
        assert cursor_id(app) == ("f", "201")
        await pilot.press("enter")  # Enter on a subtotal opens or closes it
        assert not tree_of(app).rows_by_id[("f", "201")].is_expanded
        await pilot.press("space")
        assert tree_of(app).rows_by_id[("f", "201")].is_expanded


async def test_depth_keys_top_and_bottom(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        tree = tree_of(app)
        await pilot.press("3")
        assert [next(word for word in row.split() if word.isdigit()) for row in rows(app) if row] == ["201", "20103", "2010301", "2010350"]
        await pilot.press("G")
        assert cursor_id(app) == ("f", "2010350")
        await pilot.press("g")
        assert cursor_id(app) == ("f", "201")
        await pilot.press("5")
        assert tree.last_line + 1 == len(tree.model.by_id)
        await pilot.press("end")
        assert cursor_id(app) == line_id("2010350", "30199")
        await pilot.press("2")  # the cursor goes to its visible ancestor
        assert cursor_id(app) == ("f", "20103")
        assert tree.last_line == 1
        await pilot.press("1")
        assert cursor_id(app) == ("f", "201") and tree.last_line == 0


async def test_search_opens_the_way_and_n_N_cycle_through_matches(synthetic_copy):
    app = make_app(synthetic_copy)
    async with app.run_test(size=SIZE) as pilot:
        matches = [node.id for node in app.session.find("30201")]
        assert len(matches) >= 3
        await search(pilot, "30201")
        assert cursor_id(app) == matches[0]
        assert not app.screen.query_one(SearchBar).display
        await pilot.press("n")
        assert cursor_id(app) == matches[1]
        await pilot.press("n")
        assert cursor_id(app) == matches[2]
        await pilot.press("N", "N")
        assert cursor_id(app) == matches[0]
        await pilot.press("N")  # wraps around to the last
        assert cursor_id(app) == matches[-1]
        await search(pilot, "彩票")  # by name
        assert tree_of(app).cursor_model_node.name == "彩票公益金安排的支出"
        await search(pilot, "99999")
        assert any("No code or name matches '99999'" in message for message in messages(app))


async def test_search_escape_cancels(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("slash", "3", "escape")
        assert not app.screen.query_one(SearchBar).display
        assert cursor_id(app) == ("f", "201")
        assert tree_of(app).has_focus


# -- editing -------------------------------------------------------------------------------


async def test_edit_updates_line_subtotals_total_and_status_at_once(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30101")
        assert cursor_id(app) == L30101
        await pilot.press("e")
        amount_input = app.screen.query_one(AmountInput)
        assert amount_input.display and amount_input.has_focus and amount_input.value == "335.04"
        await type_text(pilot, "+4.96")
        await pilot.press("enter")
        await pilot.pause()
        assert not amount_input.display
        assert cursor_id(app) == L30101
        assert row_of(app, "30101").endswith("340.00")
        assert row_of(app, "301").endswith("891.46")
        assert row_of(app, "2010301").endswith("1647.48")
        assert row_of(app, "20103").endswith("1700.29")
        assert "合计 1700.29 万元" in status(app) and "● unsaved" in status(app)
        assert app.session.budget.total() == Decimal("1700.29")


@pytest.mark.parametrize(("typed", "expected"), [("340", "340.00"), ("-3", "332.04"), ("*1.05", "351.79"), ("-8%", "308.24")])
async def test_edit_accepts_numbers_deltas_factors_and_percents(changji_copy, typed, expected):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30101")
        await pilot.press("enter")  # Enter on a line edits it
        await type_text(pilot, typed)
        await pilot.press("enter")
        await pilot.pause()
        assert row_of(app, "30101").endswith(expected)


@pytest.mark.parametrize(
    ("typed", "message"),
    [("abc", "'abc' is not an amount"), ("1.234", "more than two decimals"), ("", "type an amount"), ("-400", "negative")],
)
async def test_invalid_input_is_refused_and_the_old_value_stays(changji_copy, typed, message):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30101")
        await pilot.press("e", "backspace")
        await type_text(pilot, typed)
        await pilot.press("enter")
        await pilot.pause()
        assert any(message in text for text in messages(app))
        assert app.screen.query_one(AmountInput).display  # still open to correct or Esc
        await pilot.press("escape")
        assert not app.screen.query_one(AmountInput).display
        assert row_of(app, "30101").endswith("335.04")
        assert not app.session.dirty and "unsaved" not in status(app)


async def test_escape_cancels_an_edit(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30101")
        await pilot.press("e", "9", "escape")
        await pilot.pause()
        assert row_of(app, "30101").endswith("335.04")
        assert cursor_id(app) == L30101 and tree_of(app).has_focus


async def test_edit_on_a_subtotal_says_to_move_to_a_line(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("e")
        assert not app.screen.query_one(AmountInput).display
        assert any("Move the cursor to a line" in message for message in messages(app))


async def test_undo_and_redo_back_to_the_loaded_state_with_the_cursor_following(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30101")
        await pilot.press("e")
        await type_text(pilot, "+4.96")
        await pilot.press("enter")
        await search(pilot, "30201")
        await pilot.press("e")
        await type_text(pilot, "*2")
        await pilot.press("enter", "g")
        await pilot.pause()
        assert "合计 1716.29" in status(app)
        await pilot.press("u")
        assert cursor_id(app) == line_id("2010301", "30201")
        assert row_of(app, "30201").endswith("16.00")
        await pilot.press("g", "u")
        assert cursor_id(app) == L30101
        assert row_of(app, "2010301").endswith("1642.52")
        assert "合计 1695.33" in status(app) and "unsaved" not in status(app)
        await pilot.press("u")
        assert any("Nothing to undo" in message for message in messages(app))
        await pilot.press("ctrl+r")
        assert cursor_id(app) == L30101 and row_of(app, "2010301").endswith("1647.48")
        await pilot.press("ctrl+r")
        assert "合计 1716.29" in status(app)
        await pilot.press("ctrl+r")
        assert any("Nothing to redo" in message for message in messages(app))


async def test_edit_undo_redo_save_writes_only_that_amount(changji_copy, tmp_path):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30101")
        await pilot.press("e")
        await type_text(pilot, "+4.96")
        await pilot.press("enter", "u", "ctrl+r", "ctrl+s")
        await pilot.pause()
        assert "unsaved" not in status(app)
        assert any("Saved" in message for message in messages(app))
    assert on_disk_diff(CHANGJI, changji_copy) == [
        "-30101 = 335.04  # 基本工资",
        "+30101 = 340.00  # 基本工资",
    ]


async def test_add_line_under_the_current_xiang(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30201")
        await pilot.press("a")
        assert isinstance(app.screen, FormScreen)
        await type_text(pilot, "30215")
        await pilot.press("enter")
        await type_text(pilot, "2.50")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BudgetScreen)
        assert cursor_id(app) == line_id("2010301", "30215")
        assert row_of(app, "30215").endswith("2.50")
        assert row_of(app, "302").endswith("729.29")
        assert "合计 1697.83" in status(app)
        await pilot.press("u")
        assert "30215" not in app.session.tree.by_id.get(("f", "2010301", "basic", "302")).children[-1].code
        assert "合计 1695.33" in status(app)
        await pilot.press("ctrl+r", "ctrl+s")
        await pilot.pause()
    assert on_disk_diff(CHANGJI, changji_copy) == ["+30215 = 2.50  # 会议费"]


async def test_add_line_refuses_bad_codes_and_duplicates(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("a")  # on a 类: no 项 to add to
        assert any("Move the cursor to a 项" in message for message in messages(app))
        await search(pilot, "2010350")
        await pilot.press("a")
        await type_text(pilot, "123")
        await pilot.press("enter", "1", "enter")
        await pilot.pause()
        assert "'123' is not an economic 款 code" in str(app.screen.query_one(".problem").render())
        for field in app.screen.query("Input"):
            field.value = ""
        app.screen.query("Input").first().focus()
        await type_text(pilot, "30102")
        await pilot.press("enter", "1", "enter")
        await pilot.pause()
        assert "already has a line 30102" in str(app.screen.query_one(".problem").render())
        await pilot.press("escape")
        assert isinstance(app.screen, BudgetScreen) and not app.session.dirty


async def test_delete_asks_first(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30103")
        await pilot.press("d")
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("n")
        assert L30101 in app.session.tree.by_id and not app.session.dirty
        await pilot.press("d", "y")
        await pilot.pause()
        assert line_id("2010301", "30103") not in app.session.tree.by_id
        assert cursor_id(app) == line_id("2010301", "30106")  # the next line
        assert row_of(app, "2010301").endswith("1622.33")
        await pilot.press("u")
        assert cursor_id(app) == line_id("2010301", "30103")
        assert "合计 1695.33" in status(app)


async def test_recode_moves_the_line_and_the_cursor_follows(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30199")
        await pilot.press("r")
        for field in app.screen.query("Input"):
            field.value = ""
        await type_text(pilot, "30299")
        await pilot.press("enter")
        await pilot.pause()
        assert "already has a line 30299" in str(app.screen.query_one(".problem").render())
        app.screen.query_one("Input").value = ""
        await type_text(pilot, "30227")
        await pilot.press("enter")
        await pilot.pause()
        assert cursor_id(app) == line_id("2010301", "30227")
        assert tree_of(app).cursor_model_node.parent.code == "302"
        assert row_of(app, "301").endswith("810.14")
        assert row_of(app, "302").endswith("803.15")
        await pilot.press("u")
        assert cursor_id(app) == line_id("2010301", "30199")
        assert row_of(app, "301").endswith("886.50")


# -- the file ------------------------------------------------------------------------------


async def test_save_with_nothing_to_save(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+s")
        assert any("No changes to save" in message for message in messages(app))


async def edit_30101_then_change_the_file(pilot, path: Path) -> None:
    await search(pilot, "30101")
    await pilot.press("e")
    await type_text(pilot, "+4.96")
    await pilot.press("enter")
    await pilot.pause()
    path.write_text(path.read_text().replace("30102 = 144.28", "30102 = 150.00"))


async def test_external_change_refuses_save_and_reload_takes_the_disk_version(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await edit_30101_then_change_the_file(pilot, changji_copy)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ChangedOnDiskScreen)
        assert "150.00" in changji_copy.read_text() and "335.04" in changji_copy.read_text()
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, BudgetScreen)
        assert cursor_id(app) == L30101  # hledger-ui style: same code after a reload
        assert row_of(app, "30101").endswith("335.04") and row_of(app, "30102").endswith("150.00")
        assert "合计 1701.05" in status(app) and "unsaved" not in status(app)


async def test_external_change_then_save_as_another_name(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await edit_30101_then_change_the_file(pilot, changji_copy)
        changed = changji_copy.read_text()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen)
        app.screen.query_one("Input").value = "mine.toml"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, BudgetScreen)
        assert "mine.toml" in status(app) and "unsaved" not in status(app)
    assert changji_copy.read_text() == changed
    assert on_disk_diff(CHANGJI, changji_copy.with_name("mine.toml")) == [
        "-30101 = 335.04  # 基本工资",
        "+30101 = 340.00  # 基本工资",
    ]


async def test_escape_on_the_refused_save_keeps_the_edits(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await edit_30101_then_change_the_file(pilot, changji_copy)
        await pilot.press("ctrl+s", "escape")
        await pilot.pause()
        assert isinstance(app.screen, BudgetScreen) and app.session.dirty


async def test_quit_without_edits_exits(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_quit_with_unsaved_edits_asks_first(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30101")
        await pilot.press("e", "1", "enter", "q")
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)
        assert "1 unsaved change. Quit without saving?" in str(app.screen.query_one("Static").render())
        await pilot.press("n")
        assert isinstance(app.screen, BudgetScreen) and app.is_running
        await pilot.press("q", "y")
        await pilot.pause()
        assert not app.is_running
    assert "30101 = 335.04" in changji_copy.read_text()


# -- help and keys -------------------------------------------------------------------------


async def test_help_lists_the_live_bindings(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        listed = {row.binding_id: row for row in app.screen.rows}
        assert set(listed) >= {"edit", "add-line", "delete-line", "undo", "redo", "save", "search", "quit", "help", "open", "close", "depth-3"}
        assert listed["cursor-down"].keys == "↓ j"
        assert listed["edit"].description == "Edit"
        assert "" not in listed and "suspend" in listed  # only budget-tui's own keys: not tab, ctrl+c copy or ctrl+q
        assert not any("Focus" in row.description or "Copy" in row.description for row in app.screen.rows)
        await pilot.press("escape")
        assert isinstance(app.screen, BudgetScreen)


def test_every_binding_has_an_id_and_a_description():
    from budget_tui.app.app import REMAPPABLE
    from budget_tui.app.screens.dialogs import ChangedOnDiskScreen, ConfirmScreen, FormScreen

    for cls in (BudgetApp, *REMAPPABLE, ConfirmScreen, ChangedOnDiskScreen, FormScreen, HelpScreen):
        for binding in cls.BINDINGS:
            assert binding.id and binding.description, (cls.__name__, binding)
    assert {"edit", "save", "quit", "depth-5", "next-match"} <= binding_ids()


async def test_keys_remapped_in_the_config_file(changji_copy, tmp_path, monkeypatch):
    config = tmp_path / "config" / "budget-tui" / "keys.toml"
    config.parent.mkdir(parents=True)
    config.write_text('edit = "x"\nquit = ["ctrl+q", "Q"]\nnonsense = "z"\n', encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert any("no binding 'nonsense'" in message for message in messages(app))
        await search(pilot, "30101")
        await pilot.press("e")
        assert not app.screen.query_one(AmountInput).display
        await pilot.press("x")
        assert app.screen.query_one(AmountInput).display
        await pilot.press("escape", "q")
        assert app.is_running
        await pilot.press("question_mark")
        listed = {row.binding_id: row.keys for row in app.screen.rows}
        assert listed["edit"] == "x"
        await pilot.press("escape", "Q")
        await pilot.pause()
        assert not app.is_running


async def test_unreadable_key_file_keeps_the_default_keys(changji_copy, tmp_path, monkeypatch):
    config = tmp_path / "budget-tui" / "keys.toml"
    config.parent.mkdir(parents=True)
    config.write_text("edit = ", encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert any("default keys are used" in message for message in messages(app))
        await search(pilot, "30101")
        await pilot.press("e")
        assert app.screen.query_one(AmountInput).display


# -- file text is data ---------------------------------------------------------------------

HOSTILE = """\
[department]
name = "测试局 [bold]部门[/]"
year = 2020

[names]
30101 = "[@click=app.quit]x[/]"
30102 = "金额 [/] 结束"
30103 = "red \\u001b[31mtext"

[basic.2010301]
30101 = 10.00
30102 = 20.00
30103 = 30.00
"""


async def test_names_with_markup_and_escapes_show_literally(write_budget):
    path = write_budget(HOSTILE)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")
        await pilot.pause()
        assert row_of(app, "30101").split("30101 ", 1)[1].startswith("[@click=app.quit]x[/]")
        assert "金额 [/] 结束" in row_of(app, "30102")
        assert "red text" in row_of(app, "30103") and "\x1b" not in row_of(app, "30103")
        assert "测试局 [bold]部门[/]" in status(app)
        await search(pilot, "30101")
        tree = tree_of(app)
        await pilot.click(BudgetTree, offset=(20, tree.cursor_line))  # a parsed label would quit here
        await pilot.pause()
        assert app.is_running
        await search(pilot, "30102")
        await pilot.press("d")  # the question quotes the name
        assert "金额 [/] 结束" in str(app.screen.query_one("Static").render())
        await pilot.press("y")
        await search(pilot, "[/]")  # searched as text, not markup
        assert cursor_id(app) == line_id("2010301", "30101")


# -- terminals -----------------------------------------------------------------------------


async def test_usable_at_80x24_with_no_color(changji_copy, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    app = make_app(changji_copy)
    async with app.run_test(size=(80, 24)) as pilot:
        await search(pilot, "30101")
        assert app.no_color
        assert row_of(app, "30101").endswith("335.04") and len(row_of(app, "30101")) <= 80
        assert "合计 1695.33 万元" in status(app)
        await pilot.press("e")
        assert app.screen.query_one(AmountInput).region.right <= 80


async def test_animations_follow_the_environment_when_set(changji_copy, monkeypatch):
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "full")
    app = make_app(changji_copy)
    assert app.animation_level != "none"


def test_bad_file_prints_the_position_and_exits_2_before_the_app(write_budget, capsys):
    path = write_budget("[department]\nname = \n")
    assert main([str(path)]) == 2
    error = capsys.readouterr().err
    assert f"{path}:2:" in error and error.count("\n") == 1


def test_session_keeps_the_fingerprint_of_the_loaded_file(tmp_path):
    path = tmp_path / "b.toml"
    shutil.copy(CHANGJI, path)
    session = Session.open(path)
    assert not session.changed_on_disk()
    path.write_text(path.read_text() + "\n")
    assert session.changed_on_disk()


def test_the_synthetic_sample_opens_with_project_groups():
    session = Session.open(SYNTHETIC)
    groups = [node for node in session.tree.root.walk() if node.level == "支出类型"]
    assert any(node.name == "学前教育生均公用经费补助" for node in groups)


async def test_only_the_input_keys_are_live_while_typing(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30101")
        await pilot.press("e")
        await pilot.pause()
        live = {active.binding.id for active in app.screen.active_bindings.values() if active.enabled}
        assert "cancel-edit" in live and not live & {"save", "undo", "search", "edit"}
        await pilot.press("escape")
        await pilot.pause()
        live = {active.binding.id for active in app.screen.active_bindings.values() if active.enabled}
        assert {"save", "undo", "search", "edit"} <= live


async def test_clicking_a_closed_node_builds_and_shows_its_children(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.click(BudgetTree, offset=(0, 0))  # the ▶ icon of 201
        await pilot.pause()
        assert tree_of(app).rows_by_id[("f", "201")].is_expanded
        assert row_of(app, "20103").endswith("1695.33")
