"""Consistency rules for a budget: each problem has a severity, a stable rule id, plain words and a line.

`check_budget(budget)` runs every rule; it is pure (no Textual, no I/O) and fast enough to run
after every edit. Errors make `budget-tui check` exit 1; warnings do not.

Rule ids, by group (see RULES for one line each):
- codes: code-malformed, code-depth, code-unknown
- amounts: amount-precision, amount-negative, amount-absurd
- lines: line-duplicate
- tables: tables-total, table4-general, table6-basic, table6-columns, stated-mismatch, operating-costs
- profile: staffing-authorized, staffing-actual, procurement-total, procurement-reserve
- missing facts: prior-missing, prior-year, fact-missing, reason-missing, reason-orphan
- reasons text: reason-template, reason-blank, reason-repeated, reason-lead, reason-year

The year rule flags a year other than the budget's (`2019年…` in a 2020 budget) unless the text
compares with it or dates something by it: the year follows 比, 较, 与, 同, 截至, 截止, 至, 到, 自, 从
or 于 (`比2019年减少`), or 底, 末, 执行, 决算, 同期 or 以来 follows it (`2019年底`).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum
from typing import Iterator

from budget_tui.catalogue import (
    ECONOMIC_DEPTHS,
    FUNCTIONAL_DEPTHS,
    THREE_PUBLIC_CODES,
    functional_path,
)
from budget_tui.fileformat import load
from budget_tui.locate import nearest
from budget_tui.model import Budget, Category, Fund, Kind, Line, LineKey
from budget_tui.money import MAX_AMOUNT, ZERO, has_cents_only, total
from budget_tui.report import (
    REASON_LEADS,
    amounts_by,
    has_operating_costs,
    missing_facts,
    missing_reasons,
    operating_costs,
    plain_number,
    three_public,
)
from budget_tui.safetext import clean, escape_json, one_line
from budget_tui.tables import Table, build_tables


class Severity(Enum):
    """An error makes the published tables or text wrong; a warning asks for a look."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding: what rule, how serious, in plain words, and where in the file."""

    severity: Severity
    rule: str
    message: str
    line: int
    """1-based line of the file the problem concerns (1 when it concerns the file as a whole)."""
    key: LineKey | None = None
    """The budget line concerned, when there is one."""
    node: tuple | None = None
    """Id of the node of the functional tree (budget_tui.tree) to jump to, when there is one."""
    source: int = 0
    """Index in Budget.sources of the file the line number refers to."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", one_line(self.message))  # it quotes names and keys from the file

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


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
    "operating-costs": "a stated 机关运行经费 differs from the 公用经费 of an administrative unit",
    "staffing-authorized": "编制数 differs from the sum of its kinds",
    "staffing-actual": "实有人数 below 在职",
    "procurement-total": "政府采购 total differs from goods + works + services",
    "procurement-reserve": "an SME reserve larger than the procurement total, or small/micro larger than SME",
    "prior-missing": "a prior-year figure the narrative needs is missing (warning)",
    "prior-year": "prior.year is not the year before the budget's (warning)",
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

TEMPLATE_LEFTOVERS = re.compile(r"增加[（(]减少[)）]|减少[（(]增加[)）]|增加或减少|增加/减少|[（(]或[^）)]*[)）]|××|XX|ＸＸ|_{2,}|＿")
BLANK = re.compile(r"[ \t\u3000]{2,}|(?<=[^\x00-\x7f])[ \t\u3000]+(?=[^\x00-\x7f])")
REPEATED = re.compile(r"([\u4e00-\u9fff][^\s]*?[\u4e00-\u9fff])\1")
YEAR = re.compile(r"(?<![0-9])([12][0-9]{3})年")
YEAR_BEFORE = ("比", "较", "与", "同", "截至", "截止", "至", "到", "自", "从", "于")
YEAR_AFTER = ("底", "末", "执行", "决算", "同期", "以来")


def check_budget(budget: Budget) -> list[Problem]:
    """Every rule on the budget; problems in file order, errors first on the same line."""
    line_rules = (code_rules, amount_rules, duplicate_rules, table_rules)
    fact_rules = (stated_rules, profile_rules, missing_rules, text_rules)
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


# -- where things are ------------------------------------------------------------------------


def locations(budget: Budget, source: int = 0) -> dict[tuple[str, ...], int]:
    return budget.sources[source].locations if len(budget.sources) > source else {}


def fact_line(budget: Budget, path: tuple[str, ...]) -> int:
    """Line of a fact (or of its closest located table), 1 when nothing is located."""
    return nearest(locations(budget), path)


def line_number(budget: Budget, line: Line) -> int:
    """Line of a budget line; for one added in the app, the line of its 项's table."""
    if line.file_line:
        return line.file_line
    return nearest(locations(budget, line.origin), ("basic", line.functional))


