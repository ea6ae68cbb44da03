"""The kinds of value a fact table holds (amount, count, text, date, ...) and the tables keyed by code, fund or name,
each with the rule its keys follow (a refusal naming what to write instead). budget_tui.core.factmodel builds the fact
tables from these; the reader (budget_tui.files.factreader) checks each value by its kind.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields
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


def fact_field(kind: str) -> Any:
    return field(default=None, metadata={KIND: kind})


def table_field(kind: Any) -> Any:
    return field(default_factory=dict, metadata={KIND: kind})


def section_field(cls: type) -> Any:
    return field(default_factory=cls, metadata={KIND: cls})


class FactTable:
    """What every fact table can say of itself."""

    def as_dict(self) -> dict[str, Any]:
        """Field name (the TOML key) → value, in declaration order: for tables keyed like another table
        (三公 items, the stated figures beside the computed ones)."""
        return {item.name: getattr(self, item.name) for item in fields(self)}  # type: ignore[arg-type]
