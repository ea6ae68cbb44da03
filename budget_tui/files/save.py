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
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import tomlkit
from tomlkit.container import Container, OutOfOrderTableProxy
from tomlkit.items import Array, Float, InlineTable, Null, Table, Trivia, Whitespace

from budget_tui.core.editing import carried_comment
from budget_tui.core.model import Budget, Fund, Kind, Line, Source
from budget_tui.core.money import format_amount
from budget_tui.core.safetext import OneLineMessage
from budget_tui.files.fileformat import BOM, BudgetFileError, decode, parse
from budget_tui.files.fingerprint import Fingerprint, changed_on_disk
from budget_tui.files.lock import side_file


class SaveError(OneLineMessage):
    """A save that did not happen; the file on disk is unchanged and the edits are still in memory (one clean line)."""


def render(
    source: Source,
    changes: list[tuple[Line | None, Line | None]],
    unit_names: dict[str, str] | None = None,
    keep_layout: bool = True,
) -> bytes:
    """The file's new bytes: the loaded bytes with the changed lines rewritten, and nothing else.

    A line is written whole: its amount, its attributes (category, name) and its comment. A line that moves to
    another key (recoded, or put back) takes its comment along; one written where it already stands keeps the
    file's own layout (a plain amount, an inline table, dotted keys or a table of its own).

    Raises SaveError, naming the file and line, when the writer cannot keep the rest of the file as it is (tomlkit
    moves tables that an array of tables splits, e.g. [[projects]], [names], [[projects]]); keep_layout=False (a
    save under another name) accepts the tables moved together.
    """
    if not changes:
        return source.data
    text = decode(source.data, source.path)
    newline = "\r\n" if "\r\n" in text else "\n"
    document = tomlkit.parse(text)
    if keep_layout:
        _check_layout(document.as_string(), text, source.path)
    try:
        _edit(document, changes, newline, unit_names or {})
    except SaveError as error:
        raise SaveError(f"{source.path}: {error}; nothing was written, the edits are kept") from None
    data = document.as_string().encode("utf-8")
    return BOM + data if source.data.startswith(BOM) else data


def _check_layout(written: str, text: str, path: Path) -> None:
    """Refuse a file that the writer would not give back as it is, naming the first line it would move."""
    if written == text:
        return
    old, new = text.splitlines(), written.splitlines()
    line = next((number for number, (a, b) in enumerate(zip(old, new), 1) if a != b), min(len(old), len(new)) + 1)
    raise SaveError(
        f"{path}:{line}: this file's layout cannot be kept by the writer (tables split by an array of tables such as "
        "[[projects]] would move together); nothing was written, the edits are kept. Save under another name, or "
        "put the split tables together and reload"
    )


def _edit(document, changes: list[tuple[Line | None, Line | None]], newline: str, names: dict[str, str]) -> None:
    """Apply the changes to the parsed document."""
    moved: dict = {}
    """The comment of a line removed from its key, by the key its line moves to."""
    for old, new in changes:
        if old is not None and (new is None or old.key != new.key):
            comment = _remove(document, old)
            if new is not None:
                moved[new.key] = carried_comment(comment, names.get(old.economic, ""), names.get(new.economic, ""))
    for old, new in changes:
        if new is not None:
            _write(document, old if old is not None and old.key == new.key else None, new, newline, names, moved)


def _child(parent, key: str, create: bool, where: str, flat: bool):
    """parent[key], made when create and missing, and whether it is written without a [header] of its own.

    A table inside an inline table or written with dotted keys (`2010301.30101 = …`) gets its new sub-tables as
    inline tables (`2010301."事业收入" = { … }`): a [header] there would take the rows after it.
    """
    if key in parent:
        child = parent[key]
        return child, flat or isinstance(child, InlineTable) or _dotted(parent, key)
    if not create:
        raise SaveError(f"{where} is not in the file")
    flat = flat or isinstance(parent, InlineTable)
    child = tomlkit.inline_table() if flat else tomlkit.table()
    if isinstance(parent, InlineTable):
        child.trivia.indent = _separator(parent)
    parent[key] = child
    return parent[key], flat


def _dotted(parent, key: str) -> bool:
    """True when parent holds key as a dotted key (`key.sub = …`)."""
    parts = parent._tables if isinstance(parent, OutOfOrderTableProxy) else [parent]
    for part in parts:
        container = part if isinstance(part, Container) else getattr(part, "value", None)
        for other, _ in getattr(container, "body", ()):
            if other is not None and other.key == key and other.is_dotted():
                return True
    return False


