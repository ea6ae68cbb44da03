"""The three private parts of tomlkit that saving in place needs, in one place.

tomlkit has no public way to (1) reach the parts of a table split across the file (an out-of-order
table), (2) empty a whitespace item so a removed key leaves no stray separator, or (3) insert a key
after a given key in a table, which keeps a new line in code order. Each is used through this module
only; tests/unit/test_tomlkit_shim.py fails if a tomlkit release changes one of them, and
pyproject.toml pins the tomlkit series these were checked with.
"""

from __future__ import annotations

from typing import Any

from tomlkit.container import OutOfOrderTableProxy
from tomlkit.items import Item, Table, Whitespace


def table_parts(proxy: OutOfOrderTableProxy) -> list[Any]:
    """The tables an out-of-order table is written as, in file order."""
    return list(proxy._tables)


def blank(whitespace: Item) -> None:
    """Make a whitespace item print as nothing."""
    assert isinstance(whitespace, Whitespace)
    whitespace._s = ""


def insert_after(table: Table, previous: str, key: str, item: Item) -> None:
    """Put key = item right after the key previous in table (tomlkit's public API only appends)."""
    table.value._insert_after(previous, key, item)
