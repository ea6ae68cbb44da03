"""The app's problems panel, edit lock, crash journal and failures, driven through Pilot."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from budget_tui.app.app import BudgetApp
from budget_tui.app.screens.budget import BudgetScreen
from budget_tui.app.screens.dialogs import ChangedOnDiskScreen, LockedScreen, QuitScreen, RecoverScreen
from budget_tui.app.widgets.problems_panel import ProblemsPanel
from budget_tui.core.checks import check_budget
from budget_tui.core.editing import Editor
from budget_tui.core.model import Line
from budget_tui.files.fileformat import load
from budget_tui.files.journal import Journal
from budget_tui.files.lock import EditLock, side_file
from budget_tui.files.save import SaveError
from budget_tui.session import Session
from budget_tui.session import saving as session_module
from tests.app.test_app import SIZE, cursor_id, line_id, make_app, messages, search, status, type_text
from tests.app.waiting import DEADLINE, until

L30101 = line_id("2010301", "30101")
L31002 = line_id("2010301", "31002")


def journal_of(path: Path) -> Path:
    return side_file(path, "journal")


def journal_entries(path: Path) -> list[dict]:
    return [json.loads(row) for row in journal_of(path).read_text("utf-8").splitlines()]


def panel_of(app: BudgetApp) -> ProblemsPanel:
    return app.screen.query_one(ProblemsPanel)


def panel_rows(app: BudgetApp) -> list[str]:
    panel = panel_of(app)
    return [str(panel.get_option_at_index(index).prompt) for index in range(panel.option_count)]


async def edit_30101(pilot, typed: str = "+4.96") -> None:
    await search(pilot, "30101")
    await pilot.press("e")
    await type_text(pilot, typed)
    await pilot.press("enter")
    await pilot.pause()


@pytest.fixture
def with_31002(changji_copy: Path) -> Path:
    """Changji with a basic 31002 (neither 人员经费 nor 公用经费): a table6-columns error on a line of the tree."""
    text = changji_copy.read_text("utf-8").replace("30217 = 3.60    # 公务接待费\n", "30217 = 3.60    # 公务接待费\n31002 = 1.00\n")
    changji_copy.write_text(text, "utf-8")
    return changji_copy


@pytest.fixture
def with_stated(changji_copy: Path) -> Path:
    """Changji stating its 三公 total, 45.60 like the lines: changing 30217 makes the statement wrong."""
    changji_copy.write_text(changji_copy.read_text("utf-8") + "\n[stated]\nthree_public = 45.60\n", "utf-8")
    return changji_copy


# -- problems ---------------------------------------------------------------------------------


async def test_the_status_line_counts_the_problems_check_finds(changji_copy, with_31002):
    for path, expected in ((changji_copy, "1 warning (!)"), (with_31002, "1 error, 1 warning (!)")):
        problems = check_budget(load(path))
        app = make_app(path)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert expected in status(app)
            errors = sum(problem.is_error for problem in problems)
            assert (app.session.errors, app.session.warnings) == (errors, len(problems) - errors)


async def test_the_panel_lists_the_changji_warning_and_enter_names_its_line(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("exclamation_mark")
        panel = panel_of(app)
        assert panel.display and panel.has_focus
        assert panel_rows(app) == [
            "warning prior-missing  line 116  prior.staffing.retired (上年退休人数) is not given; "
            "the report will say it was not provided"
        ]
        before = cursor_id(app)
        await pilot.press("enter")
        await pilot.pause()
        assert not panel.display and app.screen.tree.has_focus
        assert cursor_id(app) == before
        assert "prior-missing concerns line 116 of changji-2020.toml, not a line of the tree: fix it in the file." in messages(app)
        await pilot.press("exclamation_mark")
        assert panel.display
        await pilot.press("exclamation_mark")
        assert not panel.display
        await pilot.press("exclamation_mark", "escape")
        assert not panel.display


async def test_enter_on_an_error_opens_the_way_to_its_line(with_31002):
    app = make_app(with_31002)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("exclamation_mark")
        rows = panel_rows(app)
        assert rows[0].startswith("error   table6-columns  line 76  2010301 行政运行 / 31002 办公设备购置 is 基本支出")
        assert rows[1].startswith("warning prior-missing  line 117")
        assert not app.screen.tree.rows_by_id.get(("f", "2010301"))
        await pilot.press("enter")
        await pilot.pause()
        assert cursor_id(app) == L31002
        assert not panel_of(app).display


async def test_problems_are_rechecked_after_every_change(with_stated):
    app = make_app(with_stated)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("exclamation_mark")
        assert "1 warning" in status(app) and len(panel_rows(app)) == 1
        await pilot.press("escape")
        await search(pilot, "30217")
        await pilot.press("e")
        await type_text(pilot, "5")
        await pilot.press("enter")
        await pilot.pause()
        assert "1 error, 1 warning" in status(app)
        await pilot.press("exclamation_mark")
        assert any("stated-mismatch" in row and "stated.three_public is 45.6万元" in row for row in panel_rows(app))
        await pilot.press("escape", "u")  # undo fixes it, the open panel follows
        await pilot.pause()
        assert "1 warning (!)" in status(app)
        await pilot.press("ctrl+r", "exclamation_mark")
        await pilot.pause()
        assert len(panel_rows(app)) == 2
        await pilot.press("escape")
        await pilot.press("d", "y")  # deleting the 30217 line keeps the statement wrong (45.6 against 42.0)
        await pilot.pause()
        assert "1 error, 1 warning" in status(app)


async def test_file_text_in_problems_is_never_markup(write_budget):
    path = write_budget(
        '[department]\nname = "局"\nyear = 2020\n\n[names]\n31002 = "[@click=app.quit]x[/]"\n\n'
        "[basic.2010301]\n31002 = 10.00\n"
    )
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("exclamation_mark", "G")
        assert panel_rows(app)[-1].startswith("error   table6-columns  line 9  2010301 行政运行 / 31002 [@click=app.quit]x[/] is")
        panel = panel_of(app)
        await pilot.click(ProblemsPanel, offset=(40, panel.size.height - 2))  # the last row; markup would quit here
        await pilot.pause()
        assert app.is_running
        assert cursor_id(app) == L31002


# -- the edit lock ------------------------------------------------------------------------------

HOLDER = (
    "import sys, time\n"
    "from budget_tui.files.lock import EditLock\n"
    "EditLock(sys.argv[1]).acquire()\n"
    "print('locked', flush=True)\n"
    "time.sleep(60)\n"
)


@pytest.fixture
def held(changji_copy):
    """Another process holding the edit lock of the copy."""
    child = subprocess.Popen([sys.executable, "-c", HOLDER, str(changji_copy)], stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "locked"
    yield child
    child.kill()
    child.wait()


async def test_a_file_held_by_another_budget_tui_opens_read_only(changji_copy, held):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LockedScreen)
        assert f"(process {held.pid}) since " in app.screen.message
        assert app.screen.message.startswith(f"{changji_copy} is being edited by ")
        await pilot.press("enter")  # the default: read-only
        await pilot.pause()
        assert isinstance(app.screen, BudgetScreen)
        assert "read-only" in status(app)
        for keys in (["e"], ["a"], ["d"], ["r"], ["u"], ["ctrl+r"], ["ctrl+s"]):
            await search(pilot, "30101")
            await pilot.press(*keys)
            await pilot.pause()
            assert isinstance(app.screen, BudgetScreen) and not app.screen.editing, keys
            assert messages(app)[-1].startswith("Read-only: changji-2020.toml is being edited by "), keys
        assert not app.session.dirty and not journal_of(changji_copy).exists()
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert side_file(changji_copy, "lock").exists()  # still the holder's


async def test_edit_anyway_when_the_user_insists(changji_copy, held):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        assert "read-only" not in status(app)
        await edit_30101(pilot)
        assert "合计 1700.29 万元" in status(app)
        assert not journal_of(changji_copy).exists()  # the journal is the holder's


async def test_force_edits_without_asking(changji_copy, held):
    app = BudgetApp(Session.open(changji_copy), force=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BudgetScreen)
        assert any("editing anyway (--force)" in message for message in messages(app))
        await edit_30101(pilot)
        assert "unsaved" in status(app)


async def test_the_lock_is_held_while_open_and_released_on_exit(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.session.lock is not None and side_file(changji_copy, "lock").exists()
        await pilot.press("q")
        await pilot.pause()
    assert not side_file(changji_copy, "lock").exists()
    with EditLock(changji_copy) as lock:
        assert lock.held


# -- the journal --------------------------------------------------------------------------------


async def test_every_change_is_journaled_and_a_save_removes_the_journal(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await edit_30101(pilot)
        entries = journal_entries(changji_copy)
        assert entries[0]["base_sha256"] == app.session.fingerprint.sha256
        assert (entries[1]["before"]["amount"], entries[1]["after"]["amount"]) == ("335.04", "340.00")
        await pilot.press("u")
        await pilot.pause()
        assert [entry["after"]["amount"] for entry in journal_entries(changji_copy)[1:]] == ["340.00", "335.04"]
        await pilot.press("ctrl+r", "ctrl+s")
        await pilot.pause()
        assert not journal_of(changji_copy).exists()
        await edit_30101(pilot, "1")  # a new journal, on the bytes just saved
        entries = journal_entries(changji_copy)
        assert len(entries) == 2 and entries[1]["before"]["amount"] == "340.00"
        assert entries[0]["base_sha256"] == app.session.fingerprint.sha256


async def test_quitting_removes_the_journal_once_the_edits_are_given_up(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await edit_30101(pilot)
        await pilot.press("q")
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("n")
        assert journal_of(changji_copy).exists()
        await pilot.press("q", "y")
        await pilot.pause()
        assert not app.is_running
    assert not journal_of(changji_copy).exists()


async def test_quitting_after_undoing_everything_removes_the_journal(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await edit_30101(pilot)
        await pilot.press("u", "q")
        await pilot.pause()
        assert not app.is_running
    assert not journal_of(changji_copy).exists()


def crash_with_edits(path: Path) -> None:
    """What a session that died leaves: a journal of three edits to the file's bytes and nothing saved."""
    data = path.read_bytes()
    budget = load(path)
    editor = Editor(budget)
    journal = Journal(path)
    editor.listeners.append(lambda change: journal.record(change, data))
    editor.set_amount(next(line.key for line in budget.lines if line.economic == "30101"), Decimal("340.00"))
    editor.add_line(Line("2010301", "30215", Decimal("2.50")))
    editor.delete_line(next(line.key for line in budget.lines if line.economic == "30314"))


