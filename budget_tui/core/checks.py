"""Consistency rules for a budget: each problem has a severity, a stable rule id, plain words and a line.

`check_budget(budget)` runs every rule; it is pure (no Textual, no I/O) and fast enough to run
after every edit. Errors make `budget-tui check` exit 1; warnings do not.

Rule ids, by group (see RULES for one line each):
- codes: code-malformed, code-depth, code-unknown
- amounts: amount-precision, amount-negative, amount-absurd
- lines: line-duplicate
- tables: tables-total, table4-general, table6-basic, table6-columns, stated-mismatch, operating-costs
- stated figures: stated-unit, stated-basic-as-total, stated-change, stated-rate, stated-rate-base, stated-share,
  stated-share-forced, stated-count, stated-unknown
- profile: staffing-authorized, staffing-actual, procurement-total, procurement-reserve, fact-date
- missing facts: prior-missing, prior-year, prior-levels, fact-missing, reason-missing, reason-orphan
- reasons text: reason-template, reason-blank, reason-repeated, reason-lead, reason-year

The rules on lines and tables are here; those on the file's stated facts and texts are in
budget_tui.core.fact_checks; a Problem and how it names and locates lines and facts, in
budget_tui.core.problems.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from decimal import Decimal

from budget_tui.core.catalogue import ECONOMIC_DEPTHS, FUNCTIONAL_DEPTHS, THREE_PUBLIC_CODES, functional_path
from budget_tui.core.fact_checks import date_rules, missing_rules, prior_rules, profile_rules, stated_rules, text_rules
from budget_tui.core.model import Budget, Fund, Kind, Line
from budget_tui.core.money import CENT, MAX_AMOUNT, ZERO, has_cents_only, plain_number, total
from budget_tui.core.problems import (
    Problem,
    Severity,
    fact_problem,
    line_label,
    line_number,
    line_problem,
    money,
)
from budget_tui.core.tables import Table, build_tables
from budget_tui.i18n import N_, _

RULES = {
    "code-malformed": "a code that is not digits, or a functional code not starting with 2 / economic with 3",
    "code-depth": "a functional code that is not a 7-digit 项, or an economic code that is not a 5-digit 款",
    "code-unknown": "a code neither the catalogue nor the file's [names] names (warning)",
    "amount-precision": "an amount with more than two decimals",
    "amount-negative": "a negative amount",
    "amount-absurd": "an amount larger than any budget in its unit (money.MAX_AMOUNT)",
    "line-duplicate": "the same 项, economic code, type, fund and project twice",
    "tables-total": "a total of tables 1-5, 8 or 9 differs from the same total summed here from the lines",
    "table4-general": "table 4's 一般公共预算 column differs from table 5's total",
    "table6-basic": "table 6's total differs from table 5's 基本支出 column",
    "table6-columns": "a basic line that is neither 人员经费 nor 公用经费 (table 6's columns do not add up)",
    "stated-mismatch": "a figure stated in [stated] differs from the lines",
    "stated-unit": "a stated figure off by a factor of 10,000: 元 written for 万元 or the reverse",
    "stated-basic-as-total": "the stated total is 基本支出: basic spending called the total",
    "stated-change": "a stated change against last year differs from this year less last year",
    "stated-rate": "a stated rate differs from the change divided by last year's figure, or last year had none",
    "stated-rate-base": "a stated rate that is the change divided by this year's figure instead of last year's",
    "stated-share": "a stated share differs from the computed share",
    "stated-share-forced": "stated shares made to add up to 100 by changing one of them",
    "stated-count": "a stated count (people, offices, vehicles…) differs from the file's facts",
    "stated-unknown": "a stated figure this budget has no figure for (warning)",
    "operating-costs": "a stated 机关运行经费 differs from the 公用经费 of an administrative unit",
    "staffing-authorized": "编制数 differs from the sum of its kinds",
    "staffing-actual": "实有人数 below 在职",
    "procurement-total": "政府采购 total differs from goods + works + services",
    "procurement-reserve": "an SME reserve larger than the procurement total, or small/micro larger than SME",
    "fact-date": "a date (department.published, assets.as_of) that names no real day: 2021-02-30, \"soon\"",
    "prior-missing": "a prior-year figure the narrative needs is missing (warning)",
    "prior-year": "prior.year is not the year before the budget's (warning)",
    "prior-levels": "prior figures given at several levels (类, 款, 项) or as a scope's total that do not add up",
    "fact-missing": "a fact the document prints is missing (warning)",
    "reason-missing": "a figure changed but [reasons] does not say why (warning)",
    "reason-orphan": "a reason for a 项 the budget has no 一般公共预算 line for (warning)",
    "reason-template": "template choices left in a text: 增加（减少）, （或…） (warning)",
    "reason-blank": "a blank left in a text: 减少  人 (warning)",
    "reason-repeated": "a phrase repeated back to back: 主要原因是主要原因是 (warning)",
    "reason-lead": "a reason starting with 主要原因是, which the report writes itself (warning)",
    "reason-year": "a year other than the budget's: 2019年 in a 2020 budget (warning)",
}

FUNCTIONAL_ITEM_DIGITS = max(FUNCTIONAL_DEPTHS)
ECONOMIC_ITEM_DIGITS = max(ECONOMIC_DEPTHS)


def check_budget(budget: Budget) -> list[Problem]:
    """Every rule on the budget; problems in file order, errors first on the same line."""
    line_rules = (code_rules, amount_rules, duplicate_rules, table_rules)
    fact_rules = (stated_rules, profile_rules, date_rules, missing_rules, prior_rules, text_rules)
    problems = [problem for rule in line_rules for problem in rule(budget)]
    if budget.parts:  # a folder: each department's facts are checked against its own lines, as edited now
        lines_of: dict[int, list[Line]] = {origin: [] for origin in range(len(budget.parts))}
        for line in budget.lines:
            lines_of[line.origin].append(line)
        for origin, part in enumerate(budget.parts):
            current = replace(part, lines=lines_of[origin])
            problems += [replace(problem, source=origin) for rule in fact_rules for problem in rule(current)]
    else:
        problems += [problem for rule in fact_rules for problem in rule(budget)]
    return sorted(problems, key=lambda p: (p.source, p.line, not p.is_error, p.rule))


# -- codes -------------------------------------------------------------------------------------


def code_rules(budget: Budget) -> Iterator[Problem]:
    """Functional codes are 7-digit 项 starting with 2, economic codes 5-digit 款 starting with 3; named."""
    seen: set[str] = set()  # each code is judged once, at its first line
    for line in budget.lines:
        for code, kind, digits, lead in (
            (line.functional, "functional", FUNCTIONAL_ITEM_DIGITS, "2"),
            (line.economic, "economic", ECONOMIC_ITEM_DIGITS, "3"),
        ):
            if code in seen:
                continue
            seen.add(code)
            problem = code_problem(budget, line, code, kind, digits, lead)
            if problem:
                yield problem


def code_problem(budget: Budget, line: Line, code: str, kind: str, digits: int, lead: str) -> Problem | None:
    level = "项" if kind == "functional" else "款"
    shown = _("functional") if kind == "functional" else _("economic")
    if not (code.isascii() and code.isdigit()) or not code.startswith(lead):
        return line_problem(budget, line, Severity.ERROR, "code-malformed",
                            _("{kind} code {code!r} is not a code: {kind} codes are digits starting with {lead}").format(
                                kind=shown, code=code, lead=lead))
    if len(code) != digits:
        return line_problem(budget, line, Severity.ERROR, "code-depth",
                            _("{kind} code {code} has {n} digits; lines are kept at {level} depth ({digits} digits)").format(
                                kind=shown, code=code, n=len(code), level=level, digits=digits))
    name = budget.functional_name(code) if kind == "functional" else budget.economic_name(code)
    if not name:
        return line_problem(budget, line, Severity.WARNING, "code-unknown",
                            _("{kind} code {code} is not in the catalogue; if it is a local code, name it in [names]: "
                              "{code} = \"…\"").format(kind=shown, code=code))
    return None


# -- amounts -----------------------------------------------------------------------------------


def amount_problem(budget: Budget, amount: Decimal, what: str) -> tuple[str, str] | None:
    """(rule, message) for an amount that cannot be a budget figure, None when it can."""
    unit = budget.department.unit
    if not has_cents_only(amount):
        return "amount-precision", _("{what} is {amount}: amounts have at most two decimals").format(what=what, amount=amount)
    if amount < 0:
        return "amount-negative", _("{what} is negative ({amount})").format(what=what, amount=f"{plain_number(amount)}{unit}")
    if amount > MAX_AMOUNT[unit]:
        return "amount-absurd", _("{what} is {amount}, more than any budget in {unit}; is the unit right?").format(
            what=what, amount=f"{plain_number(amount)}{unit}", unit=unit)
    return None


def amount_rules(budget: Budget) -> Iterator[Problem]:
    limit = MAX_AMOUNT[budget.department.unit]
    for line in budget.lines:
        amount = line.amount
        if 0 <= amount <= limit and amount.quantize(CENT) == amount:
            continue  # the common case, decided without building a message (has_cents_only: 3 times as long)
        found = amount_problem(budget, amount, _("the amount of {line}").format(line=line_label(budget, line)))
        if found:
            yield line_problem(budget, line, Severity.ERROR, *found)
    for path, amount in budget.facts.amounts():
        found = amount_problem(budget, amount, ".".join(path))
        if found:
            yield fact_problem(budget, path, Severity.ERROR, *found)


# -- duplicates --------------------------------------------------------------------------------


def duplicate_rules(budget: Budget) -> Iterator[Problem]:
    first: dict[tuple, Line] = {}
    for line in budget.lines:
        key = (line.kind, line.project, line.fund, line.functional, line.economic, line.origin)  # line.key's fields
        if key not in first:
            first[key] = line
            continue
        yield line_problem(
            budget, line, Severity.ERROR, "line-duplicate",
            _("{line} ({kind}) appears twice; the first is on line {first}: merge the two amounts").format(
                line=line_label(budget, line), kind=line.kind.value, first=line_number(budget, first[key])),
        )


# -- tables: their printed totals against totals derived here from the lines -------------------


def independent_totals(budget: Budget) -> dict[str, Decimal]:
    """The totals the tables print, each summed here by a grouping of its own (source, 类, 项, kind).

    One pass over the lines sums them by (fund, kind, 项), and the 一般公共预算 lines by economic code; every total
    is then added up from these groups (about twenty passes over the lines before, 0.1 s at 50,000 lines). Decimal
    addition is exact, so a total summed by groups is the total summed line by line. The groups are this function's
    own, apart from the tables' (core/tablesums.py), which they check.
    """
    groups: dict[tuple[Fund, Kind, str], Decimal] = {}
    general_by_economic: dict[str, Decimal] = {}
    for line in budget.lines:
        key = (line.fund, line.kind, line.functional)
        groups[key] = groups.get(key, ZERO) + line.amount
        if line.fund is Fund.GENERAL:
            general_by_economic[line.economic] = general_by_economic.get(line.economic, ZERO) + line.amount
    items = groups.items()

    def by(keep, group) -> dict[object, Decimal]:
        """The groups kept, summed again by group((fund, kind, 项))."""
        sums: dict[object, Decimal] = {}
        for key, amount in items:
            if keep(key):
                regroup = group(key)
                sums[regroup] = sums.get(regroup, ZERO) + amount
        return sums

    def every(_: tuple) -> bool:
        return True

    def appropriated(key: tuple) -> bool:
        return key[0].is_appropriation

    def general(key: tuple) -> bool:
        return key[0] is Fund.GENERAL

    def functional_class(key: tuple) -> str:
        return functional_path(key[2])[0]

    return {
        "income": total(by(every, lambda key: key[0]).values()),
        "by_class": total(by(every, functional_class).values()),
        "by_item": total(by(every, lambda key: key[2]).values()),
        "by_kind": total(by(every, lambda key: key[1]).values()),
        "appropriation": total(by(appropriated, lambda key: key[0]).values()),
        "appropriation_by_class": total(by(appropriated, functional_class).values()),
        "general": total(by(general, lambda key: key[2]).values()),
        "general_basic": total(by(lambda key: general(key) and key[1] is Kind.BASIC, every).values()),
        "government_fund": total(by(lambda key: key[0] is Fund.GOVERNMENT_FUND, every).values()),
        "three_public": total(
            total(amount for code, amount in general_by_economic.items() if code in codes)
            for codes in THREE_PUBLIC_CODES.values()
        ),
    }


def cell(table: Table, heading: tuple[str, ...], row: int = -1) -> Decimal:
    """An amount of a table's total row (its only row when it has none), blank as 0."""
    index = next(i for i, column in enumerate(table.columns) if column.heading == heading)
    rows = table.totals or table.body
    value = rows[row].cells[index] or ZERO
    assert isinstance(value, Decimal), heading  # a column of amounts
    return value


