"""The quit guard's Save and quit, and re-applying your edits to a file changed on disk (issue 14, item 7): every
choice of the dialogs, and the file on disk after."""

from __future__ import annotations

from pathlib import Path

from budget_tui.app.app import BudgetApp
from budget_tui.app.screens.budget import BudgetScreen
from budget_tui.app.screens.dialogs import ChangedOnDiskScreen, QuitScreen, ReapplyScreen
from budget_tui.files.journal import Journal
from budget_tui.session import Session
from tests.app.test_app import row_of, search, status
from tests.app.waiting import until

SIZE = (80, 24)


def make_app(path: Path) -> BudgetApp:
    return BudgetApp(Session.open(path))


async def edit(pilot, code: str, typed: str) -> None:
    await search(pilot, code)
    await pilot.press("e", "ctrl+u", *typed, "enter")
    await until(pilot, lambda: pilot.app.session.dirty and isinstance(pilot.app.screen, BudgetScreen), "the edit")


def change_on_disk(path: Path, old: str, new: str) -> str:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path.read_text("utf-8")


async def test_save_and_quit_writes_the_edits_then_quits(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await edit(pilot, "30101", "340")
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, QuitScreen), "the quit guard")
        await pilot.press("s")
        await until(pilot, lambda: not app.is_running, "the app to quit")
    assert "30101 = 340.00" in changji_copy.read_text("utf-8")
    assert not Journal(changji_copy).path.exists()


async def test_quit_guard_stay_and_quit_without_saving(changji_copy):
    original = changji_copy.read_bytes()
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await edit(pilot, "30101", "340")
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, QuitScreen), "the quit guard")
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, BudgetScreen), "back to the budget")
        assert app.is_running and app.session.dirty
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, QuitScreen), "the quit guard")
        await pilot.press("y")
        await until(pilot, lambda: not app.is_running, "the app to quit")
    assert changji_copy.read_bytes() == original


async def test_save_and_quit_on_a_file_changed_on_disk_stays_and_offers_re_apply(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await edit(pilot, "30101", "340")
        change_on_disk(changji_copy, "30102 = 144.28", "30102 = 150.00")
        await pilot.press("q")
        await until(pilot, lambda: isinstance(app.screen, QuitScreen), "the quit guard")
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, ChangedOnDiskScreen), "the changed-on-disk dialog")
        assert app.is_running
        await pilot.press("a")
        await until(pilot, lambda: not app.session.dirty, "the edits re-applied and saved")
        await pilot.press("q")
        await until(pilot, lambda: not app.is_running, "the app to quit")
    text = changji_copy.read_text("utf-8")
    assert "30101 = 340.00" in text and "30102 = 150.00" in text


async def test_re_apply_keeps_the_change_on_disk_and_your_edit_on_another_line(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await edit(pilot, "30101", "340")
        disk = change_on_disk(changji_copy, "30102 = 144.28", "30102 = 150.00")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ChangedOnDiskScreen), "the changed-on-disk dialog")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, BudgetScreen) and not app.session.dirty, "saved")
        assert row_of(app, "30101").endswith("340.00") and row_of(app, "30102").endswith("150.00")
        assert "Re-applied 1 of your edits" in app.shown_messages[-1] and "unsaved" not in status(app)
    assert changji_copy.read_text("utf-8") == disk.replace("30101 = 335.04", "30101 = 340.00", 1)


async def test_re_apply_lists_the_conflicts_and_applies_the_others_when_asked(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await edit(pilot, "30101", "340")
        await edit(pilot, "30103", "25")
        disk = change_on_disk(changji_copy, "30101 = 335.04", "30101 = 350.00")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ChangedOnDiskScreen), "the changed-on-disk dialog")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ReapplyScreen), "the conflicts")
        assert app.screen.conflicts == [
            "line 56: 30101 = 335.04  # 基本工资 → 30101 = 340.00  # 基本工资: changed on disk to 30101 = 350.00  # 基本工资"
        ]
        await pilot.press("escape")  # cancel: nothing written, every edit kept
        await until(pilot, lambda: isinstance(app.screen, BudgetScreen), "back")
        assert changji_copy.read_text("utf-8") == disk and app.session.dirty
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ChangedOnDiskScreen), "the changed-on-disk dialog")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ReapplyScreen), "the conflicts")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, BudgetScreen) and not app.session.dirty, "saved")
        said = app.shown_messages[-1].splitlines()
        assert said[0].startswith("Re-applied 1 of your edits") and said[2].startswith("line 56: 30101 = 335.04")
        assert row_of(app, "30101").endswith("350.00") and row_of(app, "30103").endswith("25.00")
    text = changji_copy.read_text("utf-8")
    assert text == disk.replace("30103 = 20.19", "30103 = 25.00", 1)


async def test_re_apply_when_the_line_was_deleted_on_disk(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await edit(pilot, "30106", "80")
        disk = change_on_disk(changji_copy, "30106 = 79.38   # 伙食补助费\n", "")
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, ChangedOnDiskScreen), "the changed-on-disk dialog")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, ReapplyScreen), "the conflicts")
        assert "removed on disk" in app.screen.conflicts[0]
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, BudgetScreen) and not app.session.dirty, "saved")
    assert changji_copy.read_text("utf-8") == disk
