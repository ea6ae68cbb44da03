"""Issue 12 item 1: a journal entry names its file by path and the sha256 of the bytes it was made against.

After a crash, files may be added to the folder, removed, renamed or changed before the next session replays the
journal. An entry is replayed into the file it names, and only while that file still holds those bytes; any other
entry is shown and refused, never applied to another file.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from budget_tui.app.screens.budget import BudgetScreen
from budget_tui.app.screens.dialogs import RecoverScreen
from budget_tui.core.editing import Editor
from budget_tui.core.model import Line
from budget_tui.files.fileformat import load
from budget_tui.files.journal import Journal
from budget_tui.files.lock import side_file
from budget_tui.session import Session
from tests.app.test_app import SIZE, make_app, messages, status
from tests.conftest import CHANGJI, SYNTHETIC

SYNTHETIC_2020 = SYNTHETIC.read_text("utf-8").replace("\nyear = 2021\n", "\nyear = 2020\n", 1)


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """F/{a,c}.toml: a is the Changji office, c the synthetic education bureau (year 2020)."""
    root = tmp_path / "F"
    root.mkdir()
    shutil.copy(CHANGJI, root / "a.toml")
    (root / "c.toml").write_text(SYNTHETIC_2020, "utf-8")
    return root


def first_line(session: Session, name: str, economic: str | None = None) -> Line:
    """The first line of the named file of the session's folder (with that economic code, when given)."""
    origin = next(i for i, source in enumerate(session.budget.sources) if source.path.name == name)
    return next(line for line in session.budget.lines if line.origin == origin and economic in (None, line.economic))


def crash_with_folder_edits(folder: Path, files=("c.toml",)) -> dict[str, tuple[Line, Decimal]]:
    """A session edits one line of each named file and adds a line to it, then dies (the journal stays)."""
    session = Session.open(folder)
    assert session.take_lock() is None and session.recover() is None
    edited = {}
    for name in files:
        line = first_line(session, name)
        session.set_amount(line.key, str(line.amount + Decimal("7.00")))
        added = Line(line.functional, "30239", Decimal("1.25"), line.kind, line.fund, line.project, origin=line.origin)
        session.add_line(added)
        edited[name] = (line, line.amount + Decimal("7.00"))
    session.close()  # the process dies: nothing saved, the lock goes with it, the journal stays
    return edited


def amounts(path: Path) -> dict[tuple, Decimal]:
    """(kind, project, fund, functional, economic) → amount of each line of one file."""
    return {line.key[:5]: line.amount for line in load(path).lines}


def replay_and_save(folder: Path):
    """A new session replays what it may and saves; returns the Recovered and the lines not replayed."""
    session = Session.open(folder)
    assert session.take_lock() is None
    recovered = session.recover()
    assert recovered is not None
    _, skipped = session.replay(recovered.changes)
    if session.dirty:
        session.save()
    session.close()
    return recovered, skipped


def test_a_file_added_before_the_edited_one_gets_nothing(folder):
    """The reported case: F/{a,c}, edits to c, b.toml appears (a copy of c, same lines), replay, save."""
    edited = crash_with_folder_edits(folder)
    (folder / "b.toml").write_text(SYNTHETIC_2020, "utf-8")
    recovered, skipped = replay_and_save(folder)
    assert (folder / "b.toml").read_text("utf-8") == SYNTHETIC_2020
    assert (folder / "a.toml").read_bytes() == CHANGJI.read_bytes()
    line, amount = edited["c.toml"]
    after = amounts(folder / "c.toml")
    assert after[line.key[:5]] == amount and after[line.key[:3] + (line.functional, "30239")] == Decimal("1.25")
    assert recovered.refused == [] and skipped == [] and len(recovered.changes) == 2


