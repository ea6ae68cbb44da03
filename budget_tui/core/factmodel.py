"""The facts of a budget file that no line can give, typed: one dataclass per table of docs/format.md.

`Facts` holds a section per fact table of the file ([profile], [staffing], [prior], [procurement],
[assets], [performance], [reasons], [stated]). Every field is named as its TOML key, so the key path
of `facts.prior.three_public.overseas` is ("prior", "three_public", "overseas"): that path names the
fact in messages and gives its line (`budget_tui.core.problems.fact_line`, from the file's
`Source.locations`).

A field the file does not give is None (a table of codes is empty); `Facts.given` says which tables
the file has, even empty ones. The kind of each field (amount, count, text...) is in its metadata:
the loader (budget_tui.files.fileformat) reads the schema from here, checks each value's type and
limits with its line, and refuses any other key. The kinds of value and the keyed tables are in
budget_tui.core.factkinds; the [prior] table in budget_tui.core.factprior.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from decimal import Decimal
from typing import Any

from budget_tui.core.factkinds import (
    AMOUNT,
    AMOUNTS_BY_ITEM,
    COUNT,
    DATE,
    ECONOMIC_AMOUNTS,
    FUNCTIONAL_AMOUNTS,
    KIND,
    NAMES_BY_CODE,
    SIGNED_TABLES,
    STATED_COUNT_TABLE,
    STATED_FIGURES,
    TEXT,
    TEXTS,
    TEXTS_BY_KEY,
    VEHICLES,
    FactTable,
    Keyed,
    Path,
    fact_field,
    section_field,
    table_field,
)
from budget_tui.core.factprior import (
    PRIOR_BY_FUND,
    Prior,
    PriorKinds,
    PriorScope,
    PriorStaffing,
    PriorThreePublic,
)


@dataclass(frozen=True)
class Profile(FactTable):
    """[profile]: what the department is (part 1 of the document)."""

    functions: list[str] | None = fact_field(TEXTS)
    """主要职能: one text per function, printed as a numbered list."""
    offices: list[str] | None = fact_field(TEXTS)
    """内设科室: the internal offices; an empty list says there are none."""
    subordinate_units: int | None = fact_field(COUNT)
    """下属预算单位: the number of subordinate budget units (0: none)."""
    administrative_units: int | None = fact_field(COUNT)
    """部门构成: the number of 行政单位 the department's budget covers (1家行政单位)."""
    managed_units: int | None = fact_field(COUNT)
    """部门构成: the number of 参照公务员法管理事业单位 it covers."""
    institutional_units: int | None = fact_field(COUNT)
    """部门构成: the number of 事业单位 it covers."""
    note: str | None = fact_field(TEXT)
    """A free note on the profile."""


@dataclass(frozen=True)
class Staffing(FactTable):
    """[staffing]: authorized posts (编制) and people this year."""

    administrative: int | None = fact_field(COUNT)
    """行政编制: administrative posts."""
    logistics: int | None = fact_field(COUNT)
    """机关工勤编制: logistics posts of the office."""
    institutional: int | None = fact_field(COUNT)
    """事业编制: posts of public institutions."""
    authorized: int | None = fact_field(COUNT)
    """编制数: all authorized posts, when the file states it (checked against the three kinds)."""
    actual: int | None = fact_field(COUNT)
    """实有人数: people actually employed."""
    in_service: int | None = fact_field(COUNT)
    """在职: people in service."""
    retired: int | None = fact_field(COUNT)
    """退休: retired people the department pays."""
    veteran: int | None = fact_field(COUNT)
    """离休: cadres retired under the 离休 rules (who joined the revolution before October 1949) the department pays."""
    note: str | None = fact_field(TEXT)
    """Why 在职 is below 实有人数 (1人长期工伤，不在岗): printed as the reason of the difference."""


