"""Crash recovery: every committed edit is appended and flushed to a journal beside the file.

Each entry names the file its edit belongs to by path (relative to the folder of a consolidated budget; a single
file by its name) and the sha256 of that file's bytes the edit was made against. After a crash, a killed process
or a dropped SSH connection, the next session finds the journal and can replay the edits: an entry is replayed
into the file it names, and only while that file still holds those very bytes. An entry whose file is gone or
changed is shown and refused, never applied elsewhere (a file added to the folder since must not shift an edit
into its neighbour). A clean save or quit removes the journal.

The journal is a side file that anybody who may write the folder could have changed: it is read as untrusted input.
It is opened without following a symlink and without blocking, must be a regular file of at most MAX_BYTES, and
every entry is checked (types, codes, amounts) before it may be replayed; an entry that fails is refused with the
reason. A journal that cannot be read at all raises JournalError, one line saying why.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from budget_tui.core.editing import Change
from budget_tui.core.model import CATEGORY_BY_NAME, FUND_BY_NAME, Kind, Line
from budget_tui.core.money import AmountError, has_cents_only, to_amount
from budget_tui.files.lock import side_file
from budget_tui.i18n import N_, _

VERSION = 2
"""2: every entry names its file and the sha256 of the bytes it was made against. 1 (read only): one hash of all
the files' bytes together, files named by their position in the folder."""
MAX_BYTES = 64 * 1024 * 1024
"""A larger journal is refused unread (a session would need hundreds of thousands of edits to write one)."""
_CODE_CHARS = frozenset("0123456789")


class JournalError(Exception):
    """The journal cannot be read at all: not a regular file, unreadable, too large, or not a budget-tui journal."""


@dataclass(frozen=True)
class Refused:
    """A journal entry that is not replayed, and why."""

    row: int
    """Its line in the journal (1 is the header)."""
    file: str
    """The file it names ("" when it names none)."""
    change: Change | None
    """The edit, when the entry could be read as one."""
    reason: str


@dataclass(frozen=True)
class Recovered:
    """What a journal left by an earlier session holds."""

    changes: list[Change]
    """The edits whose file is still there with the bytes they were made against, each line's origin set to the
    index of that file now."""
    refused: list[Refused] = field(default_factory=list)
    """The entries that must not be replayed: file gone or changed, or the entry is not a valid edit."""
    path: Path | None = None
    """The journal."""

    @property
    def matches_file(self) -> bool:
        """True when every entry may be replayed: the files are those the edits were made to."""
        return not self.refused


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _line_to_json(line: Line | None) -> dict | None:
    if line is None:
        return None
    return {
        "functional": line.functional,
        "economic": line.economic,
        "amount": str(line.amount),
        "kind": line.kind.value,
        "fund": line.fund.value,
        "project": line.project,
        "category": line.category_override.value if line.category_override else None,
        "origin": line.origin,
        "name": line.name,
        "comment": line.comment,
    }


class _Invalid(ValueError):
    """A journal entry that is not a valid edit; the message says what is wrong in plain words."""


def _text(raw: dict, key: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str):
        raise _Invalid(_("{key} must be text, found {type}").format(key=key, type=type(value).__name__))
    return value


def _code(raw: dict, key: str) -> str:
    value = _text(raw, key)
    if not value or len(value) > 16 or not set(value) <= _CODE_CHARS:
        raise _Invalid(_("{key} {value!r} is not a code of digits").format(key=key, value=value[:20]))
    return value


def _amount(raw: dict) -> Decimal:
    """An amount as the journal writes it, read by the one rule of money.py: non-negative and to the cent."""
    value = _text(raw, "amount")
    try:
        amount = to_amount(value)
    except AmountError as error:
        raise _Invalid(_("amount {error}").format(error=error)) from None
    if amount < 0 or not has_cents_only(amount):
        raise _Invalid(_("amount {value!r} is not an amount to the cent, 0 or more").format(value=value[:40]))
    return amount


