"""Part 3 of the disclosure document, 部门预算情况说明: each figure, its change and its reason, as blocks.

`Explanation` is the part of `budget_tui.core.narrative.Narrative` that explains the budget: income,
spending, appropriations, the 一般公共预算 by 类 and 项, basic and project spending, 三公, government
funds, and 十、其他重要事项 (机关运行经费, procurement, assets, performance: othermatters.py). Its figures come from
budget_tui.core.figures, the facts it needs are listed in budget_tui.core.facts.
"""

from __future__ import annotations

from decimal import Decimal

from budget_tui.core.analysis import Part, economic_classes, functional_classes, kinds
from budget_tui.core.facts import THREE_PUBLIC_LABELS
from budget_tui.core.figures import (
    amounts_by,
    category_total,
    class_amounts,
    is_appropriation,
    shares,
    three_public,
)
from budget_tui.core.model import Category, Fund, Kind
from budget_tui.core.money import ZERO, total
from budget_tui.core.othermatters import OtherMatters
from budget_tui.core.priors import FUNCTIONAL, prior_figure
from budget_tui.core.safetext import clean
from budget_tui.core.wording import Block, cn_number, heading, paragraph, percent, with_reason

SHARE_NOTE = "注：本说明中的占比按最大余数法取整，同一总数下各项占比之和为100%。"
"""Where shares are printed, the document says how they are rounded."""