async def test_the_edits_of_a_session_that_died_are_offered_and_replayed(changji_copy):
    crash_with_edits(changji_copy)
    deleted = next(line.amount for line in load(changji_copy).lines if line.economic == "30314")
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen)
        assert app.screen.edits == [
            "2010301 行政运行 / 30101 基本工资: 335.04 → 340.00",
            "2010301 行政运行 / 30215 会议费: new line 2.50",
            f"2010301 行政运行 / 30314 职工住宅取暖: {deleted} → deleted",
        ]
        assert not app.screen.warning
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, BudgetScreen)
        total = Decimal("1695.33") + Decimal("4.96") + Decimal("2.50") - deleted
        assert f"合计 {total} 万元" in status(app) and "unsaved" in status(app)
        assert "Replayed 3 of 3 unsaved edits; save to keep them." in messages(app)
        assert len(journal_entries(changji_copy)) == 4  # journaled anew
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not journal_of(changji_copy).exists()
    assert load(changji_copy).total() == total


async def test_discarding_the_edits_of_a_session_that_died(changji_copy):
    crash_with_edits(changji_copy)
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        assert "合计 1695.33 万元" in status(app) and not app.session.dirty
        assert not journal_of(changji_copy).exists()


async def test_ending_at_the_offer_keeps_the_journal(changji_copy):
    crash_with_edits(changji_copy)
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen)
        app.exit(0)
        await pilot.pause()
    assert len(journal_entries(changji_copy)) == 4


