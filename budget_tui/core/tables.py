"""The nine disclosure tables (部门预算公开表, 第二部分), derived from a budget's lines.

Pure data: no Textual, no tabulate. The printer and the app show the very same rows. What a table is lives in
budget_tui.core.tableform, the one pass over the lines in budget_tui.core.tablesums, each table's builder in
budget_tui.core.tablebuilders; this module numbers and titles them and is what callers import.
A cell is a str (codes and names), a Decimal (amounts) or None (blank on the official form).
"""

from __future__ import annotations

from budget_tui.core.model import Budget
from budget_tui.core.tablebuilders import BUILDERS
from budget_tui.core.tableform import CHINESE_NUMERALS as CHINESE_NUMERALS  # re-exported: callers import them from here
from budget_tui.core.tableform import Cell as Cell
from budget_tui.core.tableform import Column as Column
from budget_tui.core.tableform import ColumnKind as ColumnKind
from budget_tui.core.tableform import Row as Row
from budget_tui.core.tableform import Table
from budget_tui.core.tableform import cell_text as cell_text
from budget_tui.core.tablesums import Sums

TABLE_NUMBERS = tuple(range(1, 10))

TITLES = {
    1: "部门收支总体情况表",
    2: "部门收入总体情况表",
    3: "部门支出总体情况表",
    4: "财政拨款收支预算总体情况表",
    5: "一般公共预算支出情况表",
    6: "一般公共预算基本支出情况表",
    7: "项目支出情况表",
    8: "一般公共预算“三公”经费支出情况表",
    9: "政府性基金预算支出情况表",
}

# The template's own 备注 on a table with content, as the source prints it.
TEMPLATE_NOTE = "无内容应公开空表并说明情况。"
EMPTY_NOTES = {
    1: "本单位无收支预算，此报表为空表。",
    2: "本单位无收支预算，此报表为空表。",
    3: "本单位无收支预算，此报表为空表。",
    4: "本单位无财政拨款收支，此报表为空表。",
    5: "本单位无一般公共预算支出，此报表为空表。",
    6: "本单位无一般公共预算基本支出，此报表为空表。",
    7: "本单位无项目支出,此报表为空表。",
    9: "本单位无政府性基金预算，此报表为空表。",
}


def build_tables(budget: Budget, sums: Sums | None = None) -> list[Table]:
    """All nine tables, in order (from the sums of the lines when already made)."""
    sums = Sums.of(budget.lines) if sums is None else sums
    return [_build(budget, sums, number) for number in TABLE_NUMBERS]


def build_table(budget: Budget, number: int) -> Table:
    """Table number (1–9) of the budget."""
    return _build(budget, Sums.of(budget.lines), number)


def _build(budget: Budget, sums: Sums, number: int) -> Table:
    columns, body, totals, is_empty = BUILDERS[number](budget, sums)
    return Table(
        number=number,
        title=TITLES[number],
        department=budget.department.name,
        unit=budget.department.unit,
        columns=tuple(columns),
        body=tuple(body),
        totals=tuple(totals),
        note=EMPTY_NOTES[number] if is_empty else TEMPLATE_NOTE,
        is_empty=is_empty,
    )
