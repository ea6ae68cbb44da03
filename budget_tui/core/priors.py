"""Last year's figure of any code, kind or fund: the one place that reads [prior]'s tables.

A question is a classification (functional or economic), a code at any of its levels, and optionally a
kind (基本支出 / 项目支出) or a fund. It is answered from the table of that scope
([prior.kind.basic.economic], [prior.fund."一般公共预算".functional]) or, when last year's money was all of
that scope (prior.project is 0, or prior.general_public is prior.total), from the table of all money
([prior.economic], [prior.functional]), which is then the same figure. A code the table does not list is
answered from the levels below it when the figures of one level add up to the scope's whole (the file
then gave all of them): the sum of its codes below, 0 when it has none (上年无此项预算). Otherwise the
answer is None: not given, and the narrative says so.

`prior_level_sums` finds where the levels of a table disagree, for `check` (rule prior-levels).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from budget_tui.core.factmodel import Prior, PriorScope
from budget_tui.core.model import Fund, Kind
from budget_tui.core.money import total

FUNCTIONAL = "functional"
ECONOMIC = "economic"


@dataclass(frozen=True)
class ScopeTable:
    """The table answering a scope, its key path in the file and the scope's whole last year (None: not given)."""

    figures: dict[str, Decimal]
    path: tuple[str, ...]
    whole: Decimal | None


def scope_whole(prior: Prior, kind: Kind | None = None, fund: Fund | None = None) -> Decimal | None:
    """Last year's whole of a scope: prior.total, .basic, .project, .general_public, .government_fund or a fund's total."""
    if kind is not None and fund is not None:
        return None
    if kind is Kind.BASIC:
        return prior.basic if prior.basic is not None else prior.kind.basic.total
    if kind is Kind.PROJECT:
        return prior.project if prior.project is not None else prior.kind.project.total
    if fund is Fund.GENERAL and prior.general_public is not None:
        return prior.general_public
    if fund is Fund.GOVERNMENT_FUND and prior.government_fund is not None:
        return prior.government_fund
    if fund is not None:
        scope = prior.fund.get(fund.value)
        return None if scope is None else scope.total
    return prior.total


def _scope(prior: Prior, kind: Kind | None, fund: Fund | None) -> tuple[PriorScope | None, tuple[str, ...]]:
    if kind is Kind.BASIC:
        return prior.kind.basic, ("prior", "kind", "basic")
    if kind is Kind.PROJECT:
        return prior.kind.project, ("prior", "kind", "project")
    if fund is not None:
        return prior.fund.get(fund.value), ("prior", "fund", fund.value)
    return None, ("prior",)


def _all_of_scope(prior: Prior, kind: Kind | None, fund: Fund | None) -> bool:
    """Whether last year's money was all of this scope, so that the table of all money answers for it."""
    if kind is not None and fund is not None:
        return False
    if kind is not None:
        other = prior.project if kind is Kind.BASIC else prior.basic
        return other == 0 and prior.total is not None
    if fund is not None:
        whole = scope_whole(prior, None, fund)
        return whole is not None and whole == prior.total
    return True


def scope_table(prior: Prior, classification: str, kind: Kind | None = None, fund: Fund | None = None) -> ScopeTable:
    """The table that answers the scope: its own when the file gives one, else all money's when that is the same."""
    scope, path = _scope(prior, kind, fund)
    whole = scope_whole(prior, kind, fund)
    own = getattr(scope, classification) if scope is not None else {}
    if own or (kind is None and fund is None):
        return ScopeTable(own if scope is not None else getattr(prior, classification), path + (classification,), whole)
    if _all_of_scope(prior, kind, fund):
        return ScopeTable(getattr(prior, classification), ("prior", classification), whole)
    return ScopeTable({}, path + (classification,), whole)


def prior_figure(
    prior: Prior, classification: str, code: str, kind: Kind | None = None, fund: Fund | None = None
) -> Decimal | None:
    """Last year's figure of a code in a scope; 0 when the file shows it had none; None when not given."""
    table = scope_table(prior, classification, kind, fund)
    return figure_of(table, code)


def figure_of(table: ScopeTable, code: str) -> Decimal | None:
    figures = table.figures
    if code in figures:
        return figures[code]
    if table.whole is None or not figures:
        return None
    for depth in sorted({len(c) for c in figures}):  # a level that is complete answers for the levels above it
        level = {c: a for c, a in figures.items() if len(c) == depth}
        if total(level.values()) != table.whole:
            continue
        if depth >= len(code):
            return total(a for c, a in level.items() if c.startswith(code))
    return None


def prior_level_sums(prior: Prior) -> Iterator[tuple[tuple[str, ...], str, Decimal, Decimal]]:
    """Where a prior table gives a code and codes one level below it that do not add up to it:
    (the code's key path, the code, its figure, the sum below it)."""
    tables: list[tuple[tuple[str, ...], dict[str, Decimal]]] = [
        (("prior", FUNCTIONAL), prior.functional),
        (("prior", ECONOMIC), prior.economic),
    ]
    for name in ("basic", "project"):
        scope = getattr(prior.kind, name)
        tables += [(("prior", "kind", name, c), getattr(scope, c)) for c in (FUNCTIONAL, ECONOMIC)]
    for fund, scope in prior.fund.items():
        tables += [(("prior", "fund", fund, c), getattr(scope, c)) for c in (FUNCTIONAL, ECONOMIC)]
    for path, figures in tables:
        for code, amount in figures.items():
            below = {c: a for c, a in figures.items() if c != code and c.startswith(code)}
            if not below:
                continue
            nearest = min(len(c) for c in below)
            parts = total(a for c, a in below.items() if len(c) == nearest)
            if parts != amount:
                yield path + (code,), code, amount, parts


def prior_scope_totals(prior: Prior) -> Iterator[tuple[tuple[str, ...], str, Decimal, Decimal]]:
    """Where a scope's stated total disagrees with [prior]'s figure of it, or a table's top level exceeds its whole:
    (key path, what, stated, expected)."""
    checks = [
        (("prior", "kind", "basic", "total"), "prior.basic", prior.kind.basic.total, prior.basic),
        (("prior", "kind", "project", "total"), "prior.project", prior.kind.project.total, prior.project),
    ]
    for fund, key, own in (
        (Fund.GENERAL, "general_public", prior.general_public),
        (Fund.GOVERNMENT_FUND, "government_fund", prior.government_fund),
    ):
        scope = prior.fund.get(fund.value)
        if scope is not None:
            checks.append((("prior", "fund", fund.value, "total"), f"prior.{key}", scope.total, own))
    for path, what, stated, expected in checks:
        if stated is not None and expected is not None and stated != expected:
            yield path, what, stated, expected


__all__ = [
    "ECONOMIC",
    "FUNCTIONAL",
    "ScopeTable",
    "figure_of",
    "prior_figure",
    "prior_level_sums",
    "prior_scope_totals",
    "scope_table",
    "scope_whole",
]
