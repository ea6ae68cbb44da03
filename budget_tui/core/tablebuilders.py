"""The builders of the nine disclosure tables: each turns a budget's grouped sums into columns, body rows and total
rows, as the official template (部门预算公开表) lays them out. budget_tui.core.tables calls them (build_tables).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import replace
from decimal import Decimal

from budget_tui.core.catalogue import THREE_PUBLIC_CODES, economic_class
from budget_tui.core.model import Budget, Category, Fund, Kind
from budget_tui.core.money import ZERO, total
from budget_tui.core.tableform import Column, ColumnKind, Row
from budget_tui.core.tablesums import Split, Sums, sum_groups

CARRYOVER_LABEL = "单位上年结余（不包括国库集中支付额度结余）"
INDENT = "  "

# Column headings of table 2, one per income source, in Fund order.
INCOME_HEADINGS = {
    Fund.GENERAL: "一般公共预算拨款",
    Fund.GOVERNMENT_FUND: "政府性基金预算拨款",
    Fund.CARRYOVER: CARRYOVER_LABEL,
}

# The income side of table 1: label → the funds it adds up.
TABLE1_INCOME = (
    ("财政拨款（补助）", (Fund.GENERAL, Fund.GOVERNMENT_FUND)),
    (INDENT + "一般公共预算", (Fund.GENERAL,)),
    (INDENT + "政府性基金预算", (Fund.GOVERNMENT_FUND,)),
    ("教育收费（财政专户）", (Fund.SPECIAL_ACCOUNT,)),
    ("事业收入", (Fund.BUSINESS,)),
    ("事业单位经营收入", (Fund.OPERATING,)),
    ("其他收入", (Fund.OTHER,)),
    ("用事业基金弥补收支差额", (Fund.RESERVE,)),
)
TABLE4_INCOME = TABLE1_INCOME[:3]


# Helpers shared by the builders.

Parts = tuple[list[Column], list[Row], list[Row], bool]
"""What a builder returns: columns, body rows, total rows, and whether the table is empty."""


def _blank_zero(amount: Decimal) -> Decimal | None:
    """The official forms leave a zero amount blank."""
    return None if amount == 0 else amount


def _amount(heading: str | tuple[str, ...]) -> Column:
    return Column(heading if isinstance(heading, tuple) else (heading,), ColumnKind.AMOUNT)


def _text(*heading: str) -> Column:
    return Column(heading, ColumnKind.TEXT)


def _codes(group: str, levels: Iterable[str]) -> list[Column]:
    return [Column((group, level), ColumnKind.CODE) for level in levels]


def _functional_code_cells(code: str) -> tuple[str, str, str]:
    """201 | 03 | 01 for 2010301."""
    return code[:3], code[3:5], code[5:7]


def _general(kind: Kind, fund: Fund) -> bool:
    return fund is Fund.GENERAL


def _government_fund(kind: Kind, fund: Fund) -> bool:
    return fund is Fund.GOVERNMENT_FUND


def _basic(kind: Kind, fund: Fund) -> bool:
    return kind is Kind.BASIC


def _project(kind: Kind, fund: Fund) -> bool:
    return kind is Kind.PROJECT


def _in_funds(funds: tuple[Fund, ...]) -> Callable[[Kind, Fund], bool]:
    return lambda kind, fund: fund in funds


APPROPRIATION = tuple(fund for fund in Fund if fund.is_appropriation)


def _catalogue_order(order: tuple[str, ...], used: Iterable[str]) -> list[str]:
    """Every code of the catalogue's print order, then any other code the lines use (local codes), by code."""
    return list(order) + sorted(set(used) - set(order))


def _two_sided(left: list[tuple], right: list[tuple]) -> list[Row]:
    """Income and spending side by side, the shorter side padded with blank cells."""
    height = max(len(left), len(right))
    return [Row(left_cells + right_cells) for left_cells, right_cells in zip(_padded(left, height), _padded(right, height))]


