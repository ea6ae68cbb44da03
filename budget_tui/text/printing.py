"""Plain-text printing of the nine disclosure tables through tabulate: `budget-tui print PATH --table N`.

Cells reach tabulate as finished text (amounts formatted here from Decimal, codes as text), so
tabulate never reformats a number; names are cleaned of control characters and escaped in HTML.
Markdown (github, pipe) gets valid GFM tables: one header row, the group headings folded into it
("支出 · 预算数"), `|` escaped in cells. TSV is written cell for cell (csv, tab-separated): no padding,
every cell of every row, so it pastes into a spreadsheet as it reads.
The default format, `simple`, is drawn here by a plain padder that gives tabulate's very bytes in a
tenth of the time (tabulate infers a type for every cell); tabulate is imported only for the others.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from wcwidth import wcswidth

from budget_tui.core.safetext import OneLineMessage, clean, pad, width
from budget_tui.core.tables import TABLE_NUMBERS, ColumnKind, Table
from budget_tui.i18n import N_, _

FORM_FEED = "\f"
MIN_TEXT_WIDTH = 4  # two CJK characters: narrower than this a name is no longer readable
TABLE_CHOICES = N_("1-9, a list such as 3,5,6, or all")
MARKDOWN_FORMATS = ("github", "pipe")
"""Formats whose grid is a Markdown table: one header row, then the |---| row, one line per row."""
GROUP_SEPARATOR = " · "
"""Between a group heading and a column's own in a one-row header of Markdown: 支出 · 预算数."""

SIMPLE = "simple"
"""The default format, drawn without tabulate (and one of tabulate's multiline formats)."""

if TYPE_CHECKING:
    pass


class UsageError(OneLineMessage, ValueError):
    """A bad --table or --format or --width value (one clean line)."""


def parse_table_numbers(text: str) -> list[int]:
    """'all' → 1..9; '3,5,6' → [3, 5, 6] (repeats dropped, order kept); anything else is a UsageError."""
    if text.strip().lower() == "all":
        return list(TABLE_NUMBERS)
    numbers: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if not (part.isascii() and part.isdigit() and int(part) in TABLE_NUMBERS):
            raise UsageError("--table: " + _("{part!r} is not a table number ({choices})").format(part=part, choices=_(TABLE_CHOICES)))
        if int(part) not in numbers:
            numbers.append(int(part))
    return numbers


def _tabulate_module():
    """tabulate, imported when a format other than `simple` needs it (the import costs tens of milliseconds)."""
    import tabulate

    return tabulate


def check_format(name: str) -> None:
    """Accept any tabulate format name."""
    if name == SIMPLE:
        return
    tabulate = _tabulate_module()
    if name not in tabulate.tabulate_formats:
        raise UsageError("--format: " + _("unknown format {name!r}; choose one of {formats}").format(
            name=name, formats=", ".join(tabulate.tabulate_formats)
        ))


def check_width(columns: int | None, fmt: str = "simple") -> None:
    """A width, when given, is a positive number of columns, for a format whose cells can wrap."""
    if columns is None:
        return
    if columns < 1:
        raise UsageError("--width: " + _("{columns} is not a positive number of columns").format(columns=columns))
    if not wraps(fmt):
        message = _("the {format} format does not wrap cells; give an aligned format such as simple or grid, or drop --width")
        raise UsageError("--width: " + message.format(format=fmt))


def render_tables(
    tables: list[Table], fmt: str = "simple", max_width: int | None = None, compact: bool = False,
    too_wide: list[tuple[Table, int]] | None = None,
) -> str:
    """The tables one after another, separated by a form feed so that each starts a printed page.

    too_wide, when given, receives each table that cannot be printed within max_width, with the width it took.
    """
    return FORM_FEED.join(render_table(table, fmt, max_width, compact, too_wide) for table in tables)


def render_table(
    table: Table, fmt: str = "simple", max_width: int | None = None, compact: bool = False,
    too_wide: list[tuple[Table, int]] | None = None,
) -> str:
    """One table: its title block, the grid, and its 备注 (in Markdown, the grid between blank lines)."""
    if compact:
        table = table.compact()
    grid = _fit(table, fmt, max_width)
    grid_width = 0
    if _is_aligned(fmt):
        grid = _pad_lines(grid)
        grid_width = _grid_width(grid)
    if too_wide is not None and max_width is not None and wraps(fmt) and grid_width > max_width:
        too_wide.append((table, grid_width))
    title = _prose(_title_block(table, grid_width), fmt)
    note = _prose([f"备注：{table.note}"], fmt)
    if fmt in MARKDOWN_FORMATS:  # a paragraph above, one below: neither is read as a row of the table
        return "\n".join([*title, "", grid, "", *note]) + "\n"
    return "\n".join([*title, grid, *note]) + "\n"


def _prose(lines: list[str], fmt: str) -> list[str]:
    """Lines around the grid: cleaned of control characters, and escaped paragraphs in HTML."""
    if "html" in fmt:
        return [f"<p>{html.escape(clean(line))}</p>" for line in lines]
    return [clean(line) for line in lines]


