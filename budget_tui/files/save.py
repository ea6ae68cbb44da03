"""Saving: only the edited amounts' text changes, the write is atomic, and the result is re-read to prove it.

tomlkit is used here only, when a save is about to happen: it keeps comments, order and layout,
so a save without edits is byte-identical and an edit changes only its own line.
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
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import tomlkit
from tomlkit.items import Float, InlineTable, Table, Trivia

from budget_tui.files.fileformat import BOM, BudgetFileError, decode, parse
from budget_tui.files.fingerprint import Fingerprint, changed_on_disk
from budget_tui.core.model import Budget, Fund, Kind, Line, Source
from budget_tui.core.money import format_amount
from budget_tui.files.lock import side_file


class SaveError(Exception):
    """A save that did not happen; the file on disk is unchanged and the edits are still in memory."""


def render(source: Source, changes: list[tuple[Line | None, Line | None]], unit_names: dict[str, str] | None = None) -> bytes:
    """The file's new bytes: the loaded bytes with the changed lines rewritten, and nothing else."""
    if not changes:
        return source.data
    text = decode(source.data, source.path)
    newline = "\r\n" if "\r\n" in text else "\n"
    document = tomlkit.parse(text)
    for old, new in changes:
        if old is not None and (new is None or old.key != new.key):
            _remove(document, old)
    for old, new in changes:
        if new is not None:
            _write(document, new, newline, unit_names or {})
    data = document.as_string().encode("utf-8")
    return BOM + data if source.data.startswith(BOM) else data


def _table(document, line: Line, create: bool):
    """The TOML table that holds a line's amount."""
    if line.kind is Kind.PROJECT:
        for entry in document.get("projects", []):
            if (
                entry.get("name") == line.project
                and entry.get("functional") == line.functional
                and entry.get("fund", Fund.GENERAL.value) == line.fund.value
            ):
                return entry
        if not create:
            raise SaveError(f"project {line.project!r} ({line.functional}) is not in the file")
        if "projects" not in document:
            document.add("projects", tomlkit.aot())
        entry = tomlkit.table()
        entry.add("name", line.project)
        entry.add("functional", line.functional)
        if line.fund is not Fund.GENERAL:
            entry.add("fund", line.fund.value)
        document["projects"].append(entry)
        return entry
    if "basic" not in document:
        if not create:
            raise SaveError("the file has no [basic] table")
        document.add("basic", tomlkit.table(is_super_table=True))
    basic = document["basic"]
    if line.functional not in basic:
        if not create:
            raise SaveError(f"[basic.{line.functional}] is not in the file")
        basic.add(line.functional, tomlkit.table())
    table = basic[line.functional]
    if line.fund is not Fund.GENERAL:
        if line.fund.value not in table:
            if not create:
                raise SaveError(f"[basic.{line.functional}.{line.fund.value}] is not in the file")
            table.add(line.fund.value, tomlkit.table())
        table = table[line.fund.value]
    return table


def _remove(document, line: Line) -> None:
    table = _table(document, line, create=False)
    del table[line.economic]


def _write(document, line: Line, newline: str, names: dict[str, str]) -> None:
    table = _table(document, line, create=True)
    text = format_amount(line.amount)
    existing = table.get(line.economic) if line.economic in table else None
    if isinstance(existing, (InlineTable, dict)) and not isinstance(existing, Table):
        existing["amount"] = Float(float(line.amount), Trivia(), text)
        return
    if existing is not None:
        table[line.economic] = Float(float(line.amount), Trivia(), text)
        return
    comment = f"# {names[line.economic]}" if names.get(line.economic) else ""
    item = Float(float(line.amount), Trivia(comment_ws="  " if comment else "", comment=comment, trail=newline), text)
    earlier = [key for key in table if str(key).isdigit() and len(str(key)) == 5 and str(key) < line.economic]
    if earlier:
        table._value._insert_after(max(earlier), line.economic, item)  # keep the table in code order
    else:
        table.add(line.economic, item)


class WriteRefused(OSError):
    """A write refused before anything was replaced: the reason names the file and what to do."""


class ChangedOnDisk(WriteRefused):
    """The file is no longer the one that was loaded: somebody else saved it first."""


SAVE_LOCK_WAIT = 20.0
"""Seconds a save waits for another process's save of the same file to finish before it gives up."""


