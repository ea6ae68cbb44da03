"""Reading the fact tables of a budget file ([profile], [staffing], [prior], [procurement], ...): each table as its
dataclass of budget_tui.core.factmodel, every key known and every value of its kind, anything wrong named with its line.

The schema (which tables, which keys, which kind of value) is the dataclasses of budget_tui.core.factmodel; this module
checks and converts the values. The rest of a file (department, names, lines, projects) is read by
budget_tui.files.reader, which hands itself in as the `reader` that names lines and reads amounts.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any, Protocol

from budget_tui.core.factmodel import (
    AMOUNT,
    AMOUNTS_BY_ITEM,
    COUNT,
    DATE,
    FACT_SECTIONS,
    TEXT,
    TEXTS,
    TEXTS_BY_KEY,
    VEHICLES,
    Facts,
    Vehicle,
    fact_kinds,
)
from budget_tui.core.money import quoted
from budget_tui.i18n import _

MAX_COUNT = 10**9
"""The largest count (people, units, vehicles, projects, a year) a file may state: beyond it is a typing mistake."""
FUNCTIONAL_ITEM = re.compile(r"[0-9]{7}", re.ASCII)
"""A functional 项 code: 7 digits."""


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
    if kind in (AMOUNTS_BY_ITEM, TEXTS_BY_KEY):
        if not isinstance(item, dict):
            raise reader.error(where, _("[{table}] must be a table").format(table=label))
        given.add(where)
        if kind == AMOUNTS_BY_ITEM:
            for code in item:
                if not FUNCTIONAL_ITEM.fullmatch(code):
                    raise reader.error(
                        where + (code,),
                        _("{code} in [{table}] is not a 7-digit functional 项 code; only 项 figures are read "
                          "there (a prior figure by 类 or 款 cannot be used yet): give the prior figure of each 项, "
                          "such as 2010301 = 95.00, or remove this line").format(code=quoted(code), table=label),
                    )
        inner = AMOUNT if kind == AMOUNTS_BY_ITEM else TEXT
        return {str(k): fact(reader, where + (k,), v, inner, given) for k, v in item.items()}
    if kind == VEHICLES:
        if not isinstance(item, dict):
            raise reader.error(where, _("[{table}] must be a table of kind = {{ count = …, value = … }}").format(table=label))
        given.add(where)
        return {k: facts(reader, where + (k,), v, Vehicle, given) for k, v in item.items()}
    raise AssertionError(kind)
