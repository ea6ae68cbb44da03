"""The disclosure document (部门预算公开): profile, tables, narrative and glossary, every figure computed.

Wording rules, applied everywhere:
- amounts print exactly, without trailing zeros, always with the unit: 1695.33万元, 42万元, 3.6万元, 0万元;
- shares are rounded by largest remainder, so the parts of a whole add up to exactly 100%;
- a change is the difference with the prior year and its rate the change divided by the prior year,
  worded 增加/增长 or 减少/下降 by its sign, 持平 when there is none;
- a fact the file does not give is said to be not provided (未提供), never left blank;
- the reasons are the file's text, after a "主要原因是" the generator writes once.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor

from budget_tui.catalogue import THREE_PUBLIC_CODES, functional_path
from budget_tui.fileformat import load
from budget_tui.model import Budget, Category, Fund, Kind, Line
from budget_tui.money import ZERO, total
from budget_tui.safetext import clean, one_line

CN_DIGITS = "零一二三四五六七八九"
REASON_LEAD = "主要原因是"
REASON_LEADS = ("主要原因是", "主要原因为", "主要原因")
ADMINISTRATIVE_KINDS = ("行政单位", "参照公务员法管理事业单位")

THREE_PUBLIC_LABELS = {
    "overseas": "因公出国（境）费",
    "vehicle_purchase": "公务用车购置费",
    "vehicle_operation": "公务用车运行费",
    "reception": "公务接待费",
}
STAFFING_KINDS = {"administrative": "行政编制", "logistics": "机关工勤编制", "institutional": "事业编制"}
PEOPLE = {"in_service": "在职", "retired": "退休", "veteran": "离休"}
PROCUREMENT_PARTS = {"goods": "货物", "works": "工程", "services": "服务"}

GLOSSARY = (
    "财政拨款：指由一般公共预算、政府性基金预算安排的财政拨款数。",
    "一般公共预算：包括公共财政拨款（补助）资金、专项收入。",
    "基本支出：包括人员经费、商品和服务支出（定额）。其中，人员经费包括工资福利支出、对个人和家庭的补助。",
    "项目支出：部门支出预算的组成部分，是自治州本级部门为完成其特定的行政任务或事业发展目标，"
    "在基本支出预算之外编制的年度项目支出计划。",
    "“三公”经费：指自治州本级部门用一般公共预算财政拨款安排的因公出国（境）费、公务用车购置及运行费和公务接待费。"
    "其中，因公出国（境）费指单位公务出国（境）的住宿费、旅费、伙食补助费、杂费、培训费等支出；"
    "公务用车购置及运行费指单位公务用车购置费及租用费、燃料费、维修费、过路过桥费、保险费、安全奖励费用等支出；"
    "公务接待费指单位按规定开支的各类公务接待（含外宾接待）支出。",
    "机关运行经费：指各部门的公用经费，包括办公及印刷费、邮电费、差旅费、会议费、福利费、日常维修费、"
    "专用材料及一般设备购置费、办公用房水电费、办公用房取暖费、办公用房物业管理费、公务用车运行维护费及其他费用。",
)


# -- numbers and words ----------------------------------------------------------------------


def plain_number(value: Decimal) -> str:
    """An exact number without trailing zeros or exponent: 1695.33, 42, 3.6, 0."""
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def cn_number(n: int) -> str:
    """A Chinese numeral for 1–99: 七, 十, 十二, 二十一."""
    tens, ones = divmod(n, 10)
    if not tens:
        return CN_DIGITS[ones]
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def round_half_up(value: Fraction, decimals: int) -> Decimal:
    """An exact fraction rounded half up (away from zero) to the given decimals."""
    scale = 10**decimals
    magnitude = floor(abs(value) * scale + Fraction(1, 2))
    return (Decimal(magnitude if value >= 0 else -magnitude) / scale).quantize(Decimal(1).scaleb(-decimals))


def shares(amounts: list[Decimal], decimals: int = 0) -> list[Decimal]:
    """Percent shares of a whole, rounded by largest remainder so they add up to exactly 100."""
    whole = total(amounts)
    step = Decimal(1).scaleb(-decimals)
    if whole == 0:
        return [ZERO.quantize(step) for _ in amounts]
    scale = 10**decimals
    exact = [Fraction(amount) * 100 * scale / Fraction(whole) for amount in amounts]
    units = [floor(value) for value in exact]
    missing = 100 * scale - sum(units)
    by_remainder = sorted(range(len(amounts)), key=lambda i: (units[i] - exact[i], i))
    for i in by_remainder[:missing]:
        units[i] += 1
    return [(Decimal(unit) / scale).quantize(step) for unit in units]


def percent(value: Decimal) -> str:
    return f"{value}%"


@dataclass(frozen=True)
class Wording:
    """How amounts, changes and percents are written: the budget's unit and the percent precision."""

    unit: str
    percent_decimals: int = 0

    def money(self, amount: Decimal) -> str:
        """An amount with its unit: 1695.33万元."""
        return plain_number(amount) + self.unit

    def share(self, part: Decimal) -> str:
        return f"占{percent(part)}"

    def rate(self, change: Decimal, prior: Decimal) -> str:
        """The change divided by the prior year, as a percent; 不足 the smallest step when it rounds to 0."""
        rate = round_half_up(abs(Fraction(change) / Fraction(prior)) * 100, self.percent_decimals)
        if rate == 0:
            return "不足" + percent(Decimal(1).scaleb(-self.percent_decimals))
        return percent(rate)

    def change(self, current: Decimal, prior: Decimal | None, versus: str = "上年") -> str:
        """比上年减少86.05万元，下降5% / 比上年增加…，增长… / 与上年持平 / 上年数未提供."""
        if prior is None:
            return f"{versus if versus.endswith('数') else versus + '数'}未提供"
        difference = current - prior
        if difference == 0:
            return f"与{versus}持平"
        more = difference > 0
        phrase = f"比{versus}{'增加' if more else '减少'}{self.money(abs(difference))}"
        if prior == 0:
            return phrase
        return f"{phrase}，{'增长' if more else '下降'}{self.rate(difference, prior)}"


