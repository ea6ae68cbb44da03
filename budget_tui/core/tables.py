"""The nine disclosure tables (部门预算公开表, 第二部分), derived from a budget's lines.

Pure data: no Textual, no tabulate. The printer and the app show the very same rows.
A cell is a str (codes and names), a Decimal (amounts) or None (blank on the official form).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import Enum

from budget_tui.core.catalogue import THREE_PUBLIC_CODES, economic_class
from budget_tui.core.model import Budget, Category, Fund, Kind, Line
from budget_tui.core.money import ZERO, format_amount, total
from budget_tui.core.safetext import clean

TABLE_NUMBERS = tuple(range(1, 10))
CHINESE_NUMERALS = "一二三四五六七八九"

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


class ColumnKind(Enum):
    """What a column holds, which decides how it is aligned and formatted."""

    CODE = "code"
    TEXT = "text"
    AMOUNT = "amount"


@dataclass(frozen=True)
class Column:
    """A column: its heading path from the top header row down (a group label, then its own), and its kind."""

    heading: tuple[str, ...]
    kind: ColumnKind

    def __post_init__(self) -> None:
        object.__setattr__(self, "heading", tuple(clean(part) for part in self.heading))  # names of codes, from the file

    @property
    def title(self) -> str:
        """The heading on one line, for formats with a single header row."""
        return " ".join(part for part in self.heading if part)

    @property
    def align(self) -> str:
        """Amounts right, codes and names left."""
        return "right" if self.kind is ColumnKind.AMOUNT else "left"


Cell = str | Decimal | None


@dataclass(frozen=True)
class Row:
    """One row of cells, one per column; is_total marks the 小计/合计/总计 rows at the foot."""

    cells: tuple[Cell, ...]
    is_total: bool = False


@dataclass(frozen=True)
class Table:
    """One disclosure table: title block, columns, body rows, total rows and 备注."""

    number: int
    title: str
    department: str
    unit: str
    columns: tuple[Column, ...]
    body: tuple[Row, ...]
    totals: tuple[Row, ...]
    note: str
    is_empty: bool = False

    @property
    def heading(self) -> str:
        """The caption as the source prints it: 表一：部门收支总体情况表."""
        return f"表{CHINESE_NUMERALS[self.number - 1]}：{self.title}"

    @property
    def rows(self) -> tuple[Row, ...]:
        """Body rows, then the total rows."""
        return self.body + self.totals

    def header_rows(self) -> list[list[str]]:
        """The header as rows of labels; a group label shows once, over the first column of its span."""
        depth = max(len(column.heading) for column in self.columns)
        paths = [column.heading + ("",) * (depth - len(column.heading)) for column in self.columns]
        return [
            [path[level] if i == 0 or paths[i - 1][: level + 1] != path[: level + 1] else "" for i, path in enumerate(paths)]
            for level in range(depth)
        ]

    def text_cells(self, row: Row) -> list[str]:
        """A row as display text: names cleaned of control characters, amounts with two decimals, blanks empty."""
        return [cell_text(cell) for cell in row.cells]

    def text_rows(self) -> list[list[str]]:
        """Every row as display text."""
        return [self.text_cells(row) for row in self.rows]

    def compact(self) -> Table:
        """The same table without the columns that are empty in every row."""
        keep = [i for i in range(len(self.columns)) if any(row.cells[i] not in (None, "") for row in self.rows)]
        return replace(
            self,
            columns=tuple(self.columns[i] for i in keep),
            body=tuple(_pick(row, keep) for row in self.body),
            totals=tuple(_pick(row, keep) for row in self.totals),
        )


def _pick(row: Row, keep: list[int]) -> Row:
    return replace(row, cells=tuple(row.cells[i] for i in keep))


def cell_text(cell: Cell) -> str:
    """How a cell reads: an amount with two decimals, text without control characters, blank as ''."""
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return format_amount(cell)
    return clean(cell)


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


def _sum(parts: Iterable[dict[tuple[Kind, Fund], Decimal]], split: Split) -> Decimal:
    """The total of the groups a column takes, over one or more 项."""
    return total(amount for part in parts for (kind, fund), amount in part.items() if split is None or split(kind, fund))


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
    return [_blank_zero(_sum(parts, split)) for _, split in amounts]


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
        (f"{code} {budget.functional_name(code)}", *(_blank_zero(_sum(by_class.get(code, []), split)) for split in splits))
        for code in _catalogue_order(budget.catalogue.functional_class_order, by_class.keys() - {transfer})
    ]


def _income_rows(by_item, sources) -> list[tuple]:
    return [(label, _blank_zero(_sum(by_item.values(), _in_funds(funds)))) for label, funds in sources]


def _table1(budget: Budget, sums: Sums) -> Parts:
    """部门收支总体情况表: income by source | spending by functional 类, 小计, 结余 / 230, 总计."""
    columns = [_text("收入", "项目"), _amount(("收入", "预算数")), _text("支出", "功能分类"), _amount(("支出", "预算数"))]
    by_item = sums.by_item()
    body = _two_sided(_income_rows(by_item, TABLE1_INCOME), _class_rows(budget, by_item, [None]))
    spent, transferred = _split_transfers(budget, by_item)
    this_year = _sum(by_item.values(), lambda kind, fund: fund is not Fund.CARRYOVER)
    carried_over = _sum(by_item.values(), _in_funds((Fund.CARRYOVER,)))
    everything = _blank_zero(_sum(by_item.values(), None))
    totals = [
        Row(("小计", _blank_zero(this_year), "小计", _blank_zero(_sum(spent, None))), is_total=True),
        Row(
            (CARRYOVER_LABEL, _blank_zero(carried_over), _transfer_label(budget), _blank_zero(_sum(transferred, None))),
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
    appropriated = _blank_zero(_sum(by_item.values(), None))
    totals = [
        Row(("小计", appropriated, "小计", *_split_sums(spent, splits)), is_total=True),
        Row(("", None, _transfer_label(budget), *_split_sums(transferred, splits)), is_total=True),
        Row(("收入总计", appropriated, "支出总计", *_split_sums(by_item.values(), splits)), is_total=True),
    ]
    return columns, body, totals, not by_item


def _split_sums(parts, splits: list[Split]) -> list[Decimal | None]:
    parts = list(parts)
    return [_blank_zero(_sum(parts, split)) for split in splits]


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
