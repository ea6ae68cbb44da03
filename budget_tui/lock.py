"""One editor at a time: an advisory lock on a side file that saves never replace.

The budget file itself cannot carry the lock: a save replaces it with a new inode, and a lock on
the old one stops protecting anything. The side file `.NAME.budget-tui.lock` beside it holds the
lock (flock, released by the kernel when the holder dies) and says who holds it and since when.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import getpass
import json
import os
import socket
from dataclasses import dataclass
from pathlib import Path

from budget_tui.safetext import OneLineMessage, one_line


def side_file(path: Path, suffix: str) -> Path:
    """`dir/.NAME.budget-tui.SUFFIX` for the real file behind path (symlinks followed)."""
    target = Path(os.path.realpath(path))
    return target.parent / f".{target.name}.budget-tui.{suffix}"


@dataclass(frozen=True)
class Holder:
    """Who holds a budget file open for editing."""

    user: str
    host: str
    pid: int
    since: str

    def describe(self) -> str:
        """`user@host (process N) since TIME`, one clean line: the lock file is anyone's to write."""
        return one_line(f"{self.user}@{self.host} (process {self.pid}) since {self.since}")


class LockHeld(OneLineMessage):
    """Another budget-tui has the file open for editing."""

    def __init__(self, path: Path, holder: Holder | None):
        self.path = path
        self.holder = holder
        who = holder.describe() if holder else "another budget-tui"
        super().__init__(f"{path} is being edited by {who}; it opens read-only")


class EditLock:
    """The lock of one budget file, held for as long as the file is open for editing."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.lock_path = side_file(path, "lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise LockHeld naming its holder."""
        while True:
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_holder(fd)
                os.close(fd)
                raise LockHeld(self.path, holder) from None
            # The previous holder may have removed the file between our open and our lock.
            try:
                same = os.fstat(fd).st_ino == os.stat(self.lock_path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        holder = Holder(_user(), socket.gethostname(), os.getpid(), dt.datetime.now().isoformat(timespec="seconds"))
        os.ftruncate(fd, 0)
        os.write(fd, json.dumps(holder.__dict__, ensure_ascii=False).encode("utf-8"))
        os.fsync(fd)
        self._fd = fd

    @property
    def held(self) -> bool:
        return self._fd is not None

    def release(self) -> None:
        """Remove the side file and let go of the lock."""
        if self._fd is None:
            return
        try:
            os.unlink(self.lock_path)
        except FileNotFoundError:
            pass
        fcntl.flock(self._fd, fcntl.LOCK_UN)
        os.close(self._fd)
        self._fd = None

    def __enter__(self) -> EditLock:
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no name for this uid (containers)
        return str(os.getuid())


def _read_holder(fd: int) -> Holder | None:
    try:
        raw = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
        return Holder(str(raw["user"]), str(raw["host"]), int(raw["pid"]), str(raw["since"]))
    except (ValueError, KeyError, TypeError, OSError):
        return None
