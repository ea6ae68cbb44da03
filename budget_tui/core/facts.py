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
from budget_tui.core.priors import FUNCTIONAL, figure_of, prior_figure, scope_table
from budget_tui.core.safetext import clean

REASON_LEADS = ("主要原因是", "主要原因为", "主要原因")

THREE_PUBLIC_LABELS = {
    "overseas": "因公出国（境）费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行费",
    "reception": "公务接待费",
}


def strip_reason_lead(reason: str) -> str:
    """The reason without a leading 主要原因是 (the generator writes it) or trailing full stop."""
    text = clean(reason).strip()
    while text.startswith(REASON_LEADS):
        lead = next(lead for lead in REASON_LEADS if text.startswith(lead))
        text = text[len(lead) :].lstrip("：: ")
    return text.rstrip("。.；;，, ")


# -- facts the document needs --------------------------------------------------------------


Fact = tuple[tuple[str, ...], str, object]
"""A fact the document prints: its key path (for messages and its line), what it is, and its value (None: not given)."""


def required_facts(budget: Budget) -> list[Fact]:
    """The stated facts the document prints, with what each is and its value, in print order."""
    profile, staffing, prior = budget.facts.profile, budget.facts.staffing, budget.facts.prior
    procurement, assets = budget.facts.procurement, budget.facts.assets
    three_public = prior.three_public.as_dict()
    general_prior = scope_table(prior, FUNCTIONAL, fund=Fund.GENERAL)
    facts: list[Fact] = [
        (("profile", "functions"), "主要职能", profile.functions),
        (("profile", "subordinate_units"), "下属预算单位数", profile.subordinate_units),
        (("profile", "offices"), "内设科室", profile.offices),
        (("staffing", "actual"), "实有人数", staffing.actual),
        (("staffing", "in_service"), "在职人数", staffing.in_service),
        (("staffing", "retired"), "退休人数", staffing.retired),
        (("staffing", "veteran"), "离休人数", staffing.veteran),
        (("prior", "total"), "上年收支总预算", prior.total),
        (("prior", "general_public"), "上年一般公共预算", prior.general_public),
        (("prior", "government_fund"), "上年政府性基金预算", prior.government_fund),
        (("prior", "basic"), "上年基本支出", prior.basic),
        (("prior", "project"), "上年项目支出", prior.project),
        *[
            (
                general_prior.path + (code,), f"上年一般公共预算{budget.functional_name(code)}（{code}）",
                figure_of(general_prior, code),
            )
            for code in general_items(budget)
        ],
        *[(("prior", "three_public", key), f"上年{label}", three_public[key]) for key, label in THREE_PUBLIC_LABELS.items()],
        (("prior", "staffing", "in_service"), "上年在职人数", prior.staffing.in_service),
        (("prior", "staffing", "retired"), "上年退休人数", prior.staffing.retired),
        (("prior", "staffing", "veteran"), "上年离休人数", prior.staffing.veteran),
        (("procurement", "goods"), "政府采购货物预算", procurement.goods),
        (("procurement", "works"), "政府采购工程预算", procurement.works),
        (("procurement", "services"), "政府采购服务预算", procurement.services),
        (("procurement", "sme_reserved"), "面向中小企业预留金额", procurement.sme_reserved),
        (("procurement", "small_micro_reserved"), "面向小微企业预留金额", procurement.small_micro_reserved),
        (("assets", "as_of"), "资产统计日期", assets.as_of),
        (("assets", "building_area"), "房屋面积", assets.building_area),
        (("assets", "building_value"), "房屋价值", assets.building_value),
        (("assets", "vehicles"), "车辆", assets.vehicles),
        (("assets", "furniture_value"), "办公家具价值", assets.furniture_value),
        (("assets", "other_value"), "其他资产价值", assets.other_value),
        (("assets", "equipment_over_500k"), "50万元以上大型设备数", assets.equipment_over_500k),
        (("assets", "equipment_over_1m"), "100万元以上大型设备数", assets.equipment_over_1m),
        (("assets", "planned_equipment_over_500k"), "本年购置50万元以上大型设备数", assets.planned_equipment_over_500k),
        (("performance", "projects"), "实行绩效管理的项目数", budget.facts.performance.projects),
    ]
    kinds = (staffing.authorized, staffing.administrative, staffing.logistics, staffing.institutional)
    if all(count is None for count in kinds):
        facts.insert(3, (("staffing", "authorized"), "编制数", None))
    if has_operating_costs(budget):
        facts.append((("prior", "operating_costs"), "上年机关运行经费", prior.operating_costs))
    return facts


def missing_facts(budget: Budget) -> list[tuple[tuple[str, ...], str]]:
    """The required facts the file does not give (the document says so where it needs them)."""
    return [(path, label) for path, label, value in required_facts(budget) if value is None]


ReasonSlot = tuple[tuple[str, ...], str, Decimal, Decimal | None, str | None]
"""A change the narrative explains: the reason's key path, what changed, this year, the prior year, the file's reason."""


def reason_slots(budget: Budget) -> list[ReasonSlot]:
    """Every place the narrative explains a change: reason key path, what changed, this year, prior year, reason."""
    lines = budget.lines
    general = [line for line in lines if is_general(line)]
    fund_lines = [line for line in lines if line.fund is Fund.GOVERNMENT_FUND]
    prior, reasons = budget.facts.prior, budget.facts.reasons
    slots: list[ReasonSlot] = [
        (("reasons", "income"), "收入预算", budget.total(), prior.total, reasons.income),
        (("reasons", "basic"), "基本支出", total(l.amount for l in lines if l.kind is Kind.BASIC), prior.basic, reasons.basic),
        (
            ("reasons", "project"), "项目支出", total(l.amount for l in lines if l.kind is Kind.PROJECT), prior.project,
            reasons.project,
        ),
        (
            ("reasons", "general_public"), "一般公共预算拨款", total(l.amount for l in general), prior.general_public,
            reasons.general_public,
        ),
        (
            ("reasons", "government_fund"), "政府性基金预算拨款", total(l.amount for l in fund_lines), prior.government_fund,
            reasons.government_fund,
        ),
    ]
    by_item = amounts_by(general, lambda line: line.functional)
    for code, amount in by_item.items():
        slots.append(
            (
                ("reasons", "functional", code), f"{code} {budget.functional_name(code)}", amount,
                prior_figure(prior, FUNCTIONAL, code, fund=Fund.GENERAL),
                reasons.functional.get(code),
            )
        )
    prior_three, reasons_three = prior.three_public.as_dict(), reasons.three_public.as_dict()
    for key, amount in three_public(budget).items():
        slots.append((("reasons", "three_public", key), THREE_PUBLIC_LABELS[key], amount, prior_three[key], reasons_three[key]))
    if has_operating_costs(budget):
        slots.append(
            (("reasons", "operating_costs"), "机关运行经费", operating_costs(budget), prior.operating_costs, reasons.operating_costs)
        )
    return slots


def missing_reasons(budget: Budget) -> list[tuple[tuple[str, ...], str]]:
    """Changes the narrative states without a reason from the file."""
    return [
        (path, label)
        for path, label, current, prior, reason in reason_slots(budget)
        if prior is not None and current != prior and not strip_reason_lead(reason or "")
    ]


__all__ = [
    "Fact",
    "REASON_LEADS",
    "ReasonSlot",
    "THREE_PUBLIC_LABELS",
    "missing_facts",
    "missing_reasons",
    "reason_slots",
    "required_facts",
    "strip_reason_lead",
]
