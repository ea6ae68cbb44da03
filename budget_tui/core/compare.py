"""Last year beside this year: 上年, 本年, 增减 and 增减% for the nodes and figures the file gives a prior year for.

Prior figures come from [prior]: the total (the tree's root), [prior.functional] per 项, and the
类 and 款 sums of those 项 figures when they are complete (they add up to the prior total, so a 项
the file leaves out had nothing). In the economic view, a 三公 款 compares with [prior.three_public]
when all its lines are 一般公共预算 money (table 8 counts only those). The rate is the change divided
by the prior figure, in percent, rounded half up; there is none when the prior figure is missing or 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from budget_tui.core import figures
from budget_tui.core.catalogue import THREE_PUBLIC_CODES, functional_path
from budget_tui.core.figures import category_total, operating_costs, three_public
from budget_tui.core.ids import ROOT, NodeId
from budget_tui.core.model import Budget, Category, Fund, Kind
from budget_tui.core.money import ZERO, format_amount, total
from budget_tui.core.tree import ECONOMIC, FUNCTIONAL, Node, Tree

COLUMNS = ("上年", "本年", "增减", "增减%")
DEFAULT_RATE_DECIMALS = 1
SORT_KEYS = ("code", "amount", "change")


@dataclass(frozen=True)
class Comparison:
    """One figure this year beside the prior year's."""

    prior: Decimal | None
    current: Decimal
    decimals: int = DEFAULT_RATE_DECIMALS

    @property
    def change(self) -> Decimal | None:
        return figures.change(self.current, self.prior)

    @property
    def rate(self) -> Decimal | None:
        """The change in percent of the prior figure, rounded half up; None when the prior is missing or 0."""
        return figures.rate(self.change, self.prior, self.decimals)

    def cells(self) -> tuple[str, str, str, str]:
        """The four columns as text: 上年, 本年, 增减 (signed), 增减% (signed); blank where unknown."""
        change, rate = self.change, self.rate
        return (
            "" if self.prior is None else format_amount(self.prior),
            format_amount(self.current),
            "" if change is None else _signed(format_amount(change), change),
            "" if rate is None else _signed(f"{rate}%", rate),
        )


def _signed(text: str, value: Decimal) -> str:
    return "+" + text if value > 0 else text


def prior_figures(budget: Budget, view: str = FUNCTIONAL) -> dict[tuple, Decimal]:
    """Node id → the prior year's figure, for the nodes of a view that have one."""
    figures: dict[tuple, Decimal] = {}
    prior_total = budget.facts.prior.total
    if prior_total is not None:
        figures[("root",)] = prior_total
    if view == FUNCTIONAL:
        figures.update(_functional_priors(budget, prior_total))
    elif view == ECONOMIC:
        figures.update(_three_public_priors(budget))
    return figures


def _functional_priors(budget: Budget, prior_total: Decimal | None) -> dict[tuple, Decimal]:
    items = budget.facts.prior.functional
    figures = {("f", code): amount for code, amount in items.items()}
    if prior_total is None or total(items.values()) != prior_total:
        return figures
    sums: dict[tuple, Decimal] = {}
    for code, amount in items.items():
        for level in functional_path(code)[:2]:
            sums[("f", level)] = sums.get(("f", level), ZERO) + amount
    return {**sums, **figures}


def _three_public_priors(budget: Budget) -> dict[tuple, Decimal]:
    figures = {}
    priors = budget.facts.prior.three_public.as_dict()
    for item, codes in THREE_PUBLIC_CODES.items():
        prior = priors[item]
        if prior is None or len(codes) != 1:
            continue
        lines = [line for line in budget.lines if line.economic == codes[0]]
        if all(line.fund is Fund.GENERAL for line in lines):
            figures[("e", codes[0])] = prior
    return figures


def compare_tree(tree: Tree, decimals: int = DEFAULT_RATE_DECIMALS) -> dict[tuple, Comparison]:
    """Node id → its comparison, for the tree's nodes that have a prior figure."""
    comparisons = {}
    for node_id, prior in prior_figures(tree.budget, tree.view).items():
        node = tree.root if node_id == ROOT else tree.by_id.get(NodeId(node_id))
        if node is not None:
            comparisons[node_id] = Comparison(prior, node.total, decimals)
    return comparisons


def headline(budget: Budget, decimals: int = DEFAULT_RATE_DECIMALS) -> list[tuple[str, Comparison]]:
    """The budget's headline figures beside [prior]'s: totals by fund, kind and category, 机关运行经费, 三公."""
    lines = budget.lines
    general = [line for line in lines if line.fund is Fund.GENERAL]
    parts = three_public(budget)
    prior = budget.facts.prior
    known = prior.three_public.as_dict()
    prior_parts = [known[key] for key in parts]
    rows = [
        ("收支总预算", budget.total(), prior.total),
        ("一般公共预算", total(l.amount for l in lines if l.fund is Fund.GENERAL), prior.general_public),
        ("政府性基金预算", total(l.amount for l in lines if l.fund is Fund.GOVERNMENT_FUND), prior.government_fund),
        ("基本支出", total(l.amount for l in lines if l.kind is Kind.BASIC), prior.basic),
        ("项目支出", total(l.amount for l in lines if l.kind is Kind.PROJECT), prior.project),
        ("人员经费", category_total(general, Category.PERSONNEL), prior.personnel),
        ("公用经费", category_total(general, Category.OPERATING), prior.operating),
        ("机关运行经费", operating_costs(budget), prior.operating_costs),
        ("“三公”经费", total(parts.values()), None if None in prior_parts else total(prior_parts)),
        ("因公出国（境）费", parts["overseas"], prior_parts[0]),
        ("公务用车购置费", parts["vehicle_purchase"], prior_parts[1]),
        ("公务用车运行费", parts["vehicle_operation"], prior_parts[2]),
        ("公务接待费", parts["reception"], prior_parts[3]),
    ]
    return [(label, Comparison(prior, current, decimals)) for label, current, prior in rows]


def next_sort(by: str) -> str:
    """The sort after this one, for a key that cycles: code → amount → change → code."""
    return SORT_KEYS[(SORT_KEYS.index(by) + 1) % len(SORT_KEYS)]


def sorted_children(node: Node, by: str, comparisons: dict[tuple, Comparison]) -> list[Node]:
    """The node's children by code, by amount (largest first) or by change (largest either way first, unknown last)."""
    if by == "code":
        return list(node.children)
    if by == "amount":
        return sorted(node.children, key=lambda child: (-child.total, child.code))
    if by == "change":
        return sorted(node.children, key=lambda child: _change_order(comparisons.get(child.id), child))
    raise ValueError(f"sort by one of {', '.join(SORT_KEYS)}, not {by!r}")


def _change_order(comparison: Comparison | None, node: Node) -> tuple:
    change = None if comparison is None else comparison.change
    return (change is None, -abs(change) if change is not None else ZERO, node.code)


__all__ = [
    "COLUMNS",
    "Comparison",
    "DEFAULT_RATE_DECIMALS",
    "SORT_KEYS",
    "compare_tree",
    "headline",
    "next_sort",
    "prior_figures",
    "sorted_children",
]
