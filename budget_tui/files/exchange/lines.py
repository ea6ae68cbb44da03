"""The columns of a line list: what export writes and what import recognises."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from decimal import Decimal

from budget_tui.core.model import Budget, Line
from budget_tui.core.safetext import clean

FIELDS = (
    "functional",
    "functional_name",
    "economic",
    "economic_name",
    "kind",
    "fund",
    "project",
    "project_code",
    "category",
    "amount",
)
REQUIRED_FIELDS = ("functional", "economic", "amount")

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet takes a cell starting with one of these as a formula (the tab and CR as part of one)."""


def formula_like(text: str) -> bool:
    """True for text a spreadsheet would run as a formula: every spreadsheet-bound output guards it."""
    return text.startswith(FORMULA_STARTS)


def guarded(text: str) -> str:
    """Text for a CSV cell: formula-like text gets a leading ' so a spreadsheet shows it as text, never runs it.

    The workbook marks the same cells as quoted text instead (workbook.put); import drops the ' again.
    """
    return "'" + text if formula_like(text) else text

# The headings export writes; the amount's carries the unit, e.g. 金额（万元）.
HEADINGS = {
    "functional": "功能分类科目编码",
    "functional_name": "功能分类科目名称",
    "economic": "经济分类科目编码",
    "economic_name": "经济分类科目名称",
    "kind": "支出类型",
    "fund": "资金来源",
    "project": "项目名称",
    "project_code": "项目编码",
    "category": "经费类别",
    "amount": "金额",
}

# Headings import recognises, in normalised form (see normalise_heading), field by field.
ALIASES = {
    "functional": (
        "功能分类科目编码", "功能科目编码", "功能分类编码", "支出功能分类科目编码", "功能分类科目", "功能科目",
        "功能分类", "功能编码", "科目编码", "functional", "functionalcode", "function", "functioncode",
    ),
    "functional_name": ("功能分类科目名称", "功能科目名称", "功能分类名称", "科目名称", "functionalname", "functionname"),
    "economic": (
        "经济分类科目编码", "经济科目编码", "经济分类编码", "部门预算支出经济分类科目编码", "经济分类科目", "经济科目",
        "经济分类", "经济编码", "economic", "economiccode",
    ),
    "economic_name": ("经济分类科目名称", "经济科目名称", "经济分类名称", "economicname"),
    "kind": ("支出类型", "支出类别", "支出性质", "类型", "type", "kind", "expendituretype"),
    "fund": ("资金来源", "收入来源", "资金性质", "来源", "fund", "source", "fundsource"),
    "project": ("项目名称", "项目", "project", "projectname"),
    "project_code": ("项目编码", "项目代码", "项目编号", "projectcode", "projectid"),
    "category": ("经费类别", "经费类型", "经费性质", "category"),
    "amount": ("金额", "预算数", "预算金额", "预算额", "本年预算", "amount", "budget", "value"),
}

_PARENTHESES = re.compile(r"^(.*?)\((.*)\)$")
_IGNORED = re.compile(r"[\s_\-·:：]+")


def normalise_heading(text: str) -> tuple[str, str]:
    """A heading as (name, parenthesised suffix): '金额（万元）' → ('金额', '万元'); width, case and spaces ignored."""
    text = _IGNORED.sub("", unicodedata.normalize("NFKC", text).lower())
    match = _PARENTHESES.match(text)
    return (match.group(1), match.group(2)) if match else (text, "")


def heading_row(unit: str) -> list[str]:
    """The line list's heading row, the amount's with the unit."""
    return [f"{HEADINGS[field]}（{unit}）" if field == "amount" else HEADINGS[field] for field in FIELDS]


def line_record(budget: Budget, line: Line, text: Callable[[str], str] = clean) -> dict[str, str | Decimal]:
    """One line as field → value: codes and names as text (names cleaned, or as given by text), the amount as Decimal."""
    category = line.category
    return {
        "functional": text(line.functional),  # a code is a TOML key: any text
        "functional_name": text(budget.functional_name(line.functional)),
        "economic": text(line.economic),
        "economic_name": text(budget.economic_name(line.economic)),
        "kind": line.kind.value,
        "fund": line.fund.value,
        "project": text(line.project or ""),
        "project_code": text(str(budget.projects.get(line.project or "", {}).get("code", ""))),
        "category": category.value if category else "",
        "amount": line.amount,
    }
