"""A folder of department files in the app (issue 7): departments on top, merged on M, edits saved to their own file
only, the folder's lock and journal, review marks by file, and the loading screen."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from textual.widgets import LoadingIndicator

from budget_tui.app import run_app
from budget_tui.app.app import BudgetApp
from budget_tui.app.screens.budget import BudgetScreen
from budget_tui.app.screens.dialogs import FormScreen
from budget_tui.app.screens.loading import PROGRESS_AFTER, LoadingScreen
from budget_tui.core.model import Kind, LineKey
from budget_tui.files.fileformat import BudgetFileError
from budget_tui.files.lock import side_file
from budget_tui.files.review import Review
from budget_tui.session import Session
from tests.app.test_app import SIZE, cursor_id, messages, rows, search, status, type_text
from tests.app.waiting import DEADLINE, until
from tests.conftest import CHANGJI, SYNTHETIC

CHANGJI_TOTAL, SYNTHETIC_TOTAL = "1695.33", "1025.68"

@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """Two department files of 2020: the Changji office and the synthetic education bureau (year set to 2020)."""
    root = tmp_path / "prefecture"
    root.mkdir()
    shutil.copy(CHANGJI, root / "changji-2020.toml")
    text = SYNTHETIC.read_text("utf-8").replace("\nyear = 2021\n", "\nyear = 2020\n", 1)
    (root / "synthetic-2020.toml").write_text(text, "utf-8")
    return root

def make_app(path: Path) -> BudgetApp:
    return BudgetApp(Session.open(path))

async def test_a_folder_opens_with_its_departments_on_top_and_their_totals(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        top = [row for row in rows(app) if row]
        assert top[0].startswith("▶ 昌吉回族自治州人民政府办公室") and top[0].endswith(CHANGJI_TOTAL)
        assert top[1].startswith("▶ 示例县教育局（虚构）") and top[1].endswith(SYNTHETIC_TOTAL)
        assert len(top) == 2
        line = status(app)
        assert "prefecture/" in line and "2个部门" in line and "合计 2721.01 万元" in line
        assert cursor_id(app) == ("d", 0)
        await pilot.press("l", "l")
        assert cursor_id(app) == ("d", 0, "f", "201")

async def test_M_merges_the_departments_into_one_tree_and_back(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("l", "l")  # 201 of Changji
        await pilot.press("M")
        await pilot.pause()
        assert cursor_id(app) == ("f", "201") and "merged" in status(app)
        assert rows(app)[0].startswith("▶ 201 一般公共服务支出")
        assert all(not row.startswith("▶ 昌吉") for row in rows(app))
        assert "合计 2721.01 万元" in status(app)
        await pilot.press("M")
        await pilot.pause()
        assert cursor_id(app) == ("d", 0, "f", "201") and "merged" not in status(app)

async def test_an_edit_goes_to_its_own_file_and_a_save_rewrites_only_that_file(folder):
    changji, synthetic = folder / "changji-2020.toml", folder / "synthetic-2020.toml"
    untouched = changji.read_bytes(), changji.stat().st_mtime_ns
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "5")
        await search(pilot, "示例县")  # the second department
        await pilot.press("l", "l")
        node = app.screen.tree.cursor_model_node
        while not node.is_leaf:
            await pilot.press("l")
            node = app.screen.tree.cursor_model_node
        assert node.line.origin == 1
        await pilot.press("e", *"+1", "enter", "ctrl+s")
        await pilot.pause()
        assert messages(app)[-1] == f"Saved 1 file of {folder}: synthetic-2020.toml"
        assert not app.session.dirty and "unsaved" not in status(app)
    assert (changji.read_bytes(), changji.stat().st_mtime_ns) == untouched
    assert synthetic.read_text("utf-8") != SYNTHETIC.read_text("utf-8").replace("\nyear = 2021\n", "\nyear = 2020\n", 1)
    again = Session.open(folder)
    assert str(again.tree.root.total) == "2722.01"

async def test_a_line_added_under_a_departments_xiang_goes_to_that_file(folder):
    synthetic = folder / "synthetic-2020.toml"
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j")
        node = app.screen.tree.cursor_model_node
        while node.level != "项":  # down to the first 项 of the second department
            await pilot.press("l")
            node = app.screen.tree.cursor_model_node
        assert node.id[:2] == ("d", 1)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and "in synthetic-2020.toml" in app.screen.title_text
        await type_text(pilot, "30216")
        await pilot.press("enter")
        await type_text(pilot, "2.50")
        await pilot.press("enter", "ctrl+s")
        await pilot.pause()
        added = [line for line in app.session.budget.lines if line.economic == "30216" and line.functional == node.code]
        assert [line.origin for line in added] == [1]
    assert "30216 = 2.50" in synthetic.read_text("utf-8")
    assert (folder / "changji-2020.toml").read_bytes() == CHANGJI.read_bytes()

async def test_the_folder_has_one_lock_and_one_journal_beside_it(folder):
    app = make_app(folder)
    lock, journal = side_file(folder, "lock"), side_file(folder, "journal")
    assert lock == folder.parent / ".prefecture.budget-tui.lock"
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert lock.exists()
        await pilot.press("j", "5")
        await search(pilot, "示例县")
        await pilot.press("l", "l", "l", "l", "l", "l", "l")
        await pilot.press("e", *"+1", "enter")
        await pilot.pause()
        assert '"origin": 1' in journal.read_text("utf-8")
        other = Session.open(folder)
        assert other.take_lock() is not None and other.read_only
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not journal.exists()
    assert not lock.exists()

async def test_unsaved_folder_edits_are_replayed_into_their_own_file(folder):
    session = Session.open(folder)
    assert session.take_lock() is None and session.recover() is None
    line = next(line for line in session.budget.lines if line.origin == 1)
    session.set_amount(line.key, "+1")
    session.close()  # the app died: the journal stays
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("r")  # replay
        await pilot.pause()
        assert app.session.changed_files() == [folder / "synthetic-2020.toml"]
        assert "合计 2722.01 万元" in status(app)

async def test_review_marks_in_a_folder_name_the_department_file(folder):
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("j", "m", "ctrl+s")
        await pilot.pause()
        assert "✓" in rows(app)[1]
    text = (folder.parent / "prefecture.review.toml").read_text("utf-8")
    assert 'node = "d:synthetic-2020.toml"' in text
    review = Review.open(folder, ("changji-2020.toml", "synthetic-2020.toml"))
    assert review.is_reviewed(("d", 1))

async def test_a_folder_loads_behind_a_loading_screen_in_a_worker(folder):
    app = BudgetApp(None, path=folder)
    async with app.run_test(size=SIZE) as pilot:
        assert isinstance(app.screen, (LoadingScreen, BudgetScreen))
        await until(pilot, lambda: isinstance(app.screen, BudgetScreen), "the budget screen")
        await until(pilot, lambda: "2个部门" in status(app), "the status line")
        assert "2个部门" in status(app)
        # Under the budget screen, nothing of the loading screen may keep repainting the terminal.
        loading = app.screen_stack[0]
        assert isinstance(loading, LoadingScreen)
        await until(pilot, lambda: len(loading.query(LoadingIndicator)) == 0, "the spinner to be removed")
        await pilot.press("q")
    assert app.session is not None and app.session.lock is None

def test_the_loading_screen_says_what_it_reads(folder):
    assert LoadingScreen(folder).describe() == f"Reading 2 department files below {folder}…"

def test_a_folder_that_cannot_be_read_raises_after_the_app_is_gone(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setattr(BudgetApp, "run", lambda self: _run_headless(self))
    with pytest.raises(BudgetFileError, match="holds no budget files"):
        run_app(empty)

def _run_headless(app: BudgetApp) -> int:
    import asyncio

    async def run() -> None:
        async with app.run_test(size=SIZE) as pilot:
            await until(pilot, lambda: app.load_error is not None, "the load to fail")

    asyncio.run(run())
    return app.return_code or 0

def test_save_as_is_refused_for_a_folder(folder):
    from budget_tui.files.save import SaveError

    session = Session.open(folder)
    line = session.budget.lines[0]
    session.set_amount(line.key, "+1")
    with pytest.raises(SaveError, match="single department file"):
        session.save(folder / "other.toml")

def test_a_changed_file_in_the_folder_refuses_the_save(folder):
    from budget_tui.files.save import SaveError

    session = Session.open(folder)
    assert not session.changed_on_disk()
    (folder / "changji-2020.toml").write_text(CHANGJI.read_text("utf-8") + "\n", "utf-8")
    assert session.changed_on_disk()
    key = LineKey(Kind.BASIC, None, session.budget.lines[0].fund, "2010301", "30101", 0)
    session.set_amount(key, "+1")
    with pytest.raises(SaveError, match="changed on disk"):
        session.save()


async def test_the_loading_screen_speaks_only_after_half_a_second(changji_copy, monkeypatch):
    opened, gate = Session.open, threading.Event()

    def slow_open(path):
        assert gate.wait(DEADLINE), "the test never let the load finish"
        return opened(path)

    now = [0.0]
    monkeypatch.setattr(Session, "open", staticmethod(slow_open))
    monkeypatch.setattr(LoadingScreen, "clock", staticmethod(lambda: now[0]))
    app = BudgetApp(None, path=changji_copy)  # a large single file goes this way too
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: isinstance(app.screen, LoadingScreen), "the loading screen")
        screen = app.screen
        message = screen.query_one("#loading-message")
        now[0] += PROGRESS_AFTER - 0.1
        screen.tick()
        assert not message.display
        now[0] += 0.2
        screen.tick()
        assert message.display and "Reading" in str(message.render())
        gate.set()
        await until(pilot, lambda: isinstance(app.screen, BudgetScreen), "the budget screen")
        await until(pilot, lambda: "合计 1695.33 万元" in status(app), "the status line's total")