def _padded(side: list[tuple], height: int) -> list[tuple]:
    blank = ("",) + (None,) * (len(side[0]) - 1)
    return side + [blank] * (height - len(side))


# Tables 2, 3, 5 and 9: one row per functional 项.


def _functional_item_table(
    by_item: dict[str, dict[tuple[Kind, Fund], Decimal]], budget: Budget, amounts: list[tuple[Column, Split]], group: str
) -> Parts:
    """Rows = functional 项 (类 | 款 | 项 | name), columns = the given amount columns, then 合计."""
    columns = [*_codes("功能分类科目编码", ("类", "款", "项")), _text("功能分类科目名称")]
    columns += [replace(column, heading=(group, *column.heading)) if group else column for column, _ in amounts]
    body = [
        Row((*_functional_code_cells(code), budget.functional_name(code), *_sums([by_item[code]], amounts)))
        for code in sorted(by_item)
    ]
    total_row = Row(("合计", "", "", "", *_sums(by_item.values(), amounts)), is_total=True)
    return columns, body, [total_row], not by_item


def _sums(parts: Iterable[dict[tuple[Kind, Fund], Decimal]], amounts) -> list[Decimal | None]:
    parts = list(parts)
    return [_blank_zero(sum_groups(parts, split)) for _, split in amounts]


def _table2(budget: Budget, sums: Sums) -> Parts:
    """部门收入总体情况表: each 项's money by income source."""
    amounts: list[tuple[Column, Split]] = [(_amount("总计"), None)]
    amounts += [(_amount(INCOME_HEADINGS.get(fund, fund.value)), _in_funds((fund,))) for fund in Fund]
    return _functional_item_table(sums.by_item(), budget, amounts, "")


def _spending_columns(total_heading: str) -> list[tuple[Column, Split]]:
    return [(_amount(total_heading), None), (_amount("基本支出"), _basic), (_amount("项目支出"), _project)]


def _table3(budget: Budget, sums: Sums) -> Parts:
    """部门支出总体情况表: each 项 split into 基本支出 and 项目支出."""
    return _functional_item_table(sums.by_item(), budget, _spending_columns("合计"), "支出预算")


def _table5(budget: Budget, sums: Sums) -> Parts:
    """一般公共预算支出情况表: like table 3, general-public-budget money only."""
    return _functional_item_table(sums.by_item((Fund.GENERAL,)), budget, _spending_columns("小计"), "一般公共预算支出")


def _table9(budget: Budget, sums: Sums) -> Parts:
    """政府性基金预算支出情况表: like table 5, government-fund money only."""
    by_item = sums.by_item((Fund.GOVERNMENT_FUND,))
    return _functional_item_table(by_item, budget, _spending_columns("小计"), "政府性基金预算支出")


# Tables 1 and 4: income | spending by functional 类.


def _by_class(by_item: dict[str, dict[tuple[Kind, Fund], Decimal]]) -> dict[str, list[dict[tuple[Kind, Fund], Decimal]]]:
    """functional 类 → the groups of its 项."""
    grouped: dict[str, list[dict[tuple[Kind, Fund], Decimal]]] = defaultdict(list)
    for code, part in by_item.items():
        grouped[code[:3]].append(part)
    return grouped


def _class_rows(budget: Budget, by_item, splits: list[Split]) -> list[tuple]:
    """One row per functional 类 of the table order (230 kept apart): '201 一般公共服务支出' and its amounts."""
    transfer = budget.catalogue.transfer_class
    by_class = _by_class(by_item)
    return [
        (f"{code} {budget.functional_name(code)}", *(_blank_zero(sum_groups(by_class.get(code, []), split)) for split in splits))
        for code in _catalogue_order(budget.catalogue.functional_class_order, by_class.keys() - {transfer})
    ]


def _income_rows(by_item, sources) -> list[tuple]:
    return [(label, _blank_zero(sum_groups(by_item.values(), _in_funds(funds)))) for label, funds in sources]


