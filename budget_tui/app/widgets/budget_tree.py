"""The drill-down tree: one row per node with code, name, review marks and its subtotal right-aligned, built as nodes
are opened; optionally 上年 / 本年 / 增减 / 增减% columns and children sorted by amount or change."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from budget_tui.core import against
from budget_tui.core.compare import COLUMNS, Comparison, compare_tree, sorted_children
from budget_tui.core.ids import NodeId
from budget_tui.core.money import format_amount
from budget_tui.core.review import Marks
from budget_tui.core.safetext import clean, pad, truncate, width
from budget_tui.core.tree import Node
from budget_tui.core.tree import Tree as BudgetModelTree
from budget_tui.i18n import N_

N_("Show {n} level"), N_("Show {n} levels")  # the templates of the digit keys' descriptions (keys.translated)

TOGGLE = Style.from_meta({"toggle": True})
"""Style meta that makes a click on the icon open or close the node (as in Textual's Tree)."""
GAP = 2
"""Columns between a name and its amount."""
DEPTH_KEYS = 5
"""Depth keys 1-5 cover 类, 款, 项, the 基本支出/project group and the economic 类."""
REVIEWED, COMMENTED, CHANGED = "✓", "✎", "*"
"""Marks after a node's name: reviewed, has a comment, differs from the other version (--against, --watch)."""


class BudgetTree(Tree[Node], inherit_bindings=False):
    """The budget's tree of subtotals; a node's children become tree rows only when it is first opened."""

    BINDINGS = [
        Binding("down,j", "cursor_down", N_("Down"), id="cursor-down", show=False),
        Binding("up,k", "cursor_up", N_("Up"), id="cursor-up", show=False),
        Binding("right,l", "open", N_("Open"), id="open", show=False),
        Binding("left,h", "close", N_("Close or go to parent"), id="close", show=False),
        Binding("space", "toggle_node", N_("Open or close"), id="toggle", show=False),
        Binding("g,home", "scroll_home", N_("Top"), id="top", show=False),
        Binding("G,end", "scroll_end", N_("Bottom"), id="bottom", show=False),
        Binding("pageup", "page_up", N_("Page up"), id="page-up", show=False),
        Binding("pagedown", "page_down", N_("Page down"), id="page-down", show=False),
        *(
            Binding(str(depth), f"depth({depth})", f"Show {depth} level{'s' if depth > 1 else ''}", id=f"depth-{depth}", show=False)
            for depth in range(1, DEPTH_KEYS + 1)
        ),
    ]

    DEFAULT_CSS = """
    BudgetTree {
        scrollbar-gutter: stable;
        overflow-x: hidden;
        & > .budget-tree--code { text-style: bold; }
    }
    """

    COMPONENT_CLASSES = Tree.COMPONENT_CLASSES | {"budget-tree--code"}
    """budget-tree--code styles the codes and the subtotals of inner nodes."""

    def __init__(self, model: BudgetModelTree, review: Marks | None = None, *, id: str | None = None) -> None:
        super().__init__(Text(clean(model.root.name)), model.root, id=id)
        self.show_root = False
        self.guide_depth = 3
        self.model = model
        """The budget's tree of nodes and derived subtotals that the rows show."""
        self.review = review
        """The marks and comments shown after the names (None: none shown)."""
        self.comparing = False
        """True while each row shows 上年, 本年, 增减 and 增减% instead of one amount."""
        self.sort_by = "code"
        """The order of children: code, amount or change."""
        self.comparisons: dict[tuple, Comparison] = {}
        """Node id → this year beside the prior year's figure, kept while comparing or sorting by change."""
        self.rows_by_id: dict[NodeId, TreeNode[Node]] = {}
        """Tree rows built so far, by the id of the budget node they show."""
        self.amount_width = amount_width(model)
        """Columns of the amount column: wide enough for the grand total."""
        self.column_widths = [self.amount_width]
        """Widths of the figure columns right of the name: the amount, or 上年 / 本年 / 增减 / 增减%."""
        self.versions: Callable[[BudgetModelTree], against.VersionComparison | None] | None = None
        """Sets a tree beside another version (上版 / 本版, in place of [prior]); None or None back: no other version."""
        self.changed: frozenset[NodeId] = frozenset()
        """Ids of the nodes whose figures differ from the other version's (marked *)."""
        self.kept: set[NodeId] | None = None
        """Ids of the only nodes shown: while the tree is filtered (f), the matches and their parents; under C, the nodes
        changed against the other version and their ancestors. None shows every node."""
        self.titles = COLUMNS
        """The titles of the comparison columns: 上年 … for [prior], 上版 … for another version."""
        self._room: int | None = None
        """The width of the content region while the rows are laid out (see _build)."""
        self._fill(self.root)

    # -- building rows -------------------------------------------------------------------

    def process_label(self, label: str | Text) -> Text:
        """Labels are plain text, never markup: file text such as `[@click=app.quit]` must print as itself."""
        return Text(clean(label)) if isinstance(label, str) else label

    def _fill(self, row: TreeNode[Node]) -> None:
        """Add a row's children the first time it is opened."""
        if row.children or row.data is None or row.data.is_leaf:
            return
        for child in self.children_of(row.data):
            child_row = row.add(Text(clean(f"{child.code} {child.name}".strip())), child, allow_expand=not child.is_leaf)
            self.rows_by_id[child.id] = child_row

    def _on_tree_node_expanded(self, event: Tree.NodeExpanded[Node]) -> None:
        """Build a node's rows when the mouse opens it (keys build them before opening)."""
        self._fill(event.node)

    def show_model(self, model: BudgetModelTree, targets: Sequence[NodeId], expanded: set[NodeId] | None = None) -> None:
        """Show a rebuilt tree with the same nodes open, the cursor on the first target that still exists.

        Like hledger-ui after a reload, the cursor goes back to the same code.
        """
        expanded = self.expanded_ids() if expanded is None else expanded
        self.model = model
        self._measure()
        self.clear()
        self.root.data = model.root
        self.rows_by_id = {}
        self._fill(self.root)
        self._reopen(self.root, expanded)
        self.reveal(next((target for target in targets if target in model.by_id), None))

    def _reopen(self, row: TreeNode[Node], expanded: set[NodeId]) -> None:
        """Open again the rows below this one that were open, depth first (only those: a folder's departments that
        nobody opened are not built)."""
        for child in row.children:
            node = child.data
            if node is not None and node.id in expanded and not node.is_leaf:
                self._fill(child)
                child.expand()
                self._reopen(child, expanded)

    def children_of(self, node: Node) -> list[Node]:
        """A node's children in the order shown (only those kept while the tree is filtered)."""
        children = sorted_children(node, self.sort_by, self.comparisons) if self.sort_by != "code" else node.children
        return children if self.kept is None else [child for child in children if child.id in self.kept]

    def walk(self, node: Node | None = None) -> Iterator[Node]:
        """Every node below node (default: all), in the order shown whether open or not."""
        for child in self.children_of(node or self.model.root):
            yield child
            yield from self.walk(child)

    def show_columns(self, comparing: bool, sort_by: str) -> None:
        """Show the prior-year columns or not, and order children by code, amount or change; the cursor stays."""
        self.comparing, self.sort_by = comparing, sort_by
        current = self.cursor_model_node
        self.show_model(self.model, [current.id] if current is not None else [])

    def _measure(self) -> None:
        """Recompute the comparisons and the widths of the figure columns for the model as it is now."""
        self.amount_width = amount_width(self.model)
        needed = self.comparing or self.sort_by == "change"
        version = self.versions(self.model) if self.versions is not None else None
        self.changed, self.titles = (version.changed, against.COLUMNS) if version is not None else (frozenset(), COLUMNS)
        self.comparisons = version.comparisons if version is not None else compare_tree(self.model) if needed else {}
        if not self.comparing:
            self.column_widths = [self.amount_width]
            return
        cells = [comparison.cells() for comparison in self.comparisons.values()]
        self.column_widths = [
            max([width(title)] + [len(row[i]) for row in cells] + ([self.amount_width] if i == 1 else []))
            for i, title in enumerate(self.titles)
        ]

    def figures_width(self) -> int:
        """Columns the figures take right of the name, gaps included."""
        return sum(self.column_widths) + GAP * (len(self.column_widths) - 1)

    def header(self) -> Text:
        """The titles of the prior-year columns, aligned over them (for the line above the tree)."""
        right = (" " * GAP).join(pad(title, w, "right") for title, w in zip(self.titles, self.column_widths))
        room = self.scrollable_content_region.width - width(right)
        return Text(" " * max(room, 0) + right, style="bold")

    def expanded_ids(self) -> set[NodeId]:
        """Ids of the nodes whose rows are open."""
        return {node_id for node_id, row in self.rows_by_id.items() if row.is_expanded}

    def reveal(self, node_id: NodeId | None) -> None:
        """Open every ancestor of the node and put the cursor on it."""
        node = self.model.by_id.get(node_id) if node_id is not None else None
        if node is not None and self.kept is not None:  # hidden by the filter: its nearest shown ancestor
            node = next((step for step in node.path() if step.id in self.kept), None)
        if node is None:
            self.move_cursor_to_row(next(iter(self.root.children), None))
            return
        for ancestor in reversed(node.path()[1:]):
            row = self.rows_by_id[ancestor.id]
            if not row.is_expanded:  # expanding an open row would still lay every row out again (Textual invalidates)
                self._fill(row)
                row.expand()
        self.move_cursor_to_row(self.rows_by_id[node.id])

    def move_cursor_to_row(self, row: TreeNode[Node] | None) -> None:
        """Move the cursor to a row, laying out the rows first if nodes were just opened.

        Textual numbers a row (TreeNode.line, which move_cursor goes to) when it lays the rows out, lazily, and opening a
        node only marks the layout stale. No public method lays it out as such; reading the public `last_line` does (it
        counts the laid-out rows). This is the one place that relies on it: tests/app/test_textual_api.py fails if a
        Textual release stops doing so.
        """
        self.last_line  # noqa: B018 - lays the rows out, so the row's line number is current
        self.move_cursor(row)

    def repaint(self, nodes: list[Node]) -> None:
        """Repaint the rows of nodes whose totals changed (the path of an edit)."""
        widths = self.column_widths
        self._measure()
        if self.column_widths != widths:  # every built row's figures move: repaint them all, not only the edit's path
            nodes = [row.data for row in self.rows_by_id.values() if row.data is not None]
        for node in nodes:
            row = self.rows_by_id.get(node.id)
            if row is not None:
                row.refresh()

    @property
    def cursor_model_node(self) -> Node | None:
        """The budget node under the cursor."""
        row = self.cursor_node
        return row.data if row is not None and row is not self.root else None

    def refresh_node(self, node_id: NodeId) -> None:
        """Repaint one node's row (its marks changed)."""
        row = self.rows_by_id.get(node_id)
        if row is not None:
            row.refresh()

    def amount_offset(self) -> int:
        """Column, within the widget, where the amount (本年) column starts."""
        after = sum(self.column_widths[2:]) + GAP * len(self.column_widths[2:])
        return self.scrollable_content_region.width - after - self.amount_width

    # -- rendering -----------------------------------------------------------------------

    def _row_depth(self, row: TreeNode[Node]) -> int:
        depth, parent = 0, row.parent
        while parent is not None and parent is not self.root:
            depth, parent = depth + 1, parent.parent
        return depth

    def _label_width(self, row: TreeNode[Node]) -> int:
        room = self._room if self._room is not None else self.scrollable_content_region.width
        return max(room - self._row_depth(row) * self.guide_depth, 0)

    def get_label_width(self, node: TreeNode[Node]) -> int:
        return self._label_width(node)

    def notify_style_update(self) -> None:
        """Repaint the rows after a change of style (the tree gaining or losing focus, a theme), without laying them
        out again as Textual's Tree does: styles change how rows look, not which rows there are or how wide (a resize
        lays them out). An edit moves the focus to the amount input and back: two layouts of every open row saved."""
        Widget.notify_style_update(self)
        self._line_cache.clear()  # Textual's _clear_line_cache would drop the laid-out rows too
        self.refresh()

    layouts = 0
    """How many times the rows were laid out (tests count them: an edit lays out none); Tree lays out in __init__."""

    def _build(self) -> None:
        """Lay the rows out (Textual's), with the width the labels fill taken once for all of them: Textual asks each
        row's label width, and the widget's content region takes 25 µs to compute (20 ms for 800 open rows).

        Textual's Tree._build, _line_cache (notify_style_update) and Footer's _bindings_ready (widgets/footer.py) are
        the private parts of Textual this app uses; tests/app/test_textual_api.py fails when a release changes them."""
        self.layouts += 1
        self._room = self.scrollable_content_region.width
        try:
            super()._build()
        finally:
            self._room = None

    def render_label(self, node: TreeNode[Node], base_style: Style, style: Style) -> Text:
        """Icon, code and name on the left, the subtotal right-aligned in the amount column."""
        model_node = node.data
        if model_node is None:
            return Text("")
        if node.allow_expand:
            icon = Text(self.ICON_NODE_EXPANDED if node.is_expanded else self.ICON_NODE, base_style + TOGGLE)
        else:
            icon = Text("  ", base_style)
        name_room = max(self._label_width(node) - 2 - GAP - self.figures_width(), 1)
        code = f"{clean(model_node.code)} " if model_node.code else ""  # a code is a TOML key: any text
        marks = self.marks(model_node.id)
        name = truncate(clean(model_node.name), max(name_room - width(code) - width(marks), 1))
        code_style = self.get_component_rich_style("budget-tree--code", partial=True)
        label = Text.assemble(
            (code, code_style),
            (name, ""),
            (marks, "bold"),
            " " * max(name_room - width(code) - width(name) - width(marks), 0),
            " " * GAP,
            (self.figures(model_node), code_style if not model_node.is_leaf else ""),
        )
        label.stylize(style)
        return Text.assemble(icon, label)

    def marks(self, node_id: NodeId) -> str:
        """` ✓` when reviewed, ` ✎` when commented, both, or nothing."""
        note = self.review.note(node_id) if self.review is not None else None
        changed = CHANGED if node_id in self.changed else ""
        if note is None:
            return " " + changed if changed else ""
        return " " + (REVIEWED if note.reviewed else "") + (COMMENTED if note.comment else "") + changed

    def figures(self, node: Node) -> str:
        """The amount right-aligned, or 上年 / 本年 / 增减 / 增减% while comparing."""
        if not self.comparing:
            return format_amount(node.total).rjust(self.amount_width)
        comparison = self.comparisons.get(node.id)
        cells = comparison.cells() if comparison is not None else ("", format_amount(node.total), "", "")
        return (" " * GAP).join(cell.rjust(w) for cell, w in zip(cells, self.column_widths))

    # -- keys ----------------------------------------------------------------------------

    def action_open(self) -> None:
        """Open the node under the cursor; on an open node, go to its first child."""
        row = self.cursor_node
        if row is None or not row.allow_expand:
            return
        if row.is_expanded and row.children:
            self.move_cursor_to_row(row.children[0])
            return
        self._fill(row)
        row.expand()

    def action_close(self) -> None:
        """Close the node under the cursor; on a closed node or a line, go to its parent."""
        row = self.cursor_node
        if row is None:
            return
        if row.allow_expand and row.is_expanded:
            row.collapse()
        elif row.parent is not None and row.parent is not self.root:
            self.move_cursor_to_row(row.parent)

    def action_toggle_node(self) -> None:
        row = self.cursor_node
        if row is not None and row.allow_expand:
            self._fill(row)
            row.toggle()

    def action_depth(self, depth: int) -> None:
        """Show the tree down to the given level (1 = functional 类 only); the cursor stays or goes to its visible ancestor."""
        expanded = {node.id for node in self.model.root.walk() if node.depth < depth - 1 and not node.is_leaf}
        current = self.cursor_model_node
        path = [] if current is None else [node.id for node in current.path() if node.depth < depth]
        self.show_model(self.model, path[:1], expanded)


def amount_width(model: BudgetModelTree) -> int:
    """Columns the widest amount takes: no line is negative, so no subtotal is wider than the grand total."""
    return len(format_amount(model.root.total))
