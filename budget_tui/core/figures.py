"""The derived figures: one place computes what the report, the checks, the compare view and the adjust tool show.

Pure and without words: every function takes lines or a budget and gives exact Decimals.
- 三公 (`three_public`) from the 一般公共预算 economic lines behind table 8;
- 机关运行经费 (`operating_costs`): the 财政拨款 公用经费 of 基本支出, for administrative units only;
- 人员经费 / 公用经费 (`category_total`), amounts by 类 (`class_amounts`) or any key (`amounts_by`);
- `allocate`: THE largest-remainder split of a total in proportion to weights, to a quantum (a cent
  for the adjust tool, a percent or a fraction of one for `shares`), adding up to the total exactly;
- `change` and `rate`: the difference with last year's figure, and that difference divided by it
  (None when last year's figure is absent, and for the rate also when it is 0); `round_half_up`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal, localcontext
from fractions import Fraction
from math import floor

from budget_tui.core.catalogue import THREE_PUBLIC_CODES, functional_path
from budget_tui.core.model import Budget, Category, Fund, Kind, Line
from budget_tui.core.money import ZERO, total

ADMINISTRATIVE_KINDS = ("行政单位", "参照公务员法管理事业单位")


# -- rounding and allocation -----------------------------------------------------------------


def round_half_up(value: Fraction, decimals: int) -> Decimal:
    """An exact fraction rounded half up (away from zero) to the given decimals."""
    scale = 10**decimals
    magnitude = floor(abs(value) * scale + Fraction(1, 2))
    return _scaled(magnitude if value >= 0 else -magnitude, decimals)


def _scaled(units: int, decimals: int) -> Decimal:
    """units × 10^-decimals, built exactly (division in the Decimal context would round, or signal, past 28 digits)."""
    return Decimal(f"{units}E-{decimals}")


def allocate(whole: Decimal | int, weights: Sequence[Decimal], quantum: Decimal) -> list[Decimal]:
    """whole split in proportion to weights, in multiples of quantum, adding up to whole exactly.

    Largest remainder: every part gets its exact share rounded down to the quantum, and the quanta
    left over go one each to the parts with the largest remainders (ties: the earlier part). No part
    is a quantum or more from its exact share. ValueError when whole is not a multiple of quantum or
    the weights add up to 0 (there is no proportion to split by).
    """
    units_total = Fraction(whole) / Fraction(quantum)
    if units_total.denominator != 1:
        raise ValueError(f"{whole} is not a multiple of {quantum}")
    weight_total = total(weights)
    if weight_total == 0:
        raise ValueError("the weights add up to 0: there is no proportion to split by")
    exact = [Fraction(weight) * units_total / Fraction(weight_total) for weight in weights]
    units = [floor(share) for share in exact]
    left_over = int(units_total) - sum(units)
    by_remainder = sorted(range(len(weights)), key=lambda i: (units[i] - exact[i], i))
    for i in by_remainder[:left_over]:
        units[i] += 1
    with localcontext() as exact_product:  # a product of many digits must not be rounded to the context's 28
        exact_product.prec = max(len(str(abs(unit))) for unit in units) + len(quantum.as_tuple().digits) + 2
        return [Decimal(unit) * quantum for unit in units]


def shares(amounts: list[Decimal], decimals: int = 0) -> list[Decimal]:
    """Percent shares of a whole, rounded by largest remainder so they add up to exactly 100 (all 0 of nothing)."""
    step = Decimal(1).scaleb(-decimals)
    if total(amounts) == 0:
        return [ZERO.quantize(step) for _ in amounts]
    return allocate(100, amounts, step)


# -- changes and rates -----------------------------------------------------------------------


def change(current: Decimal, prior: Decimal | None) -> Decimal | None:
    """This year's figure less last year's; None when last year's is absent."""
    return None if prior is None else current - prior


def rate(difference: Decimal | None, prior: Decimal | None, decimals: int) -> Decimal | None:
    """A change in percent of last year's figure, rounded half up; None when last year's is absent or 0."""
    if difference is None or prior is None or prior == 0:
        return None
    return round_half_up(Fraction(difference) / Fraction(prior) * 100, decimals)


# -- figures of the lines --------------------------------------------------------------------


def is_appropriation(line: Line) -> bool:
    return line.fund.is_appropriation


def is_general(line: Line) -> bool:
    return line.fund is Fund.GENERAL


def amounts_by(lines: Iterable[Line], key: Callable[[Line], str]) -> dict[str, Decimal]:
    """Totals of lines grouped by key(line), keys sorted."""
    groups: dict[str, Decimal] = {}
    for line in lines:
        group = key(line)
        groups[group] = groups.get(group, ZERO) + line.amount
    return dict(sorted(groups.items()))


def functional_class(line: Line) -> str:
    return functional_path(line.functional)[0]


def class_amounts(lines: Iterable[Line]) -> dict[str, Decimal]:
    """Totals by functional 类, in code order."""
    return amounts_by(lines, functional_class)


def three_public(budget: Budget) -> dict[str, Decimal]:
    """The 三公 figures from the 一般公共预算 economic lines behind them."""
    general = [line for line in budget.lines if is_general(line)]
    return {
        item: total(line.amount for line in general if line.economic in codes)
        for item, codes in THREE_PUBLIC_CODES.items()
    }


def category_total(lines: Iterable[Line], category: Category) -> Decimal:
    """人员经费 or 公用经费: the 基本支出 of the lines in that category."""
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


__all__ = [
    "ADMINISTRATIVE_KINDS",
    "allocate",
    "amounts_by",
    "category_total",
    "change",
    "class_amounts",
    "functional_class",
    "general_items",
    "has_operating_costs",
    "is_appropriation",
    "is_general",
    "operating_costs",
    "rate",
    "round_half_up",
    "shares",
    "three_public",
]
