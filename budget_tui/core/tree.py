"""The drill-down tree, derived from the lines: functional 类 → 款 → 项 → (基本支出 | project) → economic 类 → 款.

Every inner node's total is the sum of its children; an edit recomputes only the path to the root.
The inverse view goes economic 类 → 款 → the functional 项 lines that make each up.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal

from budget_tui.core.catalogue import economic_class, functional_path
from budget_tui.core.gcpause import gc_paused
from budget_tui.core.ids import ROOT, Level, NodeId
from budget_tui.core.model import Budget, Fund, Kind, Line, LineKey
from budget_tui.core.money import ZERO, format_amount, total
from budget_tui.core.safetext import clean, pad, width

FUNCTIONAL = "functional"
ECONOMIC = "economic"


@dataclass(eq=False, slots=True)
class Node:
    """One row of the tree: a code, a name, a derived total, and its children."""

    id: NodeId
    """Stable across rebuilds: the cursor returns to the node with the same id after an edit."""
    code: str
    name: str
    level: Level
    """类, 款, 项, 支出类型, 经济类, 经济款 (economic view: 项 leaves under 经济款)."""
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    total: Decimal = ZERO
    line: Line | None = None
    """The budget line of a leaf; None on inner nodes."""

    @property
    def is_leaf(self) -> bool:
        return self.line is not None

    @property
    def depth(self) -> int:
        depth, node = 0, self.parent
        while node is not None:
            depth, node = depth + 1, node.parent
        return depth - 1

    def path(self) -> list[Node]:
        """This node and its ancestors up to (not including) the root."""
        nodes, node = [], self
        while node is not None and node.parent is not None:
            nodes.append(node)
            node = node.parent
        return nodes

    def walk(self) -> Iterator[Node]:
        """This node's descendants, depth first, in display order."""
        for child in self.children:
            yield child
            yield from child.walk()


