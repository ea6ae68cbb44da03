"""Racing saves: the change-on-disk check and the rename are one critical section across processes.

Several processes load the same file (a folder session, a single-file session, one through a symlink, the
save() function itself: none of them holds the edit lock, as with --force), each edits its own line, and a barrier
releases their saves at the same moment. In every round exactly one is told "saved", the file holds exactly its
edit, and every other one is told the file changed on disk and keeps its edit.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import stat
import threading
from decimal import Decimal
from pathlib import Path

import pytest

import budget_tui.files.atomic as atomic_module
from budget_tui.core.editing import Editor
from budget_tui.files.fileformat import load
from budget_tui.files.lock import EditLock, side_file
from budget_tui.files.save import Fingerprint, SaveError, save
from budget_tui.session import Session

ROUNDS = 40
WAIT = 120  # seconds: a generous deadline for a busy 2-core machine, never a fixed sleep

BUDGET = """\
[department]
name = "测试局"
year = 2020

[basic.2010301]
30101 = 10.00  # 基本工资
30102 = 20.00  # 津贴补贴
30103 = 30.00  # 奖金
30199 = 40.00  # 其他工资福利支出
"""
CODES = ["30101", "30102", "30103", "30199"]
ORIGINAL = {"30101": Decimal("10.00"), "30102": Decimal("20.00"), "30103": Decimal("30.00"), "30199": Decimal("40.00")}


def _amount(racer: int, round_: int) -> Decimal:
    """A value nobody else writes: whose edit is on disk is plain from the file."""
    return Decimal(1000 * (racer + 1) + round_) + Decimal("0.25")


def _racer(racer: int, how: str, path: str, barrier, results) -> None:
    """Each round: load, edit its own line, wait for everybody, save, and report what it was told."""
    code = CODES[racer]
    for round_ in range(ROUNDS):
        barrier.wait(WAIT)  # the file of this round is written
        amount = _amount(racer, round_)
        try:
            if how == "function":
                budget = load(Path(path))
                editor = Editor(budget)
                fingerprint = Fingerprint.of(Path(path), budget.sources[0].data)
                key = next(line.key for line in budget.lines if line.economic == code)
                editor.set_amount(key, amount)
                barrier.wait(WAIT)  # everybody has loaded: save at once
                try:
                    save(budget, editor.changes(), fingerprint)
                    editor.mark_saved()
                    results.put((round_, racer, "saved", None))
                except SaveError as error:
                    results.put((round_, racer, "refused", (str(error), editor.dirty)))
            else:
                session = Session.open(Path(path))
                key = next(line.key for line in session.budget.lines if line.economic == code)
                session.set_amount(key, str(amount))
                barrier.wait(WAIT)
                try:
                    session.save()
                    results.put((round_, racer, "saved", None))
                except SaveError as error:
                    results.put((round_, racer, "refused", (str(error), session.dirty)))
        except Exception as error:  # noqa: BLE001 - reported to the test, which fails with it
            results.put((round_, racer, "crashed", repr(error)))
            barrier.abort()
            return


def _race(tmp_path: Path, racers: list[tuple[str, Path]], target: Path) -> None:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(racers) + 1)
    results = context.Queue()
    target.write_text(BUDGET, "utf-8")
    processes = [
        context.Process(target=_racer, args=(index, how, str(path), barrier, results), daemon=True)
        for index, (how, path) in enumerate(racers)
    ]
    for process in processes:
        process.start()
    try:
        winners_seen = set()
        for round_ in range(ROUNDS):
            target.write_text(BUDGET, "utf-8")
            try:
                barrier.wait(WAIT)  # let them load
                barrier.wait(WAIT)  # let them save
            except threading.BrokenBarrierError:
                pytest.fail(f"round {round_}: a racer failed: {results.get(timeout=WAIT)}")
            told = {}
            for _ in racers:
                got_round, racer, outcome, detail = results.get(timeout=WAIT)
                assert outcome != "crashed", detail
                assert got_round == round_
                told[racer] = (outcome, detail)
            winners = [racer for racer, (outcome, _) in told.items() if outcome == "saved"]
            assert len(winners) == 1, f"round {round_}: told saved: {winners}"
            on_disk = {line.economic: line.amount for line in load(target).lines}
            for racer, (outcome, detail) in told.items():
                code = CODES[racer]
                if outcome == "saved":
                    assert on_disk[code] == _amount(racer, round_), f"round {round_}: racer {racer} was told saved"
                else:
                    message, still_dirty = detail
                    assert "changed on disk since it was loaded" in message
                    assert still_dirty, "the loser keeps its edits"
                    assert on_disk[code] == ORIGINAL[code], f"round {round_}: a refused edit reached the file"
            winners_seen.update(winners)
        assert not [name for name in os.listdir(target.parent) if name.endswith((".tmp", ".budget-tui.save"))]
    finally:
        barrier.abort()  # a failed round must not leave the racers waiting for the next one
        for process in processes:
            process.join(timeout=WAIT)
            if process.is_alive():
                process.kill()
    assert all(process.exitcode == 0 for process in processes)


def test_forced_sessions_racing_to_save_lose_no_edit(tmp_path):
    """Three single-file sessions without the edit lock (as --force), one through a symlink, and the save function."""
    target = tmp_path / "b.toml"
    link_folder = tmp_path / "elsewhere"
    link_folder.mkdir()
    (link_folder / "link.toml").symlink_to(target)
    _race(tmp_path, [("session", target), ("session", link_folder / "link.toml"), ("function", target)], target)


def test_a_folder_session_and_a_file_session_racing_lose_no_edit(tmp_path):
    """The folder's session and a session on one of its files: two edit locks that do not see each other."""
    folder = tmp_path / "F"
    folder.mkdir()
    (folder / "a.toml").write_text('[department]\nname = "甲局"\nyear = 2020\n\n[basic.2010302]\n30201 = 5.00\n', "utf-8")
    target = folder / "c.toml"
    _race(tmp_path, [("session", folder), ("session", target)], target)


