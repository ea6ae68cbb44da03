"""Line numbers of TOML keys, found by a cheap scan of the text (tomllib reports none)."""

from __future__ import annotations

import json
import re
from sys import intern

from budget_tui.core.model import nearest  # noqa: F401 (the lookup is pure: core's checks use it too)

_PART = r'(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|\'[^\']*\')'
_KEY_LINE = re.compile(rf"[ \t]*({_PART}(?:[ \t]*\.[ \t]*{_PART})*)[ \t]*=[ \t]*(.*)")
_HEADER = re.compile(rf"[ \t]*(\[\[?)[ \t]*({_PART}(?:[ \t]*\.[ \t]*{_PART})*)[ \t]*\]\]?")
_PARTS = re.compile(_PART)
# The common line, `30101 = 335.04  # 基本工资`: a bare key and a value that opens nothing.
_SIMPLE_LINE = re.compile(r"[ \t]*([A-Za-z0-9_-]+)[ \t]*=[ \t]*[^\[{\"'\n]*")
_DEPTH = 8  # prefixes registered per header: a budget's paths are shallower; deeper ones are nonsense
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'')


def split_key(dotted: str) -> tuple[str, ...]:
    """`basic."2010301".30101` → ("basic", "2010301", "30101")."""
    parts = []
    for part in _PARTS.findall(dotted):
        if part[:1] == '"':
            try:
                part = json.loads(part)
            except ValueError:
                part = part[1:-1]
        elif part[:1] == "'":
            part = part[1:-1]
        parts.append(part)
    return tuple(parts)


def _open_brackets(value: str) -> int:
    """Brackets and braces a value leaves open at the end of its line (strings and comments ignored)."""
    text = _STRINGS.sub("", value).split("#", 1)[0]
    return text.count("[") + text.count("{") - text.count("]") - text.count("}")


def locate(text: str) -> dict[tuple[str, ...], int]:
    """Map every table header and key to its 1-based line; arrays of tables get their index."""
    locations: dict[tuple[str, ...], int] = {}
    array_counts: dict[tuple[str, ...], int] = {}
    table: tuple[str, ...] = ()
    open_brackets = 0
    closing_quotes: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        if closing_quotes:
            if closing_quotes in line:
                closing_quotes = None
            continue
        if open_brackets > 0:
            open_brackets += _open_brackets(line)
            continue
        simple = _SIMPLE_LINE.fullmatch(line)
        if simple:
            locations.setdefault(table + (intern(simple.group(1)),), number)  # one string per code
            continue
        stripped = line.lstrip()
        if not stripped or stripped[0] == "#":
            continue
        if stripped[0] == "[":
            match = _HEADER.match(line)
            if match:
                path = split_key(match.group(2))
                if match.group(1) == "[[":
                    index = array_counts.get(path, 0)
                    array_counts[path] = index + 1
                    path = path + (str(index),)
                table = _resolve_arrays(path, array_counts)
                for end in (*range(1, min(len(table), _DEPTH)), len(table)):  # [a.b.c] declares a, a.b too
                    locations.setdefault(table[:end], number)
            continue
        match = _KEY_LINE.match(line)
        if not match:
            continue
        key = table + split_key(match.group(1))
        for end in (*range(len(table) + 1, min(len(key), len(table) + _DEPTH)), len(key)):  # a.b = 1 declares a
            locations.setdefault(key[:end], number)
        value = match.group(2)
        for quotes in ('"""', "'''"):
            if value.startswith(quotes) and value.count(quotes) == 1:
                closing_quotes = quotes
                break
        else:
            open_brackets = _open_brackets(value)
    return locations


def _resolve_arrays(path: tuple[str, ...], array_counts: dict[tuple[str, ...], int]) -> tuple[str, ...]:
    """Insert the current index after each array-of-tables prefix: projects.lines → projects.2.lines."""
    if not array_counts:
        return path
    resolved: list[str] = []
    for i, part in enumerate(path[:_DEPTH]):
        resolved.append(part)
        prefix = path[: i + 1]
        if prefix in array_counts and i + 1 < len(path) and not path[i + 1].isdigit():
            resolved.append(str(array_counts[prefix] - 1))
    return tuple(resolved) + path[_DEPTH:]
