"""The one atomic writer: a file replaced all or nothing, its mode, group and attributes kept, under a save lock.

Saves, save-as, review marks, printed tables, imports and exports all write through write_atomic.
"""

from __future__ import annotations

import errno
import fcntl
import grp
import os
import pwd
import stat
import tempfile
import time
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from budget_tui.files.fingerprint import Fingerprint, changed_on_disk
from budget_tui.files.lock import side_file
from budget_tui.i18n import _, ngettext


class WriteRefused(OSError):
    """A write refused before anything was replaced: the reason names the file and what to do."""


class ChangedOnDisk(WriteRefused):
    """The file is no longer the one that was loaded: somebody else saved it first."""


SAVE_LOCK_WAIT = 20.0
"""Seconds a save waits for another process's save of the same file to finish before it gives up."""


def write_atomic(
    path: Path, data: bytes, expected: Fingerprint | None = None, follow_symlinks: bool = True, new_mode: int = 0o644
) -> list[str]:
    """Replace the file with data, all or nothing, and return notes for the user (hard links split, owner changed).

    The temp file beside it is fsynced and renamed over the file, then the folder is fsynced. A symlink is followed
    (its target is replaced). The mode and the group are kept (and the owner, where the system allows); a file the
    user may not write, or whose group or mode cannot be kept, is refused (WriteRefused) before anything is replaced.
    With expected, the file must still be the one fingerprinted (ChangedOnDisk otherwise): the check and the rename
    hold the save lock, so of two processes saving the same loaded file at once one wins and the other is told.
    With follow_symlinks False (side files such as the review file), a link put in the file's place is replaced, never
    written through, and no save lock is taken (its side file would be found through that link).
    A file that does not exist yet is made with new_mode (an export passes the umask's).
    """
    with save_lock([path]) if follow_symlinks else nullcontext():
        if expected is not None and changed_on_disk(path, expected):
            raise ChangedOnDisk(_("{path} changed on disk since it was loaded; reload it or save under another name").format(path=path))
        prepared = prepare(path, data, follow_symlinks, new_mode)
        try:
            commit([prepared])
        finally:
            discard([prepared] if not prepared.done else [])
    return prepared.notes


@contextmanager
def save_lock(paths: list[Path]):
    """Hold the save lock of every file (`.NAME.budget-tui.save` beside it) until the block ends.

    It is not the edit lock (held by the first editor for the whole session, and not by sessions opened with --force
    or by a folder's session for its files): every writer takes it just to check and replace, so two saves of one
    file, under any spelling of its path, are one after the other. Taken in a fixed order, so two folder saves
    cannot wait on each other; refused (WriteRefused) after SAVE_LOCK_WAIT seconds.
    """
    deadline = time.monotonic() + SAVE_LOCK_WAIT
    sides = sorted({side_file(path, "save"): path for path in paths}.items())
    held: list[tuple[Path, int]] = []
    try:
        for side, path in sides:
            held.append((side, _lock_side(path, side, deadline)))
        yield
    finally:
        for side, descriptor in reversed(held):
            try:
                os.unlink(side)  # still ours: nobody else may remove or create it while we hold it
            except OSError:
                pass  # a sticky folder: another user's side file stays, and is reused
            os.close(descriptor)


def _lock_side(path: Path, side: Path, deadline: float) -> int:
    """A descriptor of path's save lock side file with an exclusive flock on it, the file still at its name."""
    delay = 0.002
    while True:
        descriptor = _open_side(side)
        try:
            while True:
                try:
                    fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as error:
                    if error.errno in (errno.ENOLCK, errno.EOPNOTSUPP):
                        return descriptor  # a file system without flock: saves work, unserialised (not guaranteed)
                    if not isinstance(error, BlockingIOError):
                        raise
                    if time.monotonic() > deadline:
                        raise WriteRefused(
                            _("another save of {path} has not finished in {seconds} seconds (it holds {side}); try again").format(
                                path=path, seconds=f"{SAVE_LOCK_WAIT:g}", side=side
                            )
                        ) from None
                    time.sleep(delay)
                    delay = min(delay * 2, 0.05)
            # The previous holder removes the file before it lets go: we may have locked a name that is gone.
            try:
                now = os.stat(side, follow_symlinks=False)
                mine = os.fstat(descriptor)
                if (now.st_dev, now.st_ino) == (mine.st_dev, mine.st_ino):
                    return descriptor
            except FileNotFoundError:
                pass
        except BaseException:
            os.close(descriptor)
            raise
        os.close(descriptor)


