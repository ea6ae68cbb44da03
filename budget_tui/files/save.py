"""Saving: the changed lines rewritten in place (files/inplace.py), re-read to prove it, written atomically
(files/atomic.py) only when the file on disk is still the one that was loaded."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from budget_tui.core.model import Budget, Line, Source
from budget_tui.core.money import format_amount
from budget_tui.files.amounts import replace_amounts
from budget_tui.files.atomic import ChangedOnDisk, Prepared, WriteRefused, commit, discard, prepare, save_lock, write_atomic
from budget_tui.files.fileformat import BudgetFileError, parse
from budget_tui.files.fingerprint import Fingerprint, changed_on_disk
from budget_tui.files.inplace import SaveError, line_attributes, render

__all__ = ["ChangedOnDisk", "Fingerprint", "SaveError", "WriteRefused", "changed_on_disk", "render", "save", "write_atomic"]


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
        line = new if new is not None else old
        assert line is not None, "a change has a line before or after it"
        by_origin[line.origin].append((old, new))
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
    prepared: list[Prepared] = []
    writing = planned[0][1] if planned else path  # the file an OSError is about
    try:
        with save_lock([destination for _, destination, _ in planned]):
            for origin, destination, _ in planned:
                loaded = fingerprint if fingerprint is not None and origin == 0 else budget.sources[origin].fingerprint
                if path is None and isinstance(loaded, Fingerprint) and changed_on_disk(destination, loaded):
                    raise ChangedOnDisk(f"{destination} changed on disk since it was loaded; reload it or save under another name")
            try:
                for _, writing, (data, _) in planned:
                    prepared.append(prepare(writing, data))
                commit(prepared)
            finally:
                writing = next((item.path for item in prepared if not item.done), writing)
                discard([item for item in prepared if not item.done])
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
    key, amount and every attribute.

    Amount edits alone are written by replacing each number's text where it stands, each line proven by reading it
    back on its own (files/amounts.py: milliseconds, where tomlkit takes seconds for a large file); the lines do not
    move, so the file's locations stay. Anything else is written by tomlkit and the whole text read back.
    """
    data = replace_amounts(source, changes)
    if data is not None:
        return data, Source(destination, data, source.locations, source.department)
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
    attributes = "".join(f", {key} {value}" for key, value in line_attributes(line).items() if value is not None)
    return format_amount(line.amount) + attributes
