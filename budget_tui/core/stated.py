"""Auditing a published narrative: every figure [stated] holds beside the figure computed from the lines.

A figure is named (total, basic, three_public…) or a code: a functional code is all spending under it, an
economic code the 基本支出 under it. For each the audit knows this year's amount, last year's (for changes
and rates) and the whole its share is of (kinds, funds and functional 类 of the total; economic 类 of 基本支出).

Besides a plain mismatch it names the classic mistakes of published documents:
- a rate divided by this year's figure instead of last year's (stated-rate-base);
- shares made to add up to 100 by editing one of them (stated-share-forced);
- 基本支出 called the total (stated-basic-as-total);
- a unit wrong by 10,000, 元 for 万元 or the reverse (stated-unit);
- a rate for a figure last year did not have (stated-rate: 上年无此项预算 has no rate).
A stated percent is compared at its own decimals (5 with 4.83% rounded to 0 decimals; 4.83 to 2).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from functools import partial

from budget_tui.core.analysis import basic_lines
from budget_tui.core.catalogue import THREE_PUBLIC_CODES, economic_class
from budget_tui.core.figures import (
    amounts_by,
    category_total,
    functional_class,
    operating_costs,
    round_half_up,
    shares,
    three_public,
)
from budget_tui.core.model import Budget, Category, Fund, Kind, Line
from budget_tui.core.money import total
from budget_tui.core.priors import ECONOMIC, FUNCTIONAL, prior_figure, scope_whole
from budget_tui.core.problems import Problem, Severity, fact_problem, money
from budget_tui.i18n import _

TEN_THOUSAND = Decimal(10000)


@dataclass(frozen=True)
class Computed:
    """A figure from the lines: this year, last year (None: not given) and its share group (None: no share)."""

    current: Decimal
    prior: Decimal | None
    group: str | None = None


def computed(budget: Budget) -> dict[str, Computed]:
    """Every figure [stated] may name, computed; codes for the codes the budget has."""
    lines, prior = budget.lines, budget.facts.prior
    general = [line for line in lines if line.fund is Fund.GENERAL]
    general_basic = [line for line in general if line.kind is Kind.BASIC]
    parts = three_public(budget)
    known = prior.three_public.as_dict()
    prior_parts = [known[key] for key in parts]
    figures = {
        "total": Computed(budget.total(), prior.total),
        "general_public": Computed(total(l.amount for l in general), prior.general_public, "fund"),
        "government_fund": Computed(
            total(l.amount for l in lines if l.fund is Fund.GOVERNMENT_FUND), prior.government_fund, "fund"
        ),
        "basic": Computed(total(l.amount for l in lines if l.kind is Kind.BASIC), scope_whole(prior, Kind.BASIC), "kind"),
        "project": Computed(
            total(l.amount for l in lines if l.kind is Kind.PROJECT), scope_whole(prior, Kind.PROJECT), "kind"
        ),
        "personnel": Computed(category_total(general_basic, Category.PERSONNEL), prior.personnel, "category"),
        "operating": Computed(category_total(general_basic, Category.OPERATING), prior.operating, "category"),
        "operating_costs": Computed(operating_costs(budget), prior.operating_costs),
        "three_public": Computed(total(parts.values()), None if None in prior_parts else total(prior_parts)),
        **{key: Computed(amount, known[key]) for key, amount in parts.items()},
    }
    for code, amount in amounts_by(lines, functional_class).items():
        figures[code] = Computed(amount, prior_figure(prior, FUNCTIONAL, code), "functional")
    for depth in (5, 7):
        for code, amount in amounts_by(lines, partial(_head, depth)).items():
            figures[code] = Computed(amount, prior_figure(prior, FUNCTIONAL, code))
    basic = basic_lines(budget)
    for code, amount in amounts_by(basic, lambda line: economic_class(line.economic)).items():
        figures[code] = Computed(amount, prior_figure(prior, ECONOMIC, code, kind=Kind.BASIC), "economic")
    for code, amount in amounts_by(basic, lambda line: line.economic).items():
        figures[code] = Computed(amount, prior_figure(prior, ECONOMIC, code, kind=Kind.BASIC))
    return figures


def _head(depth: int, line: Line) -> str:
    return line.functional[:depth]


def decimals_of(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def percent_of(part: Decimal, whole: Decimal, decimals: int) -> Decimal | None:
    return None if whole == 0 else round_half_up(Fraction(part) / Fraction(whole) * 100, decimals)


def _named(key: str) -> str:
    return key if not key.isdigit() else f"code {key}"


def stated_audit(budget: Budget) -> Iterator[Problem]:
    """Every [stated] figure against the computed one, naming the classic mistakes."""
    stated = budget.facts.stated
    figures = computed(budget)
    scalars = {key: value for key, value in stated.as_dict().items() if isinstance(value, Decimal)}
    for path, key, value in [
        *[(("stated", key), key, value) for key, value in scalars.items() if key not in ("operating_costs",)],
        *[(("stated", "amount", key), key, value) for key, value in stated.amount.items()],
    ]:
        yield from _amount(budget, path, key, value, figures)
    for key, value in stated.change.items():
        yield from _change(budget, ("stated", "change", key), key, value, figures)
    for key, value in stated.rate.items():
        yield from _rate(budget, ("stated", "rate", key), key, value, figures)
    yield from _shares(budget, figures)
    yield from _counts(budget)


def _missing(budget: Budget, path: tuple[str, ...], key: str) -> Problem:
    return fact_problem(
        budget, path, Severity.WARNING, "stated-unknown",
        _("{path}: this budget has no figure {key} to compare with (no line under that code)").format(
            path=".".join(path), key=_named(key)),
    )


def _unchecked(budget: Budget, path: tuple[str, ...], key: str, figure, rule: str) -> Problem | None:
    """Why a stated change or rate of key cannot be checked (no such figure, or no prior figure of it); None when it can."""
    if figure is None:
        return _missing(budget, path, key)
    if figure.prior is None:
        return fact_problem(
            budget, path, Severity.WARNING, rule,
            _("{path} cannot be checked: last year's figure of {key} is not given in [prior]").format(
                path=".".join(path), key=_named(key)),
        )
    return None


def _amount(budget, path, key, value, figures) -> Iterator[Problem]:
    figure = figures.get(key)
    if figure is None:
        yield _missing(budget, path, key)
        return
    if value == figure.current:
        return
    label = ".".join(path)
    if figure.current and value in (figure.current * TEN_THOUSAND, figure.current / TEN_THOUSAND):
        yield fact_problem(
            budget, path, Severity.ERROR, "stated-unit",
            _("{path} is {stated} but the lines give {expected}: a unit wrong by 10,000 (元 for 万元, or the reverse)").format(
                path=label, stated=money(budget, value), expected=money(budget, figure.current)),
        )
    elif key == "total" and value == figures["basic"].current:
        yield fact_problem(
            budget, path, Severity.ERROR, "stated-basic-as-total",
            _("{path} is {stated}, which is 基本支出, not the total {expected}: basic spending called the total").format(
                path=label, stated=money(budget, value), expected=money(budget, figure.current)),
        )
    else:
        codes = THREE_PUBLIC_CODES.get(key)
        basis = _("the lines {codes}").format(codes=", ".join(codes)) if codes else _("the lines")
        yield fact_problem(
            budget, path, Severity.ERROR, "stated-mismatch",
            _("{path} is {stated} but {basis} add up to {expected}").format(
                path=label, stated=money(budget, value), basis=basis, expected=money(budget, figure.current)),
        )


def _change(budget, path, key, value, figures) -> Iterator[Problem]:
    figure = figures.get(key)
    unchecked = _unchecked(budget, path, key, figure, "stated-change")
    if unchecked is not None:
        yield unchecked
        return
    label = ".".join(path)
    expected = figure.current - figure.prior
    if value == expected:
        return
    rule = "stated-unit" if expected and value in (expected * TEN_THOUSAND, expected / TEN_THOUSAND) else "stated-change"
    yield fact_problem(
        budget, path, Severity.ERROR, rule,
        _("{path} is {stated} but this year less last year is {expected}").format(
            path=label, stated=money(budget, value), expected=money(budget, expected))
        + (_(": a unit wrong by 10,000") if rule == "stated-unit" else ""),
    )


def _rate(budget, path, key, value, figures) -> Iterator[Problem]:
    figure = figures.get(key)
    unchecked = _unchecked(budget, path, key, figure, "stated-rate")
    if unchecked is not None:
        yield unchecked
        return
    label = ".".join(path)
    if figure.prior == 0:
        yield fact_problem(
            budget, path, Severity.ERROR, "stated-rate",
            _("{path} states a rate of {stated}% but last year had none of {key}: there is no rate "
              "(the sentence says 上年无此项预算)").format(path=label, stated=value, key=_named(key)),
        )
        return
    decimals = decimals_of(value)
    change = figure.current - figure.prior
    expected = percent_of(change, figure.prior, decimals)
    if value == expected:
        return
    on_current = percent_of(change, figure.current, decimals)
    if on_current is not None and value == on_current:
        yield fact_problem(
            budget, path, Severity.ERROR, "stated-rate-base",
            _("{path} is {stated}%, the change divided by this year's figure; divided by last year's it is {expected}%")
            .format(path=label, stated=value, expected=expected),
        )
    else:
        yield fact_problem(
            budget, path, Severity.ERROR, "stated-rate",
            _("{path} is {stated}% but the change divided by last year's figure is {expected}%").format(
                path=label, stated=value, expected=expected),
        )


def _shares(budget, figures) -> Iterator[Problem]:
    stated = budget.facts.stated.share
    groups: dict[str, list[str]] = {}
    for key, figure in figures.items():
        if figure.group:
            groups.setdefault(figure.group, []).append(key)
    wholes = {
        "kind": figures["total"].current, "fund": figures["total"].current,
        "functional": figures["total"].current, "economic": figures["basic"].current,
        "category": figures["personnel"].current + figures["operating"].current,
    }
    for key, value in stated.items():
        path = ("stated", "share", key)
        figure = figures.get(key)
        if figure is None or figure.group is None:
            yield _missing(budget, path, key) if figure is None else fact_problem(
                budget, path, Severity.WARNING, "stated-unknown",
                _("{path}: {key} is not a part of a whole whose shares the report prints").format(
                    path=".".join(path), key=_named(key)),
            )
            continue
        decimals = decimals_of(value)
        members = groups[figure.group]
        whole = wholes[figure.group]
        rounded = percent_of(figure.current, whole, decimals)
        split = dict(zip(members, shares([figures[m].current for m in members], decimals)))
        if value in (rounded, split[key]):
            continue
        given = [stated[m] for m in members if m in stated]
        forced = len(given) == len(members) and total(given) == 100
        others_right = forced and all(
            stated[m] in (percent_of(figures[m].current, whole, decimals), split[m]) for m in members if m != key
        )
        if others_right:
            yield fact_problem(
                budget, path, Severity.ERROR, "stated-share-forced",
                _("{path} is {stated}% but its share is {expected}%: the shares were made to add up to 100 by "
                  "changing this one; with the largest-remainder rule they add up to 100 as computed").format(
                    path=".".join(path), stated=value, expected=split[key]),
            )
        else:
            yield fact_problem(
                budget, path, Severity.ERROR, "stated-share",
                _("{path} is {stated}% but its share is {expected}%").format(
                    path=".".join(path), stated=value, expected=split[key]),
            )


def computed_counts(budget: Budget) -> dict[str, int | None]:
    facts = budget.facts
    staffing, vehicles = facts.staffing, facts.assets.vehicles
    kinds = [c for c in (staffing.administrative, staffing.logistics, staffing.institutional) if c is not None]
    return {
        "authorized": staffing.authorized if staffing.authorized is not None else (sum(kinds) if kinds else None),
        "actual": staffing.actual,
        "in_service": staffing.in_service,
        "retired": staffing.retired,
        "veteran": staffing.veteran,
        "offices": None if facts.profile.offices is None else len(facts.profile.offices),
        "subordinate_units": facts.profile.subordinate_units,
        "vehicles": None if vehicles is None else sum(v.count or 0 for v in vehicles.values()),
        "performance_projects": facts.performance.projects,
    }


def _counts(budget: Budget) -> Iterator[Problem]:
    counts = computed_counts(budget)
    for key, value in budget.facts.stated.count.items():
        expected = counts[key]
        if expected is not None and value != expected:
            yield fact_problem(
                budget, ("stated", "count", key), Severity.ERROR, "stated-count",
                _("stated.count.{key} is {stated} but the file's facts give {expected}").format(
                    key=key, stated=value, expected=expected),
            )


__all__ = ["Computed", "computed", "computed_counts", "stated_audit"]
