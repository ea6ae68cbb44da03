"""The rules of `check` on the file's stated facts and texts, each department's against its own lines.

Stated figures against the lines, the profile (staffing, procurement), the facts and reasons the
document needs (budget_tui.core.facts) and the free texts it prints; run by
budget_tui.core.checks.check_budget, which has the list of rule ids.

The year rule flags a year other than the budget's (`2019年…` in a 2020 budget) unless the text
compares with it or dates something by it: the year follows 比, 较, 与, 同, 截至, 截止, 至, 到, 自, 从
or 于 (`比2019年减少`), or 底, 末, 执行, 决算, 同期 or 以来 follows it (`2019年底`).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from budget_tui.core.facts import REASON_LEADS, missing_facts, missing_reasons
from budget_tui.core.figures import has_operating_costs, operating_costs
from budget_tui.core.model import Budget, Fund, calendar_date
from budget_tui.core.money import total
from budget_tui.core.priors import prior_level_sums, prior_scope_totals
from budget_tui.core.problems import Problem, Severity, fact_problem, money
from budget_tui.core.stated import stated_audit
from budget_tui.i18n import _

TEMPLATE_LEFTOVERS = re.compile(r"增加[（(]减少[)）]|减少[（(]增加[)）]|增加或减少|增加/减少|[（(]或[^）)]*[)）]|××|XX|ＸＸ|_{2,}|＿")
BLANK = re.compile(r"[ \t\u3000]{2,}|(?<=[^\x00-\x7f])[ \t\u3000]+(?=[^\x00-\x7f])")
REPEATED = re.compile(r"([\u4e00-\u9fff][^\s]*?[\u4e00-\u9fff])\1")
YEAR = re.compile(r"(?<![0-9])([12][0-9]{3})年")
YEAR_BEFORE = ("比", "较", "与", "同", "截至", "截止", "至", "到", "自", "从", "于")
YEAR_AFTER = ("底", "末", "执行", "决算", "同期", "以来")


# -- stated figures ----------------------------------------------------------------------------


def stated_rules(budget: Budget) -> Iterator[Problem]:
    yield from stated_audit(budget)
    stated = budget.facts.stated.operating_costs
    if stated is not None and has_operating_costs(budget) and stated != operating_costs(budget):
        yield fact_problem(
            budget, ("stated", "operating_costs"), Severity.ERROR, "operating-costs",
            _("stated 机关运行经费 is {stated} but the 公用经费 of this {kind} is {operating}").format(
                stated=money(budget, stated), kind=budget.department.kind, operating=money(budget, operating_costs(budget))),
        )


def prior_rules(budget: Budget) -> Iterator[Problem]:
    """Prior figures given at several levels add up: a code's figure is the sum of the codes one level below it
    that the table gives, and a scope's total is [prior]'s figure of it."""
    for path, code, amount, parts in prior_level_sums(budget.facts.prior):
        yield fact_problem(
            budget, path, Severity.ERROR, "prior-levels",
            _("{path} is {amount} but the codes below {code} in the same table add up to {parts}; "
              "give every code of the level below, or correct one of them").format(
                path=".".join(path), amount=money(budget, amount), code=code, parts=money(budget, parts)),
        )
    for path, what, stated, expected in prior_scope_totals(budget.facts.prior):
        yield fact_problem(
            budget, path, Severity.ERROR, "prior-levels",
            _("{path} is {stated} but {what} is {expected}; the two are the same figure").format(
                path=".".join(path), stated=money(budget, stated), what=what, expected=money(budget, expected)),
        )


# -- profile -----------------------------------------------------------------------------------


def profile_rules(budget: Budget) -> Iterator[Problem]:
    staffing = budget.facts.staffing
    kinds = [count for count in (staffing.administrative, staffing.logistics, staffing.institutional) if count is not None]
    if staffing.authorized is not None and kinds and staffing.authorized != sum(kinds):
        yield fact_problem(
            budget, ("staffing", "authorized"), Severity.ERROR, "staffing-authorized",
            _("编制数 is {authorized} but 行政编制, 机关工勤编制 and 事业编制 add up to {sum}").format(
                authorized=staffing.authorized, sum=sum(kinds)),
        )
    if staffing.actual is not None and staffing.in_service is not None and staffing.actual < staffing.in_service:
        yield fact_problem(
            budget, ("staffing", "actual"), Severity.ERROR, "staffing-actual",
            _("实有人数 is {actual}, fewer than the {in_service} 在职").format(actual=staffing.actual, in_service=staffing.in_service),
        )
    yield from procurement_rules(budget)


def procurement_rules(budget: Budget) -> Iterator[Problem]:
    procurement = budget.facts.procurement
    parts = [procurement.goods, procurement.works, procurement.services]
    whole = procurement.total
    if whole is not None and None not in parts and whole != total(parts):
        yield fact_problem(
            budget, ("procurement", "total"), Severity.ERROR, "procurement-total",
            _("政府采购 total is {whole} but goods, works and services add up to {parts}").format(
                whole=money(budget, whole), parts=money(budget, total(parts))),
        )
    if whole is None and None not in parts:
        whole = total(parts)
    reserved, micro = procurement.sme_reserved, procurement.small_micro_reserved
    if reserved is not None and whole is not None and reserved > whole:
        yield fact_problem(
            budget, ("procurement", "sme_reserved"), Severity.ERROR, "procurement-reserve",
            _("the SME reserve {reserved} is more than the whole 政府采购 of {whole}").format(
                reserved=money(budget, reserved), whole=money(budget, whole)),
        )
    if micro is not None and reserved is not None and micro > reserved:
        yield fact_problem(
            budget, ("procurement", "small_micro_reserved"), Severity.ERROR, "procurement-reserve",
            _("the small and micro reserve {micro} is more than the SME reserve {reserved}").format(
                micro=money(budget, micro), reserved=money(budget, reserved)),
        )


def date_rules(budget: Budget) -> Iterator[Problem]:
    """The dates the report prints name real days; the file keeps them as written, so a wrong one is found here."""
    for path, written in (
        (("department", "published"), budget.department.published),
        (("assets", "as_of"), budget.facts.assets.as_of),
    ):
        if written is not None and calendar_date(written) is None:
            yield fact_problem(
                budget, path, Severity.ERROR, "fact-date",
                _("{path} is {written!r}, which is not a day of the calendar; "
                  "write a date such as 2021-02-01, without quotes").format(path=".".join(path), written=str(written)),
            )


# -- missing facts and reasons -----------------------------------------------------------------


def missing_rules(budget: Budget) -> Iterator[Problem]:
    for absent, facts in _by_absent_table(budget, missing_facts(budget)).items():
        rule = "prior-missing" if absent[0] == "prior" else "fact-missing"
        if len(facts) == 1:
            path, label = facts[0]
            message = _("{path} ({label}) is not given; the report will say it was not provided").format(path=".".join(path), label=label)
        else:
            labels = "、".join(label for _, label in facts)
            message = _("[{table}] is not given ({labels}); the report will say they were not provided").format(
                table=".".join(absent), labels=labels)
        yield fact_problem(budget, absent, Severity.WARNING, rule, message)
    prior_year = budget.facts.prior.year
    if prior_year is not None and prior_year != budget.department.year - 1:
        yield fact_problem(
            budget, ("prior", "year"), Severity.WARNING, "prior-year",
            _("prior.year is {prior}, but the year before this {year} budget is {before}").format(
                prior=prior_year, year=budget.department.year, before=budget.department.year - 1),
        )
    for path, label in missing_reasons(budget):
        yield fact_problem(
            budget, path, Severity.WARNING, "reason-missing",
            _("{label} changed from the prior year but {path} does not say why").format(label=label, path=".".join(path)),
        )
    general_items = {line.functional for line in budget.lines if line.fund is Fund.GENERAL}
    for code in budget.facts.reasons.functional:
        if code not in general_items:
            yield fact_problem(
                budget, ("reasons", "functional", code), Severity.WARNING, "reason-orphan",
                _("reasons.functional.{code} explains a 项 with no 一般公共预算 line, so the report never prints it").format(code=code),
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
    return table not in budget.facts.given


# -- texts ------------------------------------------------------------------------------------


def file_texts(budget: Budget) -> Iterator[tuple[tuple[str, ...], str]]:
    """Every free text of the file that the report prints, with its key path."""
    return budget.facts.texts(("profile", "staffing", "performance", "reasons"))


def text_rules(budget: Budget) -> Iterator[Problem]:
    year = budget.department.year
    for path, text in file_texts(budget):
        found = [
            ("reason-template", TEMPLATE_LEFTOVERS, _("template choice left in: {text}; keep the words that apply")),
            ("reason-blank", BLANK, _("a blank is left in the text near {text!r}; fill it in or remove it")),
            ("reason-repeated", REPEATED, _("{text} is written twice in a row")),
        ]
        for rule, pattern, wording in found:
            match = pattern.search(text)
            if match:
                context = text[max(match.start() - 4, 0) : match.end() + 4]
                shown = match.group(1) if pattern is REPEATED else (context if pattern is BLANK else match.group(0))
                yield fact_problem(budget, path, Severity.WARNING, rule, f"{'.'.join(path)}: {wording.format(text=shown)}")
        if path[0] != "reasons":
            continue
        if text.lstrip().startswith(REASON_LEADS):
            yield fact_problem(
                budget, path, Severity.WARNING, "reason-lead",
                _("{path} starts with 主要原因; the report writes 主要原因是 itself, so give only the reason").format(path=".".join(path)),
            )
        other = foreign_year(text, year)
        if other:
            yield fact_problem(
                budget, path, Severity.WARNING, "reason-year",
                _("{path} mentions {other}年 in a {year} budget; is the year right?").format(path=".".join(path), other=other, year=year),
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


__all__ = [
    "foreign_year",
    "missing_rules",
    "prior_rules",
    "profile_rules",
    "stated_rules",
    "text_rules",
]
