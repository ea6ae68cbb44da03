"""The app beside another version (issue 18): --against's 上版 / 本版 / 增减 / 增减% columns at every level, the
changed nodes (} { and C), a folder against a folder, the tables of either version, --watch's reload that keeps the
cursor and never drops unsaved edits silently, and Y copying to the clipboard."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from budget_tui.app.app import BudgetApp
from budget_tui.app.screens.budget import BudgetScreen
from budget_tui.app.screens.budget.versions import VersionOptions
from budget_tui.app.screens.dialogs import ConfirmScreen, FormScreen
from budget_tui.app.screens.tables import TablesScreen
from budget_tui.app.widgets.budget_tree import BudgetTree
from budget_tui.core.ids import ROOT, NodeId
from budget_tui.session import Session
from budget_tui.session.against import read_other
from tests.app.test_app import L30101, SIZE, cursor_id, line_id, messages, row_of, rows, search, status, type_text
from tests.app.waiting import until
from tests.conftest import CHANGJI
from tests.unit.test_against import write_department

L30102 = line_id("2010301", "30102")


def new_version(text: str) -> str:
    """The sample with 30101 up 4.96 and 30103 recoded to 30109."""
    return text.replace("30101 = 335.04", "30101 = 340.00").replace("30103 = 20.19   # 奖金", "30109 = 20.19   # 奖金")


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    shutil.copy(CHANGJI, old)
    new.write_text(new_version(CHANGJI.read_text("utf-8")), "utf-8")
    return old, new


def app_on(path: Path, against: Path | None = None, watch: bool = False) -> BudgetApp:
    app = BudgetApp(Session.open(path))
    app.versions = VersionOptions(read_other(against) if against is not None else None, watch)
    return app


def tree_of(app: BudgetApp) -> BudgetTree:
    return app.screen.query_one(BudgetTree)


def cells(row: str) -> list[str]:
    return row.split()[-4:]


async def test_against_shows_the_four_columns_at_every_level(versions):
    old, new = versions
    app = app_on(new, old)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("5")  # every level open
        await pilot.pause()
        tree = tree_of(app)
        assert tree.comparing and tree.titles == ("上版", "本版", "增减", "增减%")
        assert all(node.id in tree.comparisons for node in tree.walk())
        header = str(app.screen.query_one("#columns").render())
        assert header.split() == ["上版", "本版", "增减", "增减%"]
        assert cells(row_of(app, "201")) == ["1695.33", "1700.29", "+4.96", "+0.3%"]  # 类
        assert cells(row_of(app, "20103")) == ["1695.33", "1700.29", "+4.96", "+0.3%"]  # 款
        assert cells(row_of(app, "2010301")) == ["1642.52", "1647.48", "+4.96", "+0.3%"]  # 项
        assert cells(row_of(app, "301")) == ["886.50", "891.46", "+4.96", "+0.6%"]  # economic 类
        assert cells(row_of(app, "30101")) == ["335.04", "340.00", "+4.96", "+1.5%"]  # line
        assert cells(row_of(app, "30102")) == ["144.28", "144.28", "0.00", "0.0%"]
        assert row_of(app, "30109").split()[-3:] == ["0.00", "20.19", "+20.19"]  # its new place: 上版 0, no rate
        assert "*" in row_of(app, "30101") and "*" not in row_of(app, "30102")  # marked changed
        assert "against old.toml" in status(app)
        assert any("1 line changed" in message and "1 moved" in message for message in messages(app))

        await pilot.press("y")  # the columns off: the * marks stay
        assert not tree.comparing and "*" in row_of(app, "30101")


async def test_next_change_and_changed_only(versions):
    old, new = versions
    app = app_on(new, old)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        order = []
        for _ in range(6):
            await pilot.press("right_curly_bracket")
            order.append(cursor_id(app))
        economic_301 = ("f", "2010301", "basic", "301")
        assert order[:5] == [
            NodeId.functional("20103"), NodeId.functional("2010301"), economic_301, L30101, line_id("2010301", "30109"),
        ]
        assert order[5] == NodeId.functional("201")  # round again
        await pilot.press("left_curly_bracket")
        assert cursor_id(app) == line_id("2010301", "30109")

        await pilot.press("C")  # only what changed, with its ancestors
        await pilot.press("5")
        shown = " ".join(rows(app))
        assert all(f" {code} " in shown for code in ("201", "20103", "2010301", "301", "30101", "30109"))
        assert " 30102 " not in shown and " 2010350 " not in shown and " 302 " not in shown
        assert cursor_id(app) == line_id("2010301", "30109")  # the cursor stays
        await pilot.press("C")
        await pilot.press("5")
        assert "30102" in " ".join(rows(app))


async def test_without_another_version_the_keys_say_how_to_set_one(changji_copy):
    app = app_on(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("right_curly_bracket", "C")
        assert sum("Compare with another version first" in message for message in messages(app)) == 2
        await pilot.press("y")
        assert tree_of(app).titles == ("上年", "本年", "增减", "增减%")  # [prior], as before


async def test_O_picks_another_version_and_empty_goes_back_to_prior(versions):
    old, new = versions
    app = app_on(new)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("O")
        assert isinstance(app.screen, FormScreen)
        await type_text(pilot, "nothing-here.toml")
        await pilot.press("enter")
        assert isinstance(app.screen, FormScreen)  # refused with the reason, the dialog stays
        app.screen.query_one("Input").value = ""
        await type_text(pilot, str(old))
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, BudgetScreen), "the dialog to close")
        assert app.session.against is not None and tree_of(app).comparing
        assert tree_of(app).comparisons[ROOT].cells() == ("1695.33", "1700.29", "+4.96", "+0.3%")

        await pilot.press("O")
        app.screen.query_one("Input").value = ""
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, BudgetScreen), "the dialog to close")
        assert app.session.against is None
        assert tree_of(app).titles == ("上年", "本年", "增减", "增减%")
        assert tree_of(app).comparisons[ROOT].cells()[0] == "1781.38"  # the file's [prior] total


async def test_a_folder_against_a_folder_with_a_department_added_and_one_removed(tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    write_department(old, "a.toml", "10.00", "甲局")
    write_department(old, "b.toml", "20.00", "乙局")
    write_department(new, "a.toml", "12.50", "甲局")
    write_department(new, "c.toml", "30.00", "丙局")
    app = app_on(new, old)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        top = [row for row in rows(app) if row.strip()]
        assert top[0].startswith("▶ 甲局") and cells(top[0]) == ["12.00", "14.50", "+2.50", "+20.8%"]
        assert top[1].startswith("▶ 丙局") and top[1].split()[-3:] == ["0.00", "32.00", "+32.00"]  # added: no rate
        assert len(top) == 2  # the removed department has no row; it is in the root's 上版 and said so
        assert tree_of(app).comparisons[ROOT].cells() == ("34.00", "46.50", "+12.50", "+36.8%")
        said = " ".join(messages(app))
        assert "department added: c.toml" in said and "department removed: b.toml" in said


async def test_the_tables_view_shows_either_version_and_copies_the_table(versions):
    old, new = versions
    app = app_on(new, old)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("t", "6")
        screen = app.screen
        assert isinstance(screen, TablesScreen)
        assert "340.00" in screen.text and "335.04" not in screen.text
        await pilot.press("o")
        assert "335.04" in screen.text and "340.00" not in screen.text
        assert str(screen.query_one("#table-title").render()).startswith("Other version ")
        await pilot.press("Y")
        copied = app.clipboard
        assert copied.splitlines()[0] == "表六：一般公共预算基本支出情况表"
        assert "301\t01\t基本工资\t335.04\t335.04\t" in copied  # the other version's, tab-separated
        assert any("Copied table 6" in message for message in messages(app))
        await pilot.press("o", "Y")
        assert "301\t01\t基本工资\t340.00\t340.00\t" in app.clipboard


async def test_Y_copies_the_node_under_the_cursor(changji_copy):
    app = app_on(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30101")
        await pilot.press("Y")
        assert app.clipboard == "30101\t基本工资\t335.04"
        assert "Copied 30101 基本工资 335.04" in messages(app)[-1]
        await pilot.press("h", "Y")
        assert app.clipboard == "301\t工资福利支出\t886.50"


# -- --watch ----------------------------------------------------------------------------------


def rewrite(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


async def test_watch_reloads_a_changed_file_keeping_the_cursor_and_marks_what_changed(changji_copy):
    app = app_on(changji_copy, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30102")
        assert cursor_id(app) == L30102
        assert "watching" in status(app)
        rewrite(changji_copy, "30101 = 335.04", "30101 = 340.00")
        await until(pilot, lambda: any(message.startswith("Reloaded") for message in messages(app)), "the reload")
        assert cursor_id(app) == L30102  # the same node
        assert app.session.tree.root.total == app.session.budget.total() and str(app.session.tree.root.total) == "1700.29"
        tree = tree_of(app)
        assert L30101 in tree.changed and L30102 not in tree.changed
        assert tree.titles == ("上版", "本版", "增减", "增减%") and tree.comparing
        assert cells(row_of(app, "30101")) == ["335.04", "340.00", "+4.96", "+1.5%"]
        assert "against last look" in status(app)
        assert "3 nodes changed" in messages(app)[-1] or "nodes changed since the last look" in messages(app)[-1]

        rewrite(changji_copy, "30102 = 144.28", "30102 = 150.00")  # the next look compares with this one
        await until(pilot, lambda: sum(message.startswith("Reloaded") for message in messages(app)) == 2, "the 2nd reload")
        assert cursor_id(app) == L30102
        assert L30102 in tree_of(app).changed and L30101 not in tree_of(app).changed


async def test_watch_never_drops_unsaved_edits_silently(changji_copy):
    app = app_on(changji_copy, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30102")
        await pilot.press("e")
        await type_text(pilot, "+1")
        await pilot.press("enter")
        assert app.session.dirty
        rewrite(changji_copy, "30101 = 335.04", "30101 = 340.00")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question")
        assert "changed on disk" in app.screen.question and "1 unsaved edit" in app.screen.question
        assert app.session.dirty and str(app.session.editor.line(L30101[1]).amount) == "335.04"  # nothing reloaded yet

        await pilot.press("n")  # keep the edits
        await until(pilot, lambda: isinstance(app.screen, BudgetScreen), "the question to close")
        assert app.session.dirty and str(app.session.editor.line(L30102[1]).amount) == "145.28"
        assert any("Kept your edits" in message for message in messages(app))
        assert not any(message.startswith("Reloaded") for message in messages(app))

        rewrite(changji_copy, "30102 = 144.28", "30102 = 150.00")  # changed again: asked again
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen), "the question, again")
        await pilot.press("y")  # reload, dropping the edit
        await until(pilot, lambda: any(message.startswith("Reloaded") for message in messages(app)), "the reload")
        assert not app.session.dirty and cursor_id(app) == L30102
        assert str(app.session.editor.line(L30102[1]).amount) == "150.00"
        assert str(app.session.editor.line(L30101[1]).amount) == "340.00"


# -- what the screen shows ----------------------------------------------------------------------


def test_against_columns_at_100x30(snap_compare, tmp_path):
    old, new = tmp_path / "old.toml", tmp_path / "new.toml"
    shutil.copy(CHANGJI, old)
    new.write_text(new_version(CHANGJI.read_text("utf-8")), "utf-8")

    async def open_all(pilot) -> None:
        await pilot.press("5", "right_curly_bracket", "right_curly_bracket")
        pilot.app.clear_notifications()  # the summary names the test's temporary folder

    assert snap_compare(app_on(new, old), run_before=open_all, terminal_size=(100, 30))


async def test_watch_on_a_folder_keeps_the_cursor_on_its_department_when_a_file_comes_before_it(tmp_path):
    folder = tmp_path / "prefecture"
    write_department(folder, "a.toml", "10.00", "甲局")
    write_department(folder, "b.toml", "20.00", "乙局")
    app = app_on(folder, watch=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "l", "l")
        assert cursor_id(app) == ("d", 1, "f", "201")  # b.toml's 201
        write_department(folder, "a0.toml", "5.00", "丙局")  # read before b.toml from now on
        await until(pilot, lambda: any(message.startswith("Reloaded") for message in messages(app)), "the reload")
        assert cursor_id(app) == ("d", 2, "f", "201")  # still b.toml's
        assert str(app.session.tree.root.total) == "41.00"
        assert NodeId.department(1) in tree_of(app).changed  # a0.toml is new since the last look
        assert NodeId.department(2) not in tree_of(app).changed
