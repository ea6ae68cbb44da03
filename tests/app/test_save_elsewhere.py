"""Issue 12 item 7: a folder the user cannot write.

There is no lock and no journal there, and the app says so at open. A save that fails (read-only folder or file,
full disk) keeps the edits and offers save-as to a place the user can write, for a single file and for a folder of
department files (saved as a new folder); nothing is lost on the way.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

import pytest

from budget_tui.app.screens.budget import BudgetScreen
from budget_tui.app.screens.dialogs import FormScreen, SaveFailedScreen
from budget_tui.files.fileformat import load
from budget_tui.files.lock import side_file
from budget_tui.files.save import SaveError
from budget_tui.session import Session
from budget_tui.session import saving as session_module
from tests.app import waiting
from tests.app.test_app import SIZE, make_app, messages, search, status, type_text
from tests.app.waiting import until
from tests.conftest import CHANGJI, SYNTHETIC

SYNTHETIC_2020 = SYNTHETIC.read_text("utf-8").replace("\nyear = 2021\n", "\nyear = 2020\n", 1)
DEADLINE = 60.0


async def wait_until(pilot, condition, what: str) -> None:
    """Let the app run until condition() holds; fail after a generous deadline (the save runs in a thread)."""
    await until(pilot, condition, what, DEADLINE)


def failing_in_place(original_save, where: Path):
    """save() as when the file's folder cannot be written: a save to any file below where fails, others work."""

    def save(budget, changes, fingerprint=None, path=None, notes=None):
        targets = [Path(path)] if path is not None else [source.path for source in budget.sources]
        if any(target.resolve().is_relative_to(where.resolve()) for target in targets):
            raise SaveError(f"cannot write {targets[0]}: Permission denied; the edits are kept")
        return original_save(budget, changes, fingerprint, path, notes)

    return save


async def edit_30101(pilot, typed: str = "340") -> None:
    await search(pilot, "30101")
    await pilot.press("e")
    await type_text(pilot, typed)
    await pilot.press("enter")
    await pilot.pause()


async def test_a_failed_save_offers_save_as_and_the_edits_land_there_intact(tmp_path, monkeypatch):
    shut = tmp_path / "shut"
    shut.mkdir()
    original = shut / "changji-2020.toml"
    shutil.copy(CHANGJI, original)
    monkeypatch.setattr(session_module, "save", failing_in_place(session_module.save, shut))
    elsewhere = tmp_path / "elsewhere.toml"
    app = make_app(original)
    async with app.run_test(size=SIZE) as pilot:
        await edit_30101(pilot)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveFailedScreen), "the failed-save dialog")
        assert app.screen.message == f"cannot write {original}: Permission denied; the edits are kept"
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, FormScreen) and app.screen.title_text == "The save failed. Save your edits as:"
        app.screen.query_one("Input").value = str(elsewhere)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, BudgetScreen), "the save-as")
        assert f"Saved as {elsewhere}" in messages(app)
        assert "unsaved" not in status(app) and "elsewhere.toml" in status(app)
        assert app.session.path == elsewhere and app.session.lock is not None
        await edit_30101(pilot, "341")  # the session goes on with the new file, journaled beside it
        assert side_file(elsewhere, "journal").exists()
    assert original.read_bytes() == CHANGJI.read_bytes()
    text = elsewhere.read_text("utf-8")
    assert text == CHANGJI.read_text("utf-8").replace("30101 = 335.04", "30101 = 340.00")


async def test_cancelling_the_offer_keeps_the_edits_and_a_second_try_offers_again(tmp_path, monkeypatch):
    shut = tmp_path / "shut"
    shut.mkdir()
    original = shut / "changji-2020.toml"
    shutil.copy(CHANGJI, original)
    monkeypatch.setattr(session_module, "save", failing_in_place(session_module.save, shut))
    app = make_app(original)
    async with app.run_test(size=SIZE) as pilot:
        await edit_30101(pilot)
        for _ in range(2):
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: isinstance(app.screen, SaveFailedScreen), "the failed-save dialog")
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, BudgetScreen) and app.session.dirty
            assert messages(app)[-1] == "Not saved: the edits are kept in this session (ctrl+s tries again)."
        assert "合计 1700.29 万元" in status(app)
        assert side_file(original, "journal").exists()


