"""The analyses many outlines of the narrative print, as rows of figures: a whole split into parts, each with its
amount, its share of the whole, and last year's figure.

- `economic_classes`: 基本支出 (every fund) by economic 类, shares of 基本支出, against [prior.kind.basic.economic];
- `functional_classes`: all spending by functional 类, shares of the total, against [prior.functional];
- `kinds`: the total split into 基本支出 and 项目支出, shares of the total, against prior.basic and prior.project;
- `funds`: income by source, shares of the total, against prior.general_public / government_fund / the fund's total.

Shares are the largest-remainder split of 100 (budget_tui.core.figures.shares), so a whole's shares add up to 100
exactly; a change is this year less last year; a rate is the change divided by LAST year's figure, and there is
none when last year had nothing (上年无此项预算) or its figure is not given.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from budget_tui.core.catalogue import economic_class
from budget_tui.core.figures import amounts_by, change, functional_class, rate, shares
from budget_tui.core.model import Budget, Fund, Kind, Line
from budget_tui.core.money import total
from budget_tui.core.priors import ECONOMIC, FUNCTIONAL, prior_figure, scope_whole


@dataclass(frozen=True)
class Part:
    """One part of a whole: its key (a code, a kind or a fund), this year's amount, its share in percent and last
    year's figure (None: not given; 0: last year had none)."""

    key: str
    current: Decimal
    share: Decimal
    prior: Decimal | None
    decimals: int = 0

    @property
    def change(self) -> Decimal | None:
        """This year less last year; None when last year's figure is not given."""
        return change(self.current, self.prior)

    @property
    def rate(self) -> Decimal | None:
        """The change divided by last year's figure, in percent; None when it is not given or 0."""
        return rate(self.change, self.prior, self.decimals)

    @property
    def is_new(self) -> bool:
        """Last year had none of it (上年无此项预算)."""
        return self.prior == 0 and self.current != 0


def _parts(amounts: dict[str, Decimal], priors: dict[str, Decimal | None], decimals: int) -> list[Part]:
    split = shares(list(amounts.values()), decimals)
    return [Part(key, amount, share, priors.get(key), decimals) for (key, amount), share in zip(amounts.items(), split)]


def basic_lines(budget: Budget) -> list[Line]:
    return [line for line in budget.lines if line.kind is Kind.BASIC]


def economic_classes(budget: Budget, decimals: int = 0) -> list[Part]:
    """基本支出 by economic 类, in code order."""
    amounts = amounts_by(basic_lines(budget), lambda line: economic_class(line.economic))
    prior = budget.facts.prior
    return _parts(amounts, {code: prior_figure(prior, ECONOMIC, code, kind=Kind.BASIC) for code in amounts}, decimals)


def functional_classes(budget: Budget, decimals: int = 0) -> list[Part]:
    """All spending by functional 类, in code order."""
    amounts = amounts_by(budget.lines, functional_class)
    prior = budget.facts.prior
    return _parts(amounts, {code: prior_figure(prior, FUNCTIONAL, code) for code in amounts}, decimals)


def kinds(budget: Budget, decimals: int = 0) -> list[Part]:
    """The total as 基本支出 and 项目支出 (both, even at 0)."""
    amounts = {kind.value: total(line.amount for line in budget.lines if line.kind is kind) for kind in Kind}
    prior = budget.facts.prior
    return _parts(amounts, {kind.value: scope_whole(prior, kind=kind) for kind in Kind}, decimals)


def funds(budget: Budget, decimals: int = 0) -> list[Part]:
    """Income by source, sources without money left out, in the order of table 1."""
    amounts = {fund.value: total(line.amount for line in budget.lines if line.fund is fund) for fund in Fund}
    amounts = {name: amount for name, amount in amounts.items() if amount}
    prior = budget.facts.prior
    return _parts(amounts, {fund.value: scope_whole(prior, fund=fund) for fund in Fund}, decimals)


__all__ = ["Part", "basic_lines", "economic_classes", "functional_classes", "funds", "kinds"]
