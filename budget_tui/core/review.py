"""Review marks and comments on a budget's nodes, in memory (pure: budget_tui.files.review keeps them on disk).

Notes are keyed by node ids written as text (`f:2010301`, `line:2010301:30101:basic:一般公共预算:`, see
budget_tui.core.ids), which are codes, not positions: they survive edits. A note whose node is no longer in the budget
(its line was recoded or deleted) is kept and listed as orphaned until its node comes back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from budget_tui.core.ids import ROOT, NodeId
from budget_tui.core.model import Budget
from budget_tui.core.tree import ECONOMIC, FUNCTIONAL, Node, Tree, label


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


def node_label(node: Node) -> str:
    """The node's path from the top, e.g. `201 一般公共服务支出 / … / 30201 办公费`."""
    return " / ".join(label(n) for n in reversed(node.path())) or node.name


class Marks:
    """The marks and comments on one budget, by node id text; what changed here is remembered for merging."""

    def __init__(self, notes: dict[str, Note] | None = None, departments: Sequence[str] = ()):
        self.notes: dict[str, Note] = dict(notes or {})
        self.departments = tuple(departments)
        """For a folder, each department file's path in it, by origin: node ids name the file."""
        self._touched: set[str] = set()

    def key(self, node_id: tuple) -> str:
        """A node id as the text notes are keyed by."""
        return NodeId(node_id).to_text(self.departments)

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

    def _update(self, node: Node, by: str, **fields: object) -> Note:
        key = self.key(node.id)
        existing = self.notes.get(key) or Note(key)
        note = replace(existing, label=node_label(node), by=by or existing.by, **fields)  # type: ignore[arg-type]
        if note.is_empty:
            self.notes.pop(key, None)
        else:
            self.notes[key] = note
        self._touched.add(key)
        return note

    def next_flagged(self, tree_order: list[NodeId], current: NodeId | None, forward: bool = True) -> NodeId | None:
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
        known = {self.key(node_id) for node_id in review_nodes(budget)}
        return [note for key, note in sorted(self.notes.items()) if key not in known]

    def merged_into(self, notes: dict[str, Note]) -> dict[str, Note]:
        """Notes as others left them (the file as it is now) with the ones changed here applied: only those win."""
        merged = dict(notes)
        for key in self._touched:
            if key in self.notes:
                merged[key] = self.notes[key]
            else:
                merged.pop(key, None)
        return merged

    def saved_as(self, notes: dict[str, Note]) -> None:
        """The notes were written as given (see merged_into): they are now these, and nothing is left to write."""
        self.notes = notes
        self._touched.clear()


def review_nodes(budget: Budget) -> dict[NodeId, Node]:
    """Every node of the functional then the economic view by id, root first, lines as the functional view shows them."""
    nodes: dict[NodeId, Node] = {}
    for view in (FUNCTIONAL, ECONOMIC):
        tree = Tree(budget, view)
        nodes.setdefault(ROOT, tree.root)
        for node in tree.root.walk():
            nodes.setdefault(node.id, node)
    return nodes


__all__ = ["Marks", "Note", "node_label", "review_nodes"]
