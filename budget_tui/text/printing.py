"""Plain-text printing of the nine disclosure tables through tabulate: `budget-tui print PATH --table N`.

Cells reach tabulate as finished text (amounts formatted here from Decimal, codes as text), so
tabulate never reformats a number; names are cleaned of control characters and escaped in HTML.
"""

from __future__ import annotations

import argparse
import html
import sys

import tabulate

from budget_tui.core.safetext import OneLineMessage, clean, pad, width
from budget_tui.core.tables import TABLE_NUMBERS, ColumnKind, Table, build_table, build_tables
from budget_tui.files.fileformat import load

EXIT_OK, EXIT_USAGE = 0, 2
FORM_FEED = "\f"
MIN_TEXT_WIDTH = 4  # two CJK characters: narrower than this a name is no longer readable
TABLE_CHOICES = "1-9, a list such as 3,5,6, or all"


class UsageError(OneLineMessage, ValueError):
    """A bad --table or --format or --width value (one clean line)."""


def run_print_tables(args: argparse.Namespace) -> int:
    """Print the tables asked for by `--table`; exit 2 with a message on a bad option."""
    try:
        numbers = parse_table_numbers(args.table)
        check_format(args.format)
        check_width(args.width)
    except UsageError as error:
        print(f"budget-tui: {error}", file=sys.stderr)
        return EXIT_USAGE
    budget = load(args.path)
    if len(numbers) == 1:
        tables = [build_table(budget, numbers[0])]
    else:
        every = build_tables(budget)  # the lines are merged once for all the tables
        tables = [every[number - 1] for number in numbers]
    sys.stdout.write(render_tables(tables, args.format, args.width, args.compact))
    return EXIT_OK


def parse_table_numbers(text: str) -> list[int]:
    """'all' → 1..9; '3,5,6' → [3, 5, 6] (repeats dropped, order kept); anything else is a UsageError."""
    if text.strip().lower() == "all":
        return list(TABLE_NUMBERS)
    numbers: list[int] = []
    for part in text.split(","):
        part = part.strip()
        if not (part.isascii() and part.isdigit() and int(part) in TABLE_NUMBERS):
            raise UsageError(f"--table: {part!r} is not a table number ({TABLE_CHOICES})")
        if int(part) not in numbers:
            numbers.append(int(part))
    return numbers


def check_format(name: str) -> None:
    """Accept any tabulate format name."""
    if name not in tabulate.tabulate_formats:
        raise UsageError(f"--format: unknown format {name!r}; choose one of {', '.join(tabulate.tabulate_formats)}")


def check_width(columns: int | None) -> None:
    """A width, when given, is a positive number of columns."""
    if columns is not None and columns < 1:
        raise UsageError(f"--width: {columns} is not a positive number of columns")


def render_tables(tables: list[Table], fmt: str = "simple", max_width: int | None = None, compact: bool = False) -> str:
    """The tables one after another, separated by a form feed so that each starts a printed page."""
    return FORM_FEED.join(render_table(table, fmt, max_width, compact) for table in tables)


def render_table(table: Table, fmt: str = "simple", max_width: int | None = None, compact: bool = False) -> str:
    """One table: its title block, the grid, and its 备注."""
    if compact:
        table = table.compact()
    grid = _fit(table, fmt, max_width)
    grid_width = 0
    if _is_aligned(fmt):
        grid = _pad_lines(grid)
        grid_width = _grid_width(grid)
    title = _prose(_title_block(table, grid_width), fmt)
    note = _prose([f"备注：{table.note}"], fmt)
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
    return fmt in tabulate.multiline_formats


def _pad_lines(grid: str) -> str:
    """Pad every line to the widest, since tabulate trims trailing blanks of some rows."""
    lines = grid.splitlines()
    grid_width = max(width(line) for line in lines)
    return "\n".join(pad(line, grid_width) for line in lines)


def _fit(table: Table, fmt: str, max_width: int | None) -> str:
    """The grid, with the widest shrinkable columns narrowed (names wrapped) until no line exceeds max_width."""
    grid = _tabulate(table, fmt, [None] * len(table.columns))
    if max_width is None or not _is_aligned(fmt):
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


def _headers(table: Table, fmt: str, limits: list[int | None]) -> list[str]:
    """Multi-row headers stacked in one cell where the format allows it (levels kept level), else one-line titles."""
    if not _is_aligned(fmt):
        return [column.title for column in table.columns]
    stacks: list[list[str]] = [[] for _ in table.columns]
    for level in table.header_rows():
        wrapped = [wrap(label, limits[i]) for i, label in enumerate(level)]
        height = max(len(lines) for lines in wrapped)
        for stack, lines in zip(stacks, wrapped):
            stack.extend(lines + [""] * (height - len(lines)))
    return ["\n".join(stack) for stack in stacks]


def _cells(table: Table, fmt: str, limits: list[int | None]) -> list[list[str]]:
    """The rows as text, each cell wrapped to its column's limit."""
    if not _is_aligned(fmt):
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


def _tabulate(table: Table, fmt: str, limits: list[int | None]) -> str:
    """The table's cells and headers through tabulate_cells."""
    rows, headers = _cells(table, fmt, limits), _headers(table, fmt, limits)
    return tabulate_cells(rows, headers, [column.align for column in table.columns], fmt)


def tabulate_cells(rows: list[list[str]], headers: list[str], colalign: list[str], fmt: str) -> str:
    """tabulate over finished text: no number parsing, explicit alignment, leading spaces kept."""
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
