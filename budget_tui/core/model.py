"""The budget: lines classified twice (functional and economic) and the facts that cannot be derived.

Only leaf amounts are kept; every subtotal is computed from the lines.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field, replace
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import NamedTuple

from budget_tui.core.catalogue import (
    OPERATING_CLASSES,
    PERSONNEL_CLASSES,
    Catalogue,
    catalogue,
    economic_class,
)
from budget_tui.core.factmodel import Facts
from budget_tui.core.money import ZERO, total


class Fund(Enum):
    """Source of the money (收入来源); the order is the column order of table 2."""

    GENERAL = "一般公共预算"
    GOVERNMENT_FUND = "政府性基金预算"
    SPECIAL_ACCOUNT = "财政专户管理资金"
    BUSINESS = "事业收入"
    OPERATING = "事业单位经营收入"
    OTHER = "其他收入"
    RESERVE = "用事业基金弥补收支差额"
    CARRYOVER = "单位上年结余"

    __hash__ = object.__hash__  # members are singletons; Enum's own hash is slow Python code

    @property
    def is_appropriation(self) -> bool:
        """财政拨款: money appropriated from the general public budget or government funds."""
        return self in (Fund.GENERAL, Fund.GOVERNMENT_FUND)


FUND_BY_NAME = {fund.value: fund for fund in Fund}


class Kind(Enum):
    """Expenditure type (支出类型)."""

    BASIC = "基本支出"
    PROJECT = "项目支出"

    __hash__ = object.__hash__


class Category(Enum):
    """Category of basic spending: 人员经费 (personnel) or 公用经费 (operating)."""

    PERSONNEL = "人员经费"
    OPERATING = "公用经费"


CATEGORY_BY_NAME = {category.value: category for category in Category}


class LineKey(NamedTuple):
    """What identifies a line: no two lines of a budget share one (a tuple, so hashing is cheap)."""

    kind: Kind
    project: str | None
    fund: Fund
    functional: str
    economic: str
    origin: int = 0
    """Index of the department file in a consolidated budget (0 for a single file)."""


@dataclass(frozen=True, slots=True)
class Line:
    """One budget line: a 项 (7-digit functional code) × 款 (5-digit economic code) amount."""

    functional: str
    economic: str
    amount: Decimal
    kind: Kind = Kind.BASIC
    fund: Fund = Fund.GENERAL
    project: str | None = None
    category_override: Category | None = None
    """Set when the file says the line counts otherwise than its economic 类 (e.g. 委托业务费 as 人员经费)."""
    file_line: int = 0
    """1-based line of the file the amount was read from (0 for lines added in the app)."""
    origin: int = 0
    """Index of the source file in Budget.sources (a consolidated budget has several)."""
    name: str | None = None
    """The line's own `name = "…"` attribute when the file gives one (`30227 = { amount = 1, name = "…" }`)."""
    comment: str | None = field(default=None, compare=False)
    """The comment (`# …`) to write when the line is written under a new key (recoded, or put back by an undo after a
    save); None when none was taken from the file. Not part of the line's value: edits never change it."""

    @property
    def key(self) -> LineKey:
        return LineKey(self.kind, self.project, self.fund, self.functional, self.economic, self.origin)

    @property
    def content(self) -> tuple:
        """Everything the file says of the line, its key, amount and attributes (not where it stood): what a save
        must write and read back."""
        return (self.key, self.amount, self.category_override, self.name)

    @property
    def category(self) -> Category | None:
        """人员经费 or 公用经费 by the economic 类, unless the line overrides it; None for others."""
        if self.category_override is not None:
            return self.category_override
        cls = economic_class(self.economic)
        if cls in PERSONNEL_CLASSES:
            return Category.PERSONNEL
        if cls in OPERATING_CLASSES:
            return Category.OPERATING
        return None

    def with_amount(self, amount: Decimal) -> Line:
        return replace(self, amount=amount)


