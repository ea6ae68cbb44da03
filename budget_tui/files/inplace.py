"""Editing a budget file's text in place with tomlkit: only the changed lines' text changes.

tomlkit keeps comments, order and layout, so a save without edits is byte-identical and an edit
changes only its own line. It parses about fifteen times slower than the reader, so it is used only
when a save is about to happen.
"""

from __future__ import annotations

from pathlib import Path

import tomlkit
from tomlkit.container import Container, OutOfOrderTableProxy
from tomlkit.items import Array, Float, InlineTable, Null, Table, Trivia, Whitespace

from budget_tui.core.editing import carried_comment
from budget_tui.core.model import Fund, Kind, Line, Source
from budget_tui.core.money import format_amount
from budget_tui.core.safetext import OneLineMessage
from budget_tui.files.fileformat import BOM, decode
from budget_tui.files.tomlkit_shim import blank, insert_after, table_parts
from budget_tui.i18n import _


class SaveError(OneLineMessage):
    """A save that did not happen; the file on disk is unchanged and the edits are still in memory (one clean line)."""


def render(
    source: Source,
    changes: list[tuple[Line | None, Line | None]],
    unit_names: dict[str, str] | None = None,
    keep_layout: bool = True,
) -> bytes:
    """The file's new bytes: the loaded bytes with the changed lines rewritten, and nothing else.

    A line is written whole: its amount, its attributes (category, name) and its comment. A line that moves to
    another key (recoded, or put back) takes its comment along; one written where it already stands keeps the
    file's own layout (a plain amount, an inline table, dotted keys or a table of its own).

    Raises SaveError, naming the file and line, when the writer cannot keep the rest of the file as it is (tomlkit
    moves tables that an array of tables splits, e.g. [[projects]], [names], [[projects]]); keep_layout=False (a
    save under another name) accepts the tables moved together.
    """
    if not changes:
        return source.data
    text = decode(source.data, source.path)
    newline = "\r\n" if "\r\n" in text else "\n"
    document = tomlkit.parse(text)
    if keep_layout:
        _check_layout(document.as_string(), text, source.path)
    try:
        _edit(document, changes, newline, unit_names or {})
    except SaveError as error:
        raise SaveError(_("{path}: {error}; nothing was written, the edits are kept").format(path=source.path, error=error)) from None
    data = document.as_string().encode("utf-8")
    return BOM + data if source.data.startswith(BOM) else data


def _check_layout(written: str, text: str, path: Path) -> None:
    """Refuse a file that the writer would not give back as it is, naming the first line it would move."""
    if written == text:
        return
    old, new = text.splitlines(), written.splitlines()
    line = next((number for number, (a, b) in enumerate(zip(old, new), 1) if a != b), min(len(old), len(new)) + 1)
    raise SaveError(
        _(
            "{path}:{line}: this file's layout cannot be kept by the writer (tables split by an array of tables such as "
            "[[projects]] would move together); nothing was written, the edits are kept. Save under another name, or "
            "put the split tables together and reload"
        ).format(path=path, line=line)
    )


def _edit(document, changes: list[tuple[Line | None, Line | None]], newline: str, names: dict[str, str]) -> None:
    """Apply the changes to the parsed document."""
    moved: dict = {}
    """The comment of a line removed from its key, by the key its line moves to."""
    for old, new in changes:
        if old is not None and (new is None or old.key != new.key):
            comment = _remove(document, old)
            if new is not None:
                moved[new.key] = carried_comment(comment, names.get(old.economic, ""), names.get(new.economic, ""))
    for old, new in changes:
        if new is not None:
            _write(document, old if old is not None and old.key == new.key else None, new, newline, names, moved)


