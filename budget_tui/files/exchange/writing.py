"""A budget's lines written in the documented file format (docs/format.md), with names as comments, by tomlkit.

tomlkit writes every key, string and table header (quoting and escaping are its own); only two things are ours:
amounts keep their two decimals as written (60.00, never 60.0), and strings escape every control character,
C1 included, as \\uXXXX, so no name reaches a terminal that shows the file as anything but text.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict

import tomlkit
from tomlkit.items import Float, InlineTable, Item, String, Table, Trivia

from budget_tui.core.model import Budget, Fund, Kind, Line
from budget_tui.core.money import format_amount
from budget_tui.core.safetext import clean

COMMENT_COLUMN = 24
"""The column where a line's comment starts (the name of its economic 款), when the statement leaves room."""


def toml_string(text: str) -> String:
    """Text as a TOML basic string: quotes and backslashes escaped, every control character (C0, DEL, C1) as \\uXXXX."""
    escaped = []
    for char in text:
        if char in '"\\':
            escaped.append("\\" + char)
        elif unicodedata.category(char) == "Cc":
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(char)
    return tomlkit.string("".join(escaped), escape=False)  # escaped above, by the rule of this file


def amount_item(line: Line) -> Float:
    """An amount as the file writes it: two decimals, exact (the float beside it is never written)."""
    return Float(float(line.amount), Trivia(), format_amount(line.amount))


def budget_text(budget: Budget, origin: str) -> str:
    """The file for a budget's department, names and lines; origin says where the lines came from."""
    department = budget.department
    document = tomlkit.document()
    document.add(tomlkit.comment(f"{clean(department.name)} {department.year}年部门预算"))
    document.add(tomlkit.comment(f"imported by budget-tui from {clean(origin)}"))
    document.add("format", 1)
    document.add(tomlkit.nl())
    table = tomlkit.table()
    table.add("name", toml_string(department.name))
    table.add("year", department.year)
    table.add("unit", toml_string(department.unit))
    document.add("department", table)
    if budget.names:
        names = tomlkit.table()
        for code, name in sorted(budget.names.items()):
            names.add(code, toml_string(name))
        document.add("names", names)
    basic = _basic_tables(budget)
    if basic:
        document.add("basic", basic)
    projects = _project_tables(budget)
    if projects:
        document.add("projects", projects)
    return tomlkit.dumps(document)


def _commented(item: Item, statement: str, comment: str) -> None:
    """Give an item its comment (cleaned of control characters), aligned at COMMENT_COLUMN when the statement allows."""
    comment = clean(comment)
    if comment:
        item.comment(comment)
        item.trivia.comment_ws = " " * max(0, COMMENT_COLUMN - 2 - len(statement)) + "  "


def _line_item(line: Line) -> Item:
    """A line's value: its amount, or an inline table `{ amount = …, category = … }` when it has attributes."""
    attributes = {
        "category": line.category_override.value if line.category_override is not None else None,
        "name": line.name,
    }
    if all(value is None for value in attributes.values()):
        return amount_item(line)
    table: InlineTable = tomlkit.inline_table()
    values: list[Item] = [amount_item(line)]
    values += [toml_string(value) for value in attributes.values() if value is not None]
    for key, value in zip(["amount", *(key for key, value in attributes.items() if value is not None)], values):
        table.add(key, value)
    values[0].trivia.indent = " "  # `{ amount = …, … }`, spaced as docs/format.md writes it
    values[-1].trivia.trail = " "
    return table


def _add_lines(table: Table, budget: Budget, lines: list[Line]) -> None:
    """`<款> = amount  # name` per line, by economic code."""
    for line in sorted(lines, key=lambda line: line.economic):
        item = _line_item(line)
        table.add(line.economic, item)
        _commented(item, f"{line.economic} = {item.as_string()}", budget.economic_name(line.economic))


def _basic_tables(budget: Budget) -> Table | None:
    """[basic.<项>] per functional code, then [basic.<项>."<fund>"] per other fund."""
    groups: dict[tuple[str, Fund], list[Line]] = defaultdict(list)
    for line in budget.lines:
        if line.kind is Kind.BASIC:
            groups[(line.functional, line.fund)].append(line)
    if not groups:
        return None
    fund_rank = {fund: rank for rank, fund in enumerate(Fund)}
    basic = tomlkit.table(is_super_table=True)
    for functional, fund in sorted(groups, key=lambda key: (key[0], fund_rank[key[1]])):
        if functional not in basic:
            basic.add(functional, tomlkit.table(is_super_table=fund is not Fund.GENERAL))
        parent = basic[functional]
        assert isinstance(parent, Table)
        table = parent if fund is Fund.GENERAL else tomlkit.table()
        _add_lines(table, budget, groups[(functional, fund)])
        if fund is not Fund.GENERAL:
            parent.add(fund.value, table)
        header = f"[basic.{functional}]" if fund is Fund.GENERAL else f'[basic.{functional}."{fund.value}"]'
        _commented(table, header, budget.functional_name(functional))
    return basic


def _project_tables(budget: Budget) -> tomlkit.items.AoT | None:
    """One [[projects]] entry per project, functional code and fund, in the order they first appear."""
    groups: dict[tuple[str, str, Fund], list[Line]] = defaultdict(list)
    for line in budget.lines:
        if line.kind is Kind.PROJECT:
            groups[(line.project or "", line.functional, line.fund)].append(line)
    if not groups:
        return None
    projects = tomlkit.aot()
    for (name, functional, fund), lines in groups.items():
        table = tomlkit.table()
        table.add("name", toml_string(name))
        functional_item = toml_string(functional)
        table.add("functional", functional_item)
        _commented(functional_item, f'functional = "{functional}"', budget.functional_name(functional))
        if fund is not Fund.GENERAL:
            table.add("fund", toml_string(fund.value))
        code = budget.projects.get(name, {}).get("code")
        if code:
            table.add("code", toml_string(str(code)))
        _add_lines(table, budget, lines)
        projects.append(table)
    return projects
