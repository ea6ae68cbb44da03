"""The facts of a budget file that no line can give, typed: one dataclass per table of docs/format.md.

`Facts` holds a section per fact table of the file ([profile], [staffing], [prior], [procurement],
[assets], [performance], [reasons], [stated]). Every field is named as its TOML key, so the key path
of `facts.prior.three_public.overseas` is ("prior", "three_public", "overseas"): that path names the
fact in messages and gives its line (`budget_tui.core.problems.fact_line`, from the file's
`Source.locations`).

A field the file does not give is None (a table of codes is empty); `Facts.given` says which tables
the file has, even empty ones. The kind of each field (amount, count, text...) is in its metadata:
the loader (budget_tui.files.fileformat) reads the schema from here, checks each value's type and
limits with its line, and refuses any other key.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal
from typing import Any

from budget_tui.core.catalogue import ECONOMIC_DEPTHS, FUNCTIONAL_DEPTHS, catalogue
from budget_tui.core.money import quoted
from budget_tui.i18n import _

KIND = "kind"
"""The metadata key of a field's kind: one of the names below, or the dataclass of a sub-table."""
AMOUNT = "amount"
"""An exact amount in the file's unit (Decimal)."""
COUNT = "int"
"""A whole number from 0 to 1,000,000,000."""
TEXT = "str"
"""Text in quotes."""
DATE = "date"
"""A TOML date, kept as written (a date in quotes too: `check` says when it names no day)."""
TEXTS = "list[str]"
"""A list of texts."""
TEXTS_BY_KEY = "str:table"
"""A table of key → text."""
VEHICLES = "vehicles"
"""A table of vehicle kind → Vehicle."""

Path = tuple[str, ...]


@dataclass(frozen=True)
class Keyed:
    """A table of key → value (a kind above, or a dataclass) whose keys must pass a rule: codes of a
    classification at its levels, fund names. The loader asks `refusal` of every key and refuses the key
    with its line and the reason when there is one."""

    name: str
    value: Any
    refusal: Callable[[str, str], str | None]

    def __repr__(self) -> str:
        return self.name


def _code_refusal(classification: str, depths: dict[int, str], classes: Callable[[], tuple[str, ...]]):
    def refusal(key: str, table: str) -> str | None:
        levels = ", ".join(f"{depth}-digit {level}" for depth, level in depths.items())
        if not (key.isascii() and key.isdigit() and len(key) in depths):
            return _(
                "{key} in [{table}] is not a {classification} code ({levels}): give the figure of a code at one of "
                "these levels, such as {example} = 95.00, or remove this line"
            ).format(key=quoted(key), table=table, classification=classification, levels=levels,
                     example="201" if classification == "functional" else "301")
        if key[:3] not in classes():
            return _(
                "{key} in [{table}]: {head} is not a {classification} 类 of the catalogue, so the figure cannot be "
                "placed; check the code (an economic code in a functional table?) or remove this line"
            ).format(key=key, table=table, head=key[:3], classification=classification)
        return None

    return refusal


def _functional_classes() -> tuple[str, ...]:
    cat = catalogue()
    return (*cat.functional_class_order, cat.transfer_class)


def _economic_classes() -> tuple[str, ...]:
    return catalogue().economic_class_order


def _fund_refusal(key: str, table: str) -> str | None:
    from budget_tui.core.model import FUND_BY_NAME  # model imports this module

    if key in FUND_BY_NAME:
        return None
    return _("{key} in [{table}] is not a fund; the funds are: {funds}").format(
        key=quoted(key), table=table, funds=", ".join(FUND_BY_NAME)
    )


def _any_code_refusal(key: str, table: str) -> str | None:
    if key.isascii() and key.isdigit() and key[:1] in "23" and len(key) in (3, 5, 7):
        return _functional(key, table) if key.startswith("2") else _economic(key, table)
    return _(
        "{key} in [{table}] is not a code: give a functional (2…) or economic (3…) code of 3, 5 or 7 digits"
    ).format(key=quoted(key), table=table)