def _open_side(side: Path) -> int:
    """Open (or create) the save lock side file for reading only, never through a symlink, and only a regular file.

    (The same few lines as budget_tui.files.safeopen will offer for every side file.)
    """
    flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
    while True:
        try:
            descriptor = os.open(side, flags)
        except FileNotFoundError:
            try:
                descriptor = os.open(side, flags | os.O_CREAT | os.O_EXCL, 0o644)
            except FileExistsError:
                continue
            os.fchmod(descriptor, 0o644)  # whatever the umask: every user who saves the file must open it
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise WriteRefused(_("{side} is a symbolic link, not budget-tui's save lock; remove it and save again").format(
                    side=side
                )) from None
            if error.errno == errno.EACCES and os.path.lexists(side):
                raise WriteRefused(_("{side}, the save lock, cannot be opened ({reason}); remove it and save again").format(
                    side=side, reason=error.strerror
                )) from None
            raise
        if stat.S_ISREG(os.fstat(descriptor).st_mode):
            return descriptor
        os.close(descriptor)
        raise WriteRefused(_("{side} is not a regular file, so it cannot be budget-tui's save lock; remove it and save again").format(
            side=side
        ))


@dataclass
class Prepared:
    """A temp file beside its target holding the new bytes, owned and moded as the target: ready to be renamed."""

    path: Path
    target: Path
    temp: str
    notes: list[str]
    done: bool = False
    """True once renamed over the target."""


def prepare(path: Path, data: bytes, follow_symlinks: bool = True, new_mode: int = 0o644) -> Prepared:
    """Write data to a temp file beside the real file behind path, with the file's mode, group and (if allowed) owner.

    Raises WriteRefused, with nothing left behind, when the user may not write the file or its group or mode cannot
    be kept, or when the file is not a regular file (a device, a FIFO: never replaced by a save); OSError when the temp
    file cannot be written. With follow_symlinks False (side files), a link in the file's place is replaced by the file
    itself, never written through.
    """
    target = Path(os.path.realpath(path)) if follow_symlinks else Path(os.path.realpath(Path(path).parent)) / Path(path).name
    folder = target.parent
    st: os.stat_result | None
    try:
        st = os.stat(target, follow_symlinks=follow_symlinks)
    except FileNotFoundError:
        st = None
    if st is not None and stat.S_ISLNK(st.st_mode):
        st = None  # a link not followed: it is replaced, and none of its attributes are the file's
    elif st is not None and not stat.S_ISREG(st.st_mode):
        raise WriteRefused(_("{path} is not a regular file; save to a file").format(path=path))
    notes = [] if st is None else _may_replace(path, target, st)
    descriptor, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            if st is None:
                os.fchmod(handle.fileno(), new_mode)
            else:
                _keep_owner_and_mode(path, handle.fileno(), st, target)
    except BaseException:
        _unlink(temp_name)
        raise
    return Prepared(Path(path), target, temp_name, notes)