@pytest.mark.parametrize("new_name", ["0.toml", "b.toml", "sub/b.toml", "z.toml"])
def test_files_added_anywhere_in_the_folder(folder, new_name):
    edited = crash_with_folder_edits(folder, ("a.toml", "c.toml"))
    (folder / new_name).parent.mkdir(exist_ok=True)
    (folder / new_name).write_text(SYNTHETIC_2020, "utf-8")
    recovered, _ = replay_and_save(folder)
    assert recovered.refused == [] and len(recovered.changes) == 4
    assert (folder / new_name).read_text("utf-8") == SYNTHETIC_2020
    for name, (line, amount) in edited.items():
        assert amounts(folder / name)[line.key[:5]] == amount, name


def test_a_file_removed_before_the_edited_one(folder):
    edited = crash_with_folder_edits(folder)
    (folder / "a.toml").unlink()  # c moves from position 1 to 0
    recovered, _ = replay_and_save(folder)
    assert recovered.refused == [] and len(recovered.changes) == 2
    line, amount = edited["c.toml"]
    assert amounts(folder / "c.toml")[line.key[:5]] == amount


def test_the_edited_file_removed_its_entries_are_refused(folder):
    crash_with_folder_edits(folder)
    (folder / "c.toml").unlink()
    (folder / "b.toml").write_text(SYNTHETIC_2020, "utf-8")  # same lines as the gone c.toml, at its old position
    recovered, _ = replay_and_save(folder)
    assert recovered.changes == [] and [entry.reason for entry in recovered.refused] == ["c.toml is no longer there"] * 2
    assert recovered.refused[0].change is not None  # still shown as the edit it was
    assert (folder / "b.toml").read_text("utf-8") == SYNTHETIC_2020
    assert (folder / "a.toml").read_bytes() == CHANGJI.read_bytes()


def test_the_edited_file_renamed_its_entries_are_refused(folder):
    crash_with_folder_edits(folder)
    (folder / "c.toml").rename(folder / "d.toml")
    recovered, _ = replay_and_save(folder)
    assert recovered.changes == [] and {entry.reason for entry in recovered.refused} == {"c.toml is no longer there"}
    assert (folder / "d.toml").read_text("utf-8") == SYNTHETIC_2020


def test_two_files_swapping_names_get_nothing(folder):
    crash_with_folder_edits(folder, ("a.toml", "c.toml"))
    (folder / "a.toml").rename(folder / "x.toml")
    (folder / "c.toml").rename(folder / "a.toml")
    (folder / "x.toml").rename(folder / "c.toml")
    recovered, _ = replay_and_save(folder)
    assert recovered.changes == [] and {entry.reason for entry in recovered.refused} == {
        "a.toml changed since the edit was made",
        "c.toml changed since the edit was made",
    }
    assert (folder / "c.toml").read_bytes() == CHANGJI.read_bytes()
    assert (folder / "a.toml").read_text("utf-8") == SYNTHETIC_2020


def test_the_edited_file_changed_its_entries_are_refused_the_others_replayed(folder):
    edited = crash_with_folder_edits(folder, ("a.toml", "c.toml"))
    changed = SYNTHETIC_2020 + "\n# a colleague was here\n"
    (folder / "c.toml").write_text(changed, "utf-8")
    recovered, _ = replay_and_save(folder)
    assert len(recovered.changes) == 2 and {change.after.origin for change in recovered.changes} == {0}
    assert [(entry.file, entry.reason) for entry in recovered.refused] == [("c.toml", "c.toml changed since the edit was made")] * 2
    assert not recovered.matches_file
    assert (folder / "c.toml").read_text("utf-8") == changed
    line, amount = edited["a.toml"]
    assert amounts(folder / "a.toml")[line.key[:5]] == amount


def test_the_same_bytes_under_the_same_name_replay(folder):
    """A file rewritten with the very bytes it had (a copy, a checkout) is the file the edits were made to."""
    edited = crash_with_folder_edits(folder)
    data = (folder / "c.toml").read_bytes()
    (folder / "c.toml").unlink()
    (folder / "c.toml").write_bytes(data)
    recovered, _ = replay_and_save(folder)
    assert recovered.refused == [] and len(recovered.changes) == 2
    line, amount = edited["c.toml"]
    assert amounts(folder / "c.toml")[line.key[:5]] == amount