def _table1(budget: Budget, sums: Sums) -> Parts:
    """部门收支总体情况表: income by source | spending by functional 类, 小计, 结余 / 230, 总计."""
    columns = [_text("收入", "项目"), _amount(("收入", "预算数")), _text("支出", "功能分类"), _amount(("支出", "预算数"))]
    by_item = sums.by_item()
    body = _two_sided(_income_rows(by_item, TABLE1_INCOME), _class_rows(budget, by_item, [None]))
    spent, transferred = _split_transfers(budget, by_item)
    this_year = sum_groups(by_item.values(), lambda kind, fund: fund is not Fund.CARRYOVER)
    carried_over = sum_groups(by_item.values(), _in_funds((Fund.CARRYOVER,)))
    everything = _blank_zero(sum_groups(by_item.values(), None))
    totals = [
        Row(("小计", _blank_zero(this_year), "小计", _blank_zero(sum_groups(spent, None))), is_total=True),
        Row(
            (CARRYOVER_LABEL, _blank_zero(carried_over), _transfer_label(budget), _blank_zero(sum_groups(transferred, None))),
            is_total=True,
        ),
        Row(("收入总计", everything, "支出合计", everything), is_total=True),
    ]
    return columns, body, totals, not by_item


def _split_transfers(budget: Budget, by_item) -> tuple[list, list]:
    """The groups spent in the department, and those of 类 230 转移性支出 (printed below the 小计)."""
    transfer = budget.catalogue.transfer_class
    return (
        [part for code, part in by_item.items() if not code.startswith(transfer)],
        [part for code, part in by_item.items() if code.startswith(transfer)],
    )


def _transfer_label(budget: Budget) -> str:
    transfer = budget.catalogue.transfer_class
    return f"{transfer} {budget.functional_name(transfer)}"


def _table4(budget: Budget, sums: Sums) -> Parts:
    """财政拨款收支预算总体情况表: appropriated income | its spending by 类, split by budget."""
    columns = [
        _text("财政拨款收入", "项目"),
        _amount(("财政拨款收入", "合计")),
        _text("财政拨款支出", "功能分类"),
        _amount(("财政拨款支出", "合计")),
        _amount(("财政拨款支出", "一般公共预算")),
        _amount(("财政拨款支出", "政府性基金预算")),
    ]
    by_item = sums.by_item(APPROPRIATION)
    splits: list[Split] = [None, _general, _government_fund]
    body = _two_sided(_income_rows(by_item, TABLE4_INCOME), _class_rows(budget, by_item, splits))
    spent, transferred = _split_transfers(budget, by_item)
    appropriated = _blank_zero(sum_groups(by_item.values(), None))
    totals = [
        Row(("小计", appropriated, "小计", *_split_sums(spent, splits)), is_total=True),
        Row(("", None, _transfer_label(budget), *_split_sums(transferred, splits)), is_total=True),
        Row(("收入总计", appropriated, "支出总计", *_split_sums(by_item.values(), splits)), is_total=True),
    ]
    return columns, body, totals, not by_item


def _split_sums(parts, splits: list[Split]) -> list[Decimal | None]:
    parts = list(parts)
    return [_blank_zero(sum_groups(parts, split)) for split in splits]


# Table 6: general-public-budget basic spending by economic 款.