class Explanation(OtherMatters):
    """Writes part 3 of the document (部门预算情况说明) for one budget."""

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
        blocks.append(paragraph(SHARE_NOTE))
        return blocks

    # -- analyses by class (item 1 of issue 16): rows of budget_tui.core.analysis as sentences -----

    def part_sentence(self, label: str, part: Part, whole: str = "") -> str:
        """工资福利支出（301）968.54万元，占基本支出的57%，比上年减少…，下降…% (no full stop)."""
        share = f"占{whole}的{percent(part.share)}" if whole else self.words.share(part.share)
        return f"{label}{self.money(part.current)}，{share}，{self.words.change(part.current, part.prior)}"

    def economic_analysis(self) -> list[Block]:
        """基本支出 by economic 类: each 类's amount, share of 基本支出, change and rate against last year."""
        parts = economic_classes(self.budget, self.words.percent_decimals)
        basic_total = total(part.current for part in parts)
        if not parts:
            return [paragraph(f"{self.name}{self.year}年无基本支出。")]
        return [paragraph(f"{self.name}{self.year}年基本支出{self.money(basic_total)}，按经济分类："), *self.class_rows(parts, "基本支出")]

    def functional_analysis(self) -> list[Block]:
        """All spending by functional 类: each 类's amount, share of the total, change and rate against last year."""
        parts = functional_classes(self.budget, self.words.percent_decimals)
        opening = paragraph(f"{self.name}{self.year}年支出预算{self.money(self.budget.total())}，按支出功能分类：")
        return [opening, *self.class_rows(parts, "支出预算")]

    def class_rows(self, parts: list[Part], whole: str) -> list[Block]:
        """One numbered paragraph a class: 1.工资福利支出（301）968.54万元，占基本支出的57%，…。"""
        return [
            paragraph(f"{number}.{self.part_sentence(f'{self.prose_name(part.key)}（{part.key}）', part, whole)}。")
            for number, part in enumerate(parts, 1)
        ]

    def kind_analysis(self) -> list[Block]:
        """The total split into 基本支出 and 项目支出, with shares, changes and rates."""
        parts = kinds(self.budget, self.words.percent_decimals)
        rows = "；".join(self.part_sentence(part.key, part) for part in parts)
        return [paragraph(f"{self.name}{self.year}年支出预算{self.money(self.budget.total())}，其中：{rows}。")]

    def fund_amounts(self) -> dict[Fund, Decimal]:
        """Income by source, in the order of table 1, sources without money left out."""
        amounts = {fund: total(l.amount for l in self.budget.lines if l.fund is fund) for fund in Fund}
        return {fund: amount for fund, amount in amounts.items() if amount}

    def class_amounts(self, lines) -> dict[str, Decimal]:
        return class_amounts(lines)

    def overall(self) -> list[Block]:
        budget_total = self.budget.total()
        incomes = "、".join(f"{fund.value}{self.money(a)}" for fund, a in self.fund_amounts().items())
        spendings = "、".join(
            f"{self.class_label(code)}{self.money(a)}" for code, a in self.class_amounts(self.budget.lines).items()
        )
        return [
            paragraph(
                f"按照全口径预算的原则，{self.name}{self.year}年所有收入和支出均纳入部门预算管理。"
                f"收支总预算{self.money(budget_total)}，{self.words.change(budget_total, self.prior.total)}。"
            ),
            paragraph(f"收入预算包括：{incomes or '无'}。"),
            paragraph(f"支出预算包括：{spendings or '无'}。"),
        ]

    def fund_prior(self, fund: Fund) -> Decimal | None:
        priors = {Fund.GENERAL: self.prior.general_public, Fund.GOVERNMENT_FUND: self.prior.government_fund}
        return priors.get(fund)

    def income(self) -> list[Block]:
        budget_total = self.budget.total()
        head = with_reason(
            f"{self.name}{self.year}年收入预算{self.money(budget_total)}，"
            f"{self.words.change(budget_total, self.prior.total)}",
            self.reasons.income,
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
        if self.reasons.spending:
            head = with_reason(f"{head}，{self.words.change(budget_total, self.prior.total)}", self.reasons.spending)
            head = head.rstrip("。")
        kinds = [  # what, this year, the prior year, the reason
            ("基本支出", total(l.amount for l in self.budget.lines if l.kind is Kind.BASIC), self.prior.basic, self.reasons.basic),
            (
                "项目支出", total(l.amount for l in self.budget.lines if l.kind is Kind.PROJECT), self.prior.project,
                self.reasons.project,
            ),
        ]
        parts = shares([amount for _, amount, _, _ in kinds], self.words.percent_decimals)
        rows = [
            paragraph(
                with_reason(
                    f"{label}{self.money(amount)}，{self.words.share(share)}，{self.words.change(amount, prior)}",
                    reason,
                )
            )
            for (label, amount, prior, reason), share in zip(kinds, parts)
        ]
        return [paragraph(f"{head}，其中："), *rows]

    def appropriation(self) -> list[Block]:
        general = total(l.amount for l in self.general)
        fund = total(l.amount for l in self.budget.lines if l.fund is Fund.GOVERNMENT_FUND)
        prior_general, prior_fund = self.prior.general_public, self.prior.government_fund
        prior = None if prior_general is None or prior_fund is None else prior_general + prior_fund
        head = with_reason(
            f"{self.name}{self.year}年财政拨款收支总预算{self.money(general + fund)}，"
            f"{self.words.change(general + fund, prior)}",
            self.reasons.appropriation,
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
                    f"{self.words.change(general_total, self.prior.general_public, '上年执行数')}",
                    self.reasons.general_public,
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
            change = self.words.change(amount, prior_figure(self.prior, FUNCTIONAL, code, fund=Fund.GENERAL), "上年执行数")
            blocks.append(
                paragraph(
                    with_reason(
                        f"{number}.{self.functional_label(code)}：{self.year}年预算数为{self.money(amount)}，{change}",
                        self.reasons.functional.get(code),
                    )
                )
            )
        return blocks

    def economic_list(self, lines, category: Category) -> str:
        """基本工资335.04万元、津贴补贴163.88万元…: 款 of a category in code order, with the file's names."""
        chosen = [l for l in lines if l.kind is Kind.BASIC and l.category is category]
        return "、".join(
            f"{self.prose_name(code)}{self.money(a)}"
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
        known = self.prior.three_public.as_dict()
        priors = {key: known[key] for key in figures}
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
        if prior == 0:
            return with_reason(f"{label}{self.money(amount)}，{self.words.no_prior}", self.reasons.three_public.as_dict()[key]).rstrip("。")
        change = self.words.change(amount, prior).removeprefix("比上年").removeprefix("与上年")
        return with_reason(f"{label}{change}", self.reasons.three_public.as_dict()[key]).rstrip("。")

    def government_fund(self) -> list[Block]:
        fund_lines = [l for l in self.budget.lines if l.fund is Fund.GOVERNMENT_FUND]
        prior = self.prior.government_fund
        if not fund_lines and not prior:
            return [paragraph(f"{self.name}无政府性基金预算。")]
        amount = total(l.amount for l in fund_lines)
        blocks = [
            paragraph(
                with_reason(
                    f"{self.name}{self.year}年政府性基金预算拨款{self.money(amount)}，{self.words.change(amount, prior)}",
                    self.reasons.government_fund,
                )
            )
        ]
        for number, (code, item) in enumerate(amounts_by(fund_lines, lambda l: l.functional).items(), 1):
            blocks.append(paragraph(f"{number}.{self.functional_label(code)}{self.money(item)}。"))
        return blocks


__all__ = ["Explanation"]
