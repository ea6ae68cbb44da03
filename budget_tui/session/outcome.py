"""What a session's change returns (where the cursor goes, what to repaint) and where a new line goes."""

from __future__ import annotations

from dataclasses import dataclass

from budget_tui.core.ids import NodeId
from budget_tui.core.model import Fund, Kind
from budget_tui.core.tree import Node


@dataclass
class Outcome:
    """What a change did to the tree, so the view can repaint the least and put the cursor back."""

    targets: list[NodeId]
    """Node ids for the cursor, best first: the changed line, then its neighbours and ancestors."""
    changed: list[Node] | None = None
    """The nodes whose totals changed in place; None when the tree was rebuilt."""
    unchanged: bool = False
    """True when the change asked for left the budget as it was: it is not an edit (no undo step, no journal entry)."""

    @property
    def rebuilt(self) -> bool:
        return self.changed is None


@dataclass(frozen=True)
class Place:
    """Where a line added at the cursor goes: under a 项, in a group (基本支出 or a project) and a department file."""

    item: Node
    """The 项."""
    kind: Kind
    project: str | None
    fund: Fund
    origin: int
    """The department file (0 for a single file)."""


def neighbour_ids(node: Node) -> list[NodeId]:
    """Where the cursor may go when a node disappears: its next and previous siblings, then its ancestors."""
    siblings = node.parent.children if node.parent is not None else []
    index = siblings.index(node)
    nearby = siblings[index + 1 : index + 2] + siblings[max(index - 1, 0) : index]
    return [sibling.id for sibling in nearby] + [ancestor.id for ancestor in node.path()[1:]]


__all__ = ["Outcome", "Place", "neighbour_ids"]