def _line_from_json(raw: object, origin: int) -> Line | None:
    """The line an entry records, in the file of index origin; _Invalid when it is not one."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise _Invalid(_("a line must be an object, found {type}").format(type=type(raw).__name__))
    kind_name, fund_name = raw.get("kind"), raw.get("fund")
    kind = {k.value: k for k in Kind}.get(kind_name) if isinstance(kind_name, str) else None
    fund = FUND_BY_NAME.get(fund_name) if isinstance(fund_name, str) else None
    if kind is None or fund is None:
        raise _Invalid(_("kind or fund is not one of the known ones"))
    project = raw.get("project")
    if kind is Kind.PROJECT and not (isinstance(project, str) and project.strip()):
        raise _Invalid(_("a project line needs the project's name"))
    if kind is Kind.BASIC and project is not None:
        raise _Invalid(_("a basic line has no project"))
    category = raw.get("category")
    if category is not None and (not isinstance(category, str) or category not in CATEGORY_BY_NAME):
        raise _Invalid(_("category must be 人员经费 or 公用经费"))
    for text in ("name", "comment"):
        if raw.get(text) is not None and not isinstance(raw.get(text), str):
            raise _Invalid(_("{key} must be text").format(key=text))
    return Line(
        name=raw.get("name"),
        comment=raw.get("comment"),
        functional=_code(raw, "functional"),
        economic=_code(raw, "economic"),
        amount=_amount(raw),
        kind=kind,
        fund=fund,
        project=project,
        category_override=CATEGORY_BY_NAME[category] if category else None,
        origin=origin,
    )


def _change_from_json(entry: dict, origin: int) -> Change:
    before = _line_from_json(entry.get("before"), origin)
    after = _line_from_json(entry.get("after"), origin)
    if before is None and after is None:
        raise _Invalid(_("the entry changes no line"))
    return Change(before, after)


def _describe_kind(mode: int) -> str:
    for test, name in ((stat.S_ISDIR, N_("folder")), (stat.S_ISFIFO, N_("FIFO")), (stat.S_ISSOCK, N_("socket")),
                       (stat.S_ISCHR, N_("device")), (stat.S_ISBLK, N_("device"))):
        if test(mode):
            return _(name)
    return _("special file")


class Journal:
    """The append-only record of one editing session's unsaved changes."""

    def __init__(self, path: Path):
        self.path = side_file(path, "journal")
        self.name = Path(os.path.realpath(path)).name
        """How a single file's entries name it."""
        self._handle: TextIO | None = None
        self._hashes: dict[str, tuple[bytes, str]] = {}
        """File → (the bytes last hashed, their sha256): a bulk change does not hash the file once per line."""

    def start(self, data: bytes | None = None) -> None:
        """Begin a journal (called lazily at the first edit); never follows a symlink or reuses a file in its place."""
        self.discard()
        fd = os.open(self.path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o666)
        self._handle = os.fdopen(fd, "w", encoding="utf-8")
        header: dict = {"journal": VERSION}
        if data is not None:
            header["base_sha256"] = sha256(data)  # for a person reading it: recovery uses each entry's own
        self._write(header)

    def record(self, change: Change, data: bytes, file: str | None = None) -> None:
        """Append one committed change to the file named file (default: this journal's single file), whose bytes as
        loaded or last saved are data; flushed and synced before the edit is shown as done."""
        if self._handle is None:
            self.start(data if file is None else None)
        name = self.name if file is None else file
        cached = self._hashes.get(name)
        if cached is None or cached[0] is not data:
            cached = self._hashes[name] = (data, sha256(data))
        self._write(
            {"file": name, "sha256": cached[1], "before": _line_to_json(change.before), "after": _line_to_json(change.after)}
        )

    def _write(self, entry: dict) -> None:
        row = json.dumps(entry, ensure_ascii=False)
        try:
            row.encode("utf-8")
        except UnicodeEncodeError:  # a file name that is not UTF-8 (surrogate escapes): written as \u escapes
            row = json.dumps(entry)
        assert self._handle is not None, "start() opens the journal before anything is written"
        self._handle.write(row + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def discard(self) -> None:
        """Remove the journal: after a clean save (the edits are in the file) or a quit that drops them.

        Raises OSError when something that cannot be removed (a folder) is in its place.
        """
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        self._hashes.clear()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass

    def set_aside(self) -> Path:
        """Rename the journal (whatever is in its place) out of the way, for a person to look at; returns the new name.

        Raises OSError when it cannot be renamed.
        """
        stamp = time.strftime("%Y%m%d-%H%M%S")
        for number in range(1, 1000):
            target = self.path.with_name(f"{self.path.name}.set-aside-{stamp}" + (f"-{number}" if number > 1 else ""))
            if not os.path.lexists(target):
                os.rename(self.path, target)
                return target
        raise OSError(errno.EEXIST, "too many journals set aside", str(self.path))

    def read(self) -> str | None:
        """The journal's text, or None when there is none; JournalError when it cannot be read as one.

        Opened with O_NOFOLLOW and O_NONBLOCK and checked with fstat before a byte is read: a symlink, a folder, a
        FIFO or a device in its place is refused at once, never followed, read or waited on.
        """
        flags = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC
        try:
            fd = os.open(self.path, flags)
        except FileNotFoundError:
            return None
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise JournalError(_("{path} is a symbolic link, not a journal").format(path=self.path)) from None
            raise JournalError(_("{path} cannot be read: {reason}").format(path=self.path, reason=error.strerror or error)) from None
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise JournalError(_("{path} is a {kind}, not a journal").format(path=self.path, kind=_describe_kind(st.st_mode)))
            if st.st_size > MAX_BYTES:
                raise JournalError(_("{path} is {size} bytes, larger than any journal ({limit})").format(
                    path=self.path, size=st.st_size, limit=MAX_BYTES
                ))
            chunks, size = [], 0
            while size <= MAX_BYTES:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        except OSError as error:
            raise JournalError(_("{path} cannot be read: {reason}").format(path=self.path, reason=error.strerror or error)) from None
        finally:
            os.close(fd)
        if size > MAX_BYTES:
            raise JournalError(_("{path} is larger than any journal ({limit} bytes)").format(path=self.path, limit=MAX_BYTES))
        try:
            return b"".join(chunks).decode("utf-8")
        except UnicodeDecodeError as error:
            raise JournalError(_("{path} is not a journal: byte {byte} is not UTF-8").format(path=self.path, byte=error.start)) from None

    def recover(self, current: bytes | Sequence[tuple[str, bytes]]) -> Recovered | None:
        """The changes an earlier session left, or None when there is no journal (or only the start of one).

        current: the file's bytes, or for a folder (name relative to the folder, bytes) of each file in origin order.
        Raises JournalError when the journal cannot be read at all.
        """
        files = [(self.name, current)] if isinstance(current, (bytes, bytearray)) else list(current)
        text = self.read()
        if not text:
            return None
        rows = text.split("\n")
        torn = rows.pop()  # "" after the last newline; otherwise a row cut short by a crash mid-write
        if not rows:
            return None  # the crash came while the header was written: no edit was made
        header = _json(rows[0])
        version = header.get("journal") if isinstance(header, dict) else None
        if type(version) is not int or version not in (1, VERSION):
            if type(version) is int and version > VERSION:
                raise JournalError(_("{path} was written by a newer budget-tui (journal version {version})").format(
                    path=self.path, version=version
                ))
            raise JournalError(f"{self.path}:1: " + _("not a budget-tui journal"))
        entries = [(number, _json(row)) for number, row in enumerate(rows[1:], start=2)]
        if torn:
            last = _json(torn)
            if last is not None:  # a whole entry whose newline was not written
                entries.append((len(rows) + 1, last))
        if version == 1:
            assert isinstance(header, dict)
            return self._recover_v1(header, entries, files)
        by_name = {name: (origin, sha256(data)) for origin, (name, data) in enumerate(files)}
        changes, refused = [], []
        for number, entry in entries:
            if not isinstance(entry, dict):
                refused.append(Refused(number, "", None, _("not a journal entry")))
                continue
            name = entry.get("file")
            name = name if isinstance(name, str) else ""
            if name not in by_name:
                reason = _("no file is named in the entry") if not name else _("{name} is no longer there").format(name=name)
                refused.append(Refused(number, name, _readable(entry, 0), reason))
                continue
            origin, digest = by_name[name]
            if entry.get("sha256") != digest:
                refused.append(Refused(number, name, _readable(entry, origin), _("{name} changed since the edit was made").format(
                    name=name
                )))
                continue
            try:
                changes.append(_change_from_json(entry, origin))
            except _Invalid as error:
                refused.append(Refused(number, name, None, str(error)))
        return Recovered(changes, refused, self.path)

    def _recover_v1(self, header: dict, entries: list, files: list[tuple[str, bytes]]) -> Recovered:
        """A journal of an earlier version: its entries name their file by position, which holds only while the
        files are exactly those it was written for (same files, same bytes, same order)."""
        same = header.get("base_sha256") == sha256(b"".join(data for _, data in files))
        changes, refused = [], []
        for number, entry in entries:
            raw = entry.get("after") or entry.get("before") if isinstance(entry, dict) else None
            origin = raw.get("origin", 0) if isinstance(raw, dict) else None
            if not isinstance(origin, int) or isinstance(origin, bool) or not 0 <= origin < len(files):
                refused.append(Refused(number, "", None, _("not a journal entry")))
                continue
            name = files[origin][0]
            if not same:
                reason = _("the files changed since the edit was made (a journal of an earlier budget-tui names them by position)")
                refused.append(Refused(number, name, _readable(entry, origin), reason))
                continue
            try:
                changes.append(_change_from_json(entry, origin))
            except _Invalid as error:
                refused.append(Refused(number, name, None, str(error)))
        return Recovered(changes, refused, self.path)


def _json(row: str) -> object | None:
    """One row as JSON, or None when it is not (malformed, nested beyond what the parser takes)."""
    try:
        return json.loads(row)
    except (ValueError, RecursionError):
        return None


def _readable(entry: dict, origin: int) -> Change | None:
    """The edit an entry records when it is a valid one (to show it), else None."""
    try:
        return _change_from_json(entry, origin)
    except _Invalid:
        return None