def _edited(path: Path):
    budget = load(path)
    editor = Editor(budget)
    editor.set_amount(budget.lines[0].key, Decimal("1.00"))
    return budget, editor, Fingerprint.of(path, budget.sources[0].data)


def test_the_save_lock_is_not_the_edit_lock_and_leaves_nothing_behind(tmp_path):
    """The first editor holds the edit lock all along; its saves and those of a forced session both go through."""
    path = tmp_path / "b.toml"
    path.write_text(BUDGET, "utf-8")
    with EditLock(path):
        budget, editor, fingerprint = _edited(path)
        save(budget, editor.changes(), fingerprint)
        forced = Session.open(path)
        forced.set_amount(next(line.key for line in forced.budget.lines if line.economic == "30102"), "21")
        forced.save()
        assert side_file(path, "lock").exists()
    on_disk = {line.economic: line.amount for line in load(path).lines}
    assert (on_disk["30101"], on_disk["30102"]) == (Decimal("1.00"), Decimal("21.00"))
    assert sorted(os.listdir(tmp_path)) == ["b.toml"]


def test_a_save_waits_for_the_save_lock_and_gives_up_with_a_message(tmp_path, monkeypatch):
    """While another process holds the save lock (a save in progress), the save is refused in the end, not hung."""
    path = tmp_path / "b.toml"
    path.write_text(BUDGET, "utf-8")
    before = path.read_bytes()
    budget, editor, fingerprint = _edited(path)
    monkeypatch.setattr(atomic_module, "SAVE_LOCK_WAIT", 0.3)
    holder = os.open(side_file(path, "save"), os.O_RDONLY | os.O_CREAT, 0o644)
    try:
        fcntl.flock(holder, fcntl.LOCK_EX)
        with pytest.raises(SaveError, match=r"another save of .*b\.toml has not finished .*try again"):
            save(budget, editor.changes(), fingerprint)
    finally:
        os.close(holder)
    assert path.read_bytes() == before and editor.dirty
    save(budget, editor.changes(), fingerprint)  # the lock is free again: the same edits go through
    assert "30101 = 1.00" in path.read_text("utf-8")


@pytest.mark.parametrize("kind", ["symlink", "dangling symlink", "directory", "fifo"])
def test_a_save_lock_side_file_that_is_not_a_regular_file_is_refused(tmp_path, kind):
    """Never followed, never opened for writing, never waited on: the save is refused and names the side file."""
    path = tmp_path / "b.toml"
    path.write_text(BUDGET, "utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"another user's file\n")
    os.chmod(victim, 0o600)
    side = side_file(path, "save")
    if kind == "symlink":
        side.symlink_to(victim)
    elif kind == "dangling symlink":
        side.symlink_to(tmp_path / "nowhere")
    elif kind == "directory":
        side.mkdir()
    else:
        os.mkfifo(side)
    before = path.read_bytes()
    budget, editor, fingerprint = _edited(path)
    with pytest.raises(SaveError, match=r"budget-tui\.save (is a symbolic link|is not a regular file).*remove it"):
        save(budget, editor.changes(), fingerprint)
    assert path.read_bytes() == before and editor.dirty
    assert victim.read_bytes() == b"another user's file\n" and stat.S_IMODE(victim.stat().st_mode) == 0o600
    assert not (tmp_path / "nowhere").exists()
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]


def test_a_save_lock_left_by_a_killed_save_is_taken_and_removed(tmp_path):
    """SIGKILL during a save leaves the side file (the kernel drops its flock): the next save uses it and removes it."""
    path = tmp_path / "b.toml"
    path.write_text(BUDGET, "utf-8")
    left = side_file(path, "save")
    left.write_bytes(b"")
    os.chmod(left, 0o600)
    budget, editor, fingerprint = _edited(path)
    save(budget, editor.changes(), fingerprint)
    assert "30101 = 1.00" in path.read_text("utf-8")
    assert sorted(os.listdir(tmp_path)) == ["b.toml"]


def test_a_file_system_without_flock_still_saves(tmp_path, monkeypatch):
    """Some network file systems answer flock with ENOLCK: the save still works, unserialised (not guaranteed)."""
    import errno

    def no_locks(*args):
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    path = tmp_path / "b.toml"
    path.write_text(BUDGET, "utf-8")
    budget, editor, fingerprint = _edited(path)
    monkeypatch.setattr(atomic_module.fcntl, "flock", no_locks)
    save(budget, editor.changes(), fingerprint)
    assert "30101 = 1.00" in path.read_text("utf-8")
    assert sorted(os.listdir(tmp_path)) == ["b.toml"]