class Tree:
    """A view of a budget's lines as a tree, with an index from node id and line key to node."""

    def __init__(self, budget: Budget, view: str = FUNCTIONAL, by_department: bool | None = None):
        self.budget = budget
        self.view = view
        self.by_department = budget.is_consolidated if by_department is None else by_department
        """A consolidated budget shows a department level on top unless merged into one tree."""
        self.root = Node(ROOT, "", budget.department.name, Level.ROOT)
        self.by_id: dict[NodeId, Node] = {}
        self.by_line: dict[LineKey, Node] = {}
        self._parents: dict[tuple, Node] = {}
        self._names: dict[str, str] = {}
        build = self._functional if view == FUNCTIONAL else self._economic
        with gc_paused():
            for line in budget.lines:
                build(line)
            del self._parents, self._names
            self._finish(self.root)

    def _child(self, parent: Node, node_id: NodeId, code: str, name: str, level: Level) -> Node:
        node = self.by_id.get(node_id)
        if node is None:
            node = Node(node_id, code, name, level, parent)
            parent.children.append(node)
            self.by_id[node_id] = node
        return node

    def _leaf(self, parent: Node, node_id: NodeId, code: str, name: str, level: Level, line: Line) -> None:
        if line.fund is not Fund.GENERAL:
            name = f"{name}（{line.fund.value}）"
        node = Node(node_id, code, name, level, parent, total=line.amount, line=line)
        parent.children.append(node)
        self.by_id[node_id] = node
        self.by_line[line.key] = node

    def _top(self, line: Line) -> tuple[Node, int | None]:
        """The node a line's classification starts under, and the department of that subtree (None: no departments)."""
        if not self.by_department:
            return self.root, None
        node = self.by_id.get(NodeId.department(line.origin))
        if node is None:
            department = self.budget.sources[line.origin].department
            name = clean(department.name) if department else str(self.budget.sources[line.origin].path)
            node = self._child(self.root, NodeId.department(line.origin), "", name, Level.DEPARTMENT)
        return node, line.origin

    def _functional(self, line: Line) -> None:
        parent_key = (line.origin, line.functional, line.kind, line.project, line.economic[:3])
        node = self._parents.get(parent_key)
        if node is None:
            node = self._parents[parent_key] = self._functional_parent(line)
        self._leaf(node, NodeId.line(line.key), line.economic, self._name(line.economic), Level.ECONOMIC_SECTION, line)

    def _name(self, code: str) -> str:
        """A code's name, looked up once per tree build (thousands of lines share a few hundred codes)."""
        name = self._names.get(code)
        if name is None:
            name = self._names[code] = self.budget.name_of(code)
        return name

    def _functional_parent(self, line: Line) -> Node:
        """The economic-类 node a line hangs under, created with its ancestors as needed."""
        name = self._name
        cls, kuan, xiang = functional_path(line.functional)
        node, department = self._top(line)
        node = self._child(node, NodeId.functional(cls, department), cls, name(cls), Level.CLASS)
        node = self._child(node, NodeId.functional(kuan, department), kuan, name(kuan), Level.SECTION)
        node = self._child(node, NodeId.functional(xiang, department), xiang, name(xiang), Level.ITEM)
        node = self._child(
            node,
            node.id.group(line.kind, line.project),
            "",
            Kind.BASIC.value if line.kind is Kind.BASIC else clean(line.project or ""),
            Level.GROUP,
        )
        ecls = economic_class(line.economic)
        return self._child(node, node.id.economic_class(ecls), ecls, self._name(ecls), Level.ECONOMIC_CLASS)

    def _economic(self, line: Line) -> None:
        name = self._name
        ecls = economic_class(line.economic)
        node, department = self._top(line)
        node = self._child(node, NodeId.economic(ecls, department), ecls, name(ecls), Level.ECONOMIC_CLASS)
        node = self._child(node, NodeId.economic(line.economic, department), line.economic, name(line.economic), Level.ECONOMIC_SECTION)
        label = self._name(line.functional)
        if line.project:
            label = f"{label} · {clean(line.project)}"
        self._leaf(node, NodeId.line(line.key), line.functional, label, Level.ITEM, line)

    def _finish(self, node: Node) -> Decimal:
        """Sort children by code and fill every inner total from the leaves; drop single-kind groups."""
        if node.line is not None:
            return node.total
        if node.level is not Level.ROOT or not self.by_department:  # departments stay in file order
            node.children.sort(key=_order)
        if node.level is Level.ITEM and [(c.id.is_group, c.id.group_kind) for c in node.children] == [(True, Kind.BASIC)]:
            # Only 基本支出 under this 项: show its economic 类 directly.
            group = node.children[0]
            for child in group.children:
                child.parent = node
            node.children = group.children
            del self.by_id[group.id]
        node.total = total(self._finish(child) for child in node.children)
        return node.total

    def update(self, key: LineKey, amount: Decimal) -> list[Node]:
        """Set a leaf's amount and recompute the totals on its path; returns the nodes that changed."""
        leaf = self.by_line[key]
        leaf.total = amount
        assert leaf.line is not None, "by_line holds leaves only"
        leaf.line = leaf.line.with_amount(amount)
        changed = [leaf]
        node = leaf.parent
        while node is not None:
            node.total = total(child.total for child in node.children)
            changed.append(node)
            node = node.parent
        return changed

    def find(self, query: str) -> list[Node]:
        """Nodes whose code starts with, or whose name contains, the query; in display order."""
        query = query.strip()
        return [n for n in self.root.walk() if n.code.startswith(query) or (query and query in n.name)]


def label(node: Node) -> str:
    """How a node is named on screen and in messages: its code and name (`30201 办公费`), or the name alone.

    The text is the file's: clean it (budget_tui.core.safetext) where it is shown.
    """
    return f"{node.code} {node.name}".strip()


def _order(node: Node) -> tuple:
    # 基本支出 before projects; otherwise by code, then name.
    is_project = node.level is Level.GROUP and node.id.is_project_group
    return (is_project, node.code, node.name)


def render_tree(tree: Tree, depth: int | None = None, unit: str | None = None) -> str:
    """The tree as aligned plain text, amounts right-aligned, like `hledger balance --tree`."""
    rows = []
    for node in tree.root.walk():
        if depth is not None and node.depth >= depth:
            continue
        label = "  " * node.depth + " ".join(part for part in (clean(node.code), clean(node.name)) if part)  # a code is a TOML key
        rows.append((label, format_amount(node.total)))
    rows.append(("合计" + (f"（{unit}）" if unit else ""), format_amount(tree.root.total)))
    label_width = max(width(label) for label, _ in rows)
    amount_width = max(len(amount) for _, amount in rows)
    lines = [pad(label, label_width) + "  " + amount.rjust(amount_width) for label, amount in rows]
    lines.insert(-1, "-" * (label_width + 2 + amount_width))
    return "\n".join(lines) + "\n"
