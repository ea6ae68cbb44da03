"""The export workbook: a sheet of lines, then the nine disclosure tables laid out like the official forms."""

from __future__ import annotations

import io
from dataclasses import dataclass
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from budget_tui.core.model import Budget
from budget_tui.core.safetext import clean
from budget_tui.core.tables import Column, ColumnKind, Table, build_tables
from budget_tui.files.exchange.lines import formula_like, heading_row, line_record

LINES_SHEET = "预算明细"
AMOUNT_FORMAT = "0.00"
COLUMN_WIDTHS = {ColumnKind.CODE: 6, ColumnKind.TEXT: 30, ColumnKind.AMOUNT: 14}
LINE_COLUMN_WIDTHS = (12, 30, 12, 26, 10, 16, 30, 14, 10, 14)
THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)


def budget_workbook(budget: Budget) -> bytes:
    """The workbook as .xlsx bytes."""
    workbook = Workbook()
    _write_lines(workbook.active, budget)
    for table in build_tables(budget):
        _write_table(workbook.create_sheet(table.heading), table)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def put(sheet: Worksheet, row: int, column: int, value: str | Decimal | None):
    """Write a cell: an amount as a number with two decimals shown, text always as text (never a formula).

    Formula-like text (lines.formula_like, the guard of every spreadsheet-bound output) is also marked as
    quoted text, as Excel marks what is typed after a ', so editing the cell keeps it text.
    """
    cell = sheet.cell(row, column)
    if isinstance(value, Decimal):
        cell.value = value
        cell.number_format = AMOUNT_FORMAT
    elif value:
        cell.value = clean(value)
        cell.data_type = "s"
        if formula_like(cell.value):
            cell.quotePrefix = True
    return cell


def _write_lines(sheet: Worksheet, budget: Budget) -> None:
    """The line list, one line per row under the headings `budget-tui import` reads back."""
    sheet.title = LINES_SHEET
    for column, heading in enumerate(heading_row(budget.department.unit), 1):
        put(sheet, 1, column, heading).font = BOLD
    for row, line in enumerate(budget.lines, 2):
        for column, value in enumerate(line_record(budget, line).values(), 1):
            put(sheet, row, column, value)
    for column, width in enumerate(LINE_COLUMN_WIDTHS, 1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"


@dataclass(frozen=True)
class HeaderCell:
    """A heading label and the block of header cells it covers (0-based levels and columns, inclusive)."""

    label: str
    top: int
    left: int
    bottom: int
    right: int


def header_cells(columns: tuple[Column, ...]) -> list[HeaderCell]:
    """The header as labelled blocks: a group label spans its columns; a heading shorter than the header spans down."""
    depth = max(len(column.heading) for column in columns)
    cells = []
    for level in range(depth):
        left = 0
        while left < len(columns):
            heading = columns[left].heading
            if len(heading) <= level:
                left += 1
                continue
            right = left
            while right + 1 < len(columns) and columns[right + 1].heading[: level + 1] == heading[: level + 1]:
                right += 1
            ends_here = all(len(columns[i].heading) == level + 1 for i in range(left, right + 1))
            cells.append(HeaderCell(heading[level], level, left, depth - 1 if ends_here else level, right))
            left = right + 1
    return cells


def _write_table(sheet: Worksheet, table: Table) -> None:
    """Title, 编制部门 and 单位, the merged header, the rows with amounts as numbers, then the 备注."""
    width = len(table.columns)
    title = put(sheet, 1, 1, table.heading)
    title.font = Font(bold=True, size=14)
    title.alignment = CENTRE
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    put(sheet, 2, 1, f"编制部门：{table.department}")
    put(sheet, 2, width, f"单位：{table.unit}").alignment = Alignment(horizontal="right")
    header_top = 3
    depth = max(len(column.heading) for column in table.columns)
    for block in header_cells(table.columns):
        put(sheet, header_top + block.top, block.left + 1, block.label)
        if (block.bottom, block.right) != (block.top, block.left):
            sheet.merge_cells(
                start_row=header_top + block.top,
                start_column=block.left + 1,
                end_row=header_top + block.bottom,
                end_column=block.right + 1,
            )
    _box(sheet, header_top, header_top + depth - 1, width, Font(bold=True), CENTRE)
    first_row = header_top + depth
    for offset, row in enumerate(table.rows):
        for column, value in enumerate(row.cells, 1):
            cell = put(sheet, first_row + offset, column, value)
            if row.is_total:
                cell.font = BOLD
    _box(sheet, first_row, first_row + len(table.rows) - 1, width)
    note_row = first_row + len(table.rows)
    put(sheet, note_row, 1, f"备注：{table.note}")
    sheet.merge_cells(start_row=note_row, start_column=1, end_row=note_row, end_column=width)
    for column, spec in enumerate(table.columns, 1):
        sheet.column_dimensions[get_column_letter(column)].width = COLUMN_WIDTHS[spec.kind]


def _box(sheet: Worksheet, top: int, bottom: int, width: int, font: Font | None = None, alignment=None) -> None:
    """Borders on every cell of rows top..bottom, as the official forms draw them."""
    for row in sheet.iter_rows(min_row=top, max_row=bottom, max_col=width):
        for cell in row:
            cell.border = BOX
            if font is not None:
                cell.font = font
            if alignment is not None:
                cell.alignment = alignment