async def test_a_folder_that_cannot_be_saved_is_saved_as_a_new_folder(tmp_path, monkeypatch):
    folder = tmp_path / "F"
    folder.mkdir()
    shutil.copy(CHANGJI, folder / "a.toml")
    (folder / "sub").mkdir()
    (folder / "sub" / "c.toml").write_text(SYNTHETIC_2020, "utf-8")
    monkeypatch.setattr(session_module, "save", failing_in_place(session_module.save, folder))
    monkeypatch.setenv("HOME", str(tmp_path))
    target = tmp_path / "F-mine"
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await edit_30101(pilot)  # 30101 of the first department, a.toml
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, SaveFailedScreen), "the failed-save dialog")
        await pilot.press("s")
        await pilot.pause()
        assert app.screen.title_text == "The save failed. Save your edits as a new folder:"
        assert app.screen.query_one("Input").value == str(tmp_path / "F-edited")
        app.screen.query_one("Input").value = str(target)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, BudgetScreen), "the save-as")
        assert not app.session.dirty and app.session.path == target
        assert [source.path for source in app.session.budget.sources] == [target / "a.toml", target / "sub" / "c.toml"]
    assert (folder / "a.toml").read_bytes() == CHANGJI.read_bytes()
    assert (target / "a.toml").read_text("utf-8") == CHANGJI.read_text("utf-8").replace("30101 = 335.04", "30101 = 340.00")
    assert (target / "sub" / "c.toml").read_text("utf-8") == SYNTHETIC_2020
    assert load(target).total() == load(folder).total() + Decimal("340.00") - Decimal("335.04")


def test_save_folder_as_refuses_what_it_cannot_do_and_leaves_nothing_behind(tmp_path, monkeypatch):
    folder = tmp_path / "F"
    folder.mkdir()
    shutil.copy(CHANGJI, folder / "a.toml")
    (folder / "c.toml").write_text(SYNTHETIC_2020, "utf-8")
    session = Session.open(folder)
    session.set_amount(session.budget.lines[0].key, "+1")
    (tmp_path / "taken").mkdir()
    for target, message in (
        (tmp_path / "taken", "already exists"),
        (folder / "inside", "is inside"),
        (tmp_path / "no" / "such" / "parent", "cannot create"),
    ):
        with pytest.raises(SaveError, match=message):
            session.save_folder_as(target)
    real = session_module.save

    def failing(*args, **kwargs):
        raise SaveError("the new text would not read back; nothing was written")

    monkeypatch.setattr(session_module, "save", failing)
    with pytest.raises(SaveError, match="would not read back"):
        session.save_folder_as(tmp_path / "new")
    assert not (tmp_path / "new").exists()
    assert [source.path for source in session.budget.sources] == [folder / "a.toml", folder / "c.toml"]
    monkeypatch.setattr(session_module, "save", real)
    assert session.dirty
    session.save()  # still the folder's own save, unchanged by the failed save-as
    assert not session.dirty


# -- for real: a non-root user and a folder made read-only with chmod ----------------------------

