"""This version beside another (`budget-tui NEW --against OLD`, and `--watch`'s last look): 上版 / 本版 / 增减 / 增减%
at every node of the tree, which nodes changed, and the other version's figures in place of the file's [prior].

Pure: two budgets in, figures out. Nodes are matched as `budget-tui diff` matches lines (core/versions.py, docs/diff.md):
by their codes, kind, fund and project, and, in a folder, by the department file's path below the folder (never by
its position). A line moved to another code is a line of its new place (上版 0) and a removed line is counted in its
parents' 上版; `budget-tui diff` pairs moved lines and lists removed ones.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

from budget_tui.core.compare import DEFAULT_RATE_DECIMALS, Comparison
from budget_tui.core.factmodel import Prior, PriorStaffing, PriorThreePublic
from budget_tui.core.figures import category_total, has_operating_costs, operating_costs, three_public
from budget_tui.core.ids import ROOT, Level, NodeId
from budget_tui.core.model import Budget, Category, Fund, Kind
from budget_tui.core.money import ZERO, format_amount, total
from budget_tui.core.problems import Problem, Severity, fact_problem
from budget_tui.core.tree import Node, Tree

COLUMNS = ("上版", "本版", "增减", "增减%")
"""The titles of the columns when the other figure is another version's (compare.COLUMNS: the file's [prior])."""
RULE = "prior-differs"
"""The id of `check --against`'s warning: a [prior] figure of the file is not the other version's."""


def portable(node_id: NodeId, files: Sequence[str] | None) -> NodeId:
    """A node id that names its department file by its path below the folder (files: each source's path; None for a
    single file), so that the same node of two folders read in another order has one id."""
    if not files:
        return node_id
    key = node_id.key
    if key is not None:
        return NodeId.line(key._replace(origin=files[key.origin]))  # type: ignore[arg-type]
    origin = node_id.department_origin
    if isinstance(origin, int):
        return node_id.in_department(files[origin])
    return node_id


def local(node_id: NodeId, files: Sequence[str] | None) -> NodeId:
    """The inverse of portable: a node id naming its department file by its position among files (an id of a file
    not among them stays as it is, and names no node)."""
    if not files:
        return node_id
    key = node_id.key
    if key is not None and isinstance(key.origin, str) and key.origin in files:
        return NodeId.line(key._replace(origin=list(files).index(key.origin)))
    origin = node_id.department_origin
    if isinstance(origin, str) and origin in files:
        return node_id.in_department(list(files).index(origin))
    return node_id


def node_totals(tree: Tree, files: Sequence[str] | None = None) -> dict[NodeId, Decimal]:
    """Every node's total (the root's too) by its portable id."""
    totals = {ROOT: tree.root.total}
    for node in tree.root.walk():
        totals[portable(node.id, files)] = node.total
        if node.level is Level.ITEM and node.line is None and node.children and node.children[0].level is not Level.GROUP:
            # Only 基本支出 under this 项: the tree shows no 基本支出 node, whose total is then the 项's.
            totals[portable(node.id.group(Kind.BASIC), files)] = node.total
    return totals


@dataclass(frozen=True)
class VersionComparison:
    """Every node of a tree beside the other version: its comparison (上版 0 where the other has no such node), and
    which nodes changed (a total that differs, or a node the other version does not have)."""

    comparisons: dict[tuple, Comparison]
    changed: frozenset[NodeId]
    new: frozenset[NodeId] = field(default=frozenset())
    """Nodes the other version does not have (their 上版 is 0)."""

    def is_changed(self, node: Node) -> bool:
        """The predicate a filter uses: the node's figure is not the other version's (or it has none there)."""
        return node.id in self.changed


def compare_with(
    tree: Tree,
    others: dict[NodeId, Decimal],
    files: Sequence[str] | None = None,
    decimals: int = DEFAULT_RATE_DECIMALS,
) -> VersionComparison:
    """Each node of tree (and the root) beside the other version's totals (node_totals of its tree, built with the
    same view and departments)."""
    comparisons: dict[tuple, Comparison] = {}
    changed: set[NodeId] = set()
    new: set[NodeId] = set()
    for node in (tree.root, *tree.root.walk()):
        other = others.get(portable(node.id, files))
        if other is None:
            new.add(node.id)
            changed.add(node.id)
        elif other != node.total:
            changed.add(node.id)
        comparisons[node.id] = Comparison(ZERO if other is None else other, node.total, decimals)
    return VersionComparison(comparisons, frozenset(changed), frozenset(new))


def changed_ids(comparison: VersionComparison, order: Iterable[Node]) -> list[NodeId]:
    """The ids of the changed nodes among order (the tree's display order), in that order."""
    return [node.id for node in order if node.id in comparison.changed]


def step(order: Sequence[NodeId], targets: Callable[[NodeId], bool], here: NodeId | None, forward: bool) -> NodeId | None:
    """The next (or previous) id of order after here that passes targets, wrapping around; None when none does."""
    count = len(order)
    if not count:
        return None
    start = order.index(here) if here in order else (-1 if forward else count)
    for offset in range(1, count + 1):
        index = (start + offset) % count if forward else (start - offset) % count
        if targets(order[index]):
            return order[index]
    return None


# -- the other version as [prior] -------------------------------------------------------------------


def prior_from(other: Budget) -> Prior:
    """The [prior] facts the other version's lines give: its year, totals by fund, kind and category, 机关运行经费, 三公
    and 一般公共预算 per 项 (as the narrative reads them), and its people (its [staffing])."""
    lines = other.lines
    general = [line for line in lines if line.fund is Fund.GENERAL]
    functional: dict[str, Decimal] = {}
    for line in general:
        functional[line.functional] = functional.get(line.functional, ZERO) + line.amount
    parts = three_public(other)
    staffing = other.facts.staffing
    return Prior(
        year=other.department.year,
        total=other.total(),
        general_public=total(line.amount for line in general),
        government_fund=total(line.amount for line in lines if line.fund is Fund.GOVERNMENT_FUND),
        basic=total(line.amount for line in lines if line.kind is Kind.BASIC),
        project=total(line.amount for line in lines if line.kind is Kind.PROJECT),
        personnel=category_total(general, Category.PERSONNEL),
        operating=category_total(general, Category.OPERATING),
        operating_costs=operating_costs(other) if has_operating_costs(other) else None,
        functional=dict(sorted(functional.items())),
        three_public=PriorThreePublic(**parts),
        staffing=PriorStaffing(staffing.in_service, staffing.retired, staffing.veteran, staffing.actual),
    )


def with_prior_of(budget: Budget, other: Budget) -> Budget:
    """The budget with the other version's figures in place of its [prior] (for the report and the comparison)."""
    return replace(budget, facts=replace(budget.facts, prior=prior_from(other)))


def disagreements(budget: Budget, other: Budget) -> list[Problem]:
    """A warning for each [prior] figure the file gives that is not the other version's (`check --against`)."""
    given, derived = budget.facts.prior, prior_from(other)
    problems = []
    for path, stated, figure in _prior_pairs(given, derived):
        if stated is None or figure is None or stated == figure:
            continue
        shown = format_amount(stated) if isinstance(stated, Decimal) else str(stated)
        expected = format_amount(figure) if isinstance(figure, Decimal) else str(figure)
        where = ".".join(path)
        message = f"{where} is {shown}, but the other version gives {expected}"
        problems.append(fact_problem(budget, path, Severity.WARNING, RULE, message))
    return problems


def _prior_pairs(given: Prior, derived: Prior) -> Iterable[tuple[tuple[str, ...], object, object]]:
    """(key path, the file's figure, the other version's) for every [prior] figure a version can give."""
    for name in ("year", "total", "general_public", "government_fund", "basic", "project", "personnel", "operating",
                 "operating_costs"):
        yield ("prior", name), getattr(given, name), getattr(derived, name)
    for code, amount in given.functional.items():
        yield ("prior", "functional", code), amount, derived.functional.get(code, ZERO)
    stated_parts, derived_parts = given.three_public.as_dict(), derived.three_public.as_dict()
    for name, amount in stated_parts.items():
        yield ("prior", "three_public", name), amount, derived_parts[name]
    for name, count in given.staffing.as_dict().items():
        yield ("prior", "staffing", name), count, derived.staffing.as_dict()[name]


__all__ = [
    "COLUMNS",
    "RULE",
    "VersionComparison",
    "changed_ids",
    "compare_with",
    "local",
    "disagreements",
    "node_totals",
    "portable",
    "prior_from",
    "step",
    "with_prior_of",
]