_functional = _code_refusal("functional", FUNCTIONAL_DEPTHS, _functional_classes)
_economic = _code_refusal("economic", ECONOMIC_DEPTHS, _economic_classes)

FUNCTIONAL_AMOUNTS = Keyed("amount by functional code", AMOUNT, _functional)
"""A table of functional code (类 3 digits, 款 5, 项 7) → amount."""
ECONOMIC_AMOUNTS = Keyed("amount by economic code", AMOUNT, _economic)
"""A table of economic code (类 3 digits, 款 5) → amount."""
NAMES_BY_CODE = Keyed("name by code", TEXT, _any_code_refusal)
"""A table of functional or economic code → a name."""
STATED_NAMES = (
    "total", "general_public", "government_fund", "basic", "project", "personnel", "operating", "operating_costs",
    "three_public", "overseas", "vehicle_purchase", "vehicle_operation", "reception",
)
"""The named figures [stated.amount], [stated.change], [stated.rate] and [stated.share] may hold, besides codes."""
STATED_COUNTS = ("authorized", "actual", "in_service", "retired", "veteran", "offices", "subordinate_units",
                 "vehicles", "performance_projects")
"""The counts [stated.count] may hold."""


def _figure_refusal(key: str, table: str) -> str | None:
    if key in STATED_NAMES:
        return None
    if key.isascii() and key.isdigit():
        return _any_code_refusal(key, table)
    return _("{key} in [{table}] is not a figure; give a code (201, 2010301, 301, 30101) or one of: {names}").format(
        key=quoted(key), table=table, names=", ".join(STATED_NAMES)
    )


def _count_refusal(key: str, table: str) -> str | None:
    if key in STATED_COUNTS:
        return None
    return _("{key} in [{table}] is not a count; the counts are: {names}").format(
        key=quoted(key), table=table, names=", ".join(STATED_COUNTS)
    )


STATED_FIGURES = Keyed("stated figure by name or code", AMOUNT, _figure_refusal)
"""A table of a named figure or a code → a figure as published."""
STATED_COUNT_TABLE = Keyed("stated count by name", COUNT, _count_refusal)
"""A table of a count's name → the count as published."""
SIGNED_TABLES = (("stated", "change"), ("stated", "rate"))
"""Tables whose figures are signed (a decrease is negative): not amounts to check for sign or cents."""
AMOUNTS_BY_ITEM = FUNCTIONAL_AMOUNTS
"""The kind of [prior.functional] (its former name: it read only 项 codes)."""


def _fact(kind: str) -> Any:
    return field(default=None, metadata={KIND: kind})


def _table(kind: Any) -> Any:
    return field(default_factory=dict, metadata={KIND: kind})


def _section(cls: type) -> Any:
    return field(default_factory=cls, metadata={KIND: cls})


class _Table:
    """What every fact table can say of itself."""

    def as_dict(self) -> dict[str, Any]:
        """Field name (the TOML key) → value, in declaration order: for tables keyed like another table
        (三公 items, the stated figures beside the computed ones)."""
        return {item.name: getattr(self, item.name) for item in fields(self)}  # type: ignore[arg-type]


@dataclass(frozen=True)
class Profile(_Table):
    """[profile]: what the department is (part 1 of the document)."""

    functions: list[str] | None = _fact(TEXTS)
    """主要职能: one text per function, printed as a numbered list."""
    offices: list[str] | None = _fact(TEXTS)
    """内设科室: the internal offices; an empty list says there are none."""
    subordinate_units: int | None = _fact(COUNT)
    """下属预算单位: the number of subordinate budget units (0: none)."""
    administrative_units: int | None = _fact(COUNT)
    """部门构成: the number of 行政单位 the department's budget covers (1家行政单位)."""
    managed_units: int | None = _fact(COUNT)
    """部门构成: the number of 参照公务员法管理事业单位 it covers."""
    institutional_units: int | None = _fact(COUNT)
    """部门构成: the number of 事业单位 it covers."""
    note: str | None = _fact(TEXT)
    """A free note on the profile."""


