"""A budget's lines written in the documented file format (docs/format.md), with names as comments."""

from __future__ import annotations

import unicodedata
from collections import defaultdict

from budget_tui.core.model import Budget, Fund, Kind, Line
from budget_tui.core.money import format_amount
from budget_tui.core.safetext import clean

COMMENT_COLUMN = 24


def toml_string(text: str) -> str:
    """Text as a TOML basic string: quotes and backslashes escaped, control characters as \\uXXXX."""
    escaped = []
    for char in text:
        if char in '"\\':
            escaped.append("\\" + char)
        elif unicodedata.category(char) == "Cc":
            escaped.append(f"\\u{ord(char):04x}")
        else:
            escaped.append(char)
    return '"' + "".join(escaped) + '"'


def budget_text(budget: Budget, origin: str) -> str:
    """The file for a budget's department, names and lines; origin says where the lines came from."""
    department = budget.department
    parts = [
        f"# {clean(department.name)} {department.year}年部门预算\n# imported by budget-tui from {clean(origin)}\n"
        "format = 1\n",
        "[department]\n"
        f"name = {toml_string(department.name)}\nyear = {department.year}\nunit = {toml_string(department.unit)}\n",
    ]
    if budget.names:
        parts.append("[names]\n" + "".join(f"{code} = {toml_string(name)}\n" for code, name in sorted(budget.names.items())))
    parts += _basic_tables(budget)
    parts += _project_tables(budget)
    return "\n".join(parts)


def _commented(statement: str, comment: str) -> str:
    """A statement with its comment aligned (names are cleaned of control characters first)."""
    comment = clean(comment)
    if not comment:
        return statement + "\n"
    return f"{statement.ljust(COMMENT_COLUMN - 2)}  # {comment}\n"


def _line_statements(budget: Budget, lines: list[Line]) -> str:
    """`<款> = amount  # name` per line, by economic code; an overridden category as an inline table."""
    statements = []
    for line in sorted(lines, key=lambda line: line.economic):
        value = format_amount(line.amount)
        if line.category_override is not None:
            value = f"{{ amount = {value}, category = {toml_string(line.category_override.value)} }}"
        statements.append(_commented(f"{line.economic} = {value}", budget.economic_name(line.economic)))
    return "".join(statements)


def _basic_tables(budget: Budget) -> list[str]:
    """[basic.<项>] per functional code, then [basic.<项>."<fund>"] per other fund."""
    groups: dict[tuple[str, Fund], list[Line]] = defaultdict(list)
    for line in budget.lines:
        if line.kind is Kind.BASIC:
            groups[(line.functional, line.fund)].append(line)
    fund_rank = {fund: rank for rank, fund in enumerate(Fund)}
    tables = []
    for functional, fund in sorted(groups, key=lambda key: (key[0], fund_rank[key[1]])):
        header = f"[basic.{functional}]" if fund is Fund.GENERAL else f"[basic.{functional}.{toml_string(fund.value)}]"
        lines = groups[(functional, fund)]
        tables.append(_commented(header, budget.functional_name(functional)) + _line_statements(budget, lines))
    return tables


def _project_tables(budget: Budget) -> list[str]:
    """One [[projects]] entry per project, functional code and fund, in the order they first appear."""
    groups: dict[tuple[str, str, Fund], list[Line]] = defaultdict(list)
    for line in budget.lines:
        if line.kind is Kind.PROJECT:
            groups[(line.project or "", line.functional, line.fund)].append(line)
    tables = []
    for (name, functional, fund), lines in groups.items():
        text = f"[[projects]]\nname = {toml_string(name)}\n"
        text += _commented(f"functional = {toml_string(functional)}", budget.functional_name(functional))
        if fund is not Fund.GENERAL:
            text += f"fund = {toml_string(fund.value)}\n"
        code = budget.projects.get(name, {}).get("code")
        if code:
            text += f"code = {toml_string(str(code))}\n"
        tables.append(text + _line_statements(budget, lines))
    return tables
