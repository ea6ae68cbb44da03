"""The words and blocks the disclosure document is made of, and the writer's common ground.

How numbers are said (see budget_tui.core.narrative for the rules), the document's blocks (a heading,
a paragraph, preformatted text or a table, as data) and `Writer`: the budget, its wording and
the labels every part of the narrative uses. The figures themselves come from budget_tui.core.figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from budget_tui.core.catalogue import functional_path
from budget_tui.core.facts import strip_reason_lead
from budget_tui.core.figures import is_general
from budget_tui.core.figures import rate as change_rate
from budget_tui.core.model import Budget
from budget_tui.core.money import plain_number
from budget_tui.core.safetext import clean, one_line
from budget_tui.core.tables import Table

CN_DIGITS = "零一二三四五六七八九"
REASON_LEAD = "主要原因是"


# -- numbers and words ----------------------------------------------------------------------


def cn_number(n: int) -> str:
    """A Chinese numeral for 1–99: 七, 十, 十二, 二十一."""
    tens, ones = divmod(n, 10)
    if not tens:
        return CN_DIGITS[ones]
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")



def percent(value: Decimal) -> str:
    return f"{value}%"


@dataclass(frozen=True)
class Wording:
    """How amounts, changes and percents are written: the budget's unit and the percent precision."""

    unit: str
    percent_decimals: int = 0
    no_prior: str = "上年无此项预算"
    """What a change says when last year had none of it: never a rate (there is none), never silence."""

    def money(self, amount: Decimal) -> str:
        """An amount with its unit: 1695.33万元."""
        return plain_number(amount) + self.unit

    def share(self, part: Decimal) -> str:
        return f"占{percent(part)}"

    def rate(self, change: Decimal, prior: Decimal) -> str:
        """The change divided by the prior year (not 0), as a percent; 不足 the smallest step when it rounds to 0."""
        rate = change_rate(change, prior, self.percent_decimals)
        if rate is None:
            raise ValueError("a rate of change needs a prior figure other than 0")
        rate = abs(rate)
        if rate == 0:
            return "不足" + percent(Decimal(1).scaleb(-self.percent_decimals))
        return percent(rate)

    def change(self, current: Decimal, prior: Decimal | None, versus: str = "上年") -> str:
        """比上年减少86.05万元，下降5% / 比上年增加…，增长… / 与上年持平 / 上年数未提供 / 上年无此项预算 (last year 0)."""
        if prior is None:
            return f"{versus if versus.endswith('数') else versus + '数'}未提供"
        difference = current - prior
        if difference == 0:
            return f"与{versus}持平"
        more = difference > 0
        if prior == 0:
            return self.no_prior
        phrase = f"比{versus}{'增加' if more else '减少'}{self.money(abs(difference))}"
        return f"{phrase}，{'增长' if more else '下降'}{self.rate(difference, prior)}"


def people_change(current: int, prior: int | None) -> str:
    """比上年减少6人 / 与上年持平 / 上年人数未提供."""
    if prior is None:
        return "上年人数未提供"
    if current == prior:
        return "与上年持平"
    return f"比上年{'增加' if current > prior else '减少'}{abs(current - prior)}人"


def with_reason(sentence: str, reason: str | None) -> str:
    """The sentence, then 主要原因是 and the reason when there is one, as one sentence."""
    if reason and strip_reason_lead(reason):
        return f"{sentence}，{REASON_LEAD}{strip_reason_lead(reason)}。"
    return f"{sentence}。"


# -- the document --------------------------------------------------------------------------


@dataclass(frozen=True)
class Block:
    """One piece of the document: a title, a heading (level 1–4), a paragraph, preformatted text or a table.

    A table block holds the table itself (budget_tui.core.tables.Table): the renderer prints it.
    """

    kind: str
    text: str
    level: int = 0
    table: Table | None = None


def heading(text: str, level: int) -> Block:
    return Block("heading", one_line(text), level)  # one clean line: it quotes codes (TOML keys) and names


def paragraph(text: str) -> Block:
    return Block("paragraph", one_line(text))


class Writer:
    """What every part of the narrative writes with: the budget, its wording, its labels."""

    def __init__(self, budget: Budget, percent_decimals: int = 0):
        self.budget = budget
        self.words = Wording(budget.department.unit, percent_decimals)
        self.name = clean(budget.department.name)
        self.year = budget.department.year
        self.general = [line for line in budget.lines if is_general(line)]
        self.facts = budget.facts
        self.prior = budget.facts.prior
        self.reasons = budget.facts.reasons

    def money(self, amount: Decimal) -> str:
        return self.words.money(amount)

    def money_fact(self, value: Decimal | None, label: str) -> str:
        """label and the stated amount, or that it was not provided."""
        return f"{label}未提供" if value is None else f"{label}{self.money(value)}"

    def count_fact(self, value: int | None, label: str, unit: str) -> str:
        return f"{label}未提供" if value is None else f"{label}{value}{unit}"

    def functional_label(self, code: str) -> str:
        """一般公共服务支出（201）政府办公厅及相关机构事务（20103）行政运行（2010301）."""
        return "".join(f"{self.prose_name(part)}（{part}）" for part in functional_path(code))

    def class_label(self, code: str) -> str:
        return self.prose_name(code)

    def prose_name(self, code: str) -> str:
        """The name the prose uses for a code: [narrative.names], else the name the tables print, else the code."""
        name = self.facts.narrative.names.get(code) or self.budget.name_of(code)
        return clean(name).strip() or code


__all__ = [
    "Block",
    "CN_DIGITS",
    "REASON_LEAD",
    "Wording",
    "Writer",
    "cn_number",
    "heading",
    "paragraph",
    "people_change",
    "percent",
    "with_reason",
]