@dataclass(frozen=True)
class Staffing(_Table):
    """[staffing]: authorized posts (编制) and people this year."""

    administrative: int | None = _fact(COUNT)
    """行政编制: administrative posts."""
    logistics: int | None = _fact(COUNT)
    """机关工勤编制: logistics posts of the office."""
    institutional: int | None = _fact(COUNT)
    """事业编制: posts of public institutions."""
    authorized: int | None = _fact(COUNT)
    """编制数: all authorized posts, when the file states it (checked against the three kinds)."""
    actual: int | None = _fact(COUNT)
    """实有人数: people actually employed."""
    in_service: int | None = _fact(COUNT)
    """在职: people in service."""
    retired: int | None = _fact(COUNT)
    """退休: retired people the department pays."""
    veteran: int | None = _fact(COUNT)
    """离休: cadres retired under the 离休 rules (who joined the revolution before October 1949) the department pays."""
    note: str | None = _fact(TEXT)
    """Why 在职 is below 实有人数 (1人长期工伤，不在岗): printed as the reason of the difference."""


@dataclass(frozen=True)
class PriorThreePublic(_Table):
    """[prior.three_public]: last year's 三公 figures, item by item."""

    overseas: Decimal | None = _fact(AMOUNT)
    """因公出国（境）费: official trips abroad."""
    vehicle_purchase: Decimal | None = _fact(AMOUNT)
    """公务用车购置费: purchase of official vehicles."""
    vehicle_operation: Decimal | None = _fact(AMOUNT)
    """公务用车运行费: running official vehicles."""
    reception: Decimal | None = _fact(AMOUNT)
    """公务接待费: official receptions."""


@dataclass(frozen=True)
class PriorStaffing(_Table):
    """[prior.staffing]: last year's people, to say how many more or fewer there are."""

    in_service: int | None = _fact(COUNT)
    """在职 last year."""
    retired: int | None = _fact(COUNT)
    """退休 last year."""
    veteran: int | None = _fact(COUNT)
    """离休 last year."""
    actual: int | None = _fact(COUNT)
    """实有人数 last year."""


@dataclass(frozen=True)
class PriorScope(_Table):
    """Last year's spending of one kind (基本支出 or 项目支出) or one fund, by code of either classification."""

    total: Decimal | None = _fact(AMOUNT)
    """The scope's whole last year (for a kind or 一般公共预算 / 政府性基金预算 it must agree with [prior]'s figure)."""
    functional: dict[str, Decimal] = _table(FUNCTIONAL_AMOUNTS)
    """Functional code (类, 款 or 项) → the scope's spending under it last year."""
    economic: dict[str, Decimal] = _table(ECONOMIC_AMOUNTS)
    """Economic code (类 or 款) → the scope's spending under it last year."""


@dataclass(frozen=True)
class PriorKinds(_Table):
    """[prior.kind]: last year's spending by code, for basic and for project spending apart."""

    basic: PriorScope = _section(PriorScope)
    """[prior.kind.basic]: 基本支出 last year, by code."""
    project: PriorScope = _section(PriorScope)
    """[prior.kind.project]: 项目支出 last year, by code."""


PRIOR_BY_FUND = Keyed("prior figures by fund", PriorScope, _fund_refusal)
"""A table of fund name → that fund's prior figures."""