SCRIPT = r"""
import asyncio, json, sys
from pathlib import Path
from budget_tui.app.app import BudgetApp
from budget_tui.app.screens.budget import BudgetScreen
from budget_tui.app.screens.dialogs import FormScreen, SaveFailedScreen
from budget_tui.session import Session

path, target = Path(sys.argv[1]), Path(sys.argv[2])
report = {}

async def main():
    app = BudgetApp(Session.open(path))
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, BudgetScreen), "the budget")
        await until(pilot, lambda: any(m.startswith("No crash journal") for m in app.shown_messages), "the journal warning")
        report["at_open"] = list(app.shown_messages)
        await pilot.press("slash", *"30101", "enter", "e", *"340", "enter")
        await until(pilot, lambda: app.session.dirty, "the edit")
        report["dirty"] = app.session.dirty
        await pilot.press("ctrl+s")
        await until(pilot, lambda: isinstance(app.screen, SaveFailedScreen), "the failed save's dialog")
        report["dialog"] = type(app.screen).__name__
        report["failure"] = getattr(app.screen, "message", None)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the save-as form")
        report["suggested"] = app.screen.query_one("Input").value
        app.screen.query_one("Input").value = str(target)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, BudgetScreen) and any(m.startswith("Saved as") for m in app.shown_messages), "the save-as")
        report["after"] = list(app.shown_messages)[-1]
        report["dirty_after"] = app.session.dirty
        report["path_after"] = str(app.session.path)

asyncio.run(main())
print(json.dumps(report, ensure_ascii=False))
"""
AS_NOBODY = Path(waiting.__file__).read_text("utf-8") + SCRIPT
"""The script run as uid 65534. It waits through the very source of tests/app/waiting.py (`until`), put in front of it
rather than imported: it runs from a folder under /tmp as another user, where the `tests` package is not on the path
(and the repository may not be readable by that user), so its only import is budget_tui, installed for every user."""


@pytest.fixture
def shared(request):
    """A folder under /tmp that uid 65534 may reach, removed afterwards; skipped when no other user can be used."""
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        reason = "needs root and setpriv to run as a second, non-root user"
        print(f"skipped: {reason}")
        pytest.skip(reason)
    base = Path(tempfile.mkdtemp(dir="/tmp", prefix="budget-tui-ro-"))
    base.chmod(0o777)
    yield base
    for folder, _, _ in os.walk(base):
        os.chmod(folder, 0o777)
    shutil.rmtree(base)


def run_as_nobody(base: Path, path: Path, target: Path) -> dict:
    home = base / "home"
    home.mkdir(mode=0o777)
    home.chmod(0o777)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(home), "TERM": "xterm-256color", "LANG": "C.UTF-8"}
    command = ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", sys.executable, "-c", AS_NOBODY, str(path), str(target)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=str(base), timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("shape", ["file", "folder"])
def test_a_read_only_folder_as_a_non_root_user(shared, shape):
    read_only = shared / "ro"
    read_only.mkdir()
    if shape == "file":
        path = read_only / "changji-2020.toml"
        shutil.copy(CHANGJI, path)
    else:
        path = read_only / "F"
        path.mkdir()
        shutil.copy(CHANGJI, path / "a.toml")
        (path / "c.toml").write_text(SYNTHETIC_2020, "utf-8")
    for folder, _, files in os.walk(read_only):
        for name in files:
            os.chmod(os.path.join(folder, name), 0o644)
        os.chmod(folder, 0o555)
    target = shared / "home" / ("mine.toml" if shape == "file" else "mine")
    report = run_as_nobody(shared, path, target)

    lock_place = read_only
    assert any(message.startswith(f"No crash journal: {lock_place} cannot be written (Permission denied)") for message in report["at_open"])
    assert report["dirty"] and report["dialog"] == "SaveFailedScreen"
    assert "Permission denied; the edits are kept" in report["failure"]
    name = "changji-2020-edited.toml" if shape == "file" else "F-edited"
    assert report["suggested"] == str(shared / "home" / name)  # a place the user can write
    assert report["after"] == f"Saved as {target}" and not report["dirty_after"] and report["path_after"] == str(target)
    edited = CHANGJI.read_text("utf-8").replace("30101 = 335.04", "30101 = 340.00")
    if shape == "file":
        assert target.read_text("utf-8") == edited
        assert path.read_bytes() == CHANGJI.read_bytes()
    else:
        assert (target / "a.toml").read_text("utf-8") == edited
        assert (target / "c.toml").read_text("utf-8") == SYNTHETIC_2020
        assert (path / "a.toml").read_bytes() == CHANGJI.read_bytes()
    assert not any(name.startswith(".") for name in os.listdir(read_only))  # no lock, no journal, no temp file
