"""A save of amount edits without tomlkit: each amount's text replaced where it stands, and proven by re-reading.

tomlkit parses a budget file about fifteen times slower than the reader (5 s for one file of 50,000 lines), and an
amount edit needs none of it: the loader knows the line of every key (Source.locations, kept up to date by every
save), and what tomlkit writes for a plain `30101 = 335.04  # comment` whose amount changed is that very line with
the number's text replaced by format_amount of the new amount (key, spacing, comment and line ending as they were).
So an amount edit is written here by replacing exactly that text in the bytes, in time proportional to the edits.

Each replaced line is proven before anything is written: the line as it stands reads (with the reader, tomli), on
its own, as exactly `code = old amount`, and the new line as `code = new amount`; the line is the one the loader
located for the key path of that line (the [basic.项] or [basic.项.fund] table, or the [[projects]] entry of that
name, 项 and fund), and every other byte of the file is left as it was. Anything else, and any file where the line
numbers could be counted otherwise (line separators other than \\n and \\r\\n), goes to tomlkit (files/inplace.py):
additions, deletions, recodes, attribute or comment changes, inline tables, dotted keys, projects written as an
array.
"""

from __future__ import annotations

import re
from decimal import Decimal

import tomli

from budget_tui.core.model import Fund, Kind, Line, Source
from budget_tui.core.money import format_amount

_KEY = r'(?:[A-Za-z0-9_-]+|"[^"\\\r\n]*"|\'[^\'\r\n]*\')'
_LINE = re.compile(rf"([ \t]*{_KEY}[ \t]*=[ \t]*)([^ \t#\r\n]+)([ \t]*(?:#[^\r\n]*)?)")
"""A key = value line: what comes before the number, the number's text, and the spaces and comment after it."""
_OTHER_SEPARATORS = (b"\x0b", b"\x0c", b"\x1c", b"\x1d", b"\x1e", "\x85".encode(), "\u2028".encode(), "\u2029".encode())
"""Characters that str.splitlines (which numbered the loader's lines) counts as line ends, and TOML does not."""

Change = tuple[Line | None, Line | None]


def is_amount_edit(old: Line | None, new: Line | None) -> bool:
    """True when a change sets only the amount of a line the file has where it stands (no attribute, no comment to
    write): what replace_amounts may write."""
    return (
        old is not None
        and new is not None
        and old.key == new.key
        and old.category_override == new.category_override
        and old.name == new.name
    )


def replace_amounts(source: Source, changes: list[Change]) -> bytes | None:
    """The file's new bytes with each amount edit's number replaced, proven line by line (see the module); None when
    a change is not a plain amount edit or a line cannot be proven: the caller then writes through tomlkit."""
    if not changes or not all(is_amount_edit(old, new) for old, new in changes):
        return None
    data = source.data
    if not _numbered_by_newlines(data):
        return None
    places: dict[int, tuple[Line, Line]] = {}
    for old, new in changes:
        assert old is not None and new is not None  # is_amount_edit
        if new.amount == old.amount:  # the same number (5.0 and 5.00): the writer leaves its text as it is
            continue
        number = _line_number(source, old)
        if number is None or number in places:
            return None
        places[number] = (old, new)
    starts = _line_starts(data, places)
    if starts is None:
        return None
    pieces: list[bytes] = []
    kept = 0  # the bytes before this are in pieces
    for target in sorted(places):
        start = starts[target]
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end
        if end > start and data[end - 1 : end] == b"\r":
            end -= 1
        replaced = _replaced(data[start:end], *places[target])
        if replaced is None:
            return None
        pieces += [data[kept:start], replaced]
        kept = end
    pieces.append(data[kept:])
    if len(pieces) == 1:
        return None
    result = b"".join(pieces)
    global _NUMBERED  # noqa: PLW0603 - see _numbered_by_newlines
    _NUMBERED = result  # only ASCII numbers replaced between ASCII bytes: its line ends are the old file's
    return result


_NUMBERED: bytes | None = None
"""The bytes last found numbered by newlines alone (the file last saved here), so that the next save of the same
file need not scan its megabytes again (three of the separators take 2 ms each to look for in 2.3 MB of CJK text)."""


def _numbered_by_newlines(data: bytes) -> bool:
    """True when the loader's line numbers (str.splitlines) count the same lines as \n does: every \r is part of
    a \r\n and no other separator str.splitlines knows is in the file."""
    global _NUMBERED  # noqa: PLW0603 - one file's verdict kept, the bytes themselves as its key
    if data is _NUMBERED:
        return True
    if (b"\r" in data and data.count(b"\r") != data.count(b"\r\n")) or any(separator in data for separator in _OTHER_SEPARATORS):
        return False
    _NUMBERED = data
    return True