async def test_only_what_still_applies_is_replayed_when_the_file_changed(changji_copy):
    crash_with_edits(changji_copy)
    text = changji_copy.read_text("utf-8").replace("30101 = 335.04", "30101 = 336.00")
    changji_copy.write_text(text, "utf-8")
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen)
        # Issue 12: the file's bytes are not those the edits were made to, so none is replayed; all are shown.
        assert app.screen.edits == [] and len(app.screen.refused) == 3
        assert "3 of them (✗) cannot be replayed" in app.screen.warning
        assert app.screen.refused[0] == (
            "2010301 行政运行 / 30101 基本工资: 335.04 → 340.00: changji-2020.toml changed since the edit was made"
        )
        await pilot.press("r")
        await pilot.pause()
        assert "Replayed 0 of 3 unsaved edits; save to keep them." in messages(app)
        assert messages(app)[-1].startswith(
            "Refused, never replayed:\n"
            "2010301 行政运行 / 30101 基本工资: 335.04 → 340.00: changji-2020.toml changed since the edit was made\n"
        )
        assert app.session.editor.line(L30101[1]).amount == Decimal("336.00") and not app.session.dirty


# -- failures ---------------------------------------------------------------------------------


async def test_a_failed_save_says_why_and_keeps_the_edits_and_the_journal(changji_copy, monkeypatch):
    def full(*args, **kwargs):
        raise SaveError(f"cannot write {changji_copy}: No space left on device; the edits are kept")

    monkeypatch.setattr(session_module, "save", full)
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await edit_30101(pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert messages(app)[-1] == f"cannot write {changji_copy}: No space left on device; the edits are kept"
        await pilot.press("escape")  # the dialog that offers save-as (issue 12)
        assert "unsaved" in status(app) and "合计 1700.29 万元" in status(app)
        assert journal_entries(changji_copy)[1]["after"]["amount"] == "340.00"


async def test_reloading_a_file_that_is_now_broken_shows_the_error_and_keeps_the_edits(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await edit_30101(pilot)
        changji_copy.write_text("[department]\nname = \n", "utf-8")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, ChangedOnDiskScreen)
        await pilot.press("r")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, BudgetScreen)
        assert messages(app)[-1].startswith(f"Not reloaded, your edits are kept: {changji_copy}:2:")
        assert "unsaved" in status(app) and "合计 1700.29 万元" in status(app)
        assert journal_of(changji_copy).exists()


