"""Session.dirty answers the first paint without indexing every line, and still tells every change."""

import shutil
from pathlib import Path

from budget_tui.session import Session

ROOT = Path(__file__).resolve().parents[2]


def test_a_session_just_opened_is_clean_without_indexing_its_lines(tmp_path):
    path = tmp_path / "b.toml"
    shutil.copy(ROOT / "data" / "synthetic-2021.toml", path)
    session = Session.open(path)
    assert not session.dirty
    assert session.editor._index is None  # the first paint did not index every line


def test_dirty_follows_edits_undo_redo_and_saves(tmp_path):
    path = tmp_path / "b.toml"
    shutil.copy(ROOT / "data" / "changji-2020.toml", path)
    session = Session.open(path)
    key = session.budget.lines[0].key
    session.set_amount(key, "+1")
    assert session.dirty
    session.undo()
    assert not session.dirty
    session.redo()
    assert session.dirty
    session.save()
    assert not session.dirty
    session.set_amount(key, "-1")
    session.set_amount(key, "+1")
    assert not session.dirty  # back to the saved amount: nothing to save