def line_label(budget: Budget, line: Line) -> str:
    """How a line is named in a message: 2010301 行政运行 / 30101 基本工资 (项目 X, 政府性基金预算)."""
    parts = [
        f"{line.functional} {budget.functional_name(line.functional)}".strip(),
        f"{line.economic} {budget.economic_name(line.economic)}".strip(),
    ]
    extra = ([f"项目 {line.project}"] if line.project else []) + ([line.fund.value] if line.fund is not Fund.GENERAL else [])
    return " / ".join(parts) + (f" ({', '.join(extra)})" if extra else "")


def line_problem(budget: Budget, line: Line, severity: Severity, rule: str, message: str) -> Problem:
    return Problem(severity, rule, clean(message), line_number(budget, line), line.key, ("line", line.key), line.origin)


def fact_problem(budget: Budget, path: tuple[str, ...], severity: Severity, rule: str, message: str) -> Problem:
    return Problem(severity, rule, clean(message), fact_line(budget, path))


def money(budget: Budget, amount: Decimal) -> str:
    return plain_number(amount) + budget.department.unit


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
    if not (code.isascii() and code.isdigit()) or not code.startswith(lead):
        return line_problem(budget, line, Severity.ERROR, "code-malformed",
                            f"{kind} code {code!r} is not a code: {kind} codes are digits starting with {lead}")
    if len(code) != digits:
        return line_problem(budget, line, Severity.ERROR, "code-depth",
                            f"{kind} code {code} has {len(code)} digits; lines are kept at {level} depth ({digits} digits)")
    name = budget.functional_name(code) if kind == "functional" else budget.economic_name(code)
    if not name:
        return line_problem(budget, line, Severity.WARNING, "code-unknown",
                            f"{kind} code {code} is not in the catalogue; if it is a local code, name it in [names]: {code} = \"…\"")
    return None


# -- amounts -----------------------------------------------------------------------------------


def amount_problem(budget: Budget, amount: Decimal, what: str) -> tuple[str, str] | None:
    """(rule, message) for an amount that cannot be a budget figure, None when it can."""
    unit = budget.department.unit
    if not has_cents_only(amount):
        return "amount-precision", f"{what} is {amount}: amounts have at most two decimals"
    if amount < 0:
        return "amount-negative", f"{what} is negative ({plain_number(amount)}{unit})"
    if amount > MAX_AMOUNT[unit]:
        return "amount-absurd", f"{what} is {plain_number(amount)}{unit}, more than any budget in {unit}; is the unit right?"
    return None


def amount_rules(budget: Budget) -> Iterator[Problem]:
    limit = MAX_AMOUNT[budget.department.unit]
    for line in budget.lines:
        amount = line.amount
        if 0 <= amount <= limit and has_cents_only(amount):
            continue  # the common case, decided without building a message
        found = amount_problem(budget, amount, f"the amount of {line_label(budget, line)}")
        if found:
            yield line_problem(budget, line, Severity.ERROR, *found)
    for path, amount in fact_amounts(budget.facts):
        found = amount_problem(budget, amount, ".".join(path))
        if found:
            yield fact_problem(budget, path, Severity.ERROR, *found)


def fact_amounts(facts: dict, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Decimal]]:
    """Every Decimal among the facts, with its key path."""
    for key, value in facts.items():
        here = path + (str(key),)
        if isinstance(value, dict):
            yield from fact_amounts(value, here)
        elif isinstance(value, Decimal):
            yield here, value


# -- duplicates --------------------------------------------------------------------------------


def duplicate_rules(budget: Budget) -> Iterator[Problem]:
    first: dict[LineKey, Line] = {}
    for line in budget.lines:
        if line.key not in first:
            first[line.key] = line
            continue
        yield line_problem(
            budget, line, Severity.ERROR, "line-duplicate",
            f"{line_label(budget, line)} ({line.kind.value}) appears twice; the first is on line "
            f"{line_number(budget, first[line.key])}: merge the two amounts",
        )


