"""The [prior] table of a budget file, typed: last year's figures (by functional and economic code at every level, by
kind and by fund), 三公 and staffing. budget_tui.core.priors answers questions of them; docs/format.md documents them.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from budget_tui.core.factkinds import (
    AMOUNT,
    COUNT,
    ECONOMIC_AMOUNTS,
    FUNCTIONAL_AMOUNTS,
    FactTable,
    Keyed,
    _fund_refusal,
    fact_field,
    section_field,
    table_field,
)


@dataclass(frozen=True)
class PriorThreePublic(FactTable):
    """[prior.three_public]: last year's 三公 figures, item by item."""

    overseas: Decimal | None = fact_field(AMOUNT)
    """因公出国（境）费: official trips abroad."""
    vehicle_purchase: Decimal | None = fact_field(AMOUNT)
    """公务用车购置费: purchase of official vehicles."""
    vehicle_operation: Decimal | None = fact_field(AMOUNT)
    """公务用车运行费: running official vehicles."""
    reception: Decimal | None = fact_field(AMOUNT)
    """公务接待费: official receptions."""


@dataclass(frozen=True)
class PriorStaffing(FactTable):
    """[prior.staffing]: last year's people, to say how many more or fewer there are."""

    in_service: int | None = fact_field(COUNT)
    """在职 last year."""
    retired: int | None = fact_field(COUNT)
    """退休 last year."""
    veteran: int | None = fact_field(COUNT)
    """离休 last year."""
    actual: int | None = fact_field(COUNT)
    """实有人数 last year."""


@dataclass(frozen=True)
class PriorScope(FactTable):
    """Last year's spending of one kind (基本支出 or 项目支出) or one fund, by code of either classification."""

    total: Decimal | None = fact_field(AMOUNT)
    """The scope's whole last year (for a kind or 一般公共预算 / 政府性基金预算 it must agree with [prior]'s figure)."""
    functional: dict[str, Decimal] = table_field(FUNCTIONAL_AMOUNTS)
    """Functional code (类, 款 or 项) → the scope's spending under it last year."""
    economic: dict[str, Decimal] = table_field(ECONOMIC_AMOUNTS)
    """Economic code (类 or 款) → the scope's spending under it last year."""


@dataclass(frozen=True)
class PriorKinds(FactTable):
    """[prior.kind]: last year's spending by code, for basic and for project spending apart."""

    basic: PriorScope = section_field(PriorScope)
    """[prior.kind.basic]: 基本支出 last year, by code."""
    project: PriorScope = section_field(PriorScope)
    """[prior.kind.project]: 项目支出 last year, by code."""


PRIOR_BY_FUND = Keyed("prior figures by fund", PriorScope, _fund_refusal)
"""A table of fund name → that fund's prior figures."""


@dataclass(frozen=True)
class Prior(FactTable):
    """[prior]: the prior year's figures the narrative and the comparison set this year's beside."""

    year: int | None = fact_field(COUNT)
    """The prior year (`check` warns when it is not the year before the budget's)."""
    total: Decimal | None = fact_field(AMOUNT)
    """收支总预算 last year."""
    general_public: Decimal | None = fact_field(AMOUNT)
    """一般公共预算 last year."""
    government_fund: Decimal | None = fact_field(AMOUNT)
    """政府性基金预算 last year."""
    basic: Decimal | None = fact_field(AMOUNT)
    """基本支出 last year."""
    project: Decimal | None = fact_field(AMOUNT)
    """项目支出 last year."""
    personnel: Decimal | None = fact_field(AMOUNT)
    """人员经费 last year."""
    operating: Decimal | None = fact_field(AMOUNT)
    """公用经费 last year."""
    operating_costs: Decimal | None = fact_field(AMOUNT)
    """机关运行经费 last year (上年执行数)."""
    functional: dict[str, Decimal] = table_field(FUNCTIONAL_AMOUNTS)
    """[prior.functional]: all of last year's spending under a functional 类, 款 or 项 (3, 5 or 7 digits)."""
    economic: dict[str, Decimal] = table_field(ECONOMIC_AMOUNTS)
    """[prior.economic]: all of last year's spending under an economic 类 or 款 (3 or 5 digits)."""
    kind: PriorKinds = section_field(PriorKinds)
    """[prior.kind.basic] and [prior.kind.project]: last year's basic and project spending by code."""
    fund: dict[str, PriorScope] = table_field(PRIOR_BY_FUND)
    """[prior.fund."一般公共预算"] and other funds: each fund's spending last year, by code."""
    three_public: PriorThreePublic = section_field(PriorThreePublic)
    """[prior.three_public]: last year's 三公 items."""
    staffing: PriorStaffing = section_field(PriorStaffing)
    """[prior.staffing]: last year's people."""


__all__ = ["PRIOR_BY_FUND", "Prior", "PriorKinds", "PriorScope", "PriorStaffing", "PriorThreePublic"]