@dataclass(frozen=True)
class Prior(_Table):
    """[prior]: the prior year's figures the narrative and the comparison set this year's beside."""

    year: int | None = _fact(COUNT)
    """The prior year (`check` warns when it is not the year before the budget's)."""
    total: Decimal | None = _fact(AMOUNT)
    """收支总预算 last year."""
    general_public: Decimal | None = _fact(AMOUNT)
    """一般公共预算 last year."""
    government_fund: Decimal | None = _fact(AMOUNT)
    """政府性基金预算 last year."""
    basic: Decimal | None = _fact(AMOUNT)
    """基本支出 last year."""
    project: Decimal | None = _fact(AMOUNT)
    """项目支出 last year."""
    personnel: Decimal | None = _fact(AMOUNT)
    """人员经费 last year."""
    operating: Decimal | None = _fact(AMOUNT)
    """公用经费 last year."""
    operating_costs: Decimal | None = _fact(AMOUNT)
    """机关运行经费 last year (上年执行数)."""
    functional: dict[str, Decimal] = _table(FUNCTIONAL_AMOUNTS)
    """[prior.functional]: all of last year's spending under a functional 类, 款 or 项 (3, 5 or 7 digits)."""
    economic: dict[str, Decimal] = _table(ECONOMIC_AMOUNTS)
    """[prior.economic]: all of last year's spending under an economic 类 or 款 (3 or 5 digits)."""
    kind: PriorKinds = _section(PriorKinds)
    """[prior.kind.basic] and [prior.kind.project]: last year's basic and project spending by code."""
    fund: dict[str, PriorScope] = _table(PRIOR_BY_FUND)
    """[prior.fund."一般公共预算"] and other funds: each fund's spending last year, by code."""
    three_public: PriorThreePublic = _section(PriorThreePublic)
    """[prior.three_public]: last year's 三公 items."""
    staffing: PriorStaffing = _section(PriorStaffing)
    """[prior.staffing]: last year's people."""


@dataclass(frozen=True)
class Procurement(_Table):
    """[procurement]: 政府采购, the planned government procurement."""

    goods: Decimal | None = _fact(AMOUNT)
    """货物: goods."""
    works: Decimal | None = _fact(AMOUNT)
    """工程: works."""
    services: Decimal | None = _fact(AMOUNT)
    """服务: services."""
    total: Decimal | None = _fact(AMOUNT)
    """The whole, when the file states it (checked against goods, works and services)."""
    sme_reserved: Decimal | None = _fact(AMOUNT)
    """面向中小企业预留: the amount reserved for small and medium enterprises."""
    small_micro_reserved: Decimal | None = _fact(AMOUNT)
    """面向小微企业预留: of that, the amount reserved for small and micro enterprises."""


@dataclass(frozen=True)
class Vehicle(_Table):
    """One kind of vehicle of [assets.vehicles]: `"一般公务用车" = { count = 1, value = 18.00 }`."""

    count: int | None = _fact(COUNT)
    """How many vehicles of the kind."""
    value: Decimal | None = _fact(AMOUNT)
    """Their value."""


@dataclass(frozen=True)
class Assets(_Table):
    """[assets]: 国有资产, the state assets the department occupies and uses."""

    as_of: str | None = _fact(DATE)
    """The day the figures are counted at (2019-12-31), as written."""
    building_area: Decimal | None = _fact(AMOUNT)
    """房屋面积 in square metres."""
    building_value: Decimal | None = _fact(AMOUNT)
    """房屋价值: the value of the buildings."""
    furniture_value: Decimal | None = _fact(AMOUNT)
    """办公家具价值: the value of office furniture."""
    other_value: Decimal | None = _fact(AMOUNT)
    """其他资产价值: the value of other assets."""
    equipment_over_500k: int | None = _fact(COUNT)
    """单位价值50万元以上大型设备: pieces of equipment worth more than 500,000 yuan each."""
    equipment_over_1m: int | None = _fact(COUNT)
    """单位价值100万元以上大型设备: pieces of equipment worth more than 1,000,000 yuan each."""
    planned_equipment_over_500k: int | None = _fact(COUNT)
    """购置50万元以上大型设备: pieces worth more than 500,000 yuan each that this year's budget buys (0: none)."""
    vehicles: dict[str, Vehicle] | None = _fact(VEHICLES)
    """[assets.vehicles]: vehicle kind → its count and value; None when the file has no such table."""


@dataclass(frozen=True)
class Performance(_Table):
    """[performance]: 预算绩效, performance management of the projects."""

    projects: int | None = _fact(COUNT)
    """The number of projects under performance management."""
    note: str | None = _fact(TEXT)
    """A sentence on performance management, printed after the count."""