# -- tables: their printed totals against totals derived here from the lines -------------------


def independent_totals(budget: Budget) -> dict[str, Decimal]:
    """The totals the tables print, each summed here by a grouping of its own (source, 类, 项, kind)."""
    lines = budget.lines
    general = [line for line in lines if line.fund is Fund.GENERAL]
    appropriated = [line for line in lines if line.fund.is_appropriation]
    return {
        "income": total(total(l.amount for l in lines if l.fund is fund) for fund in Fund),
        "by_class": total(amounts_by(lines, lambda l: functional_path(l.functional)[0]).values()),
        "by_item": total(amounts_by(lines, lambda l: l.functional).values()),
        "by_kind": total(total(l.amount for l in lines if l.kind is kind) for kind in Kind),
        "appropriation": total(total(l.amount for l in lines if l.fund is fund) for fund in Fund if fund.is_appropriation),
        "appropriation_by_class": total(amounts_by(appropriated, lambda l: functional_path(l.functional)[0]).values()),
        "general": total(amounts_by(general, lambda l: l.functional).values()),
        "general_basic": total(l.amount for l in general if l.kind is Kind.BASIC),
        "government_fund": total(l.amount for l in lines if l.fund is Fund.GOVERNMENT_FUND),
        "three_public": total(three_public(budget).values()),
    }


def cell(table: Table, heading: tuple[str, ...], row: int = -1) -> Decimal:
    """An amount of a table's total row (its only row when it has none), blank as 0."""
    index = next(i for i, column in enumerate(table.columns) if column.heading == heading)
    rows = table.totals or table.body
    return rows[row].cells[index] or ZERO


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
        ("tables-total", "表一 各类支出与230之和", column_sum(t1, ("支出", "预算数")) + cell(t1, ("支出", "预算数"), 1), figures["by_class"]),
        ("tables-total", "表二 合计", cell(t2, ("总计",)), figures["by_item"]),
        ("tables-total", "表三 合计", cell(t3, ("支出预算", "合计")), figures["by_kind"]),
        ("tables-total", "表四 收入总计", cell(t4, ("财政拨款收入", "合计")), figures["appropriation"]),
        ("tables-total", "表四 支出总计", cell(t4, ("财政拨款支出", "合计")), figures["appropriation_by_class"]),
        ("tables-total", "表五 合计", cell(t5, ("一般公共预算支出", "小计")), figures["general"]),
        ("tables-total", "表八 合计", cell(t8, ("合计",)), figures["three_public"]),
        ("tables-total", "表九 合计", cell(t9, ("政府性基金预算支出", "小计")), figures["government_fund"]),
        ("table4-general", "表四 一般公共预算 against 表五 合计", cell(t4, ("财政拨款支出", "一般公共预算")), cell(t5, ("一般公共预算支出", "小计"))),
        ("table4-general", "表四 一般公共预算", cell(t4, ("财政拨款支出", "一般公共预算")), figures["general"]),
        ("table6-basic", "表六 合计 against 表五 基本支出", cell(t6, ("一般公共预算基本支出", "小计")), cell(t5, ("一般公共预算支出", "基本支出"))),
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
            f"{line_label(budget, line)} is 基本支出 but neither 人员经费 nor 公用经费, so table 6's columns do not "
            f"add up to its 小计; write it as {{ amount = …, category = \"公用经费\" }} (or 人员经费)",
        )
    reported = {"table6-columns"} if uncategorized else set()
    for rule, what, printed, expected in printed_totals(budget, independent_totals(budget)):
        if printed != expected and rule not in reported:
            reported.add(rule)
            yield Problem(
                Severity.ERROR, rule,
                f"{what} prints {money(budget, printed)} but should be {money(budget, expected)}", 1,
            )


# -- stated figures ----------------------------------------------------------------------------


def computed_figures(budget: Budget) -> dict[str, Decimal]:
    """What each [stated] figure should equal, from the lines."""
    general = [line for line in budget.lines if line.fund is Fund.GENERAL and line.kind is Kind.BASIC]
    parts = three_public(budget)
    return {
        "total": budget.total(),
        "personnel": total(l.amount for l in general if l.category is Category.PERSONNEL),
        "operating": total(l.amount for l in general if l.category is Category.OPERATING),
        "three_public": total(parts.values()),
        **parts,
    }