def _table6(budget: Budget, sums: Sums) -> Parts:
    """一般公共预算基本支出情况表: each economic 款 as 小计 = 人员经费 + 公用经费."""
    group = "一般公共预算基本支出"
    columns = [
        *_codes("经济分类科目编码", ("类", "款")),
        _text("经济分类科目名称"),
        _amount((group, "小计")),
        _amount((group, "人员经费")),
        _amount((group, "公用经费")),
    ]
    by_item: dict[str, dict[Category | None, Decimal]] = {}
    for (code, category), amount in sums.basic.items():
        by_item.setdefault(code, {})[category] = amount
    classes = _catalogue_order(budget.catalogue.economic_class_order, map(economic_class, by_item))
    class_rank = {code: i for i, code in enumerate(classes)}
    body = [
        Row((code[:3], code[3:], budget.economic_name(code), *_category_sums([by_item[code]])))
        for code in sorted(by_item, key=lambda code: (class_rank[economic_class(code)], code))
    ]
    totals = [Row(("合计", "", "", *_category_sums(by_item.values())), is_total=True)]
    return columns, body, totals, not by_item


def _category_sums(parts: Iterable[dict[Category | None, Decimal]]) -> list[Decimal | None]:
    """小计, 人员经费, 公用经费 of the given economic 款."""
    parts = list(parts)
    return [
        _blank_zero(total(amount for part in parts for category, amount in part.items() if wanted in (None, category)))
        for wanted in (None, Category.PERSONNEL, Category.OPERATING)
    ]


# Table 7: projects by economic 类.


def _table7(budget: Budget, sums: Sums) -> Parts:
    """项目支出情况表: one row per project, its total and its economic 类."""
    by_project = sums.projects
    classes = _catalogue_order(budget.catalogue.economic_class_order, (ecls for row in by_project.values() for ecls in row))
    columns = [
        *_codes("科目编码", ("类", "款", "项")),
        _text("科目名称"),
        _text("项目名称"),
        _amount("项目支出合计"),
        *(_amount(budget.economic_name(code)) for code in classes),
    ]
    wanted = [None, *classes]
    body = [
        Row((*_functional_code_cells(code), budget.functional_name(code), project, *_class_sums([by_project[(code, project)]], wanted)))
        for code, project in sorted(by_project, key=lambda key: key[0])
    ]
    totals = [Row(("合计", "", "", "", "", *_class_sums(by_project.values(), wanted)), is_total=True)]
    return columns, body, totals, not by_project


def _class_sums(parts: Iterable[dict[str, Decimal]], wanted: list[str | None]) -> list[Decimal | None]:
    """The total (None) and each economic 类's amount of the given projects."""
    parts = list(parts)
    if len(parts) == 1:  # a project's row: its own groups are the cells (a group's sum already starts from ZERO)
        part = parts[0]
        return [_blank_zero(total(part.values()) if code is None else part.get(code, ZERO)) for code in wanted]
    return [
        _blank_zero(total(amount for part in parts for amount in part.values()))
        if code is None
        else _blank_zero(total(part[code] for part in parts if code in part))
        for code in wanted
    ]


# Table 8: the 三公 figures.


def _table8(budget: Budget, sums: Sums) -> Parts:
    """一般公共预算“三公”经费支出情况表: 合计, 出国, 用车 (小计, 购置, 运行), 接待; zeros are printed."""
    vehicles = "公务用车购置及运行费"
    columns = [
        _amount("合计"),
        _amount("因公出国（境）费"),
        _amount((vehicles, "小计")),
        _amount((vehicles, "公务用车购置费")),
        _amount((vehicles, "公务用车运行费")),
        _amount("公务接待费"),
    ]
    general = sums.general
    part = {item: total(general[code] for code in general.keys() & set(codes)) for item, codes in THREE_PUBLIC_CODES.items()}
    vehicle = part["vehicle_purchase"] + part["vehicle_operation"]
    row = Row(
        (
            part["overseas"] + vehicle + part["reception"],
            part["overseas"],
            vehicle,
            part["vehicle_purchase"],
            part["vehicle_operation"],
            part["reception"],
        )
    )
    return columns, [row], [], False


BUILDERS: dict[int, Callable[[Budget, Sums], Parts]] = {
    1: _table1,
    2: _table2,
    3: _table3,
    4: _table4,
    5: _table5,
    6: _table6,
    7: _table7,
    8: _table8,
    9: _table9,
}
