"""The drill-down tree, derived from the lines: functional 类 → 款 → 项 → (基本支出 | project) → economic 类 → 款.

Every inner node's total is the sum of its children; an edit recomputes only the path to the root.
The inverse view goes economic 类 → 款 → the functional 项 lines that make each up.

A folder's tree by department is built lazily: at first only the department rows and their totals; a department's
subtree is built the first time anything asks for it (its children, or one of its nodes by id or line key).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, ItemsView, Iterator, KeysView, ValuesView
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TypeVar

from budget_tui.core.catalogue import economic_class, functional_path
from budget_tui.core.gcpause import gc_paused
from budget_tui.core.ids import ROOT, IdKind, Level, NodeId
from budget_tui.core.model import Budget, Fund, Kind, Line, LineKey
from budget_tui.core.money import ZERO, format_amount, total
from budget_tui.core.safetext import clean, pad, width

FUNCTIONAL = "functional"
K = TypeVar("K", bound=Hashable)
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
    built: list[Node] = field(default_factory=list)
    """The children built so far: all of them, unless `grow` is still to run."""
    total: Decimal = ZERO
    line: Line | None = None
    """The budget line of a leaf; None on inner nodes."""
    grow: Callable[[Node], None] | None = None
    """Builds the children the first time they are asked for (a folder's department), then None."""

    @property
    def children(self) -> list[Node]:
        """The children in display order (built now if they were not yet)."""
        if self.grow is not None:
            grow, self.grow = self.grow, None
            grow(self)
        return self.built

    @children.setter
    def children(self, nodes: list[Node]) -> None:
        self.built = nodes

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
        self.by_id: dict[NodeId, Node] = _Index[NodeId](self, _origin_of_id)
        self.by_line: dict[LineKey, Node] = _Index[LineKey](self, _origin_of_key)
        self._parents: dict[tuple, Node] = {}
        self._names: dict[str, str] = {}
        self._build = self._functional if view == FUNCTIONAL else self._economic
        with gc_paused():
            if self.by_department:
                self._departments()
            else:
                for line in budget.lines:
                    self._build(line)
                self._finish(self.root)
            self._parents = {}

    def _departments(self) -> None:
        """One node per department with its total, its subtree left to grow when first asked for."""
        lines_of: dict[int, list[Line]] = {}
        for line in self.budget.lines:
            lines = lines_of.get(line.origin)
            if lines is None:
                lines = lines_of[line.origin] = []
            lines.append(line)
        for lines in lines_of.values():
            node, _ = self._top(lines[0])
            node.total = total(line.amount for line in lines)
            node.grow = lambda node, lines=lines: self._grow(node, lines)
        self.root.total = total(node.total for node in self.root.built)

    def _grow(self, department: Node, lines: list[Line]) -> None:
        """Build a department's subtree from its lines (as they were when the tree was built: every later change
        reaches the tree through update(), which grows the department first, or through a new tree)."""
        with gc_paused():
            for line in lines:
                self._build(line)
            self._parents = {}
            self._finish(department)

    def _grown(self, origin: int | None) -> bool:
        """Grow the department of this origin if it is still to grow; True when it grew now."""
        if origin is None or not self.by_department:
            return False
        department = dict.get(self.by_id, NodeId.department(origin))
        if department is None or department.grow is None:
            return False
        department.children  # noqa: B018 - grows it
        return True

    def _child(self, parent: Node, node_id: NodeId, code: str, name: str, level: Level) -> Node:
        node = dict.get(self.by_id, node_id)
        if node is None:
            node = Node(node_id, code, name, level, parent)
            parent.built.append(node)
            dict.__setitem__(self.by_id, node_id, node)
        return node

    def _leaf(self, parent: Node, node_id: NodeId, code: str, name: str, level: Level, line: Line) -> None:
        if line.fund is not Fund.GENERAL:
            name = f"{name}（{line.fund.value}）"
        node = Node(node_id, code, name, level, parent, total=line.amount, line=line)
        parent.built.append(node)
        dict.__setitem__(self.by_id, node_id, node)
        dict.__setitem__(self.by_line, line.key, node)

    def _top(self, line: Line) -> tuple[Node, int | None]:
        """The node a line's classification starts under, and the department of that subtree (None: no departments)."""
        if not self.by_department:
            return self.root, None
        node = dict.get(self.by_id, NodeId.department(line.origin))
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


class _Index(dict[K, Node]):
    """A tree's index by node id or line key, which grows a department first when asked about a node of it."""

    def __init__(self, tree: Tree, origin_of: Callable[[K], int | None]):
        super().__init__()
        self.tree = tree
        self.origin_of = origin_of

    def __missing__(self, key: K) -> Node:
        if self.tree._grown(self.origin_of(key)):
            return self[key]
        raise KeyError(key)

    def get(self, key: K, default: Node | None = None) -> Node | None:  # type: ignore[override]
        try:
            return self[key]
        except KeyError:
            return default

    def __contains__(self, key: object) -> bool:
        if dict.__contains__(self, key):
            return True
        return self.tree._grown(self.origin_of(key)) and dict.__contains__(self, key)  # type: ignore[arg-type]

    # A look at the whole index (every node of the tree) grows every department first; len() counts the built ones.

    def _all(self) -> None:
        for department in list(dict.values(self.tree.by_id)):
            if department.grow is not None:
                department.children  # noqa: B018 - grows it

    def __iter__(self) -> Iterator[K]:
        self._all()
        return dict.__iter__(self)

    def keys(self) -> KeysView[K]:  # type: ignore[override]
        self._all()
        return dict.keys(self)

    def values(self) -> ValuesView[Node]:  # type: ignore[override]
        self._all()
        return dict.values(self)

    def items(self) -> ItemsView[K, Node]:  # type: ignore[override]
        self._all()
        return dict.items(self)


def _origin_of_id(node_id: NodeId) -> int | None:
    """The department (file) a node id is in: a department's node or one below it, or a line's; None for others."""
    if not isinstance(node_id, tuple) or len(node_id) < 2:
        return None
    if node_id[0] == IdKind.DEPARTMENT.value:
        return node_id[1] if isinstance(node_id[1], int) else None
    if node_id[0] == IdKind.LINE.value:
        return _origin_of_key(node_id[1])
    return None


def _origin_of_key(key: object) -> int | None:
    origin = getattr(key, "origin", None)
    return origin if isinstance(origin, int) else None


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