def column_sum(table: Table, heading: tuple[str, ...]) -> Decimal:
    """Sum of a column over the body rows."""
    index = next(i for i, column in enumerate(table.columns) if column.heading == heading)
    return total(row.cells[index] or ZERO for row in table.body)


def printed_totals(budget: Budget, figures: dict[str, Decimal]) -> list[tuple[str, str, Decimal, Decimal]]:
    """(rule, what, printed, expected) for every total of the nine tables."""
    t1, t2, t3, t4, t5, t6, _, t8, t9 = build_tables(budget)
    return [
        ("tables-total", "表一 收入总计", cell(t1, ("收入", "预算数")), figures["income"]),
        ("tables-total", "表一 支出合计", cell(t1, ("支出", "预算数")), figures["by_class"]),
        (
            "tables-total", "表一 各类支出与230之和", column_sum(t1, ("支出", "预算数")) + cell(t1, ("支出", "预算数"), 1),
            figures["by_class"],
        ),
        ("tables-total", "表二 合计", cell(t2, ("总计",)), figures["by_item"]),
        ("tables-total", "表三 合计", cell(t3, ("支出预算", "合计")), figures["by_kind"]),
        ("tables-total", "表四 收入总计", cell(t4, ("财政拨款收入", "合计")), figures["appropriation"]),
        ("tables-total", "表四 支出总计", cell(t4, ("财政拨款支出", "合计")), figures["appropriation_by_class"]),
        ("tables-total", "表五 合计", cell(t5, ("一般公共预算支出", "小计")), figures["general"]),
        ("tables-total", "表八 合计", cell(t8, ("合计",)), figures["three_public"]),
        ("tables-total", "表九 合计", cell(t9, ("政府性基金预算支出", "小计")), figures["government_fund"]),
        (
            "table4-general", N_("表四 一般公共预算 against 表五 合计"), cell(t4, ("财政拨款支出", "一般公共预算")),
            cell(t5, ("一般公共预算支出", "小计")),
        ),
        ("table4-general", "表四 一般公共预算", cell(t4, ("财政拨款支出", "一般公共预算")), figures["general"]),
        (
            "table6-basic", N_("表六 合计 against 表五 基本支出"), cell(t6, ("一般公共预算基本支出", "小计")),
            cell(t5, ("一般公共预算支出", "基本支出")),
        ),
        ("table6-basic", "表六 合计", cell(t6, ("一般公共预算基本支出", "小计")), figures["general_basic"]),
        (
            "table6-columns",
            "表六 人员经费 + 公用经费",
            cell(t6, ("一般公共预算基本支出", "人员经费")) + cell(t6, ("一般公共预算基本支出", "公用经费")),
            cell(t6, ("一般公共预算基本支出", "小计")),
        ),
    ]


