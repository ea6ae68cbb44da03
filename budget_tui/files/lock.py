"""One editor at a time: an advisory lock on a side file that saves never replace.

The budget file itself cannot carry the lock: a save replaces it with a new inode, and a lock on
the old one stops protecting anything. The side file `.NAME.budget-tui.lock` beside it holds the
lock (flock, released by the kernel when the holder dies) and says who holds it and since when.

Whoever can write the folder can put anything at that name. The lock file is opened without following a link
(O_NOFOLLOW) and without blocking, and is refused unless it is a regular file; it is written only when it is the
user's own (or the budget owner's) with no other name (hard link). A refused lock file opens the budget read-only
(LockRefused) and says what to do; what a held lock file says of its holder is believed only when it is well formed.
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

from budget_tui.core.safetext import OneLineMessage, one_line
from budget_tui.files.safeopen import UnsafeFileError, open_regular, require_own_file
from budget_tui.i18n import _


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
        return one_line(_("{user}@{host} (process {pid}) since {since}").format(
            user=self.user, host=self.host, pid=self.pid, since=self.since
        ))


class LockHeld(OneLineMessage):
    """Another budget-tui has the file open for editing."""

    def __init__(self, path: Path, holder: Holder | None):
        self.path = path
        self.holder = holder
        who = holder.describe() if holder else _("another budget-tui")
        super().__init__(_("{path} is being edited by {who}; it opens read-only").format(path=path, who=who))


class LockRefused(LockHeld):
    """The lock file is not one budget-tui may use (a link, not a regular file, somebody else's): the file opens read-only."""

    def __init__(self, path: Path, error: UnsafeFileError):
        self.path = path
        self.holder = None
        self.lock_path = error.path
        self.reason = error.reason
        Exception.__init__(
            self,
            _("{path}: its lock file {lock} {reason}; budget-tui does not write into it, so the budget opens read-only. "
              "Remove that file (if nobody is editing) and open the budget again, or edit without a lock (--force)").format(
                path=path, lock=error.path, reason=error.reason
            ),
        )


class EditLock:
    """The lock of one budget file, held for as long as the file is open for editing."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.lock_path = side_file(path, "lock")
        self._fd: int | None = None

    def acquire(self) -> None:
        """Take the lock or raise LockHeld naming its holder (LockRefused when the lock file is not one to use)."""
        owners = {os.geteuid()}
        try:
            owners.add(os.stat(self.path).st_uid)
        except OSError:
            pass
        while True:
            try:
                fd = open_regular(self.lock_path, os.O_RDWR | os.O_CREAT, follow_symlinks=False, mode=0o644)
            except UnsafeFileError as error:
                raise LockRefused(self.path, error) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = _read_holder(fd)
                os.close(fd)
                raise LockHeld(self.path, holder) from None
            # The previous holder may have removed the file between our open and our lock.
            st = os.fstat(fd)
            try:
                now = os.lstat(self.lock_path)
                same = (now.st_dev, now.st_ino) == (st.st_dev, st.st_ino)
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        try:
            require_own_file(self.lock_path, st, owners)
        except UnsafeFileError as error:
            os.close(fd)  # and with it the flock
            raise LockRefused(self.path, error) from None
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
    """What the lock file says of its holder, or None when it is not what a budget-tui writes (anyone may write it)."""
    try:
        raw = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
    except (ValueError, OSError, RecursionError):
        return None
    if not isinstance(raw, dict):
        return None
    texts = [text for text in (raw.get(key) for key in ("user", "host", "since")) if isinstance(text, str) and 0 < len(text) <= 256]
    pid = raw.get("pid")
    if len(texts) != 3:
        return None
    if type(pid) is not int or not 0 < pid <= 2**22:  # Linux's largest pid_max
        return None
    return Holder(texts[0], texts[1], pid, texts[2])
