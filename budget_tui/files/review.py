"""Review marks and comments, kept in a side file `NAME.review.toml` beside the budget (docs/format.md).

Notes are keyed by node ids written as text (`f:2010301`, `line:2010301:30101:basic:一般公共预算:`),
which are codes, not positions: they survive edits. A note whose node is no longer in the budget
(its line was recoded or deleted) is kept and listed as orphaned until its node comes back.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote

from budget_tui.core.model import FUND_BY_NAME, Budget, Kind, LineKey
from budget_tui.core.safetext import OneLineMessage, clean
from budget_tui.core.tree import ECONOMIC, FUNCTIONAL, Node, Tree
from budget_tui.files.locate import locate, nearest
from budget_tui.files.safeopen import FileTooLarge, TomlFileError, UnsafeFileError, parse_toml, read_regular

FORMAT = 1
KIND_CODES = {Kind.BASIC: "basic", Kind.PROJECT: "project"}
KIND_BY_CODE = {code: kind for kind, code in KIND_CODES.items()}
ROOT_ID = ("root",)
MAX_REVIEW_BYTES = 16 * 1024 * 1024
"""Far more than the notes on every node of the largest budget; a larger file is not a review file."""


class ReviewFileError(OneLineMessage, ValueError):
    """A review file that cannot be read; the message (one clean line) is `PATH:LINE:COL: what is wrong`, or `PATH: …`
    without a line."""


@dataclass(frozen=True)
class Note:
    """A reviewer's mark and comment on one node, with the node's label when it was written."""

    node: str
    label: str = ""
    reviewed: bool = False
    comment: str = ""
    by: str = ""

    @property
    def is_empty(self) -> bool:
        return not self.reviewed and not self.comment


# -- node ids as text ----------------------------------------------------------------------------


def _escape(part: str) -> str:
    return part.replace("%", "%25").replace(":", "%3A")


def encode_id(node_id: tuple, departments: Sequence[str] = ()) -> str:
    """`root`, `f:2010301`, `f:2010301:basic:302`, `e:30201`, `line:项:款:basic|project:fund:project`.

    In a folder (departments: each file's path in it), a department's nodes start `d:FILE:` and a line ends
    `:FILE`, so a note follows its file, not the file's position in the folder.
    """
    if node_id == ROOT_ID:
        return "root"
    if node_id[0] == "d":
        origin = node_id[1]
        head = "d:" + _escape(_department(origin, departments))
        return head + "".join(":" + _escape(str(part)) for part in node_id[2:])
    if node_id[0] == "line":
        key: LineKey = node_id[1]
        parts = [key.functional, key.economic, KIND_CODES[key.kind], key.fund.value, key.project or ""]
        if departments or key.origin != 0:
            parts.append(_department(key.origin, departments))
        return "line:" + ":".join(_escape(part) for part in parts)
    return ":".join(_escape(str(part)) for part in node_id)


def _department(origin: int | str, departments: Sequence[str]) -> str:
    """A department file by its path in the folder, or by its index when the paths are not known."""
    return departments[origin] if departments and isinstance(origin, int) else str(origin)


def _origin(text: str, departments: Sequence[str]) -> int | str:
    """The index of a department file; a file no longer in the folder stays its path, so its notes are orphans."""
    if text in departments:
        return list(departments).index(text)
    index = text.isascii() and text.isdigit() and len(text) <= 9  # not '²', nor 5000 digits (int() refuses both)
    return int(text) if index and not departments else text


def decode_id(text: str, departments: Sequence[str] = ()) -> tuple:
    """The node id a text stands for; raises ValueError when it is none."""
    if text == "root":
        return ROOT_ID
    head, *parts = [unquote(part) for part in text.split(":")]
    if head == "d" and parts and all(parts):
        origin = _origin(parts[0], departments)
        if len(parts) == 1 or (parts[1] in ("f", "e") and len(parts) > 2):  # no recursion: `d:x:d:x:…` is no id
            return ("d", origin, *parts[1:])
    if head in ("f", "e") and parts and all(parts):
        return (head, *parts)
    if head == "line" and len(parts) in (5, 6) and parts[2] in KIND_BY_CODE and parts[3] in FUND_BY_NAME and all(parts[5:]):
        functional, economic, kind, fund, project = parts[:5]
        origin = _origin(parts[5], departments) if len(parts) == 6 else 0
        return ("line", LineKey(KIND_BY_CODE[kind], project or None, FUND_BY_NAME[fund], functional, economic, origin))
    shown = text if len(text) <= 80 else text[:79] + "…"
    raise ValueError(f"{shown!r} is not a node id (root, f:…, e:…, d:… or line:…)")


def node_label(node: Node) -> str:
    """The node's path from the top, e.g. `201 一般公共服务支出 / … / 30201 办公费`."""
    return " / ".join(f"{n.code} {n.name}".strip() for n in reversed(node.path())) or node.name


# -- the review ----------------------------------------------------------------------------------


def departments(budget: Budget, folder: Path) -> tuple[str, ...]:
    """For a folder's consolidated budget, each file's path in the folder by origin (for node ids); else none."""
    if not budget.is_consolidated:
        return ()
    return tuple(Path(source.path).relative_to(folder).as_posix() for source in budget.sources)


def review_path(budget_path: Path) -> Path:
    """`NAME.review.toml` beside the budget file (the real file, symlinks followed)."""
    target = Path(os.path.realpath(budget_path))
    return target.with_name(f"{target.stem}.review.toml")


class Review:
    """The marks and comments on one budget; changed in memory, written by save()."""

    def __init__(self, path: Path, notes: dict[str, Note] | None = None, departments: Sequence[str] = ()):
        self.path = Path(path)
        self.notes: dict[str, Note] = dict(notes or {})
        self.departments = tuple(departments)
        """For a folder, each department file's path in it, by origin: node ids name the file."""
        self._touched: set[str] = set()

    @classmethod
    def open(cls, budget_path: Path, departments: Sequence[str] = ()) -> Review:
        """The review of a budget file (or folder): its side file's notes, or none when there is no side file yet."""
        path = review_path(budget_path)
        return cls(path, read_notes(path), departments)

    def key(self, node_id: tuple) -> str:
        """A node id as the text the side file keys notes by."""
        return encode_id(node_id, self.departments)

    @property
    def dirty(self) -> bool:
        return bool(self._touched)

    def note(self, node_id: tuple) -> Note | None:
        return self.notes.get(self.key(node_id))

    def is_reviewed(self, node_id: tuple) -> bool:
        note = self.note(node_id)
        return note is not None and note.reviewed

    def is_flagged(self, node_id: tuple) -> bool:
        """True for a node that needs a look: not reviewed yet, or commented."""
        note = self.note(node_id)
        return note is None or not note.reviewed or bool(note.comment)

    def mark(self, node: Node, reviewed: bool = True, by: str = "") -> Note:
        """Mark a node reviewed (or not)."""
        return self._update(node, by, reviewed=reviewed)

    def toggle(self, node: Node, by: str = "") -> Note:
        """Mark a node reviewed, or unmark it when it is."""
        return self.mark(node, not self.is_reviewed(node.id), by)

    def comment(self, node: Node, text: str, by: str = "") -> Note:
        """Attach a comment to a node; an empty text removes it."""
        return self._update(node, by, comment=text.strip())

    def _update(self, node: Node, by: str, **fields) -> Note:
        key = self.key(node.id)
        existing = self.notes.get(key) or Note(key)
        note = replace(existing, label=node_label(node), by=by or existing.by, **fields)
        if note.is_empty:
            self.notes.pop(key, None)
        else:
            self.notes[key] = note
        self._touched.add(key)
        return note

    def next_flagged(self, tree_order: list[tuple], current: tuple | None, forward: bool = True) -> tuple | None:
        """The next (or previous) node after current that is unreviewed or commented, wrapping; None when none."""
        if not tree_order:
            return None
        start = tree_order.index(current) if current in tree_order else (-1 if forward else len(tree_order))
        step = 1 if forward else -1
        for offset in range(1, len(tree_order) + 1):
            candidate = tree_order[(start + step * offset) % len(tree_order)]
            if candidate != current and self.is_flagged(candidate):
                return candidate
        return None

    def orphans(self, budget: Budget) -> list[Note]:
        """The notes whose node is in neither view of the budget any more (recoded or deleted)."""
        known = {self.key(node_id) for node_id in _nodes(budget)}
        return [note for key, note in sorted(self.notes.items()) if key not in known]

    def save(self) -> None:
        """Write the notes atomically, merged with the file as it is now: only the notes changed here win.

        Raises ReviewFileError when the file is no longer a review file (or a link), OSError when it cannot be written;
        a link put in its place meanwhile is replaced, never written through.
        """
        from budget_tui.files.atomic import write_atomic

        merged = read_notes(self.path)
        for key in self._touched:
            if key in self.notes:
                merged[key] = self.notes[key]
            else:
                merged.pop(key, None)
        write_atomic(self.path, render_notes(merged, self.path).encode("utf-8"), follow_symlinks=False)
        self.notes = merged
        self._touched.clear()


def _nodes(budget: Budget) -> dict[tuple, Node]:
    """Every node of the functional then the economic view by id, root first, lines as the functional view shows them."""
    nodes: dict[tuple, Node] = {}
    for view in (FUNCTIONAL, ECONOMIC):
        tree = Tree(budget, view)
        nodes.setdefault(ROOT_ID, tree.root)
        for node in tree.root.walk():
            nodes.setdefault(node.id, node)
    return nodes


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
        raise ReviewFileError(f"{error}: not a review file") from None
    except UnsafeFileError as error:
        raise ReviewFileError(f"{error}; a review file is a plain file beside the budget and is never read through a link") from None
    except OSError as error:
        raise ReviewFileError(f"{path}: cannot be read: {error.strerror or error}") from None
    try:
        document, text = parse_toml(data, path)
    except TomlFileError as error:
        raise ReviewFileError(f"{error.path}:{error.line}:{error.column}: not a review file: {error.message}") from None
    locations = locate(text)

    def fail(key_path: tuple[str, ...], message: str) -> ReviewFileError:
        return ReviewFileError(f"{path}:{nearest(locations, key_path)}:1: {message}")

    version = document.get("format", FORMAT)
    if version != FORMAT or not isinstance(version, int) or isinstance(version, bool):
        shown = version if isinstance(version, int) and abs(version) < 10**9 else "(not a version number)"
        raise fail(("format",), f"format {shown} is not {FORMAT}: written by a newer budget-tui, or not a review file")
    entries = document.get("note", [])
    if not isinstance(entries, list):
        raise fail(("note",), "note must be [[note]] tables")
    notes: dict[str, Note] = {}
    for index, entry in enumerate(entries, start=1):
        where = ("note", str(index - 1))
        try:
            note = _note_from(entry)
        except ReviewFileError as error:
            raise fail(where + error.args[1:], f"note {index}: {error.args[0]}") from None
        if note.node in notes:
            raise fail(where + ("node",), f"note {index}: {clean(note.node)[:80]} is listed twice")
        notes[note.node] = note
    return notes


def _note_from(entry: object) -> Note:
    """The note in one [[note]] table; ReviewFileError(message, key) naming the key at fault."""
    if not isinstance(entry, dict):
        raise ReviewFileError("expected a table")
    unknown = set(entry) - {"node", "label", "reviewed", "comment", "by"}
    if unknown:
        key = sorted(unknown)[0]
        raise ReviewFileError(f"unknown key {key[:40]!r}; the keys are node, label, reviewed, comment, by", key)
    types = {"node": str, "label": str, "reviewed": bool, "comment": str, "by": str}
    for key, value in entry.items():
        if not isinstance(value, types[key]):
            raise ReviewFileError(f"{key} must be {'true or false' if types[key] is bool else 'text'}", key)
    try:
        decode_id(entry.get("node", ""))
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


# -- budget-tui print PATH --review ------------------------------------------------------------------


def render_review(review: Review, budget: Budget) -> str:
    """The marks and comments as plain text, in tree order, then the orphaned ones."""
    if not review.notes:
        return f"No review marks or comments ({review.path.name} has none).\n"
    nodes = _nodes(budget)
    reviewed = sum(note.reviewed for note in review.notes.values())
    commented = sum(bool(note.comment) for note in review.notes.values())
    text = [
        f"Review of {clean(budget.department.name)} {budget.department.year} ({review.path.name})",
        f"{reviewed} reviewed, {commented} commented",
        "",
    ]
    for node_id, node in nodes.items():
        note = review.note(node_id)
        if note is not None:
            text += _note_lines(note, _short_label(node))
    orphans = review.orphans(budget)
    if orphans:
        text += ["", "Orphaned (the node is no longer in the budget):"]
        for note in orphans:
            text += _note_lines(note, f"{clean(note.label)} [{clean(note.node)}]")
    return "\n".join(text) + "\n"


def _short_label(node: Node) -> str:
    """A node's code and name; a line's with its 项 so it reads on its own."""
    label = f"{node.code} {node.name}".strip()
    if node.line is not None:
        label = f"{node.line.functional} {label}"
    return clean(label)


def _note_lines(note: Note, label: str) -> list[str]:
    mark = "[x]" if note.reviewed else "[ ]"
    by = f" ({clean(note.by)})" if note.by else ""
    lines = [f"{mark} {label}{by}"]
    lines += [f"      {clean(row)}" for row in note.comment.splitlines()]
    return lines


__all__ = [
    "Note",
    "Review",
    "ReviewFileError",
    "decode_id",
    "departments",
    "encode_id",
    "node_label",
    "read_notes",
    "render_notes",
    "render_review",
    "review_path",
]