def _title_block(table: Table, grid_width: int) -> list[str]:
    """表N and title, then 编制部门 with 单位 at the right edge of the grid when both fit on one line."""
    department = f"编制部门：{clean(table.department)}"
    unit = f"单位：{table.unit}"
    if width(department) + 2 + width(unit) <= grid_width:
        return [table.heading, pad(department, grid_width - width(unit)) + unit]
    return [table.heading, department, unit]


def _is_aligned(fmt: str) -> bool:
    """Formats that lay cells out in aligned columns (tabulate wraps and stacks multi-line cells in these)."""
    return fmt == SIMPLE or fmt in _tabulate_module().multiline_formats


def wraps(fmt: str) -> bool:
    """Formats whose cells may hold several lines (wrapped names, stacked headers): aligned, and not Markdown."""
    return _is_aligned(fmt) and fmt not in MARKDOWN_FORMATS


def _pad_lines(grid: str) -> str:
    """Pad every line to the widest, since tabulate trims trailing blanks of some rows."""
    lines = grid.splitlines()
    grid_width = max(width(line) for line in lines)
    return "\n".join(pad(line, grid_width) for line in lines)


def _fit(table: Table, fmt: str, max_width: int | None) -> str:
    """The grid, with the widest shrinkable columns narrowed (names wrapped) until no line exceeds max_width."""
    grid = _tabulate(table, fmt, [None] * len(table.columns))
    if max_width is None or not wraps(fmt):
        return grid
    limits = _natural_widths(table)
    floors = _narrowest_widths(table)
    while (over := _grid_width(grid) - max_width) > 0:
        shrinkable = [i for i, limit in enumerate(limits) if limit > floors[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=lambda i: limits[i])
        runner_up = max((limits[i] for i in shrinkable if i != widest), default=0)
        target = max(floors[widest], limits[widest] - over, runner_up)
        limits[widest] = min(target, limits[widest] - 1)
        grid = _tabulate(table, fmt, limits)
    return grid


def _grid_width(grid: str) -> int:
    return max(width(line) for line in grid.splitlines())


def _natural_widths(table: Table) -> list[int]:
    """Each column's width unwrapped: its widest cell or header label."""
    texts = table.text_rows()
    header = table.header_rows()
    return [
        max([width(row[i]) for row in texts] + [width(level[i]) for level in header] + [1])
        for i in range(len(table.columns))
    ]


def _narrowest_widths(table: Table) -> list[int]:
    """How narrow each column may get: codes and amounts never wrap; names down to MIN_TEXT_WIDTH."""
    texts = table.text_rows()
    floors = []
    for i, column in enumerate(table.columns):
        widest_cell = max([width(row[i]) for row in texts] + [2])
        floors.append(min(widest_cell, MIN_TEXT_WIDTH) if column.kind is ColumnKind.TEXT else widest_cell)
    return floors


def _headers(table: Table, fmt: str, limits: Sequence[int | None]) -> list[str]:
    """Multi-row headers stacked in one cell where the format allows it (levels kept level), else one-line titles;
    in Markdown, each column's heading path folded into one cell (支出 · 预算数)."""
    if fmt in MARKDOWN_FORMATS:
        return [GROUP_SEPARATOR.join(part for part in column.heading if part) for column in table.columns]
    if not wraps(fmt):
        return [column.title for column in table.columns]
    stacks: list[list[str]] = [[] for _ in table.columns]
    for level in table.header_rows():
        wrapped = [wrap(label, limits[i]) for i, label in enumerate(level)]
        height = max(len(lines) for lines in wrapped)
        for stack, lines in zip(stacks, wrapped):
            stack.extend(lines + [""] * (height - len(lines)))
    return ["\n".join(stack) for stack in stacks]


def _cells(table: Table, fmt: str, limits: Sequence[int | None]) -> list[list[str]]:
    """The rows as text, each cell wrapped to its column's limit."""
    if not wraps(fmt):
        return table.text_rows()
    return [["\n".join(wrap(cell, limits[i])) for i, cell in enumerate(row)] for row in table.text_rows()]


def wrap(text: str, columns: int | None) -> list[str]:
    """Text cut into lines of at most the given display width (CJK-aware, leading indent kept)."""
    if columns is None or width(text) <= columns:
        return [text]
    lines, line = [], ""
    for char in text:
        if line and width(line + char) > columns:
            lines.append(line.rstrip())
            line = char.lstrip()
        else:
            line += char
    return lines + [line] if line else lines


def _tabulate(table: Table, fmt: str, limits: Sequence[int | None]) -> str:
    """The table's cells and headers through tabulate_cells."""
    rows, headers = _cells(table, fmt, limits), _headers(table, fmt, limits)
    return tabulate_cells(rows, headers, [column.align for column in table.columns], fmt)


def tabulate_cells(rows: list[list[str]], headers: list[str], colalign: list[str], fmt: str) -> str:
    """tabulate over finished text: no number parsing, explicit alignment, leading spaces kept.

    TSV is written here, cell for cell; in Markdown a | in a cell is escaped, so it cannot split the cell. The default
    format, simple, is drawn by simple_grid (tabulate's bytes, without importing it) whenever it can be.
    """
    if fmt == "tsv":
        return _tsv(rows, headers)
    if fmt == SIMPLE:
        drawn = simple_grid(rows, headers, colalign)
        if drawn is not None:
            return drawn
    tabulate = _tabulate_module()
    if fmt in MARKDOWN_FORMATS:
        rows = [[cell.replace("|", "\\|") for cell in row] for row in rows]
        headers = [header.replace("|", "\\|") for header in headers]
    if fmt == "unsafehtml":
        rows = [[html.escape(cell) for cell in row] for row in rows]
        headers = [html.escape(header) for header in headers]
    saved = tabulate.WIDE_CHARS_MODE, tabulate.MIN_PADDING
    # A CJK character takes two columns; headers get no extra padding (it would defeat --width).
    tabulate.WIDE_CHARS_MODE, tabulate.MIN_PADDING = True, 0
    try:
        return tabulate.tabulate(
            rows,
            headers=headers,
            tablefmt=fmt,
            disable_numparse=True,
            colalign=colalign,
            preserve_whitespace=True,
        )
    finally:
        tabulate.WIDE_CHARS_MODE, tabulate.MIN_PADDING = saved


def _tsv(rows: list[list[str]], headers: list[str]) -> str:
    """Tab-separated values as a spreadsheet pastes them: the header row, then every row with all its cells, none
    padded; a cell holding a tab, a line break or a quote is quoted (csv's rule), so it stays one cell."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter="\t", lineterminator="\n")
    width = len(headers)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(list(row) + [""] * (width - len(row)))
    return buffer.getvalue().removesuffix("\n")


_NOT_PLAIN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029]")
"""What tabulate treats specially (escape sequences, line breaks other than \\n, its separating-line mark): a cell
holding any of these (none does once cleaned) is left to tabulate itself."""
GAP = "  "
"""Between two columns of the simple format."""


def simple_grid(rows: list[list[str]], headers: list[str], aligns: list[str]) -> str | None:
    """tabulate's `simple` format of finished text cells, byte for byte as `_tabulate` calls it (wide characters two
    columns, no minimum padding, whitespace kept, each line stripped on the right; with a line break anywhere, every
    cell is laid out line by line, top-aligned, and a row of empty cells takes no line); None when a cell holds
    anything tabulate treats specially, or there are no rows."""
    if not rows or any(_NOT_PLAIN.search(text) for text in headers) or any(_NOT_PLAIN.search(cell) for row in rows for cell in row):
        return None
    multiline = any("\n" in text for text in headers) or any("\n" in cell for row in rows for cell in row)
    columns = list(zip(*rows))
    if len(columns) != len(headers):
        return None
    widths = []
    for header, column in zip(headers, columns):
        texts = [*header.split("\n"), *(line for cell in column for line in cell.split("\n"))] if multiline else [header, *column]
        measured = [wcswidth(text) for text in texts]
        if min(measured) < 0:
            return None
        widths.append(max(measured))
    lines: list[str] = []
    if multiline:
        header_cells = [_padded_lines(header.split("\n"), width, align) for header, width, align in zip(headers, widths, aligns)]
        _stacked_row(lines, header_cells, widths)
    else:
        lines.append(GAP.join(_padded(header, width, align) for header, width, align in zip(headers, widths, aligns)).rstrip())
    lines.append(GAP.join("-" * width for width in widths).rstrip())
    for row in rows:
        if multiline:
            _stacked_row(lines, [_padded_lines(cell.splitlines(), width, align) for cell, width, align in zip(row, widths, aligns)], widths)
        else:
            lines.append(GAP.join(_padded(cell, width, align) for cell, width, align in zip(row, widths, aligns)).rstrip())
    return "\n".join(lines)


def _padded(text: str, columns: int, align: str) -> str:
    fill = " " * (columns - wcswidth(text))
    return fill + text if align == "right" else text + fill


def _padded_lines(parts: list[str], columns: int, align: str) -> list[str]:
    """A cell's lines, each padded to the column, as tabulate pads them and splits them again (a header is split at
    each line break, a cell by str.splitlines: an empty cell has no line and is filled with blanks)."""
    return "\n".join(_padded(line, columns, align) for line in parts).splitlines()


def _stacked_row(lines: list[str], cells: list[list[str]], widths: list[int]) -> None:
    """One row of line-by-line cells: as many lines as its tallest cell, shorter cells filled with blanks."""
    height = max((len(cell) for cell in cells), default=0)
    for index in range(height):
        lines.append(GAP.join(cell[index] if index < len(cell) else " " * width for cell, width in zip(cells, widths)).rstrip())