def test_entries_name_their_file_by_path_and_sha256(folder):
    crash_with_folder_edits(folder, ("a.toml", "c.toml"))
    rows = [json.loads(row) for row in side_file(folder, "journal").read_text("utf-8").splitlines()]
    assert rows[0] == {"journal": 2}
    import hashlib

    shas = {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in ("a.toml", "c.toml")}
    assert [(row["file"], row["sha256"]) for row in rows[1:]] == [(name, shas[name]) for name in ("a.toml", "a.toml", "c.toml", "c.toml")]


def test_a_file_name_that_is_not_utf8_is_journaled_and_replayed(folder):
    odd = os.fsdecode(b"caf\xe9.toml")  # a Latin-1 name on a UTF-8 system: a surrogate escape in Python
    (folder / "c.toml").rename(folder / odd)
    edited = crash_with_folder_edits(folder, (odd,))
    (folder / "b.toml").write_text(SYNTHETIC_2020, "utf-8")
    recovered, _ = replay_and_save(folder)
    assert recovered.refused == [] and len(recovered.changes) == 2
    line, amount = edited[odd]
    assert amounts(folder / odd)[line.key[:5]] == amount
    assert (folder / "b.toml").read_text("utf-8") == SYNTHETIC_2020


# -- a single file --------------------------------------------------------------------------------


def crash_single(path: Path) -> None:
    data = path.read_bytes()
    budget = load(path)
    editor = Editor(budget)
    journal = Journal(path)
    editor.listeners.append(lambda change: journal.record(change, data))
    editor.set_amount(next(line.key for line in budget.lines if line.economic == "30101"), Decimal("340.00"))
    editor.add_line(Line("2010301", "30215", Decimal("2.50")))


def test_a_single_file_unchanged_replays(changji_copy):
    crash_single(changji_copy)
    recovered = Journal(changji_copy).recover(changji_copy.read_bytes())
    assert recovered.refused == [] and len(recovered.changes) == 2
    assert all(row["file"] == "changji-2020.toml" for row in map(json.loads, side_file(changji_copy, "journal").read_text("utf-8").splitlines()[1:]))


@pytest.mark.parametrize("how", ["changed", "replaced by another budget", "replaced by the same text in CRLF"])
def test_a_single_file_changed_refuses_every_entry(changji_copy, how):
    crash_single(changji_copy)
    text = CHANGJI.read_text("utf-8")
    replacement = {
        "changed": text.replace("30101 = 335.04", "30101 = 336.00"),
        "replaced by another budget": SYNTHETIC_2020,
        "replaced by the same text in CRLF": text.replace("\n", "\r\n"),
    }[how]
    changji_copy.write_bytes(replacement.encode("utf-8"))
    session = Session.open(changji_copy)
    assert session.take_lock() is None
    recovered = session.recover()
    assert recovered.changes == [] and len(recovered.refused) == 2
    assert {entry.reason for entry in recovered.refused} == {"changji-2020.toml changed since the edit was made"}
    session.replay(recovered.changes)
    assert not session.dirty


def test_a_single_file_reached_through_a_symlink_is_the_same_file(changji_copy):
    crash_single(changji_copy)
    link = changji_copy.with_name("link.toml")
    link.symlink_to(changji_copy.name)
    session = Session.open(link)
    assert session.take_lock() is None
    recovered = session.recover()
    assert recovered.refused == [] and len(recovered.changes) == 2


