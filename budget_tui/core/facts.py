"""The stated facts the disclosure document prints, and the changes it explains: what `check` asks the file for.

The document (budget_tui.core.narrative) says "未提供" where a fact is missing and explains every
change with the file's reason; `check` warns of both beforehand (prior-missing, fact-missing,
reason-missing). Both read the lists here. The reasons are the file's text: the document writes
"主要原因是" itself, so a reason is read without one (`strip_reason_lead`).
"""

from __future__ import annotations

from decimal import Decimal

from budget_tui.core.figures import amounts_by, general_items, has_operating_costs, is_general, operating_costs, three_public
from budget_tui.core.model import Budget, Fund, Kind
from budget_tui.core.money import total
from budget_tui.core.safetext import clean

REASON_LEADS = ("主要原因是", "主要原因为", "主要原因")

THREE_PUBLIC_LABELS = {
    "overseas": "因公出国（境）费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行费",
    "reception": "公务接待费",
}
STAFFING_KINDS = {"administrative": "行政编制", "logistics": "机关工勤编制", "institutional": "事业编制"}
PEOPLE = {"in_service": "在职", "retired": "退休", "veteran": "离休"}
PROCUREMENT_PARTS = {"goods": "货物", "works": "工程", "services": "服务"}


def strip_reason_lead(reason: str) -> str:
    """The reason without a leading 主要原因是 (the generator writes it) or trailing full stop."""
    text = clean(reason).strip()
    while text.startswith(REASON_LEADS):
        lead = next(lead for lead in REASON_LEADS if text.startswith(lead))
        text = text[len(lead) :].lstrip("：: ")
    return text.rstrip("。.；;，, ")


# -- facts the document needs --------------------------------------------------------------


def required_facts(budget: Budget) -> list[tuple[tuple[str, ...], str]]:
    """Key paths of the stated facts the document prints, with what each is, in print order."""
    facts = [
        (("profile", "functions"), "主要职能"),
        (("profile", "subordinate_units"), "下属预算单位数"),
        (("profile", "offices"), "内设科室"),
        (("staffing", "actual"), "实有人数"),
        *[(("staffing", key), f"{label}人数") for key, label in PEOPLE.items()],
        (("prior", "total"), "上年收支总预算"),
        (("prior", "general_public"), "上年一般公共预算"),
        (("prior", "government_fund"), "上年政府性基金预算"),
        (("prior", "basic"), "上年基本支出"),
        (("prior", "project"), "上年项目支出"),
        *[(("prior", "functional", code), f"上年{budget.functional_name(code)}（{code}）") for code in general_items(budget)],
        *[(("prior", "three_public", key), f"上年{label}") for key, label in THREE_PUBLIC_LABELS.items()],
        *[(("prior", "staffing", key), f"上年{label}人数") for key, label in PEOPLE.items()],
        *[(("procurement", key), f"政府采购{label}预算") for key, label in PROCUREMENT_PARTS.items()],
        (("procurement", "sme_reserved"), "面向中小企业预留金额"),
        (("procurement", "small_micro_reserved"), "面向小微企业预留金额"),
        (("assets", "as_of"), "资产统计日期"),
        (("assets", "building_area"), "房屋面积"),
        (("assets", "building_value"), "房屋价值"),
        (("assets", "vehicles"), "车辆"),
        (("assets", "furniture_value"), "办公家具价值"),
        (("assets", "other_value"), "其他资产价值"),
        (("assets", "equipment_over_500k"), "50万元以上大型设备数"),
        (("assets", "equipment_over_1m"), "100万元以上大型设备数"),
        (("performance", "projects"), "实行绩效管理的项目数"),
    ]
    if not any(budget.fact("staffing", key) is not None for key in ("authorized", *STAFFING_KINDS)):
        facts.insert(3, (("staffing", "authorized"), "编制数"))
    if has_operating_costs(budget):
        facts.append((("prior", "operating_costs"), "上年机关运行经费"))
    return facts


def missing_facts(budget: Budget) -> list[tuple[tuple[str, ...], str]]:
    """The required facts the file does not give (the document says so where it needs them)."""
    return [(path, label) for path, label in required_facts(budget) if budget.fact(*path) is None]


def reason_slots(budget: Budget) -> list[tuple[tuple[str, ...], str, Decimal, Decimal | None]]:
    """Every place the narrative explains a change: reason key path, what changed, this year, prior year."""
    lines = budget.lines
    general = [line for line in lines if is_general(line)]
    fund_lines = [line for line in lines if line.fund is Fund.GOVERNMENT_FUND]
    prior = lambda *keys: budget.fact("prior", *keys)  # noqa: E731
    slots: list[tuple[tuple[str, ...], str, Decimal, Decimal | None]] = [
        (("reasons", "income"), "收入预算", budget.total(), prior("total")),
        (("reasons", "basic"), "基本支出", total(l.amount for l in lines if l.kind is Kind.BASIC), prior("basic")),
        (("reasons", "project"), "项目支出", total(l.amount for l in lines if l.kind is Kind.PROJECT), prior("project")),
        (("reasons", "general_public"), "一般公共预算拨款", total(l.amount for l in general), prior("general_public")),
        (("reasons", "government_fund"), "政府性基金预算拨款", total(l.amount for l in fund_lines), prior("government_fund")),
    ]
    by_item = amounts_by(general, lambda line: line.functional)
    for code, amount in by_item.items():
        slots.append((("reasons", "functional", code), f"{code} {budget.functional_name(code)}", amount, prior("functional", code)))
    for key, amount in three_public(budget).items():
        slots.append((("reasons", "three_public", key), THREE_PUBLIC_LABELS[key], amount, prior("three_public", key)))
    if has_operating_costs(budget):
        slots.append((("reasons", "operating_costs"), "机关运行经费", operating_costs(budget), prior("operating_costs")))
    return slots


def missing_reasons(budget: Budget) -> list[tuple[tuple[str, ...], str]]:
    """Changes the narrative states without a reason from the file."""
    return [
        (path, label)
        for path, label, current, prior in reason_slots(budget)
        if prior is not None and current != prior and not strip_reason_lead(budget.fact(*path) or "")
    ]


__all__ = [
    "PEOPLE",
    "PROCUREMENT_PARTS",
    "REASON_LEADS",
    "STAFFING_KINDS",
    "THREE_PUBLIC_LABELS",
    "missing_facts",
    "missing_reasons",
    "reason_slots",
    "required_facts",
    "strip_reason_lead",
]
