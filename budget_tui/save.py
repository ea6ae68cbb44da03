"""Saving: only the edited amounts' text changes, the write is atomic, and the result is re-read to prove it.

tomlkit is used here only, when a save is about to happen: it keeps comments, order and layout,
so a save without edits is byte-identical and an edit changes only its own line.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections import defaultdict
from pathlib import Path

import tomlkit
from tomlkit.items import Float, InlineTable, Table, Trivia

from budget_tui.fileformat import BOM, BudgetFileError, decode, parse
from budget_tui.fingerprint import Fingerprint, changed_on_disk
from budget_tui.model import Budget, Fund, Kind, Line, Source
from budget_tui.money import format_amount
from budget_tui.safetext import OneLineMessage


class SaveError(OneLineMessage):
    """A save that did not happen; the file on disk is unchanged and the edits are still in memory (one clean line)."""


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


def write_atomic(path: Path, data: bytes) -> None:
    """Replace the file with data, all or nothing: temp file beside it, fsync, rename, fsync the folder.

    A symlink is followed (its target is replaced); the file's mode (and owner, where allowed) is kept.
    """
    target = Path(os.path.realpath(path))
    folder = target.parent
    try:
        st = os.stat(target)
        mode, owner = stat.S_IMODE(st.st_mode), (st.st_uid, st.st_gid)
    except FileNotFoundError:
        mode, owner = 0o644, None
    descriptor, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        if owner is not None and hasattr(os, "chown"):
            try:
                os.chown(temp_name, *owner)
            except PermissionError:
                pass
        os.replace(temp_name, target)
    except BaseException:
        try:
            os.unlink(temp_name)
        except FileNotFoundError:
            pass
        raise
    folder_fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(folder_fd)
    finally:
        os.close(folder_fd)


def save(
    budget: Budget,
    changes: list[tuple[Line | None, Line | None]],
    fingerprint: Fingerprint | None = None,
    path: Path | None = None,
) -> Source:
    """Write the changes to the files they belong to (or to path, for save-as of a single file).

    Only files with changes are rewritten. Every new text is proven to read back to exactly the
    budget's lines before any file is replaced; a file changed on disk since it was loaded is
    never overwritten. The budget's sources then describe the files as written.
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
    for origin, destination, (data, new_source) in planned:
        try:
            write_atomic(destination, data)
        except OSError as error:
            raise SaveError(f"cannot write {destination}: {error.strerror or error}; the edits are kept") from None
        budget.sources[origin] = Source(
            destination, data, new_source.locations, new_source.department, Fingerprint.of(destination, data)
        )
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