@dataclass(frozen=True)
class Procurement(FactTable):
    """[procurement]: 政府采购, the planned government procurement."""

    goods: Decimal | None = fact_field(AMOUNT)
    """货物: goods."""
    works: Decimal | None = fact_field(AMOUNT)
    """工程: works."""
    services: Decimal | None = fact_field(AMOUNT)
    """服务: services."""
    total: Decimal | None = fact_field(AMOUNT)
    """The whole, when the file states it (checked against goods, works and services)."""
    sme_reserved: Decimal | None = fact_field(AMOUNT)
    """面向中小企业预留: the amount reserved for small and medium enterprises."""
    small_micro_reserved: Decimal | None = fact_field(AMOUNT)
    """面向小微企业预留: of that, the amount reserved for small and micro enterprises."""


@dataclass(frozen=True)
class Vehicle(FactTable):
    """One kind of vehicle of [assets.vehicles]: `"一般公务用车" = { count = 1, value = 18.00 }`."""

    count: int | None = fact_field(COUNT)
    """How many vehicles of the kind."""
    value: Decimal | None = fact_field(AMOUNT)
    """Their value."""


@dataclass(frozen=True)
class Assets(FactTable):
    """[assets]: 国有资产, the state assets the department occupies and uses."""

    as_of: str | None = fact_field(DATE)
    """The day the figures are counted at (2019-12-31), as written."""
    building_area: Decimal | None = fact_field(AMOUNT)
    """房屋面积 in square metres."""
    building_value: Decimal | None = fact_field(AMOUNT)
    """房屋价值: the value of the buildings."""
    furniture_value: Decimal | None = fact_field(AMOUNT)
    """办公家具价值: the value of office furniture."""
    other_value: Decimal | None = fact_field(AMOUNT)
    """其他资产价值: the value of other assets."""
    equipment_over_500k: int | None = fact_field(COUNT)
    """单位价值50万元以上大型设备: pieces of equipment worth more than 500,000 yuan each."""
    equipment_over_1m: int | None = fact_field(COUNT)
    """单位价值100万元以上大型设备: pieces of equipment worth more than 1,000,000 yuan each."""
    planned_equipment_over_500k: int | None = fact_field(COUNT)
    """购置50万元以上大型设备: pieces worth more than 500,000 yuan each that this year's budget buys (0: none)."""
    vehicles: dict[str, Vehicle] | None = fact_field(VEHICLES)
    """[assets.vehicles]: vehicle kind → its count and value; None when the file has no such table."""


@dataclass(frozen=True)
class Performance(FactTable):
    """[performance]: 预算绩效, performance management of the projects."""

    projects: int | None = fact_field(COUNT)
    """The number of projects under performance management."""
    note: str | None = fact_field(TEXT)
    """A sentence on performance management, printed after the count."""


@dataclass(frozen=True)
class ReasonsThreePublic(FactTable):
    """[reasons.three_public]: why each 三公 item changed."""

    overseas: str | None = fact_field(TEXT)
    """Why 因公出国（境）费 changed."""
    vehicle_purchase: str | None = fact_field(TEXT)
    """Why 公务用车购置费 changed."""
    vehicle_operation: str | None = fact_field(TEXT)
    """Why 公务用车运行费 changed."""
    reception: str | None = fact_field(TEXT)
    """Why 公务接待费 changed."""


@dataclass(frozen=True)
class Reasons(FactTable):
    """[reasons]: the human-written reasons of the narrative, without 主要原因是 (the document writes it)."""

    income: str | None = fact_field(TEXT)
    """Why the income (收入预算) changed."""
    spending: str | None = fact_field(TEXT)
    """Why the spending (支出预算) changed; with it the spending paragraph states the change."""
    basic: str | None = fact_field(TEXT)
    """Why 基本支出 changed."""
    project: str | None = fact_field(TEXT)
    """Why 项目支出 changed."""
    appropriation: str | None = fact_field(TEXT)
    """Why 财政拨款 changed."""
    general_public: str | None = fact_field(TEXT)
    """Why the 一般公共预算 appropriation changed."""
    government_fund: str | None = fact_field(TEXT)
    """Why the 政府性基金预算 appropriation changed."""
    operating_costs: str | None = fact_field(TEXT)
    """Why 机关运行经费 changed."""
    other: str | None = fact_field(TEXT)
    """其他需说明的事项: anything else to say."""
    functional: dict[str, str] = table_field(TEXTS_BY_KEY)
    """[reasons.functional]: 项 code → why its 一般公共预算 changed."""
    three_public: ReasonsThreePublic = section_field(ReasonsThreePublic)
    """[reasons.three_public]: why each 三公 item changed."""