def people_change(current: int, prior: int | None) -> str:
    """比上年减少6人 / 与上年持平 / 上年人数未提供."""
    if prior is None:
        return "上年人数未提供"
    if current == prior:
        return "与上年持平"
    return f"比上年{'增加' if current > prior else '减少'}{abs(current - prior)}人"


def strip_reason_lead(reason: str) -> str:
    """The reason without a leading 主要原因是 (the generator writes it) or trailing full stop."""
    text = clean(reason).strip()
    while text.startswith(REASON_LEADS):
        lead = next(lead for lead in REASON_LEADS if text.startswith(lead))
        text = text[len(lead) :].lstrip("：: ")
    return text.rstrip("。.；;，, ")


def with_reason(sentence: str, reason: str | None) -> str:
    """The sentence, then 主要原因是 and the reason when there is one, as one sentence."""
    if reason and strip_reason_lead(reason):
        return f"{sentence}，{REASON_LEAD}{strip_reason_lead(reason)}。"
    return f"{sentence}。"


# -- figures -------------------------------------------------------------------------------


def is_appropriation(line: Line) -> bool:
    return line.fund.is_appropriation


def is_general(line: Line) -> bool:
    return line.fund is Fund.GENERAL


def amounts_by(lines, key) -> dict[str, Decimal]:
    """Totals of lines grouped by key(line), keys sorted."""
    groups: dict[str, Decimal] = {}
    for line in lines:
        groups[key(line)] = groups.get(key(line), ZERO) + line.amount
    return dict(sorted(groups.items()))


def functional_class(line: Line) -> str:
    return functional_path(line.functional)[0]


def three_public(budget: Budget) -> dict[str, Decimal]:
    """The 三公 figures from the 一般公共预算 economic lines behind them."""
    general = [line for line in budget.lines if is_general(line)]
    return {
        item: total(line.amount for line in general if line.economic in codes)
        for item, codes in THREE_PUBLIC_CODES.items()
    }