def _table(document, line: Line, create: bool):
    """The TOML table that holds a line: a table, an inline table or the merged parts of a dotted or split table."""
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
        projects = document["projects"]
        entry = tomlkit.inline_table() if isinstance(projects, Array) else tomlkit.table()  # projects = [{…}, …]
        entry.append("name", line.project)
        entry.append("functional", line.functional)
        if line.fund is not Fund.GENERAL:
            entry.append("fund", line.fund.value)
        projects.append(entry)
        return projects[-1]
    if "basic" not in document:
        if not create:
            raise SaveError("the file has no [basic] table")
        document.add("basic", tomlkit.table(is_super_table=True))
    basic = document["basic"]
    flat = isinstance(basic, InlineTable) or _dotted(document, "basic")
    table, flat = _child(basic, line.functional, create, f"[basic.{line.functional}]", flat)
    if line.fund is not Fund.GENERAL:
        table, flat = _child(table, line.fund.value, create, f"[basic.{line.functional}.{line.fund.value}]", flat)
    return table


def _remove(document, line: Line) -> str:
    """Delete the line from the document; its comment ("" for none)."""
    table = _table(document, line, create=False)
    if line.economic not in table:
        raise SaveError(f"{line.functional} has no line {line.economic} in the file")
    comment = _comment(table[line.economic])
    del table[line.economic]
    if isinstance(table, InlineTable):
        _tidy(table)
    return comment


def _tidy(table: InlineTable) -> None:
    """Drop the separator a deleted key leaves in an inline table: {a = 1, b = 2} less a is {b = 2}, not { b = 2}."""
    body = table.value.body
    for index, (_, item) in enumerate(body):
        if not isinstance(item, Null):
            continue
        if any(key is not None for key, _ in body[index + 1 :]):  # the separator after it goes
            step, stop = 1, len(body)
        else:  # the last key: the separator before it goes, the space before } stays
            step, stop = -1, -1
        other = index + step
        while other != stop and body[other][0] is None and isinstance(body[other][1], Whitespace):
            body[other][1]._s = ""
            other += step


def _comment(item) -> str:
    """The comment of a line's item: its own, or for a line written as dotted keys that of its first row."""
    if isinstance(item, OutOfOrderTableProxy):
        item = item._tables[0] if item._tables else None
    trivia = getattr(item, "trivia", None)
    if trivia is not None and trivia.comment:
        return trivia.comment
    if isinstance(item, Table):
        return next((_comment(value) for _, value in item.value.body if getattr(value, "trivia", None)), "")
    return ""


def _amount(line: Line) -> Float:
    return Float(float(line.amount), Trivia(), format_amount(line.amount))


def _attributes(line: Line) -> dict[str, str | None]:
    """The line's attributes as the file writes them (None: not written)."""
    return {
        "category": line.category_override.value if line.category_override is not None else None,
        "name": line.name,
    }


def _item(line: Line):
    """A new item for a line: a plain amount, or an inline table when it has attributes."""
    attributes = {key: value for key, value in _attributes(line).items() if value is not None}
    if not attributes:
        return _amount(line)
    parts = [f"amount = {format_amount(line.amount)}"] + [
        f"{key} = {tomlkit.string(value).as_string()}" for key, value in attributes.items()
    ]
    item = tomlkit.parse(f"x = {{ {', '.join(parts)} }}\n")["x"]
    item.trivia.trail = ""
    return item


def _write(document, old: Line | None, line: Line, newline: str, names: dict[str, str], moved: dict) -> None:
    """Write the line where it stands (old: the line as the file has it there) or add it in code order."""
    table = _table(document, line, create=True)
    if line.economic in table:
        _update(table, line, old)
        return
    item = _item(line)
    if isinstance(table, InlineTable):  # no comment fits inside { … }
        indent = _separator(table)
        _insert(table, line.economic, item)
        item.trivia.indent = indent  # tomlkit gives a new key the table's own indent
        return
    comment = line.comment if line.comment is not None else moved.get(line.key)
    if comment is None:
        comment = f"# {names[line.economic]}" if names.get(line.economic) else ""
    item.trivia.comment_ws = "  " if comment else ""
    item.trivia.comment = comment
    item.trivia.trail = newline
    _insert(table, line.economic, item)


def _separator(table: InlineTable) -> str:
    """The space a new key of an inline table needs after its comma: tomlkit copies the separator of a table that
    has one (`, `), and a new table spaces its keys itself."""
    if not len(table) or getattr(table, "_new", False):
        return ""
    return "" if any(isinstance(item, Whitespace) for _, item in table.value.body) else " "


