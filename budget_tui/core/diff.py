"""What changed since the file was loaded or last saved: each line old → new and the subtotals it moved.

A deleted and an added line of the same 项, kind, project and fund with the same amount are shown
as one recoded line (what the editor's recode does); any other pair stays a delete and an add.
Subtotals are the functional tree's nodes above the changed lines whose total moved.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal

from budget_tui.core.editing import Editor
from budget_tui.core.ids import NodeId
from budget_tui.core.model import Budget, Fund, Line, LineKey
from budget_tui.core.money import ZERO, format_amount
from budget_tui.core.safetext import clean, pad, width
from budget_tui.core.tree import FUNCTIONAL, Node, Tree
from budget_tui.i18n import _, ngettext

ADDED, DELETED, CHANGED, RECODED = "added", "deleted", "changed", "recoded"
MARKERS = {ADDED: "+", DELETED: "-", CHANGED: "~", RECODED: ">"}
SINCE_LOADED, SINCE_SAVED = "loaded", "saved"


@dataclass(frozen=True)
class LineDiff:
    """One line as it was (None: added) and as it is (None: deleted)."""

    old: Line | None
    new: Line | None

    @property
    def status(self) -> str:
        if self.old is None:
            return ADDED
        if self.new is None:
            return DELETED
        return CHANGED if self.old.key == self.new.key else RECODED

    @property
    def line(self) -> Line:
        """The line as it is, or as it was when deleted."""
        line = self.new if self.new is not None else self.old
        assert line is not None, "a diff has a line before or after it"
        return line

    @property
    def old_amount(self) -> Decimal:
        return ZERO if self.old is None else self.old.amount

    @property
    def new_amount(self) -> Decimal:
        return ZERO if self.new is None else self.new.amount


@dataclass(frozen=True)
class SubtotalDiff:
    """A node of the functional tree whose total moved (0 where the node did not exist)."""

    node_id: tuple
    code: str
    name: str
    depth: int
    old: Decimal
    new: Decimal


@dataclass(frozen=True)
class Diff:
    """Every changed line and moved subtotal between a base state and the budget as it is."""

    since: str
    lines: tuple[LineDiff, ...]
    subtotals: tuple[SubtotalDiff, ...]
    old_total: Decimal
    new_total: Decimal


def describe_line(budget: Budget, line: Line) -> str:
    """`2010301 30201 办公费`, with the project and a fund other than 一般公共预算 when there are."""
    label = f"{line.functional} {line.economic} {budget.economic_name(line.economic)}".rstrip()
    if line.project:
        label += f" · {line.project}"
    if line.fund is not Fund.GENERAL:
        label += f"（{line.fund.value}）"
    return clean(label)


def since_loaded(editor: Editor) -> Diff:
    return compare_lines(editor.budget, editor.loaded, SINCE_LOADED)


def since_saved(editor: Editor) -> Diff:
    return compare_lines(editor.budget, editor.saved, SINCE_SAVED)


def compare_lines(budget: Budget, base: dict[LineKey, Line], since: str) -> Diff:
    """The diff between the base lines (by key) and the budget's lines now."""
    line_diffs = _pair_recodes(_raw_changes(budget, base))
    old_tree = Tree(replace(budget, lines=list(base.values())), FUNCTIONAL)
    new_tree = Tree(budget, FUNCTIONAL)
    return Diff(
        since,
        tuple(sorted(line_diffs, key=lambda d: _line_order(d.old if d.old is not None else d.line))),
        _subtotals(old_tree, new_tree, line_diffs),
        old_tree.root.total,
        new_tree.root.total,
    )


def _raw_changes(budget: Budget, base: dict[LineKey, Line]) -> list[LineDiff]:
    current = {line.key: line for line in budget.lines}
    diffs = [
        LineDiff(old, current.get(key))
        for key, old in base.items()
        if key not in current or (current[key].amount, current[key].category_override) != (old.amount, old.category_override)
    ]
    diffs.extend(LineDiff(None, line) for key, line in current.items() if key not in base)
    return diffs


def _pair_recodes(diffs: list[LineDiff]) -> list[LineDiff]:
    """Deleted and added lines that differ only in the economic code become one recoded line."""
    added = [d.line for d in diffs if d.status == ADDED]
    paired: list[LineDiff] = []
    for diff in diffs:
        if diff.status == ADDED:
            continue
        if diff.status == DELETED:
            match = next((line for line in added if _recode_of(diff.line, line)), None)
            if match is not None:
                added.remove(match)
                diff = LineDiff(diff.old, match)
        paired.append(diff)
    return paired + [LineDiff(None, line) for line in added]


