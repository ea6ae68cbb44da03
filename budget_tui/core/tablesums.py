"""The amounts of the nine tables summed from a budget's lines in one pass, grouped as finely as the tables need.

The builders (budget_tui.core.tablebuilders) add up these groups instead of rescanning the lines for every column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from budget_tui.core.catalogue import economic_class
from budget_tui.core.model import Category, Fund, Kind, Line
from budget_tui.core.money import ZERO, total


@dataclass
class Sums:
    """Every amount the nine tables print, summed from the lines in ONE pass, grouped as finely as the tables need.

    The builders then add up these groups (tens to a few thousand of them) instead of rescanning the lines with a
    predicate per column. Decimal addition is exact, so a total summed by groups is the very figure summed line by
    line; a group is present when a line has it, even at 0.00 (an item with a zero line still gets its row).
    """

    items: dict[tuple[str, Kind, Fund], Decimal] = field(default_factory=dict)
    """(functional 项, type, fund) → amount: tables 1 to 5 and 9."""
    basic: dict[tuple[str, Category | None], Decimal] = field(default_factory=dict)
    """一般公共预算 基本支出 by (economic 款, category): table 6."""
    projects: dict[tuple[str, str], dict[str, Decimal]] = field(default_factory=dict)
    """项目支出 by (functional 项, project) in the order first met → economic 类 → amount: table 7."""
    general: dict[str, Decimal] = field(default_factory=dict)
    """一般公共预算 by economic 款: table 8."""

    @classmethod
    def of(cls, lines: Iterable[Line]) -> Sums:
        sums = cls()
        items, basic, projects, general = sums.items, sums.basic, sums.projects, sums.general
        for line in lines:
            amount, kind, fund = line.amount, line.kind, line.fund
            key = (line.functional, kind, fund)
            items[key] = items.get(key, ZERO) + amount
            if fund is Fund.GENERAL:
                general[line.economic] = general.get(line.economic, ZERO) + amount
                if kind is Kind.BASIC:
                    cell = (line.economic, line.category)
                    basic[cell] = basic.get(cell, ZERO) + amount
            if kind is Kind.PROJECT:
                row = projects.setdefault((line.functional, line.project or ""), {})
                ecls = economic_class(line.economic)
                row[ecls] = row.get(ecls, ZERO) + amount
        return sums

    def by_item(self, funds: Iterable[Fund] | None = None) -> dict[str, dict[tuple[Kind, Fund], Decimal]]:
        """functional 项 → (type, fund) → amount, over the given funds (all when None)."""
        chosen = None if funds is None else set(funds)
        grouped: dict[str, dict[tuple[Kind, Fund], Decimal]] = {}
        for (code, kind, fund), amount in self.items.items():
            if chosen is None or fund in chosen:
                grouped.setdefault(code, {})[(kind, fund)] = amount
        return grouped


Split = Callable[[Kind, Fund], bool] | None
"""Which (type, fund) groups a column adds up (None: all)."""


def sum_groups(parts: Iterable[dict[tuple[Kind, Fund], Decimal]], split: Split) -> Decimal:
    """The total of the groups a column takes, over one or more 项."""
    return total(amount for part in parts for (kind, fund), amount in part.items() if split is None or split(kind, fund))