def stated_rules(budget: Budget) -> Iterator[Problem]:
    computed = computed_figures(budget)
    for key, expected in computed.items():
        stated = budget.fact("stated", key)
        if stated is not None and stated != expected:
            codes = THREE_PUBLIC_CODES.get(key)
            basis = f"the lines {', '.join(codes)}" if codes else "the lines"
            yield fact_problem(
                budget, ("stated", key), Severity.ERROR, "stated-mismatch",
                f"stated.{key} is {money(budget, stated)} but {basis} add up to {money(budget, expected)}",
            )
    stated = budget.fact("stated", "operating_costs")
    if stated is not None and has_operating_costs(budget) and stated != operating_costs(budget):
        yield fact_problem(
            budget, ("stated", "operating_costs"), Severity.ERROR, "operating-costs",
            f"stated 机关运行经费 is {money(budget, stated)} but the 公用经费 of this {budget.department.kind} is "
            f"{money(budget, operating_costs(budget))}",
        )


# -- profile -----------------------------------------------------------------------------------


def profile_rules(budget: Budget) -> Iterator[Problem]:
    staffing = budget.facts.get("staffing", {})
    kinds = [staffing[key] for key in ("administrative", "logistics", "institutional") if key in staffing]
    if "authorized" in staffing and kinds and staffing["authorized"] != sum(kinds):
        yield fact_problem(
            budget, ("staffing", "authorized"), Severity.ERROR, "staffing-authorized",
            f"编制数 is {staffing['authorized']} but 行政编制, 机关工勤编制 and 事业编制 add up to {sum(kinds)}",
        )
    if "actual" in staffing and "in_service" in staffing and staffing["actual"] < staffing["in_service"]:
        yield fact_problem(
            budget, ("staffing", "actual"), Severity.ERROR, "staffing-actual",
            f"实有人数 is {staffing['actual']}, fewer than the {staffing['in_service']} 在职",
        )
    yield from procurement_rules(budget)


def procurement_rules(budget: Budget) -> Iterator[Problem]:
    procurement = budget.facts.get("procurement", {})
    parts = [procurement.get(key) for key in ("goods", "works", "services")]
    whole = procurement.get("total")
    if whole is not None and None not in parts and whole != total(parts):
        yield fact_problem(
            budget, ("procurement", "total"), Severity.ERROR, "procurement-total",
            f"政府采购 total is {money(budget, whole)} but goods, works and services add up to {money(budget, total(parts))}",
        )
    if whole is None and None not in parts:
        whole = total(parts)
    reserved, micro = procurement.get("sme_reserved"), procurement.get("small_micro_reserved")
    if reserved is not None and whole is not None and reserved > whole:
        yield fact_problem(
            budget, ("procurement", "sme_reserved"), Severity.ERROR, "procurement-reserve",
            f"the SME reserve {money(budget, reserved)} is more than the whole 政府采购 of {money(budget, whole)}",
        )
    if micro is not None and reserved is not None and micro > reserved:
        yield fact_problem(
            budget, ("procurement", "small_micro_reserved"), Severity.ERROR, "procurement-reserve",
            f"the small and micro reserve {money(budget, micro)} is more than the SME reserve {money(budget, reserved)}",
        )


# -- missing facts and reasons -----------------------------------------------------------------


def missing_rules(budget: Budget) -> Iterator[Problem]:
    for absent, facts in _by_absent_table(budget, missing_facts(budget)).items():
        rule = "prior-missing" if absent[0] == "prior" else "fact-missing"
        if len(facts) == 1:
            path, label = facts[0]
            message = f"{'.'.join(path)} ({label}) is not given; the report will say it was not provided"
        else:
            labels = "、".join(label for _, label in facts)
            message = f"[{'.'.join(absent)}] is not given ({labels}); the report will say they were not provided"
        yield fact_problem(budget, absent, Severity.WARNING, rule, message)
    prior_year = budget.fact("prior", "year")
    if prior_year is not None and prior_year != budget.department.year - 1:
        yield fact_problem(
            budget, ("prior", "year"), Severity.WARNING, "prior-year",
            f"prior.year is {prior_year}, but the year before this {budget.department.year} budget is "
            f"{budget.department.year - 1}",
        )
    for path, label in missing_reasons(budget):
        yield fact_problem(
            budget, path, Severity.WARNING, "reason-missing",
            f"{label} changed from the prior year but {'.'.join(path)} does not say why",
        )
    general_items = {line.functional for line in budget.lines if line.fund is Fund.GENERAL}
    for code in budget.fact("reasons", "functional", default={}):
        if code not in general_items:
            yield fact_problem(
                budget, ("reasons", "functional", code), Severity.WARNING, "reason-orphan",
                f"reasons.functional.{code} explains a 项 with no 一般公共预算 line, so the report never prints it",
            )