def _child(parent, key: str, create: bool, where: str, flat: bool):
    """parent[key], made when create and missing, and whether it is written without a [header] of its own.

    A table inside an inline table or written with dotted keys (`2010301.30101 = …`) gets its new sub-tables as
    inline tables (`2010301."事业收入" = { … }`): a [header] there would take the rows after it.
    """
    if key in parent:
        child = parent[key]
        return child, flat or isinstance(child, InlineTable) or _dotted(parent, key)
    if not create:
        raise SaveError(_("{table} is not in the file").format(table=where))
    flat = flat or isinstance(parent, InlineTable)
    child = tomlkit.inline_table() if flat else tomlkit.table()
    if isinstance(parent, InlineTable):
        child.trivia.indent = _separator(parent)
    parent[key] = child
    return parent[key], flat


def _dotted(parent, key: str) -> bool:
    """True when parent holds key as a dotted key (`key.sub = …`)."""
    parts = table_parts(parent) if isinstance(parent, OutOfOrderTableProxy) else [parent]
    for part in parts:
        container = part if isinstance(part, Container) else getattr(part, "value", None)
        for other, _item in getattr(container, "body", ()):
            if other is not None and other.key == key and other.is_dotted():
                return True
    return False


def _table(document, line: Line, create: bool):
    """The TOML table that holds a line: a table, an inline table or the merged parts of a dotted or split table."""
    if line.kind is Kind.PROJECT:
        for entry in document.get("projects", []):
            if (
                entry.get("name") == line.project
                and entry.get("functional") == line.functional
                and entry.get("fund", Fund.GENERAL.value) == line.fund.value
            ):
                return entry
        if not create:
            where = _("project {project} ({functional})").format(project=repr(line.project), functional=line.functional)
            raise SaveError(_("{table} is not in the file").format(table=where))
        if "projects" not in document:
            document.add("projects", tomlkit.aot())
        projects = document["projects"]
        entry = tomlkit.inline_table() if isinstance(projects, Array) else tomlkit.table()  # projects = [{…}, …]
        entry.append("name", line.project)
        entry.append("functional", line.functional)
        if line.fund is not Fund.GENERAL:
            entry.append("fund", line.fund.value)
        projects.append(entry)
        return projects[-1]
    if "basic" not in document:
        if not create:
            raise SaveError(_("the file has no [basic] table"))
        document.add("basic", tomlkit.table(is_super_table=True))
    basic = document["basic"]
    flat = isinstance(basic, InlineTable) or _dotted(document, "basic")
    table, flat = _child(basic, line.functional, create, f"[basic.{line.functional}]", flat)
    if line.fund is not Fund.GENERAL:
        table, flat = _child(table, line.fund.value, create, f"[basic.{line.functional}.{line.fund.value}]", flat)
    return table


def _remove(document, line: Line) -> str:
    """Delete the line from the document; its comment ("" for none)."""
    table = _table(document, line, create=False)
    if line.economic not in table:
        raise SaveError(_("{functional} has no line {economic} in the file").format(functional=line.functional, economic=line.economic))
    comment = _comment(table[line.economic])
    del table[line.economic]
    if isinstance(table, InlineTable):
        _tidy(table)
    return comment


def _tidy(table: InlineTable) -> None:
    """Drop the separator a deleted key leaves in an inline table: {a = 1, b = 2} less a is {b = 2}, not { b = 2}."""
    body = table.value.body
    for index, (_key, item) in enumerate(body):
        if not isinstance(item, Null):
            continue
        if any(key is not None for key, _ in body[index + 1 :]):  # the separator after it goes
            step, stop = 1, len(body)
        else:  # the last key: the separator before it goes, the space before } stays
            step, stop = -1, -1
        other = index + step
        while other != stop and body[other][0] is None and isinstance(body[other][1], Whitespace):
            blank(body[other][1])
            other += step


def _comment(item) -> str:
    """The comment of a line's item: its own, or for a line written as dotted keys that of its first row."""
    if isinstance(item, OutOfOrderTableProxy):
        item = next(iter(table_parts(item)), None)
    trivia = getattr(item, "trivia", None)
    if trivia is not None and trivia.comment:
        return trivia.comment
    if isinstance(item, Table):
        return next((_comment(value) for _, value in item.value.body if getattr(value, "trivia", None)), "")
    return ""