def table_rules(budget: Budget) -> Iterator[Problem]:
    """Each table's totals agree with the lines and with the other tables; table 6 splits every line."""
    uncategorized = [
        line
        for line in budget.lines
        if line.fund is Fund.GENERAL and line.kind is Kind.BASIC and line.category is None
    ]
    for line in uncategorized:
        yield line_problem(
            budget, line, Severity.ERROR, "table6-columns",
            _("{line} is 基本支出 but neither 人员经费 nor 公用经费, so table 6's columns do not "
              "add up to its 小计; write it as {example} (or 人员经费)").format(
                line=line_label(budget, line), example='{ amount = …, category = "公用经费" }'),
        )
    reported = {"table6-columns"} if uncategorized else set()
    for rule, what, printed, expected in printed_totals(budget, independent_totals(budget)):
        if printed != expected and rule not in reported:
            reported.add(rule)
            yield Problem(
                Severity.ERROR, rule,
                _("{what} prints {printed} but should be {expected}").format(
                    what=_(what), printed=money(budget, printed), expected=money(budget, expected)), 1,
            )


# -- for `check --format json` ----------------------------------------------------------------


def problem_json(path: str, problem: Problem) -> dict:
    """A problem as a JSON object; the line key, when there is one, as its fields."""
    data = {
        "path": path,
        "line": problem.line,
        "severity": problem.severity.value,
        "rule": problem.rule,
        "message": problem.message,
    }
    if problem.key is not None:
        key = problem.key
        data["line_key"] = {
            "kind": key.kind.value,
            "project": key.project,
            "fund": key.fund.value,
            "functional": key.functional,
            "economic": key.economic,
        }
    return data


__all__ = [
    "RULES",
    "Problem",
    "Severity",
    "check_budget",
    "line_label",
    "problem_json",
    "table_rules",
]