def _by_absent_table(budget: Budget, facts) -> dict[tuple[str, ...], list[tuple[tuple[str, ...], str]]]:
    """Missing facts grouped under the outermost table the file lacks, so one absent section is one warning."""
    groups: dict[tuple[str, ...], list[tuple[tuple[str, ...], str]]] = {}
    for path, label in facts:
        absent = next((path[:end] for end in range(1, len(path)) if _absent(budget, path[:end])), path)
        groups.setdefault(absent, []).append((path, label))
    return groups


def _absent(budget: Budget, table: tuple[str, ...]) -> bool:
    """True when the file has no such table at all."""
    return table[0] not in budget.facts if len(table) == 1 else budget.fact(*table) is None


# -- texts ------------------------------------------------------------------------------------


def file_texts(budget: Budget) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every free text of the file that the report prints, with its key path."""
    for section in ("profile", "staffing", "performance", "reasons"):
        yield from texts_in(budget.facts.get(section, {}), (section,))


def texts_in(value, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from texts_in(item, path + (str(key),))
    elif isinstance(value, list):
        for item in value:
            yield from texts_in(item, path)


def text_rules(budget: Budget) -> Iterator[Problem]:
    year = budget.department.year
    for path, text in file_texts(budget):
        found = [
            ("reason-template", TEMPLATE_LEFTOVERS, "template choice left in: {0}; keep the words that apply"),
            ("reason-blank", BLANK, "a blank is left in the text near {0!r}; fill it in or remove it"),
            ("reason-repeated", REPEATED, "{0} is written twice in a row"),
        ]
        for rule, pattern, wording in found:
            match = pattern.search(text)
            if match:
                context = text[max(match.start() - 4, 0) : match.end() + 4]
                shown = match.group(1) if pattern is REPEATED else (context if pattern is BLANK else match.group(0))
                yield fact_problem(budget, path, Severity.WARNING, rule, f"{'.'.join(path)}: {wording.format(shown)}")
        if path[0] != "reasons":
            continue
        if text.lstrip().startswith(REASON_LEADS):
            yield fact_problem(
                budget, path, Severity.WARNING, "reason-lead",
                f"{'.'.join(path)} starts with 主要原因; the report writes 主要原因是 itself, so give only the reason",
            )
        other = foreign_year(text, year)
        if other:
            yield fact_problem(
                budget, path, Severity.WARNING, "reason-year",
                f"{'.'.join(path)} mentions {other}年 in a {year} budget; is the year right?",
            )


def foreign_year(text: str, year: int) -> int | None:
    """The first year in the text that is neither the budget's nor compared with or dated by."""
    for match in YEAR.finditer(text):
        mentioned = int(match.group(1))
        before, after = text[: match.start()].rstrip(), text[match.end() :]
        if mentioned == year or before.endswith(YEAR_BEFORE) or after.startswith(YEAR_AFTER):
            continue
        return mentioned
    return None


# -- the command ------------------------------------------------------------------------------


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


def run_check(args: argparse.Namespace) -> int:
    """`budget-tui check PATH [--format json]`: one line per problem; exit 1 when there is an error."""
    budget = load(args.path)
    problems = check_budget(budget)
    paths = [str(source.path) for source in budget.sources] or [str(args.path)]
    if args.format == "json":
        found = json.dumps([problem_json(paths[p.source], p) for p in problems], ensure_ascii=False, indent=2)
        sys.stdout.write(escape_json(found) + "\n")  # paths and project names stay exact, as \u escapes
    else:
        for p in problems:
            sys.stdout.write(f"{clean(paths[p.source])}:{p.line}: {p.severity.value} [{p.rule}]: {p.message}\n")
    return 1 if any(p.is_error for p in problems) else 0