def _amount(line: Line) -> Float:
    return Float(float(line.amount), Trivia(), format_amount(line.amount))


def line_attributes(line: Line) -> dict[str, str | None]:
    """The line's attributes as the file writes them (None: not written)."""
    return {
        "category": line.category_override.value if line.category_override is not None else None,
        "name": line.name,
    }


def _item(line: Line):
    """A new item for a line: a plain amount, or an inline table when it has attributes."""
    attributes = {key: value for key, value in line_attributes(line).items() if value is not None}
    if not attributes:
        return _amount(line)
    parts = [f"amount = {format_amount(line.amount)}"] + [
        f"{key} = {tomlkit.string(value).as_string()}" for key, value in attributes.items()
    ]
    item = tomlkit.parse(f"x = {{ {', '.join(parts)} }}\n")["x"]
    item.trivia.trail = ""
    return item


def _write(document, old: Line | None, line: Line, newline: str, names: dict[str, str], moved: dict) -> None:
    """Write the line where it stands (old: the line as the file has it there) or add it in code order."""
    table = _table(document, line, create=True)
    if line.economic in table:
        _update(table, line, old)
        return
    item = _item(line)
    if isinstance(table, InlineTable):  # no comment fits inside { … }
        indent = _separator(table)
        _insert(table, line.economic, item)
        item.trivia.indent = indent  # tomlkit gives a new key the table's own indent
        return
    comment = line.comment if line.comment is not None else moved.get(line.key)
    if comment is None:
        comment = f"# {names[line.economic]}" if names.get(line.economic) else ""
    item.trivia.comment_ws = "  " if comment else ""
    item.trivia.comment = comment
    item.trivia.trail = newline
    _insert(table, line.economic, item)


def _separator(table: InlineTable) -> str:
    """The space a new key of an inline table needs after its comma: tomlkit copies the separator of a table that
    has one (`, `), and a new table spaces its keys itself."""
    if not len(table) or getattr(table, "_new", False):
        return ""
    return "" if any(isinstance(item, Whitespace) for _, item in table.value.body) else " "


def _update(table, line: Line, old: Line | None) -> None:
    """Rewrite the amount and attributes that differ of a line the file has at this key, in its own layout."""
    existing = table[line.economic]
    amount_changed = old is None or old.amount != line.amount
    trivia = getattr(existing, "trivia", None)
    if line.comment is not None and trivia is not None and not isinstance(table, InlineTable) and trivia.comment != line.comment:
        trivia.comment_ws = (trivia.comment_ws or "  ") if line.comment else ""
        trivia.comment = line.comment  # the line's own comment, where this session had written another's
    if isinstance(existing, dict):  # { amount = …, … }, dotted keys or a table of its own
        if amount_changed:
            existing["amount"] = _amount(line)
        for key, value in line_attributes(line).items():
            if value is None and key in existing:
                del existing[key]
            elif value is not None and (key not in existing or existing[key] != value):
                existing[key] = value
    elif any(value is not None for value in line_attributes(line).values()):
        table[line.economic] = _item(line)  # a plain amount that now carries attributes (its comment is kept)
    elif amount_changed:
        table[line.economic] = _amount(line)


def _insert(table, key: str, item) -> None:
    """Add a new key after the greatest smaller code of the table that is a plain line (code order), else at its end."""
    earlier = [
        other
        for other in table
        if isinstance(other, str) and other.isdigit() and other < key and not isinstance(table[other], (Table, OutOfOrderTableProxy))
    ]
    if earlier and key.isdigit():
        previous = max(earlier)
        part = table
        if isinstance(table, OutOfOrderTableProxy):  # a table split in parts: the part that holds the previous code
            part = next((part for part in table_parts(table) if previous in part), None)
        if isinstance(part, Table):
            insert_after(part, previous, key, item)
            return
    table[key] = item