def _line_starts(data: bytes, numbers) -> dict[int, int] | None:
    """The byte where each of these (1-based) lines starts; None when the file has fewer lines.

    The newlines before a line are counted in C over spans sized by the file's average line length (a span that
    holds too many is halved), and the last few are found one by one, each line from the one before: a few counts
    over about twice the bytes before the last line, where a split or a loop of finds would make an object or a
    Python step per line (tens of ms deep in a large file).
    """
    sample = min(len(data), 65536)
    average = max(1, sample // (data.count(b"\n", 0, sample) + 1))
    starts: dict[int, int] = {}
    position, line = 0, 1  # the byte where this line starts
    for number in sorted(numbers):
        if number < 1:
            return None
        left = number - line  # newlines still to pass
        span = left * average
        while left > 16:
            if position >= len(data):
                return None
            end = min(len(data), position + max(span, 1))
            found = data.count(b"\n", position, end)
            if found < left:
                position, left = end, left - found
                span = left * average
            else:
                span //= 2
        while left:
            found = data.find(b"\n", position)
            if found < 0:
                return None
            position, left = found + 1, left - 1
        line = number
        starts[number] = position
    return starts


def _line_number(source: Source, line: Line) -> int | None:
    """The line of the file where the loader found this line's amount (None when it cannot be told for sure)."""
    locations = source.locations
    if line.kind is Kind.BASIC:
        path: tuple[str, ...] = ("basic", line.functional)
        path += (line.economic,) if line.fund is Fund.GENERAL else (line.fund.value, line.economic)
        return locations.get(path)
    # A project's entry has no name in the key paths ([[projects]] are numbered): the line read at load is the hint,
    # and it counts only when it is where the loader located this economic code of the entry the hint falls in, and
    # that entry is the line's project (its name, 项 and fund read back from their own lines).
    number = line.file_line
    entry = _entry_at(locations, number)
    if entry is None:
        return None
    if locations.get(("projects", entry, line.economic)) != number:
        return None
    where = {key: locations.get(("projects", entry, key)) for key in ("name", "functional", "fund")}
    starts = _line_starts(source.data, [number for number in where.values() if number is not None])
    if starts is None:
        return None
    identity = {key: None if number is None else _value_alone(source.data, starts[number]) for key, number in where.items()}
    if where["fund"] is None:
        identity["fund"] = Fund.GENERAL.value
    if identity != {"name": line.project, "functional": line.functional, "fund": line.fund.value}:
        return None
    return number


def _entry_at(locations: dict[tuple[str, ...], int], number: int) -> str | None:
    """The [[projects]] entry (its number in the key paths) whose header is the last at or before this line: entries
    are numbered in the file's order, so a binary search over their numbers finds it in a few lookups."""

    def before(index: int) -> bool:
        header = locations.get(("projects", str(index)))
        return header is not None and header <= number

    if number <= 0 or not before(0):
        return None
    low, high = 0, 1
    while before(high):
        low, high = high, high * 2
    while high - low > 1:  # before(low), and not before(high)
        middle = (low + high) // 2
        low, high = (middle, high) if before(middle) else (low, middle)
    return str(low)


def _value_alone(data: bytes, start: int) -> object:
    """The value of the key = value line that starts at this byte, read on its own (None when it is not one)."""
    end = data.find(b"\n", start)
    read = _read_alone(data[start : len(data) if end < 0 else end].removesuffix(b"\r"))
    return None if read is None else read[1]


def _read_alone(text: bytes) -> tuple[str, object] | None:
    """A line read on its own: (key, value) when it is exactly one key = value, else None."""
    try:
        table = tomli.loads(text.removeprefix(b"\xef\xbb\xbf").decode("utf-8"), parse_float=Decimal)
    except (tomli.TOMLDecodeError, UnicodeDecodeError, ValueError, ArithmeticError):
        return None
    if len(table) != 1:
        return None
    ((key, value),) = table.items()
    return key, value


def _replaced(text: bytes, old: Line, new: Line) -> bytes | None:
    """The line with the old amount's text replaced by the new amount as the writer spells it, or None unless the
    line reads on its own as `code = old amount` and the result as `code = new amount`."""
    match = _LINE.fullmatch(text.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace"))
    if match is None or not _is_amount(_read_alone(text), old):
        return None
    if new.comment is not None and match.group(3).lstrip(" \t") != new.comment:
        return None  # a comment to write (one this session had put elsewhere): the writer's job
    head = text[: len(text) - len(match.group(0).encode("utf-8"))]  # a byte order mark on the first line
    result = head + (match.group(1) + format_amount(new.amount) + match.group(3)).encode("utf-8")
    if not _is_amount(_read_alone(result), new):
        return None
    return result


def _is_amount(read: tuple[str, object] | None, line: Line) -> bool:
    """True when a line read on its own is `line's economic code = line's amount` (a number, not text)."""
    if read is None or read[0] != line.economic:
        return False
    value = read[1]
    return isinstance(value, (int, Decimal)) and not isinstance(value, bool) and value == line.amount