@dataclass(frozen=True)
class ReasonsThreePublic(_Table):
    """[reasons.three_public]: why each 三公 item changed."""

    overseas: str | None = _fact(TEXT)
    """Why 因公出国（境）费 changed."""
    vehicle_purchase: str | None = _fact(TEXT)
    """Why 公务用车购置费 changed."""
    vehicle_operation: str | None = _fact(TEXT)
    """Why 公务用车运行费 changed."""
    reception: str | None = _fact(TEXT)
    """Why 公务接待费 changed."""


@dataclass(frozen=True)
class Reasons(_Table):
    """[reasons]: the human-written reasons of the narrative, without 主要原因是 (the document writes it)."""

    income: str | None = _fact(TEXT)
    """Why the income (收入预算) changed."""
    spending: str | None = _fact(TEXT)
    """Why the spending (支出预算) changed; with it the spending paragraph states the change."""
    basic: str | None = _fact(TEXT)
    """Why 基本支出 changed."""
    project: str | None = _fact(TEXT)
    """Why 项目支出 changed."""
    appropriation: str | None = _fact(TEXT)
    """Why 财政拨款 changed."""
    general_public: str | None = _fact(TEXT)
    """Why the 一般公共预算 appropriation changed."""
    government_fund: str | None = _fact(TEXT)
    """Why the 政府性基金预算 appropriation changed."""
    operating_costs: str | None = _fact(TEXT)
    """Why 机关运行经费 changed."""
    other: str | None = _fact(TEXT)
    """其他需说明的事项: anything else to say."""
    functional: dict[str, str] = _table(TEXTS_BY_KEY)
    """[reasons.functional]: 项 code → why its 一般公共预算 changed."""
    three_public: ReasonsThreePublic = _section(ReasonsThreePublic)
    """[reasons.three_public]: why each 三公 item changed."""


@dataclass(frozen=True)
class Stated(_Table):
    """[stated]: figures a published document states, checked against the lines."""

    total: Decimal | None = _fact(AMOUNT)
    """收支总预算 as published."""
    three_public: Decimal | None = _fact(AMOUNT)
    """“三公”经费 as published."""
    overseas: Decimal | None = _fact(AMOUNT)
    """因公出国（境）费 as published."""
    vehicle_purchase: Decimal | None = _fact(AMOUNT)
    """公务用车购置费 as published."""
    vehicle_operation: Decimal | None = _fact(AMOUNT)
    """公务用车运行费 as published."""
    reception: Decimal | None = _fact(AMOUNT)
    """公务接待费 as published."""
    operating_costs: Decimal | None = _fact(AMOUNT)
    """机关运行经费 as published."""
    personnel: Decimal | None = _fact(AMOUNT)
    """人员经费 as published."""
    operating: Decimal | None = _fact(AMOUNT)
    """公用经费 as published."""
    general_public: Decimal | None = _fact(AMOUNT)
    """一般公共预算 as published."""
    government_fund: Decimal | None = _fact(AMOUNT)
    """政府性基金预算 as published."""
    basic: Decimal | None = _fact(AMOUNT)
    """基本支出 as published."""
    project: Decimal | None = _fact(AMOUNT)
    """项目支出 as published."""
    amount: dict[str, Decimal] = _table(STATED_FIGURES)
    """[stated.amount]: a named figure or a code (functional: all spending; economic: 基本支出) → amount as published."""
    change: dict[str, Decimal] = _table(STATED_FIGURES)
    """[stated.change]: figure → change against last year as published, negative for a decrease (减少86.05: -86.05)."""
    rate: dict[str, Decimal] = _table(STATED_FIGURES)
    """[stated.rate]: figure → rate of change in percent as published, negative for a decrease (下降5%: -5)."""
    share: dict[str, Decimal] = _table(STATED_FIGURES)
    """[stated.share]: figure → its share in percent as published (占100%: 100)."""
    count: dict[str, int] = _table(STATED_COUNT_TABLE)
    """[stated.count]: count → as published (in_service = 58)."""