@dataclass(frozen=True)
class Stated(FactTable):
    """[stated]: figures a published document states, checked against the lines."""

    total: Decimal | None = fact_field(AMOUNT)
    """收支总预算 as published."""
    three_public: Decimal | None = fact_field(AMOUNT)
    """“三公”经费 as published."""
    overseas: Decimal | None = fact_field(AMOUNT)
    """因公出国（境）费 as published."""
    vehicle_purchase: Decimal | None = fact_field(AMOUNT)
    """公务用车购置费 as published."""
    vehicle_operation: Decimal | None = fact_field(AMOUNT)
    """公务用车运行费 as published."""
    reception: Decimal | None = fact_field(AMOUNT)
    """公务接待费 as published."""
    operating_costs: Decimal | None = fact_field(AMOUNT)
    """机关运行经费 as published."""
    personnel: Decimal | None = fact_field(AMOUNT)
    """人员经费 as published."""
    operating: Decimal | None = fact_field(AMOUNT)
    """公用经费 as published."""
    general_public: Decimal | None = fact_field(AMOUNT)
    """一般公共预算 as published."""
    government_fund: Decimal | None = fact_field(AMOUNT)
    """政府性基金预算 as published."""
    basic: Decimal | None = fact_field(AMOUNT)
    """基本支出 as published."""
    project: Decimal | None = fact_field(AMOUNT)
    """项目支出 as published."""
    amount: dict[str, Decimal] = table_field(STATED_FIGURES)
    """[stated.amount]: a named figure or a code (functional: all spending; economic: 基本支出) → amount as published."""
    change: dict[str, Decimal] = table_field(STATED_FIGURES)
    """[stated.change]: figure → change against last year as published, negative for a decrease (减少86.05: -86.05)."""
    rate: dict[str, Decimal] = table_field(STATED_FIGURES)
    """[stated.rate]: figure → rate of change in percent as published, negative for a decrease (下降5%: -5)."""
    share: dict[str, Decimal] = table_field(STATED_FIGURES)
    """[stated.share]: figure → its share in percent as published (占100%: 100)."""
    count: dict[str, int] = table_field(STATED_COUNT_TABLE)
    """[stated.count]: count → as published (in_service = 58)."""


@dataclass(frozen=True)
class NarrativeFacts(FactTable):
    """[narrative]: how the document's prose says things, where it differs from the tables."""

    names: dict[str, str] = table_field(NAMES_BY_CODE)
    """[narrative.names]: code → the name the prose uses (基础性和奖励性绩效工资), where the tables print another."""


@dataclass(frozen=True)
class Facts:
    """Every fact table of a budget file; a section the file lacks holds only None and empty tables."""

    profile: Profile = section_field(Profile)
    """[profile]"""
    staffing: Staffing = section_field(Staffing)
    """[staffing]"""
    prior: Prior = section_field(Prior)
    """[prior] and its sub-tables."""
    procurement: Procurement = section_field(Procurement)
    """[procurement]"""
    assets: Assets = section_field(Assets)
    """[assets] and [assets.vehicles]."""
    performance: Performance = section_field(Performance)
    """[performance]"""
    reasons: Reasons = section_field(Reasons)
    """[reasons] and its sub-tables."""
    stated: Stated = section_field(Stated)
    """[stated]"""
    narrative: NarrativeFacts = section_field(NarrativeFacts)
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