def test_a_journal_of_the_earlier_version_replays_only_onto_the_very_same_files(folder):
    """Version 1 named files by position: its entries apply only while the files are exactly those it was made for."""
    import hashlib

    session = Session.open(folder)
    line = first_line(session, "c.toml")
    joined = b"".join(source.data for source in session.budget.sources)
    entry = {"before": {"functional": line.functional, "economic": line.economic, "amount": str(line.amount),
                        "kind": line.kind.value, "fund": line.fund.value, "project": line.project, "category": None,
                        "origin": 1}}
    entry["after"] = dict(entry["before"], amount="99.00")
    journal = side_file(folder, "journal")
    journal.write_text(json.dumps({"journal": 1, "base_sha256": hashlib.sha256(joined).hexdigest()}) + "\n"
                       + json.dumps(entry, ensure_ascii=False) + "\n", "utf-8")
    recovered = Journal(folder).recover([(s.path.name, s.data) for s in session.budget.sources])
    assert len(recovered.changes) == 1 and recovered.changes[0].after.origin == 1
    (folder / "b.toml").write_text(SYNTHETIC_2020, "utf-8")
    recovered, _ = replay_and_save(folder)
    assert recovered.changes == [] and len(recovered.refused) == 1
    assert (folder / "b.toml").read_text("utf-8") == SYNTHETIC_2020


# -- in the app ---------------------------------------------------------------------------------


async def test_the_app_shows_refused_entries_and_replays_the_others_into_their_own_file(folder):
    edited = crash_with_folder_edits(folder, ("a.toml", "c.toml"))
    (folder / "b.toml").write_text(SYNTHETIC_2020, "utf-8")
    changed = CHANGJI.read_text("utf-8") + "\n# changed by a colleague\n"
    (folder / "a.toml").write_text(changed, "utf-8")
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen)
        assert app.screen.title_text == "F: 4 unsaved edits from an earlier session that ended without saving:"
        assert len(app.screen.edits) == 2 and len(app.screen.refused) == 2
        assert all(text.endswith(": a.toml changed since the edit was made") for text in app.screen.refused)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, BudgetScreen)
        assert "Replayed 2 of 4 unsaved edits; save to keep them." in messages(app)
        aside = [message for message in messages(app) if message.startswith("The journal with the refused edits is kept as ")]
        assert len(aside) == 1
        kept = Path(aside[0].removeprefix("The journal with the refused edits is kept as ").removesuffix("."))
        assert kept.exists() and '"file": "a.toml"' in kept.read_text("utf-8")
        assert app.session.changed_files() == [folder / "c.toml"]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "unsaved" not in status(app)
    assert (folder / "a.toml").read_text("utf-8") == changed
    assert (folder / "b.toml").read_text("utf-8") == SYNTHETIC_2020
    line, amount = edited["c.toml"]
    assert amounts(folder / "c.toml")[line.key[:5]] == amount
    assert not side_file(folder, "journal").exists()


# -- end to end: a process killed, a colleague adds a file, a new session replays -----------------

EDITOR = """
import sys
from decimal import Decimal
from budget_tui.session import Session
from budget_tui.core.model import Line
session = Session.open(sys.argv[1])
assert session.take_lock() is None and session.recover() is None
line = next(line for line in session.budget.lines if session.budget.sources[line.origin].path.name == "c.toml" and line.economic == "30101")
session.set_amount(line.key, "+4.50")
session.add_line(Line(line.functional, "30239", Decimal("1.25"), line.kind, line.fund, line.project, origin=line.origin))
print("edited", line.functional, line.amount, flush=True)
sys.stdin.read()  # wait to be killed
"""


async def test_a_killed_session_then_a_new_file_then_replay_in_the_app(folder):
    child = subprocess.Popen([sys.executable, "-c", EDITOR, str(folder)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        reply = child.stdout.readline().split()
        assert reply[0] == "edited", reply
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    functional, amount = reply[1], Decimal(reply[2])
    (folder / "b.toml").write_text(SYNTHETIC_2020, "utf-8")  # a colleague adds a department
    app = make_app(folder)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen) and len(app.screen.edits) == 2 and not app.screen.refused
        await pilot.press("r")
        await pilot.pause()
        assert app.session.changed_files() == [folder / "c.toml"]
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not app.session.dirty
    assert (folder / "b.toml").read_text("utf-8") == SYNTHETIC_2020
    lines = amounts(folder / "c.toml")
    basic = next(key for key in lines if key[3:] == (functional, "30101"))
    assert lines[basic] == amount + Decimal("4.50") and lines[basic[:3] + (functional, "30239")] == Decimal("1.25")