@dataclass(frozen=True)
class NarrativeFacts(_Table):
    """[narrative]: how the document's prose says things, where it differs from the tables."""

    names: dict[str, str] = _table(NAMES_BY_CODE)
    """[narrative.names]: code → the name the prose uses (基础性和奖励性绩效工资), where the tables print another."""


@dataclass(frozen=True)
class Facts:
    """Every fact table of a budget file; a section the file lacks holds only None and empty tables."""

    profile: Profile = _section(Profile)
    """[profile]"""
    staffing: Staffing = _section(Staffing)
    """[staffing]"""
    prior: Prior = _section(Prior)
    """[prior] and its sub-tables."""
    procurement: Procurement = _section(Procurement)
    """[procurement]"""
    assets: Assets = _section(Assets)
    """[assets] and [assets.vehicles]."""
    performance: Performance = _section(Performance)
    """[performance]"""
    reasons: Reasons = _section(Reasons)
    """[reasons] and its sub-tables."""
    stated: Stated = _section(Stated)
    """[stated]"""
    narrative: NarrativeFacts = _section(NarrativeFacts)
    """[narrative] and [narrative.names]."""
    given: frozenset[Path] = field(default=frozenset(), compare=False)
    """Key paths of the fact tables the file has, sections and sub-tables, even empty: ("prior",), ("prior", "functional")."""

    def sections(self) -> list[str]:
        """The fact sections the file has, in the order of the format."""
        return [name for name in FACT_SECTIONS if (name,) in self.given]

    def leaves(self) -> Iterator[tuple[Path, Any]]:
        """Every fact the file gives with its key path, section by section in the order of the format
        (a table of codes in the file's order); a list is one fact."""
        for name in FACT_SECTIONS:
            yield from _leaves(getattr(self, name), (name,))

    def amounts(self) -> Iterator[tuple[Path, Decimal]]:
        """Every amount among the facts, with its key path (signed figures such as stated changes are no amounts)."""
        return (
            (path, value)
            for path, value in self.leaves()
            if isinstance(value, Decimal) and path[:2] not in SIGNED_TABLES
        )

    def texts(self, sections: tuple[str, ...]) -> Iterator[tuple[Path, str]]:
        """Every text of these sections with its key path (each text of a list under the list's path)."""
        for path, value in self.leaves():
            if path[0] not in sections:
                continue
            if isinstance(value, str):
                yield path, value
            elif isinstance(value, list):
                for item in value:
                    yield path, item


def _leaves(value: Any, path: Path) -> Iterator[tuple[Path, Any]]:
    if is_dataclass(value):
        for item in fields(value):
            yield from _leaves(getattr(value, item.name), path + (item.name,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _leaves(item, path + (key,))
    elif value is not None:
        yield path, value


def fact_kinds(table: type) -> dict[str, Any]:
    """Key → kind of a fact table's fields (a kind name above, or the dataclass of a sub-table), in the format's order."""
    return {item.name: item.metadata[KIND] for item in fields(table) if KIND in item.metadata}


FACT_SECTIONS: dict[str, type] = fact_kinds(Facts)
"""Section name → its dataclass, in the order of the format."""


__all__ = [
    "AMOUNT",
    "AMOUNTS_BY_ITEM",
    "ECONOMIC_AMOUNTS",
    "FUNCTIONAL_AMOUNTS",
    "Keyed",
    "NarrativeFacts",
    "NAMES_BY_CODE",
    "PRIOR_BY_FUND",
    "PriorKinds",
    "PriorScope",
    "COUNT",
    "DATE",
    "FACT_SECTIONS",
    "TEXT",
    "TEXTS",
    "TEXTS_BY_KEY",
    "VEHICLES",
    "Assets",
    "Facts",
    "Performance",
    "Prior",
    "PriorStaffing",
    "PriorThreePublic",
    "Procurement",
    "Profile",
    "Reasons",
    "ReasonsThreePublic",
    "Staffing",
    "Stated",
    "Vehicle",
    "fact_kinds",
]