def _recode_of(old: Line, new: Line) -> bool:
    same_place = (old.kind, old.project, old.fund, old.functional) == (new.kind, new.project, new.fund, new.functional)
    return same_place and old.amount == new.amount


def _line_order(line: Line) -> tuple:
    return (line.functional, line.kind.value, line.project or "", line.economic, list(Fund).index(line.fund))


def _subtotals(old_tree: Tree, new_tree: Tree, diffs: list[LineDiff]) -> tuple[SubtotalDiff, ...]:
    ids: set[NodeId] = set()
    for diff in diffs:
        for tree, line in ((old_tree, diff.old), (new_tree, diff.new)):
            if line is not None:
                ids.update(node.id for node in tree.by_line[line.key].path()[1:])
    rows = []
    for node_id in ids:
        old_node, new_node = old_tree.by_id.get(node_id), new_tree.by_id.get(node_id)
        old = old_node.total if old_node is not None else ZERO
        new = new_node.total if new_node is not None else ZERO
        if old != new:
            node = new_node if new_node is not None else old_node
            assert node is not None, "the id came from one of the two trees"
            rows.append((_node_order(node), SubtotalDiff(node_id, node.code, node.name, node.depth, old, new)))
    return tuple(row for _, row in sorted(rows, key=lambda pair: pair[0]))


def _node_order(node: Node) -> tuple:
    """Display order: parents before children, siblings by code, 基本支出 before projects."""
    return tuple((n.id.is_project_group, n.code, n.name) for n in reversed(node.path()))


def _signed(amount: Decimal) -> str:
    return ("+" if amount > 0 else "") + format_amount(amount)


def render_diff(diff: Diff, budget: Budget) -> str:
    """The diff as aligned plain text: changed lines, then the subtotals they moved, then the total."""
    heading = _("Since the file was loaded") if diff.since == SINCE_LOADED else _("Since the last save")
    if not diff.lines:
        return _("{heading}: no changes.").format(heading=heading) + "\n"
    line_rows = [
        (f"{MARKERS[d.status]} {_line_label(budget, d)}", _amount_of(d.old), _amount_of(d.new), _signed(d.new_amount - d.old_amount))
        for d in diff.lines
    ]
    subtotal_rows = [
        ("  " * s.depth + clean(f"{s.code} {s.name}".strip()), format_amount(s.old), format_amount(s.new), _signed(s.new - s.old))
        for s in diff.subtotals
    ]
    total_row = ("合计", format_amount(diff.old_total), format_amount(diff.new_total), _signed(diff.new_total - diff.old_total))
    rows = line_rows + subtotal_rows + [total_row]
    label_width = max(width(row[0]) for row in rows)
    amount_width = max(len(cell) for row in rows for cell in row[1:])

    def show(row: tuple[str, str, str, str]) -> str:
        label, old, new, change = row
        return f"  {pad(label, label_width)}  {old.rjust(amount_width)} → {new.rjust(amount_width)}  {change.rjust(amount_width)}"

    count = len(diff.lines)
    changed = ngettext("{heading}: {n} line changed", "{heading}: {n} lines changed", count).format(heading=heading, n=count)
    text = [changed, *map(show, line_rows)]
    text += [_("Subtotals"), *map(show, subtotal_rows), show(total_row)]
    return "\n".join(text) + "\n"


def _line_label(budget: Budget, diff: LineDiff) -> str:
    """The line's label; a recoded line shows old→new economic codes."""
    label = describe_line(budget, diff.old if diff.old is not None else diff.line)
    if diff.status != RECODED or diff.old is None:
        return label
    rest = describe_line(budget, diff.line)[len(diff.line.functional) + 1 :]
    return f"{diff.line.functional} {diff.old.economic}→{rest}"


def _amount_of(line: Line | None) -> str:
    """A line's amount, or — for a line that is not there."""
    return "—" if line is None else format_amount(line.amount)


__all__ = [
    "ADDED",
    "CHANGED",
    "DELETED",
    "Diff",
    "LineDiff",
    "RECODED",
    "SINCE_LOADED",
    "SINCE_SAVED",
    "SubtotalDiff",
    "compare_lines",
    "describe_line",
    "render_diff",
    "since_loaded",
    "since_saved",
]