def write_atomic(path: Path, data: bytes, expected: Fingerprint | None = None) -> list[str]:
    """Replace the file with data, all or nothing, and return notes for the user (hard links split, owner changed).

    The temp file beside it is fsynced and renamed over the file, then the folder is fsynced. A symlink is followed
    (its target is replaced). The mode and the group are kept (and the owner, where the system allows); a file the
    user may not write, or whose group or mode cannot be kept, is refused (WriteRefused) before anything is replaced.
    With expected, the file must still be the one fingerprinted (ChangedOnDisk otherwise): the check and the rename
    hold the save lock, so of two processes saving the same loaded file at once one wins and the other is told.
    """
    with save_lock([path]):
        if expected is not None and changed_on_disk(path, expected):
            raise ChangedOnDisk(f"{path} changed on disk since it was loaded; reload it or save under another name")
        prepared = _prepare(path, data)
        try:
            _commit([prepared])
        finally:
            _discard([prepared] if not prepared.done else [])
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
                            f"another save of {path} has not finished in {SAVE_LOCK_WAIT:g} seconds "
                            f"(it holds {side}); try again"
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
                raise WriteRefused(f"{side} is a symbolic link, not budget-tui's save lock; remove it and save again") from None
            if error.errno == errno.EACCES and os.path.lexists(side):
                raise WriteRefused(f"{side}, the save lock, cannot be opened ({error.strerror}); remove it and save again") from None
            raise
        if stat.S_ISREG(os.fstat(descriptor).st_mode):
            return descriptor
        os.close(descriptor)
        raise WriteRefused(f"{side} is not a regular file, so it cannot be budget-tui's save lock; remove it and save again")


@dataclass
class _Prepared:
    """A temp file beside its target holding the new bytes, owned and moded as the target: ready to be renamed."""

    path: Path
    target: Path
    temp: str
    notes: list[str]
    done: bool = False
    """True once renamed over the target."""


def _prepare(path: Path, data: bytes) -> _Prepared:
    """Write data to a temp file beside the real file behind path, with the file's mode, group and (if allowed) owner.

    Raises WriteRefused, with nothing left behind, when the user may not write the file or its group or mode cannot
    be kept; OSError when the temp file cannot be written.
    """
    target = Path(os.path.realpath(path))
    folder = target.parent
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    notes = [] if st is None else _may_replace(path, target, st)
    descriptor, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            if st is None:
                os.fchmod(handle.fileno(), 0o644)
            else:
                _keep_owner_and_mode(path, handle.fileno(), st, target)
    except BaseException:
        _unlink(temp_name)
        raise
    return _Prepared(Path(path), target, temp_name, notes)


