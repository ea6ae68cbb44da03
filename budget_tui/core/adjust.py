"""Bulk adjustment: scale every line below a tree node by a percentage or to a target total.

The new amounts are the lines' exact shares of the rounded target, rounded to the cent by the
largest-remainder method, so that they add up to exactly the target: every line gets its share
rounded down, and the cents left over go to the largest remainders (ties: the earlier line in
code order). No line moves more than one cent from its exact share, and none goes negative.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from budget_tui.core import figures
from budget_tui.core.diff import describe_line
from budget_tui.core.editing import Batch, Change, EditError, Editor, evaluate
from budget_tui.core.model import Budget, Line
from budget_tui.core.money import CENT, format_amount, has_cents_only, round_cent, total
from budget_tui.core.safetext import pad, width
from budget_tui.core.tree import Node
from budget_tui.i18n import _


@dataclass(frozen=True)
class LineAdjustment:
    """One line of a preview: the line as it is and the amount it would get."""

    line: Line
    new_amount: Decimal

    @property
    def old_amount(self) -> Decimal:
        return self.line.amount

    @property
    def difference(self) -> Decimal:
        return self.new_amount - self.line.amount


@dataclass(frozen=True)
class Adjustment:
    """The preview of a bulk adjustment below one node: every line old → new, and the subtotal."""

    node_id: tuple
    label: str
    lines: tuple[LineAdjustment, ...]

    @property
    def old_total(self) -> Decimal:
        return total(item.old_amount for item in self.lines)

    @property
    def new_total(self) -> Decimal:
        return total(item.new_amount for item in self.lines)

    def changes(self) -> list[Change]:
        """The editor changes of the lines whose amount moves."""
        return [
            Change(item.line, item.line.with_amount(item.new_amount), f"{item.line.economic} {item.old_amount} → {item.new_amount}")
            for item in self.lines
            if item.difference != 0
        ]


def lines_below(node: Node) -> list[Line]:
    """The budget lines under a node (the node's own line for a leaf), in display (code) order."""
    if node.line is not None:
        return [node.line]
    return [child.line for child in node.walk() if child.line is not None]


def allocate(amounts: list[Decimal], target: Decimal) -> list[Decimal]:
    """Amounts scaled to add up to target exactly, each within a cent of its exact share (figures.allocate)."""
    if target < 0 or not has_cents_only(target):
        raise EditError(_("{target} is not a total to the cent that a budget can have").format(target=target))
    if any(amount < 0 for amount in amounts):
        raise EditError(_("a line below is negative; fix it before scaling"))
    old_total = total(amounts)
    if old_total == 0:
        if target != 0:
            raise EditError(_("the lines below add up to 0; there is nothing to scale"))
        return list(amounts)
    return figures.allocate(target, amounts, CENT)


def scale_to_total(node: Node, target: Decimal, label: str | None = None) -> Adjustment:
    """The preview of scaling every line below node so that they add up to target."""
    lines = lines_below(node)
    new_amounts = allocate([line.amount for line in lines], target)
    items = tuple(LineAdjustment(line, amount) for line, amount in zip(lines, new_amounts))
    return Adjustment(node.id, label or f"{node.code or node.name} → {target}", items)


def scale_by_percent(node: Node, percent: Decimal) -> Adjustment:
    """The preview of scaling every line below node by percent (-8 for 8% less), total rounded half up."""
    old_total = total(line.amount for line in lines_below(node))
    target = round_cent(old_total + old_total * percent / 100)
    return scale_to_total(node, target, f"{node.code or node.name} {percent:+}%")


def plan(node: Node, text: str) -> Adjustment:
    """The preview for typed input, read as for one amount: -8%, +5%, *0.9, -50 or a new total such as 668.65."""
    old_total = total(line.amount for line in lines_below(node))
    target = evaluate(text, old_total)
    return scale_to_total(node, target, f"{node.code or node.name} {text.strip()}")


def apply(editor: Editor, adjustment: Adjustment) -> Batch | None:
    """Apply a previewed adjustment as one undo step; raises EditError when nothing moves or a line changed since."""
    changes = adjustment.changes()
    if not changes:
        raise EditError(_("no line changes: the lines already add up to the target"))
    return editor.apply_batch(changes, adjustment.label)


def render_preview(adjustment: Adjustment, budget: Budget) -> str:
    """The preview as aligned plain text: one row per line old → new, then the subtotal."""
    rows = [(describe_line(budget, item.line), item.old_amount, item.new_amount) for item in adjustment.lines]
    rows.append(("小计", adjustment.old_total, adjustment.new_total))
    label_width = max(width(label) for label, _, _ in rows)
    amount_width = max(len(format_amount(amount)) for _, old, new in rows for amount in (old, new))
    return "".join(
        f"{pad(label, label_width)}  {format_amount(old).rjust(amount_width)} → {format_amount(new).rjust(amount_width)}\n"
        for label, old, new in rows
    )


__all__ = [
    "Adjustment",
    "LineAdjustment",
    "allocate",
    "apply",
    "lines_below",
    "plan",
    "render_preview",
    "scale_by_percent",
    "scale_to_total",
]