async def test_a_journal_that_cannot_be_written_is_reported_not_fatal(changji_copy, monkeypatch):
    def full(self, change, data):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Journal, "record", full)
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await edit_30101(pilot)
        assert "合计 1700.29 万元" in status(app)
        assert any("not journaled" in message and "save soon" in message for message in messages(app))


def test_the_new_keys_have_ids_and_descriptions():
    for cls in (LockedScreen, RecoverScreen, ProblemsPanel, BudgetScreen):
        for binding in cls.BINDINGS:
            assert binding.id and binding.description, (cls.__name__, binding)
    assert {"problems", "problem-go", "problem-close"} <= {binding.id for cls in (BudgetScreen, ProblemsPanel) for binding in cls.BINDINGS}


async def test_a_save_runs_off_the_ui_thread_and_no_change_starts_meanwhile(changji_copy, monkeypatch):
    import threading

    threads, real_save = [], session_module.save
    gate = threading.Event()

    def slow_save(*args, **kwargs):
        threads.append(threading.current_thread() is threading.main_thread())
        gate.wait(DEADLINE)
        return real_save(*args, **kwargs)

    monkeypatch.setattr(session_module, "save", slow_save)
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "30101")
        await pilot.press("e")
        await type_text(pilot, "+4.96")
        await pilot.press("enter")
        app.screen.run_worker(app.screen.action_save())  # as ctrl+s does, without waiting for it
        await until(pilot, lambda: threads, "the save to start")
        assert app.screen.saving and threads == [False]
        await pilot.press("u")  # refused while the save runs
        assert any("Saving" in text for text in messages(app))
        gate.set()
        await until(pilot, lambda: not app.screen.saving, "the save to end")
        assert not app.screen.session.dirty
    assert "30101 = 340.00  # 基本工资" in changji_copy.read_text("utf-8")