@dataclass(frozen=True)
class Department:
    """Who the budget is for and in which unit it counts."""

    name: str
    year: int
    unit: str = "万元"
    kind: str = "行政单位"
    """行政单位 or 事业单位: 机关运行经费 is the 公用经费 of an administrative unit."""
    published: str | None = None


BOM = b"\xef\xbb\xbf"
"""A UTF-8 byte order mark: skipped when read, kept when saved."""


@dataclass(frozen=True)
class Source:
    """A file a budget was read from, and what is needed to save back to it safely."""

    path: Path
    data: bytes
    """The exact bytes read: a save without edits writes them back unchanged."""
    locations: dict[tuple[str, ...], int]
    """TOML key path → 1-based line number, for messages and edits."""
    department: Department | None = None
    """The department this file is the budget of."""
    fingerprint: object | None = None
    """The file's Fingerprint when read from disk: a save checks nobody changed it since."""

    def text(self) -> str:
        """The loaded text, without a byte order mark (the reader accepted these bytes as UTF-8)."""
        return self.data.removeprefix(BOM).decode("utf-8")


def nearest(locations: dict[tuple[str, ...], int], path: tuple[str, ...]) -> int:
    """Line of path, else of its closest located ancestor, else 1."""
    for end in range(len(path), 0, -1):
        line = locations.get(path[:end])
        if line:
            return line
    return 1


@dataclass
class Budget:
    """A department's budget for one year: its lines and the facts no line can give."""

    department: Department
    lines: list[Line]
    names: dict[str, str] = field(default_factory=dict)
    """Names the file gives to codes (local codes, local names); they win over the catalogue."""
    projects: dict[str, dict] = field(default_factory=dict)
    """Project name → its attributes from the file (code, performance target...)."""
    facts: Facts = field(default_factory=Facts)
    """profile, staffing, prior, procurement, assets, performance, reasons, stated: typed (budget_tui.core.factmodel)."""
    sources: list[Source] = field(default_factory=list)
    catalogue: Catalogue = field(default_factory=catalogue)
    parts: list[Budget] = field(default_factory=list)
    """A consolidated budget's department budgets as loaded, in file order: their facts and sources.

    Edits change `lines` of the consolidated budget only; a department's current lines are those
    whose origin is its index.
    """

    @property
    def path(self) -> Path | None:
        return self.sources[0].path if self.sources else None

    @property
    def is_consolidated(self) -> bool:
        """True for a folder of department files read as one budget (汇总)."""
        return len(self.sources) > 1

    def name_of(self, code: str) -> str:
        """Name of a code: the file's own name first, then the official one (economic codes start with 3)."""
        if code.startswith("3"):
            return self.economic_name(code)
        return self.functional_name(code)

    def functional_name(self, code: str) -> str:
        return self.names.get(code) or self.catalogue.functional_name(code) or ""

    def economic_name(self, code: str) -> str:
        return self.names.get(code) or self.catalogue.economic_name(code) or ""

    def total(self) -> Decimal:
        return total(line.amount for line in self.lines)


_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T][0-9:.+\-Zz]*)?", re.ASCII)


def calendar_date(value: str | None) -> dt.date | None:
    """The day a date fact names (published, assets.as_of: 2021-02-01, or a TOML date-time's day).

    None when it names no real day: absent, 2021-02-30, 2021/02/01 or any other text. A date is kept
    as written in the file, so `check` says which is not one (rule fact-date) and the report prints
    it as written instead of inventing a day.
    """
    match = _DATE.fullmatch(value) if isinstance(value, str) else None
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def sum_lines(lines, predicate=None) -> Decimal:
    """Exact total of the lines that satisfy predicate (all when None)."""
    if predicate is None:
        return total(line.amount for line in lines)
    return total(line.amount for line in lines if predicate(line))


__all__ = [
    "Budget",
    "Category",
    "Department",
    "Facts",
    "Fund",
    "Kind",
    "Line",
    "LineKey",
    "Source",
    "ZERO",
    "nearest",
    "calendar_date",
    "sum_lines",
]