def _may_replace(path: Path, target: Path, st: os.stat_result) -> list[str]:
    """Refuse a file the user may not write or replace; the notes to give when the replacement changes something."""
    if not stat.S_ISREG(st.st_mode):
        raise WriteRefused(f"{path} is not a regular file; save as another file")
    writable = os.access(target, os.W_OK, effective_ids=os.access in os.supports_effective_ids)
    if not writable or not st.st_mode & 0o222:  # 0444 is read-only even for root
        raise WriteRefused(f"{path} is read-only for you; save as another file")
    euid = os.geteuid()
    folder = os.stat(target.parent)
    if folder.st_mode & stat.S_ISVTX and euid not in (0, st.st_uid, folder.st_uid):
        raise WriteRefused(
            f"{path} belongs to user {_user_name(st.st_uid)} in a folder where only a file's owner may replace it "
            "(sticky bit); save as another file"
        )
    notes = []
    if st.st_nlink > 1:
        others = st.st_nlink - 1
        notes.append(
            f"{path} had {others} other hard link{'s' if others != 1 else ''}: a save writes a new file, "
            f"so {'they keep' if others != 1 else 'it keeps'} the old text"
        )
    if euid != 0 and st.st_uid != euid:
        notes.append(
            f"{path} now belongs to you ({_user_name(euid)}) instead of {_user_name(st.st_uid)} "
            "(only root can keep another user's file); its group and mode are kept"
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
            f"a save cannot keep the group of {path} ({_group_name(st.st_gid)}): you are not a member of it; "
            "save as another file"
        ) from None
    _keep_attributes(path, descriptor, target)
    os.fchmod(descriptor, mode)  # after the chown, which clears the set-id bits
    written = os.fstat(descriptor)
    if written.st_gid != st.st_gid:
        raise WriteRefused(f"a save would change the group of {path}; save as another file")
    if stat.S_IMODE(written.st_mode) != mode:
        raise WriteRefused(
            f"a save would change the mode of {path} from {mode:04o} to {stat.S_IMODE(written.st_mode):04o}; "
            "save as another file"
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
            what = "access control list" if name.startswith("system.") else f"attribute {name}"
            raise WriteRefused(
                f"a save cannot keep the {what} of {path} ({error.strerror or error}); save as another file"
            ) from None


def _commit(prepared: list[_Prepared]) -> None:
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


def _discard(prepared: list[_Prepared]) -> None:
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


def save(
    budget: Budget,
    changes: list[tuple[Line | None, Line | None]],
    fingerprint: Fingerprint | None = None,
    path: Path | None = None,
    notes: list[str] | None = None,
) -> Source:
    """Write the changes to the files they belong to (or to path, for save-as of a single file).

    Only files with changes are rewritten. Every new text is proven to read back to exactly the
    budget's lines before any file is replaced; a file changed on disk since it was loaded is
    never overwritten: the files are checked again and replaced under their save locks, so of two processes saving
    the same loaded file at once exactly one writes and the other is refused. Nothing is replaced unless every file
    can be, with its mode and group kept (see write_atomic). The budget's sources then describe the files as written;
    notes, when given, receives what the user should know (hard links split, owner changed).
    """
    by_origin: dict[int, list] = defaultdict(list)
    for old, new in changes:
        by_origin[(new if new is not None else old).origin].append((old, new))
    if path is not None and budget.is_consolidated:
        raise SaveError("save under another name works on a single department file")
    planned = []
    for origin, group in sorted(by_origin.items()):
        source = budget.sources[origin]
        destination = Path(path) if path is not None else source.path
        loaded = fingerprint if fingerprint is not None and origin == 0 else source.fingerprint
        if path is None and isinstance(loaded, Fingerprint) and changed_on_disk(source.path, loaded):
            raise SaveError(f"{source.path} changed on disk since it was loaded; reload it or save under another name")
        planned.append((origin, destination, _verified(budget, origin, source, group, destination)))
    prepared: list[_Prepared] = []
    writing = planned[0][1] if planned else path  # the file an OSError is about
    try:
        with save_lock([destination for _, destination, _ in planned]):
            for origin, destination, _ in planned:
                loaded = fingerprint if fingerprint is not None and origin == 0 else budget.sources[origin].fingerprint
                if path is None and isinstance(loaded, Fingerprint) and changed_on_disk(destination, loaded):
                    raise ChangedOnDisk(f"{destination} changed on disk since it was loaded; reload it or save under another name")
            try:
                for _, writing, (data, _) in planned:
                    prepared.append(_prepare(writing, data))
                _commit(prepared)
            finally:
                writing = next((item.path for item in prepared if not item.done), writing)
                _discard([item for item in prepared if not item.done])
                for (origin, destination, (data, new_source)), item in zip(planned, prepared):
                    if item.done:
                        budget.sources[origin] = Source(
                            destination, data, new_source.locations, new_source.department, Fingerprint.of(destination, data)
                        )
    except ChangedOnDisk as error:
        raise SaveError(str(error)) from None
    except WriteRefused as error:
        raise SaveError(f"{error}; nothing was written, the edits are kept") from None
    except OSError as error:
        raise SaveError(f"cannot write {writing}: {error.strerror or error}; the edits are kept") from None
    if notes is not None:
        notes.extend(note for item in prepared for note in item.notes)
    return budget.sources[min(by_origin, default=0)]


def _verified(budget: Budget, origin: int, source: Source, changes, destination: Path) -> tuple[bytes, Source]:
    """The file's new bytes and how they read back, refused unless they hold exactly the budget's lines."""
    names = {line.economic: budget.economic_name(line.economic) for _, line in changes if line is not None}
    data = render(source, changes, names)
    try:
        reread = parse(data, destination, origin)
    except BudgetFileError as error:
        raise SaveError(f"the new text would not read back ({error}); nothing was written") from None
    expected = {(line.key, line.amount) for line in budget.lines if line.origin == origin}
    if {(line.key, line.amount) for line in reread.lines} != expected or len(reread.lines) != len(expected):
        raise SaveError("the new text would not read back to the same lines; nothing was written")
    return data, reread.sources[0]
