"""The review file: the marks and comments on a budget, kept in a side file `NAME.review.toml` beside it (docs/format.md).

The marks themselves (notes keyed by node id text, orphans, next flagged node) are budget_tui.core.review; this module
reads and writes them, merged with what others wrote meanwhile.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

from budget_tui.core.ids import NodeId
from budget_tui.core.model import Budget
from budget_tui.core.review import Marks, Note, node_label
from budget_tui.core.safetext import OneLineMessage, clean
from budget_tui.files.locate import locate, nearest
from budget_tui.files.safeopen import FileTooLarge, TomlFileError, UnsafeFileError, parse_toml, read_regular
from budget_tui.i18n import _

FORMAT = 1
MAX_REVIEW_BYTES = 16 * 1024 * 1024
"""Far more than the notes on every node of the largest budget; a larger file is not a review file."""


class ReviewFileError(OneLineMessage, ValueError):
    """A review file that cannot be read; the message (one clean line) is `PATH:LINE:COL: what is wrong`, or `PATH: …`
    without a line."""


def departments(budget: Budget, folder: Path) -> tuple[str, ...]:
    """For a folder's consolidated budget, each file's path in the folder by origin (for node ids); else none."""
    if not budget.is_consolidated:
        return ()
    return tuple(Path(source.path).relative_to(folder).as_posix() for source in budget.sources)


def review_path(budget_path: Path) -> Path:
    """`NAME.review.toml` beside the budget file (the real file, symlinks followed)."""
    target = Path(os.path.realpath(budget_path))
    return target.with_name(f"{target.stem}.review.toml")


class Review(Marks):
    """The marks and comments on one budget and the side file they are kept in; changed in memory, written by save()."""

    def __init__(self, path: Path, notes: dict[str, Note] | None = None, departments: Sequence[str] = ()):
        super().__init__(notes, departments)
        self.path = Path(path)

    @classmethod
    def open(cls, budget_path: Path, departments: Sequence[str] = ()) -> Review:
        """The review of a budget file (or folder): its side file's notes, or none when there is no side file yet."""
        path = review_path(budget_path)
        return cls(path, read_notes(path), departments)

    def save(self) -> None:
        """Write the notes atomically, merged with the file as it is now: only the notes changed here win.

        Raises ReviewFileError when the file is no longer a review file (or a link), OSError when it cannot be written;
        a link put in its place meanwhile is replaced, never written through.
        """
        from budget_tui.files.atomic import write_atomic

        merged = self.merged_into(read_notes(self.path))
        write_atomic(self.path, render_notes(merged, self.path).encode("utf-8"), follow_symlinks=False)
        self.saved_as(merged)


# -- the file ------------------------------------------------------------------------------------


def read_notes(path: Path) -> dict[str, Note]:
    """The notes of a review file by node id text; none when the file does not exist.

    The file is a side file others may write: a link, a FIFO or anything but a regular file is refused unread.
    """
    try:
        data = read_regular(path, MAX_REVIEW_BYTES, follow_symlinks=False)
    except FileNotFoundError:
        return {}
    except FileTooLarge as error:
        raise ReviewFileError(_("{error}: not a review file").format(error=error)) from None
    except UnsafeFileError as error:
        raise ReviewFileError(_("{error}; a review file is a plain file beside the budget and is never read through a link").format(
            error=error
        )) from None
    except OSError as error:
        raise ReviewFileError(_("{path}: cannot be read: {reason}").format(path=path, reason=error.strerror or error)) from None
    try:
        document, text = parse_toml(data, path)
    except TomlFileError as error:
        raise ReviewFileError(f"{error.path}:{error.line}:{error.column}: " + _("not a review file: {reason}").format(
            reason=error.message
        )) from None
    locations = locate(text)

    def fail(key_path: tuple[str, ...], message: str) -> ReviewFileError:
        return ReviewFileError(f"{path}:{nearest(locations, key_path)}:1: {message}")

    version = document.get("format", FORMAT)
    if version != FORMAT or not isinstance(version, int) or isinstance(version, bool):
        shown = version if isinstance(version, int) and abs(version) < 10**9 else _("(not a version number)")
        raise fail(("format",), _("format {version} is not {format}: written by a newer budget-tui, or not a review file").format(
            version=shown, format=FORMAT
        ))
    entries = document.get("note", [])
    if not isinstance(entries, list):
        raise fail(("note",), _("note must be [[note]] tables"))
    notes: dict[str, Note] = {}
    for index, entry in enumerate(entries, start=1):
        where = ("note", str(index - 1))
        try:
            note = _note_from(entry)
        except ReviewFileError as error:
            raise fail(where + error.args[1:], _("note {index}: {reason}").format(index=index, reason=error.args[0])) from None
        if note.node in notes:
            raise fail(where + ("node",), _("note {index}: {node} is listed twice").format(index=index, node=clean(note.node)[:80]))
        notes[note.node] = note
    return notes


def _note_from(entry: object) -> Note:
    """The note in one [[note]] table; ReviewFileError(message, key) naming the key at fault."""
    if not isinstance(entry, dict):
        raise ReviewFileError(_("expected a table"))
    unknown = set(entry) - {"node", "label", "reviewed", "comment", "by"}
    if unknown:
        key = sorted(unknown)[0]
        raise ReviewFileError(_("unknown key {key!r}; the keys are node, label, reviewed, comment, by").format(key=key[:40]), key)
    types = {"node": str, "label": str, "reviewed": bool, "comment": str, "by": str}
    for key, value in entry.items():
        if not isinstance(value, types[key]):
            raise ReviewFileError((_("{key} must be true or false") if types[key] is bool else _("{key} must be text")).format(
                key=key
            ), key)
    try:
        NodeId.from_text(entry.get("node", ""))
    except ValueError as error:
        raise ReviewFileError(str(error), "node") from None
    return Note(**entry)


def render_notes(notes: dict[str, Note], path: Path) -> str:
    """The review file's text: a header, then one [[note]] per node in id order."""
    import tomlkit

    document = tomlkit.document()
    document.add(tomlkit.comment(f"Review marks and comments for {path.name.removesuffix('.review.toml')}.toml, written by budget-tui."))
    document.add(tomlkit.comment("The budget file keeps the official figures; this file only the reviewers' notes."))
    document.add("format", FORMAT)
    entries = tomlkit.aot()
    for key in sorted(notes):
        note = notes[key]
        table = tomlkit.table()
        table.add("node", note.node)
        table.add("label", note.label)
        table.add("reviewed", note.reviewed)
        if note.comment:
            table.add("comment", note.comment)
        if note.by:
            table.add("by", note.by)
        entries.append(table)
    document.add("note", entries)
    return tomlkit.dumps(document)


__all__ = [
    "Note",
    "Review",
    "ReviewFileError",
    "departments",
    "node_label",
    "read_notes",
    "render_notes",
    "review_path",
]
