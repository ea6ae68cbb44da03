"""Reading the fact tables of a budget file ([profile], [staffing], [prior], [procurement], ...): each table as its
dataclass of budget_tui.core.factmodel, every key known and every value of its kind, anything wrong named with its line.

The schema (which tables, which keys, which kind of value) is the dataclasses of budget_tui.core.factmodel; this module
checks and converts the values. The rest of a file (department, names, lines, projects) is read by
budget_tui.files.reader, which hands itself in as the `reader` that names lines and reads amounts.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Protocol

from budget_tui.core.factmodel import (
    AMOUNT,
    COUNT,
    DATE,
    FACT_SECTIONS,
    TEXT,
    TEXTS,
    TEXTS_BY_KEY,
    VEHICLES,
    Facts,
    Keyed,
    Vehicle,
    fact_kinds,
)
from budget_tui.i18n import _

MAX_COUNT = 10**9
"""The largest count (people, units, vehicles, projects, a year) a file may state: beyond it is a typing mistake."""


class Locating(Protocol):
    """What reading facts needs from the file reader: an error naming the line of a key path, and the one amount rule."""

    def error(self, key_path: tuple[str, ...], message: str) -> Exception: ...

    def amount(self, where: tuple[str, ...], value: Any) -> Decimal: ...


def read_facts(reader: Locating, raw: dict) -> Facts:
    """The fact tables the parsed file holds, and every key path it gives (Facts.given)."""
    given: set[tuple[str, ...]] = set()
    sections = {name: facts(reader, (name,), raw[name], table, given) for name, table in FACT_SECTIONS.items() if name in raw}
    return Facts(**sections, given=frozenset(given))


def facts(reader: Locating, where: tuple[str, ...], value, table: type, given: set[tuple[str, ...]]):
    """A fact table as its dataclass (budget_tui.core.factmodel), every key known and every value of its kind."""
    if not isinstance(value, dict):
        raise reader.error(where, _("[{table}] must be a table").format(table=".".join(where)))
    given.add(where)
    kinds = fact_kinds(table)
    values = {}
    for key, item in value.items():
        here = where + (key,)
        kind = kinds.get(key)
        if kind is None:
            raise reader.error(here, _("unknown key {key!r} in [{table}]; the keys are: {keys}").format(
                key=key, table=".".join(where), keys=", ".join(kinds)
            ))
        values[key] = fact(reader, here, item, kind, given)
    return table(**values)


def fact(reader: Locating, where: tuple[str, ...], item, kind, given: set[tuple[str, ...]]):
    if isinstance(kind, type):
        return facts(reader, where, item, kind, given)
    label = ".".join(where)
    if kind == AMOUNT:
        return reader.amount(where, item)
    if kind == COUNT:
        if not isinstance(item, int) or isinstance(item, bool) or item < 0:
            raise reader.error(where, _("{key} must be a whole number such as 58").format(key=label))
        if item > MAX_COUNT:
            raise reader.error(where, _("{key} is more than {limit}, which no count of a department reaches; "
                                 "write a whole number such as 58").format(key=label, limit=f"{MAX_COUNT:,}"))
        return item
    if kind == TEXT:
        if not isinstance(item, str):
            raise reader.error(where, _("{key} must be text in quotes").format(key=label))
        return item
    if kind == DATE:
        if not isinstance(item, (str, dt.date)):
            raise reader.error(where, _("{key} must be a date such as 2019-12-31").format(key=label))
        return str(item)
    if kind == TEXTS:
        if not isinstance(item, list) or not all(isinstance(x, str) for x in item):
            raise reader.error(where, _("{key} must be a list of texts: [\"…\", \"…\"]").format(key=label))
        return item
    if isinstance(kind, Keyed) or kind == TEXTS_BY_KEY:  # a table of key → value; a Keyed table's keys have a rule
        if not isinstance(item, dict):
            raise reader.error(where, _("[{table}] must be a table").format(table=label))
        given.add(where)
        for key in item if isinstance(kind, Keyed) else ():
            refusal = kind.refusal(str(key), label)
            if refusal:
                raise reader.error(where + (key,), refusal)
        inner = kind.value if isinstance(kind, Keyed) else TEXT
        return {str(k): fact(reader, where + (k,), v, inner, given) for k, v in item.items()}
    if kind == VEHICLES:
        if not isinstance(item, dict):
            raise reader.error(where, _("[{table}] must be a table of kind = {{ count = …, value = … }}").format(table=label))
        given.add(where)
        return {k: facts(reader, where + (k,), v, Vehicle, given) for k, v in item.items()}
    raise AssertionError(kind)
