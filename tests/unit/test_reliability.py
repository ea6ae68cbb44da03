"""Nothing lost: the edit lock, the crash journal, and saves killed at random moments."""

import errno
import json
import os
import random
import signal
import subprocess
import sys
import time
from decimal import Decimal

import pytest

from budget_tui.core.editing import Editor
from budget_tui.core.model import Line
from budget_tui.files import atomic as atomic_module
from budget_tui.files.fileformat import load
from budget_tui.files.journal import Journal
from budget_tui.files.lock import EditLock, LockHeld, side_file
from budget_tui.files.save import SaveError, save


def test_a_second_editor_is_told_who_holds_the_file(changji_copy):
    first = EditLock(changji_copy)
    first.acquire()
    try:
        with pytest.raises(LockHeld) as caught:
            EditLock(changji_copy).acquire()
        holder = caught.value.holder
        assert holder is not None and holder.pid == os.getpid()
        assert f"is being edited by {holder.user}@{holder.host} (process {os.getpid()}) since " in str(caught.value)
    finally:
        first.release()
    with EditLock(changji_copy) as again:
        assert again.held
    assert not side_file(changji_copy, "lock").exists()


def test_the_lock_outlives_a_save_that_replaces_the_file(changji_copy):
    with EditLock(changji_copy):
        budget = load(changji_copy)
        editor = Editor(budget)
        editor.set_amount(budget.lines[0].key, Decimal("1.00"))
        save(budget, editor.changes())
        with pytest.raises(LockHeld):
            EditLock(changji_copy).acquire()


def test_the_lock_of_a_killed_process_is_free(changji_copy):
    code = (
        "import sys, time\n"
        "from budget_tui.files.lock import EditLock\n"
        "EditLock(sys.argv[1]).acquire()\n"
        "print('locked', flush=True)\n"
        "time.sleep(60)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", code, str(changji_copy)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "locked"
        with pytest.raises(LockHeld) as caught:
            EditLock(changji_copy).acquire()
        assert caught.value.holder.pid == child.pid
    finally:
        child.kill()
        child.wait()
    with EditLock(changji_copy) as lock:
        assert lock.held


def test_journal_replays_the_edits_of_a_session_that_died(changji_copy):
    data = changji_copy.read_bytes()
    budget = load(changji_copy)
    editor = Editor(budget)
    journal = Journal(changji_copy)
    editor.listeners.append(lambda change: journal.record(change, data))
    key = next(l.key for l in budget.lines if l.economic == "30101")
    editor.set_amount(key, Decimal("340.00"))
    editor.add_line(Line("2010301", "30215", Decimal("2.50")))
    editor.delete_line(next(l.key for l in budget.lines if l.economic == "30314"))
    editor.set_amount(key, Decimal("341.00"))
    editor.undo()  # recorded as the inverse change
    expected = {(l.key, l.amount) for l in budget.lines}
    # The process dies here: nothing saved. The next session recovers from the journal.
    with open(journal.path, "a", encoding="utf-8") as torn:
        torn.write('{"before": {"functio')  # a crash in the middle of a write
    recovered = Journal(changji_copy).recover(changji_copy.read_bytes())
    assert recovered is not None and recovered.matches_file and len(recovered.changes) == 5
    fresh = load(changji_copy)
    replayer = Editor(fresh)
    for change in recovered.changes:
        replayer.replay(change)
    assert {(l.key, l.amount) for l in fresh.lines} == expected
    save(fresh, replayer.changes())
    Journal(changji_copy).discard()
    assert not journal.path.exists()
    assert "30101 = 340.00  # 基本工资" in changji_copy.read_text("utf-8")


def test_journal_knows_when_the_file_changed_since(changji_copy):
    journal = Journal(changji_copy)
    budget = load(changji_copy)
    journal.record(Editor(budget).set_amount(budget.lines[0].key, Decimal("1.00")), changji_copy.read_bytes())
    changji_copy.write_bytes(changji_copy.read_bytes() + b"\n")
    recovered = Journal(changji_copy).recover(changji_copy.read_bytes())
    assert recovered is not None and not recovered.matches_file
    first = json.loads(journal.path.read_text("utf-8").splitlines()[0])
    assert first["journal"] == 2  # version 2: every entry names its file and the sha256 of its bytes


KILLER = """
import sys
from decimal import Decimal
from budget_tui.core.editing import Editor
from budget_tui.files.fileformat import load
from budget_tui.files.save import save
path = sys.argv[1]
print("ready", flush=True)
while True:
    budget = load(path)
    editor = Editor(budget)
    line = budget.lines[0]
    editor.set_amount(line.key, Decimal("1.00") if line.amount != Decimal("1.00") else Decimal("335.04"))
    save(budget, editor.changes())
"""


def test_a_save_killed_at_any_moment_leaves_the_old_or_the_new_file(changji_copy):
    old = changji_copy.read_bytes()
    new = old.replace(b"30101 = 335.04", b"30101 = 1.00", 1)
    rng = random.Random(20201)
    for _ in range(25):
        child = subprocess.Popen([sys.executable, "-c", KILLER, str(changji_copy)], stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline().strip() == "ready"
        time.sleep(rng.uniform(0.0, 0.25))
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert changji_copy.read_bytes() in (old, new)
        assert load(changji_copy).total() in (Decimal("1695.33"), Decimal("1695.33") - Decimal("334.04"))


def test_full_disk_and_read_only_file_keep_the_edits(changji_copy, monkeypatch):
    budget = load(changji_copy)
    editor = Editor(budget)
    editor.set_amount(budget.lines[0].key, Decimal("1.00"))
    before = changji_copy.read_bytes()

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic_module.tempfile, "mkstemp", full)
    with pytest.raises(SaveError, match="cannot write .*: No space left on device; the edits are kept"):
        save(budget, editor.changes())
    monkeypatch.undo()

    def read_only(*args, **kwargs):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr(atomic_module.os, "replace", read_only)
    with pytest.raises(SaveError, match="cannot write .*: Permission denied; the edits are kept"):
        save(budget, editor.changes())
    monkeypatch.undo()
    assert changji_copy.read_bytes() == before
    assert editor.dirty
    assert not list(changji_copy.parent.glob(".*.tmp"))
    save(budget, editor.changes())
    assert "30101 = 1.00" in changji_copy.read_text("utf-8")