def _update(table, line: Line, old: Line | None) -> None:
    """Rewrite the amount and attributes that differ of a line the file has at this key, in its own layout."""
    existing = table[line.economic]
    amount_changed = old is None or old.amount != line.amount
    trivia = getattr(existing, "trivia", None)
    if line.comment is not None and trivia is not None and not isinstance(table, InlineTable) and trivia.comment != line.comment:
        trivia.comment_ws = (trivia.comment_ws or "  ") if line.comment else ""
        trivia.comment = line.comment  # the line's own comment, where this session had written another's
    if isinstance(existing, dict):  # { amount = …, … }, dotted keys or a table of its own
        if amount_changed:
            existing["amount"] = _amount(line)
        for key, value in _attributes(line).items():
            if value is None and key in existing:
                del existing[key]
            elif value is not None and (key not in existing or existing[key] != value):
                existing[key] = value
    elif any(value is not None for value in _attributes(line).values()):
        table[line.economic] = _item(line)  # a plain amount that now carries attributes (its comment is kept)
    elif amount_changed:
        table[line.economic] = _amount(line)


def _insert(table, key: str, item) -> None:
    """Add a new key after the greatest smaller code of the table that is a plain line (code order), else at its end."""
    earlier = [
        other
        for other in table
        if isinstance(other, str) and other.isdigit() and other < key and not isinstance(table[other], (Table, OutOfOrderTableProxy))
    ]
    if earlier and key.isdigit():
        previous = max(earlier)
        part = table
        if isinstance(table, OutOfOrderTableProxy):  # a table split in parts: the part that holds the previous code
            part = next((part for part in table._tables if previous in part), None)
        if isinstance(part, Table):
            part._value._insert_after(previous, key, item)
            return
    table[key] = item


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
            raise ChangedOnDisk(f"{path} changed on disk since it was loaded; reload it or save under another name")
        prepared = _prepare(path, data, follow_symlinks, new_mode)
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


def _prepare(path: Path, data: bytes, follow_symlinks: bool = True, new_mode: int = 0o644) -> _Prepared:
    """Write data to a temp file beside the real file behind path, with the file's mode, group and (if allowed) owner.

    Raises WriteRefused, with nothing left behind, when the user may not write the file or its group or mode cannot
    be kept, or when the file is not a regular file (a device, a FIFO: never replaced by a save); OSError when the temp
    file cannot be written. With follow_symlinks False (side files), a link in the file's place is replaced by the file
    itself, never written through.
    """
    target = Path(os.path.realpath(path)) if follow_symlinks else Path(os.path.realpath(Path(path).parent)) / Path(path).name
    folder = target.parent
    try:
        st = os.stat(target, follow_symlinks=follow_symlinks)
        if stat.S_ISLNK(st.st_mode):
            st = None  # a link not followed: it is replaced, and none of its attributes are the file's
        elif not stat.S_ISREG(st.st_mode):
            raise WriteRefused(f"{path} is not a regular file; save to a file")
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
                os.fchmod(handle.fileno(), new_mode)
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
    """The file's new bytes and how they read back, refused unless they hold exactly the budget's lines, whole:
    key, amount and every attribute."""
    names = {
        line.economic: budget.economic_name(line.economic) for pair in changes for line in pair if line is not None
    }
    try:
        data = render(source, changes, names, keep_layout=Path(destination) == source.path)
    except SaveError:
        raise
    except Exception as error:  # noqa: BLE001 - tomlkit refusing an edit of some layout must not end the session
        raise SaveError(
            f"{source.path}: the edits cannot be written into this file's layout ({type(error).__name__}); "
            "nothing was written, the edits are kept"
        ) from None
    try:
        reread = parse(data, destination, origin)
    except BudgetFileError as error:
        raise SaveError(f"the new text would not read back ({error}); nothing was written") from None
    expected = [line for line in budget.lines if line.origin == origin]
    wanted = {line.content: line for line in expected}
    found = {line.content: line for line in reread.lines}
    if found.keys() != wanted.keys() or len(reread.lines) != len(expected):
        lost = next((line for content, line in wanted.items() if content not in found), None)
        what = f" ({lost.functional} {lost.economic} {_described(lost)} would not be in it)" if lost is not None else ""
        raise SaveError(f"the new text would not read back to the same lines{what}; nothing was written")
    return data, reread.sources[0]


def _described(line: Line) -> str:
    """A line's amount and attributes, for a message."""
    attributes = "".join(f", {key} {value}" for key, value in _attributes(line).items() if value is not None)
    return format_amount(line.amount) + attributes