def _may_replace(path: Path, target: Path, st: os.stat_result) -> list[str]:
    """Refuse a file the user may not write or replace; the notes to give when the replacement changes something."""
    if not stat.S_ISREG(st.st_mode):
        raise WriteRefused(_("{path} is not a regular file; save as another file").format(path=path))
    writable = os.access(target, os.W_OK, effective_ids=os.access in os.supports_effective_ids)
    if not writable or not st.st_mode & 0o222:  # 0444 is read-only even for root
        raise WriteRefused(_("{path} is read-only for you; save as another file").format(path=path))
    euid = os.geteuid()
    folder = os.stat(target.parent)
    if folder.st_mode & stat.S_ISVTX and euid not in (0, st.st_uid, folder.st_uid):
        raise WriteRefused(
            _("{path} belongs to user {user} in a folder where only a file's owner may replace it "
              "(sticky bit); save as another file").format(path=path, user=_user_name(st.st_uid))
        )
    notes = []
    if st.st_nlink > 1:
        others = st.st_nlink - 1
        notes.append(
            ngettext(
                "{path} had {n} other hard link: a save writes a new file, so it keeps the old text",
                "{path} had {n} other hard links: a save writes a new file, so they keep the old text",
                others,
            ).format(path=path, n=others)
        )
    if euid != 0 and st.st_uid != euid:
        notes.append(
            _("{path} now belongs to you ({user}) instead of {owner} "
              "(only root can keep another user's file); its group and mode are kept").format(
                path=path, user=_user_name(euid), owner=_user_name(st.st_uid)
            )
        )
    return notes


def _keep_owner_and_mode(path: Path, descriptor: int, st: os.stat_result, target: Path) -> None:
    """Give the temp file the file's group, mode, access control list and (as root) owner, or refuse when they
    cannot be kept."""
    mode = stat.S_IMODE(st.st_mode)
    try:
        if os.geteuid() == 0:
            os.fchown(descriptor, st.st_uid, st.st_gid)
        elif os.fstat(descriptor).st_gid != st.st_gid:
            os.fchown(descriptor, -1, st.st_gid)
    except PermissionError:
        raise WriteRefused(
            _("a save cannot keep the group of {path} ({group}): you are not a member of it; "
              "save as another file").format(path=path, group=_group_name(st.st_gid))
        ) from None
    _keep_attributes(path, descriptor, target)
    os.fchmod(descriptor, mode)  # after the chown, which clears the set-id bits
    written = os.fstat(descriptor)
    if written.st_gid != st.st_gid:
        raise WriteRefused(_("a save would change the group of {path}; save as another file").format(path=path))
    if stat.S_IMODE(written.st_mode) != mode:
        raise WriteRefused(
            _("a save would change the mode of {path} from {old} to {new}; save as another file").format(
                path=path, old=f"{mode:04o}", new=f"{stat.S_IMODE(written.st_mode):04o}"
            )
        )


KEPT_ATTRIBUTES = ("system.posix_acl_access", "user.")
"""Extended attributes a save copies to the new file: the access control list (who else may write it) and the user's."""


def _keep_attributes(path: Path, descriptor: int, target: Path) -> None:
    try:
        names = os.listxattr(target)
    except OSError:  # a file system without extended attributes: nothing to keep
        return
    for name in names:
        if not name.startswith(KEPT_ATTRIBUTES):
            continue
        try:
            os.setxattr(descriptor, name, os.getxattr(target, name))
        except OSError as error:
            reason = error.strerror or error
            if name.startswith("system."):
                message = _("a save cannot keep the access control list of {path} ({reason}); save as another file")
            else:
                message = _("a save cannot keep the attribute {name} of {path} ({reason}); save as another file")
            raise WriteRefused(message.format(path=path, name=name, reason=reason)) from None


def commit(prepared: list[Prepared]) -> None:
    """Rename the temp files over their files (each marked done), then fsync their folders."""
    for item in prepared:
        os.replace(item.temp, item.target)
        item.done = True
    for folder in sorted({item.target.parent for item in prepared}):
        folder_fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(folder_fd)
        finally:
            os.close(folder_fd)


def discard(prepared: list[Prepared]) -> None:
    for item in prepared:
        _unlink(item.temp)


def _unlink(name: str) -> None:
    try:
        os.unlink(name)
    except FileNotFoundError:
        pass


def _user_name(uid: int) -> str:
    try:
        return pwd.getpwuid(uid).pw_name
    except (KeyError, OSError):
        return str(uid)


def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except (KeyError, OSError):
        return str(gid)