def category_total(lines, category: Category) -> Decimal:
    return total(line.amount for line in lines if line.kind is Kind.BASIC and line.category is category)


def operating_costs(budget: Budget) -> Decimal:
    """机关运行经费: the 公用经费 of 基本支出 paid by 财政拨款."""
    return category_total([line for line in budget.lines if is_appropriation(line)], Category.OPERATING)


def has_operating_costs(budget: Budget) -> bool:
    """Whether 机关运行经费 applies: administrative units and those managed like them."""
    return budget.department.kind in ADMINISTRATIVE_KINDS


def general_items(budget: Budget) -> list[str]:
    """The functional 项 with 一般公共预算 money, in code order."""
    return sorted({line.functional for line in budget.lines if is_general(line)})


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
    slots = [
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


# -- the document --------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One piece of the document: a heading (level 1–4), a paragraph, or preformatted text."""

    kind: str
    text: str
    level: int = 0


def heading(text: str, level: int) -> Block:
    return Block("heading", one_line(text), level)  # one clean line: it quotes codes (TOML keys) and names


def paragraph(text: str) -> Block:
    return Block("paragraph", one_line(text))


class Narrative:
    """Writes the document's blocks for one budget."""

    def __init__(self, budget: Budget, percent_decimals: int = 0):
        self.budget = budget
        self.words = Wording(budget.department.unit, percent_decimals)
        self.name = clean(budget.department.name)
        self.year = budget.department.year
        self.general = [line for line in budget.lines if is_general(line)]

    def fact(self, *path):
        return self.budget.fact(*path)

    def reason(self, *keys: str) -> str | None:
        return self.fact("reasons", *keys)

    def money(self, amount: Decimal) -> str:
        return self.words.money(amount)

    def money_fact(self, section: str, key: str, label: str) -> str:
        """label and the stated amount, or that it was not provided."""
        value = self.fact(section, key)
        return f"{label}未提供" if value is None else f"{label}{self.money(value)}"

    def count_fact(self, section: str, key: str, label: str, unit: str) -> str:
        value = self.fact(section, key)
        return f"{label}未提供" if value is None else f"{label}{value}{unit}"

    def functional_label(self, code: str) -> str:
        """一般公共服务支出（201）政府办公厅及相关机构事务（20103）行政运行（2010301）."""
        return "".join(f"{clean(self.budget.functional_name(part))}（{part}）" for part in functional_path(code))

    def class_label(self, code: str) -> str:
        return clean(self.budget.functional_name(code)) or code

    # -- part 1 ---------------------------------------------------------------------------

    def profile(self) -> list[Block]:
        blocks = [heading(f"第一部分 {self.name}概况", 1), heading("一、主要职能", 2)]
        functions = self.fact("profile", "functions")
        if functions:
            blocks += [paragraph(f"（{cn_number(i)}）{clean(text).strip()}") for i, text in enumerate(functions, 1)]
        else:
            blocks.append(paragraph("主要职能未提供。"))
        blocks += [heading("二、机构设置及人员情况", 2), paragraph(self.organisation()), paragraph(self.staffing())]
        return blocks

    def organisation(self) -> str:
        units = self.fact("profile", "subordinate_units")
        if units is None:
            head = f"{self.name}下属预算单位数未提供"
        elif units == 0:
            head = f"{self.name}无下属预算单位"
        else:
            head = f"{self.name}有下属预算单位{units}个"
        offices = self.fact("profile", "offices")
        if offices is None:
            return f"{head}，内设科室未提供。"
        if not offices:
            return f"{head}，未设内设科室。"
        return f"{head}，下设{len(offices)}个科室，分别是：{'、'.join(clean(o).strip() for o in offices)}。"

    def authorized(self) -> str:
        """编制数62名（行政编制40名、机关工勤编制16名、事业编制6名）."""
        kinds = {label: self.fact("staffing", key) for key, label in STAFFING_KINDS.items()}
        stated = {label: count for label, count in kinds.items() if count is not None}
        count = self.fact("staffing", "authorized")
        if count is None and stated:
            count = sum(stated.values())
        if count is None:
            return "编制数未提供"
        detail = "、".join(f"{label}{n}名" for label, n in stated.items())
        return f"编制数{count}名" + (f"（{detail}）" if detail else "")

    def staffing(self) -> str:
        actual = self.fact("staffing", "actual")
        parts = [f"{self.name}{self.authorized()}", "实有人数未提供" if actual is None else f"实有人数{actual}人"]
        people = []
        for key, label in PEOPLE.items():
            count = self.fact("staffing", key)
            if count is None:
                people.append(f"{label}人数未提供")
                continue
            note = self.fact("staffing", "note") if key == "in_service" else None
            noted = f"（{clean(note).strip()}）" if note else ""
            people.append(f"{label}{count}人{noted}，{people_change(count, self.fact('prior', 'staffing', key))}")
        return f"{'，'.join(parts)}，其中：{'；'.join(people)}。"

    # -- part 3 ---------------------------------------------------------------------------

    def explanation(self) -> list[Block]:
        sections = [
            ("收支预算情况的总体说明", self.overall),
            ("收入预算情况说明", self.income),
            ("支出预算情况说明", self.spending),
            ("财政拨款收支预算情况的总体说明", self.appropriation),
            ("一般公共预算当年拨款情况说明", self.general_public),
            ("一般公共预算基本支出情况说明", self.basic),
            ("项目支出情况说明", self.projects),
            ("一般公共预算“三公”经费预算情况说明", self.three_public),
            ("政府性基金预算拨款情况说明", self.government_fund),
        ]
        blocks = [heading(f"第三部分 {self.year}年部门预算情况说明", 1)]
        for number, (title, write) in enumerate(sections, 1):
            blocks.append(heading(f"{cn_number(number)}、关于{self.name}{self.year}年{title}", 2))
            blocks += write()
        blocks.append(heading(f"{cn_number(len(sections) + 1)}、其他重要事项的情况说明", 2))
        blocks += self.other_matters()
        return blocks

    def fund_amounts(self) -> dict[Fund, Decimal]:
        """Income by source, in the order of table 1, sources without money left out."""
        amounts = {fund: total(l.amount for l in self.budget.lines if l.fund is fund) for fund in Fund}
        return {fund: amount for fund, amount in amounts.items() if amount}

    def class_amounts(self, lines) -> dict[str, Decimal]:
        return amounts_by(lines, functional_class)

    def overall(self) -> list[Block]:
        budget_total = self.budget.total()
        incomes = "、".join(f"{fund.value}{self.money(a)}" for fund, a in self.fund_amounts().items())
        spendings = "、".join(
            f"{self.class_label(code)}{self.money(a)}" for code, a in self.class_amounts(self.budget.lines).items()
        )
        return [
            paragraph(
                f"按照全口径预算的原则，{self.name}{self.year}年所有收入和支出均纳入部门预算管理。"
                f"收支总预算{self.money(budget_total)}，{self.words.change(budget_total, self.fact('prior', 'total'))}。"
            ),
            paragraph(f"收入预算包括：{incomes or '无'}。"),
            paragraph(f"支出预算包括：{spendings or '无'}。"),
        ]

    def fund_prior(self, fund: Fund) -> Decimal | None:
        keys = {Fund.GENERAL: "general_public", Fund.GOVERNMENT_FUND: "government_fund"}
        return self.fact("prior", keys[fund]) if fund in keys else None

    def income(self) -> list[Block]:
        budget_total = self.budget.total()
        head = with_reason(
            f"{self.name}{self.year}年收入预算{self.money(budget_total)}，"
            f"{self.words.change(budget_total, self.fact('prior', 'total'))}",
            self.reason("income"),
        )
        funds = self.fund_amounts()
        rows = []
        for (fund, amount), share in zip(funds.items(), shares(list(funds.values()), self.words.percent_decimals)):
            sentence = f"{fund.value}{self.money(amount)}，{self.words.share(share)}"
            if fund in (Fund.GENERAL, Fund.GOVERNMENT_FUND):
                sentence += f"，{self.words.change(amount, self.fund_prior(fund))}"
            rows.append(paragraph(sentence + "。"))
        return [paragraph(head.rstrip("。") + "。其中：" if rows else head), *rows]

    def spending(self) -> list[Block]:
        budget_total = self.budget.total()
        head = f"{self.name}{self.year}年支出预算{self.money(budget_total)}"
        if self.reason("spending"):
            head = with_reason(f"{head}，{self.words.change(budget_total, self.fact('prior', 'total'))}", self.reason("spending"))
            head = head.rstrip("。")
        kinds = {
            "basic": ("基本支出", total(l.amount for l in self.budget.lines if l.kind is Kind.BASIC)),
            "project": ("项目支出", total(l.amount for l in self.budget.lines if l.kind is Kind.PROJECT)),
        }
        parts = shares([amount for _, amount in kinds.values()], self.words.percent_decimals)
        rows = [
            paragraph(
                with_reason(
                    f"{label}{self.money(amount)}，{self.words.share(share)}，"
                    f"{self.words.change(amount, self.fact('prior', key))}",
                    self.reason(key),
                )
            )
            for (key, (label, amount)), share in zip(kinds.items(), parts)
        ]
        return [paragraph(f"{head}，其中："), *rows]

    def appropriation(self) -> list[Block]:
        general = total(l.amount for l in self.general)
        fund = total(l.amount for l in self.budget.lines if l.fund is Fund.GOVERNMENT_FUND)
        prior_general, prior_fund = self.fact("prior", "general_public"), self.fact("prior", "government_fund")
        prior = None if prior_general is None or prior_fund is None else prior_general + prior_fund
        head = with_reason(
            f"{self.name}{self.year}年财政拨款收支总预算{self.money(general + fund)}，"
            f"{self.words.change(general + fund, prior)}",
            self.reason("appropriation"),
        )
        appropriated = [l for l in self.budget.lines if is_appropriation(l)]
        spendings = "、".join(
            f"{self.class_label(code)}{self.money(a)}" for code, a in self.class_amounts(appropriated).items()
        )
        return [
            paragraph(head),
            paragraph(f"收入包括：一般公共预算拨款{self.money(general)}，政府性基金预算拨款{self.money(fund)}。"),
            paragraph(f"支出包括：{spendings or '无'}。"),
        ]

    def general_public(self) -> list[Block]:
        general_total = total(l.amount for l in self.general)
        blocks = [
            heading("（一）一般公共预算当年拨款规模变化情况", 3),
            paragraph(
                with_reason(
                    f"{self.name}{self.year}年一般公共预算当年拨款{self.money(general_total)}，"
                    f"{self.words.change(general_total, self.fact('prior', 'general_public'), '上年执行数')}",
                    self.reason("general_public"),
                )
            ),
            heading("（二）一般公共预算当年拨款结构情况", 3),
        ]
        classes = self.class_amounts(self.general)
        parts = shares(list(classes.values()), self.words.percent_decimals)
        for number, ((code, amount), share) in enumerate(zip(classes.items(), parts), 1):
            blocks.append(paragraph(f"{number}.{self.class_label(code)}（{code}）{self.money(amount)}，{self.words.share(share)}。"))
        if not classes:
            blocks.append(paragraph("无一般公共预算当年拨款。"))
        blocks.append(heading("（三）一般公共预算当年拨款具体使用情况", 3))
        for number, (code, amount) in enumerate(amounts_by(self.general, lambda l: l.functional).items(), 1):
            change = self.words.change(amount, self.fact("prior", "functional", code), "上年执行数")
            blocks.append(
                paragraph(
                    with_reason(
                        f"{number}.{self.functional_label(code)}：{self.year}年预算数为{self.money(amount)}，{change}",
                        self.reason("functional", code),
                    )
                )
            )
        return blocks

    def economic_list(self, lines, category: Category) -> str:
        """基本工资335.04万元、津贴补贴163.88万元…: 款 of a category in code order, with the file's names."""
        chosen = [l for l in lines if l.kind is Kind.BASIC and l.category is category]
        return "、".join(
            f"{clean(self.budget.economic_name(code)) or code}{self.money(a)}"
            for code, a in amounts_by(chosen, lambda l: l.economic).items()
        )

    def basic(self) -> list[Block]:
        basic_total = total(l.amount for l in self.general if l.kind is Kind.BASIC)
        blocks = [paragraph(f"{self.name}{self.year}年一般公共预算基本支出{self.money(basic_total)}，其中：")]
        for category in (Category.PERSONNEL, Category.OPERATING):
            amount = category_total(self.general, category)
            detail = self.economic_list(self.general, category)
            blocks.append(paragraph(f"{category.value}{self.money(amount)}" + (f"，主要包括：{detail}。" if detail else "。")))
        return blocks

    def projects(self) -> list[Block]:
        project_lines = [l for l in self.budget.lines if l.kind is Kind.PROJECT]
        if not project_lines:
            return [paragraph(f"{self.name}无项目支出预算。")]
        blocks = [paragraph(f"{self.name}{self.year}年项目支出预算{self.money(total(l.amount for l in project_lines))}，其中：")]
        by_project: dict[tuple[str, str, Fund], Decimal] = {}
        for line in project_lines:
            key = (line.project or "", line.functional, line.fund)
            by_project[key] = by_project.get(key, ZERO) + line.amount
        for number, ((name, code, fund), amount) in enumerate(by_project.items(), 1):
            blocks.append(
                paragraph(
                    f"{number}.{clean(name)}{self.money(amount)}（{self.class_label(code)}（{code}），{fund.value}）。"
                )
            )
        return blocks

    def three_public(self) -> list[Block]:
        figures = three_public(self.budget)
        priors = {key: self.fact("prior", "three_public", key) for key in figures}
        current = total(figures.values())
        prior = None if None in priors.values() else total(priors.values())
        items = "，".join(f"{THREE_PUBLIC_LABELS[k]}{self.money(v)}" for k, v in figures.items())
        changes = "；".join(self.three_public_change(key, figures[key], priors[key]) for key in figures)
        return [
            paragraph(f"{self.name}{self.year}年“三公”经费财政拨款预算数为{self.money(current)}，其中：{items}。"),
            paragraph(f"{self.year}年“三公”经费财政拨款预算{self.words.change(current, prior)}，其中：{changes}。"),
        ]

    def three_public_change(self, key: str, amount: Decimal, prior: Decimal | None) -> str:
        label = THREE_PUBLIC_LABELS[key]
        if amount == 0 and prior == 0:
            return f"{label}与上年持平，未安排预算"
        change = self.words.change(amount, prior).removeprefix("比上年").removeprefix("与上年")
        return with_reason(f"{label}{change}", self.reason("three_public", key)).rstrip("。")

    def government_fund(self) -> list[Block]:
        fund_lines = [l for l in self.budget.lines if l.fund is Fund.GOVERNMENT_FUND]
        prior = self.fact("prior", "government_fund")
        if not fund_lines and not prior:
            return [paragraph(f"{self.name}无政府性基金预算。")]
        amount = total(l.amount for l in fund_lines)
        blocks = [
            paragraph(
                with_reason(
                    f"{self.name}{self.year}年政府性基金预算拨款{self.money(amount)}，{self.words.change(amount, prior)}",
                    self.reason("government_fund"),
                )
            )
        ]
        for number, (code, item) in enumerate(amounts_by(fund_lines, lambda l: l.functional).items(), 1):
            blocks.append(paragraph(f"{number}.{self.functional_label(code)}{self.money(item)}。"))
        return blocks

    # -- 十、其他重要事项 --------------------------------------------------------------------

    def other_matters(self) -> list[Block]:
        return [
            heading("（一）机关运行经费情况", 3),
            paragraph(self.operating_costs()),
            heading("（二）政府采购情况", 3),
            *[paragraph(text) for text in self.procurement()],
            heading("（三）国有资产占用使用情况", 3),
            *[paragraph(text) for text in self.assets()],
            heading("（四）预算绩效情况", 3),
            paragraph(self.performance()),
            heading("（五）其他需说明的事项", 3),
            paragraph(strip_reason_lead(self.reason("other") or "") + "。" if self.reason("other") else "无其他需说明的事项。"),
        ]

    def operating_costs(self) -> str:
        if not has_operating_costs(self.budget):
            return f"{self.name}为{self.budget.department.kind}，不安排机关运行经费。"
        amount = operating_costs(self.budget)
        return with_reason(
            f"{self.year}年，{self.name}机关运行经费财政拨款预算{self.money(amount)}，"
            f"{self.words.change(amount, self.fact('prior', 'operating_costs'), '上年执行数')}",
            self.reason("operating_costs"),
        )

    def procurement(self) -> list[str]:
        parts = {key: self.fact("procurement", key) for key in PROCUREMENT_PARTS}
        stated = self.fact("procurement", "total")
        if stated is None and None not in parts.values():
            stated = total(parts.values())
        whole = "政府采购预算未提供" if stated is None else f"政府采购预算{self.money(stated)}"
        detail = "，".join(self.money_fact("procurement", key, f"政府采购{label}预算") for key, label in PROCUREMENT_PARTS.items())
        reserved = self.money_fact("procurement", "sme_reserved", "面向中小企业预留政府采购项目预算金额")
        micro = self.money_fact("procurement", "small_micro_reserved", "面向小微企业预留政府采购项目预算金额")
        return [
            f"{self.year}年，{self.name}{whole}，其中：{detail}。",
            f"{self.year}年度本部门{reserved}，其中：{micro}。",
        ]

    def as_of(self) -> str:
        """截至2019年底 for a year's end, else 截至2019年6月30日."""
        date = self.fact("assets", "as_of")
        if date is None:
            return "统计日期未提供"
        year, month, day = (int(part) for part in str(date)[:10].split("-"))
        return f"截至{year}年底" if (month, day) == (12, 31) else f"截至{year}年{month}月{day}日"

    def assets(self) -> list[str]:
        area = self.fact("assets", "building_area")
        building = ("房屋面积未提供" if area is None else f"房屋{plain_number(area)}平方米") + "，" + (
            self.money_fact("assets", "building_value", "价值")
        )
        return [
            f"{self.as_of()}，{self.name}占用使用国有资产总体情况为：",
            f"1.{building}。",
            f"2.{self.vehicles()}。",
            f"3.{self.money_fact('assets', 'furniture_value', '办公家具价值')}。",
            f"4.{self.money_fact('assets', 'other_value', '其他资产价值')}。",
            f"{self.count_fact('assets', 'equipment_over_500k', '单位价值50万元以上大型设备', '台（套）')}，"
            f"{self.count_fact('assets', 'equipment_over_1m', '单位价值100万元以上大型设备', '台（套）')}。",
            self.vehicle_purchase(),
        ]

    def vehicles(self) -> str:
        vehicles = self.fact("assets", "vehicles")
        if vehicles is None:
            return "车辆情况未提供"
        count = sum(v.get("count", 0) for v in vehicles.values())
        value = total(v.get("value", ZERO) for v in vehicles.values())
        kinds = "；".join(
            f"{clean(kind)}{v['count'] if 'count' in v else '（数量未提供）'}辆，"
            f"{'价值' + self.money(v['value']) if 'value' in v else '价值未提供'}"
            for kind, v in vehicles.items()
        )
        return f"车辆{count}辆，价值{self.money(value)}" + (f"；其中：{kinds}" if kinds else "")

    def vehicle_purchase(self) -> str:
        """Whether this year's budget buys vehicles, from the 公务用车购置 lines."""
        amount = three_public(self.budget)["vehicle_purchase"]
        if amount == 0:
            return f"{self.year}年部门预算未安排购置车辆经费。"
        return f"{self.year}年部门预算安排购置车辆经费{self.money(amount)}。"

    def performance(self) -> str:
        count = self.fact("performance", "projects")
        note = self.fact("performance", "note")
        text = f"{self.year}年，{self.name}" + ("实行绩效管理的项目数未提供" if count is None else f"实行绩效管理的项目{count}个")
        return text + (f"，{strip_reason_lead(note)}。" if note else "。")

    # -- parts 2 and 4, and the whole -----------------------------------------------------

    def tables(self, markdown: bool) -> list[Block]:
        """Part 2: the nine tables, as aligned text, or as Markdown tables under their captions."""
        from budget_tui.printing import render_table
        from budget_tui.tables import build_tables

        blocks = [heading(f"第二部分 {self.year}年部门预算公开表", 1)]
        for table in build_tables(self.budget):
            if not markdown:
                blocks.append(Block("preformatted", render_table(table, "simple").rstrip("\n")))
                continue
            grid = [line for line in render_table(table, "github").splitlines() if line.startswith("|")]
            blocks += [
                heading(table.heading, 3),
                paragraph(f"编制部门：{clean(table.department)}　单位：{table.unit}"),
                Block("preformatted", "\n".join(grid)),
                paragraph(f"备注：{clean(table.note)}"),
            ]
        return blocks

    def glossary(self) -> list[Block]:
        return [
            heading("第四部分 名词解释", 1),
            *[paragraph(f"{cn_number(i)}、{text}") for i, text in enumerate(GLOSSARY, 1)],
        ]

    def signature(self) -> list[Block]:
        published = self.budget.department.published
        if not published:
            return [paragraph(self.name)]
        year, month, day = (int(part) for part in published[:10].split("-"))
        return [paragraph(self.name), paragraph(f"{year}年{month}月{day}日")]

    def consolidated(self, markdown: bool = False) -> list[Block]:
        """A folder's document: its departments with their totals, then the nine consolidated tables (汇总表).

        Profiles, narratives and prior-year figures belong to each department: `report FILE` prints them.
        """
        rows = [
            paragraph(f"{i}. {clean(part.department.name)}：{self.money(part.total())}")
            for i, part in enumerate(self.budget.parts, 1)
        ]
        return [
            Block("title", f"{self.name}{self.year}年部门预算汇总"),
            heading(f"第一部分 汇总范围（{len(self.budget.parts)}个部门，合计{self.money(self.budget.total())}）", 1),
            *rows,
            *self.tables(markdown),
        ]

    def document(self, markdown: bool = False) -> list[Block]:
        """Every block of the document, in order."""
        if self.budget.parts:
            return self.consolidated(markdown)
        return [
            Block("title", f"{self.name}{self.year}年部门预算公开"),
            *self.profile(),
            *self.tables(markdown),
            *self.explanation(),
            *self.glossary(),
            *self.signature(),
        ]


# -- rendering -----------------------------------------------------------------------------


def render_text(blocks: list[Block]) -> str:
    """The document as plain text: one paragraph a line, a blank line before each part."""
    out: list[str] = []
    for block in blocks:
        if out and (block.kind == "preformatted" or (block.kind == "heading" and block.level == 1)):
            out.append("")
        out.append(block.text)
    return "\n".join(out) + "\n"


def render_markdown(blocks: list[Block]) -> str:
    """The document as Markdown: headings by level, paragraphs and tables separated by blank lines."""
    out: list[str] = []
    for block in blocks:
        if block.kind == "title":
            out.append(f"# {block.text}")
        elif block.kind == "heading":
            out.append(f"{'#' * (block.level + 1)} {block.text}")
        else:
            out.append(block.text)
    return "\n\n".join(out) + "\n"


def write_report(budget: Budget, markdown: bool = False, percent_decimals: int = 0) -> str:
    """The whole disclosure document of a budget, as text or Markdown."""
    blocks = Narrative(budget, percent_decimals).document(markdown)
    return render_markdown(blocks) if markdown else render_text(blocks)


def run_report(args: argparse.Namespace) -> int:
    """`budget-tui report PATH [--format md] [--percent-decimals N]`."""
    if not 0 <= args.percent_decimals <= 6:
        print(f"budget-tui: --percent-decimals: {args.percent_decimals} is not between 0 and 6", file=sys.stderr)
        return 2
    budget = load(args.path)
    sys.stdout.write(write_report(budget, args.format == "md", args.percent_decimals))
    return 0
