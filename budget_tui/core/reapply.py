"""Re-applying your edits to a file that changed on disk: a three-way merge by lines.

Your edits are the line changes from the text you loaded (base) to the text a save would write (mine). Each is applied
to the text on disk now (theirs) where every line it touches is unchanged there; an edit whose lines were changed or
removed on disk is a conflict, reported and never written over the change on disk. Lines added on disk elsewhere stay.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from budget_tui.core.safetext import one_line, truncate
from budget_tui.i18n import _

QUOTED = 60
"""Columns of a file's line quoted in a conflict's one-line description."""


@dataclass(frozen=True)
class LineEdit:
    """One change of yours: base lines start..end (0-based, end excluded; equal for an insertion) become `lines`."""

    start: int
    end: int
    before: tuple[str, ...]
    """The base lines replaced (empty for an insertion)."""
    lines: tuple[str, ...]
    """The lines that replace them (empty for a deletion)."""


@dataclass(frozen=True)
class Conflict:
    """An edit of yours whose lines were changed or removed on disk: it is not applied."""

    edit: LineEdit
    on_disk: tuple[str, ...]
    """What the file on disk has in place of the edit's lines (empty: they were removed)."""

    def describe(self) -> str:
        """One line: where the edit was, what you made of the line, and what the disk did to it."""
        edit = self.edit
        yours = quote(edit.lines[0]) if edit.lines else _("deleted")
        before = quote(edit.before[0]) if edit.before else ""
        where = _("line {line}").format(line=edit.start + 1)
        if not self.on_disk:
            return _("{where}: {before} → {yours}: that line was removed on disk").format(where=where, before=before, yours=yours)
        return _("{where}: {before} → {yours}: changed on disk to {disk}").format(
            where=where, before=before, yours=yours, disk=quote(self.on_disk[0])
        )


@dataclass(frozen=True)
class Reapplied:
    """The text on disk with your edits that apply, and those that do not."""

    text: str
    applied: tuple[LineEdit, ...]
    conflicts: tuple[Conflict, ...]


def quote(line: str) -> str:
    """A file's line as a message quotes it: one clean line, stripped, cut to QUOTED columns."""
    return truncate(one_line(line.strip()), QUOTED)


def line_edits(base: list[str], mine: list[str]) -> list[LineEdit]:
    """Your edits: the line changes that turn base into mine, in order."""
    matcher = SequenceMatcher(None, base, mine, autojunk=False)
    return [
        LineEdit(i1, i2, tuple(base[i1:i2]), tuple(mine[j1:j2]))
        for tag, i1, i2, j1, j2 in matcher.get_opcodes()
        if tag != "equal"
    ]


def reapply(base: str, mine: str, theirs: str) -> Reapplied:
    """Apply the edits from base to mine onto theirs where the lines they touch are unchanged there (see the module).

    An insertion goes after the base line before it (or before the base line after it) when that line is unchanged on
    disk. Line endings are kept as each text has them.
    """
    base_lines, theirs_lines = base.splitlines(keepends=True), theirs.splitlines(keepends=True)
    mapped: dict[int, int] = {}
    """Base line → the same, unchanged line in theirs."""
    disk: dict[int, tuple[str, ...]] = {}
    """Base line changed on disk → what theirs has in its place (empty: removed)."""
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, base_lines, theirs_lines, autojunk=False).get_opcodes():
        for offset in range(i2 - i1):
            if tag == "equal":
                mapped[i1 + offset] = j1 + offset
            else:
                disk[i1 + offset] = tuple(theirs_lines[j1:j2])
    applied: list[tuple[int, int, LineEdit]] = []
    conflicts: list[Conflict] = []
    for edit in line_edits(base_lines, mine.splitlines(keepends=True)):
        place = _place(edit, mapped, len(base_lines), len(theirs_lines))
        if place is None:
            touched = range(edit.start, edit.end) if edit.end > edit.start else range(max(edit.start - 1, 0), edit.start + 1)
            on_disk = next((disk[line] for line in touched if line in disk), ())
            conflicts.append(Conflict(edit, on_disk))
        else:
            applied.append((place[0], place[1], edit))
    result = list(theirs_lines)
    for start, end, edit in reversed(applied):
        lines = list(edit.lines)
        if lines and start == len(result) and result and not result[-1].endswith(("\n", "\r")):
            result[-1] += _newline(theirs)  # appending after a last line without a line break
        result[start:end] = lines
    return Reapplied("".join(result), tuple(edit for _, _, edit in applied), tuple(conflicts))


def _place(edit: LineEdit, mapped: dict[int, int], base_count: int, theirs_count: int) -> tuple[int, int] | None:
    """Where in theirs the edit goes (start, end), or None when a line it touches changed on disk."""
    if edit.end > edit.start:
        positions = [mapped.get(line) for line in range(edit.start, edit.end)]
        if None in positions:
            return None
        first, last = positions[0], positions[-1]
        assert first is not None and last is not None
        if last - first != edit.end - edit.start - 1:  # lines were added on disk between them
            return None
        return first, last + 1
    if edit.start > 0 and edit.start - 1 in mapped:
        after = mapped[edit.start - 1] + 1
        return after, after
    if edit.start < base_count and edit.start in mapped:
        return mapped[edit.start], mapped[edit.start]
    if base_count == 0:
        return theirs_count, theirs_count
    return None


def _newline(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


__all__ = ["Conflict", "LineEdit", "Reapplied", "line_edits", "quote", "reapply"]
