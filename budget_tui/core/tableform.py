"""What a disclosure table is: columns with their heading paths and kinds, rows of cells, the title block and 备注.

Pure data, shared by the builders (budget_tui.core.tablebuilders), the printer and the app. A cell is a str (codes and
names), a Decimal (amounts) or None (blank on the official form).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from enum import Enum

from budget_tui.core.money import format_amount
from budget_tui.core.safetext import clean

CHINESE_NUMERALS = "一二三四五六七八九"


class ColumnKind(Enum):
    """What a column holds, which decides how it is aligned and formatted."""

    CODE = "code"
    TEXT = "text"
    AMOUNT = "amount"


@dataclass(frozen=True)
class Column:
    """A column: its heading path from the top header row down (a group label, then its own), and its kind."""

    heading: tuple[str, ...]
    kind: ColumnKind

    def __post_init__(self) -> None:
        object.__setattr__(self, "heading", tuple(clean(part) for part in self.heading))  # names of codes, from the file

    @property
    def title(self) -> str:
        """The heading on one line, for formats with a single header row."""
        return " ".join(part for part in self.heading if part)

    @property
    def align(self) -> str:
        """Amounts right, codes and names left."""
        return "right" if self.kind is ColumnKind.AMOUNT else "left"


Cell = str | Decimal | None


@dataclass(frozen=True)
class Row:
    """One row of cells, one per column; is_total marks the 小计/合计/总计 rows at the foot."""

    cells: tuple[Cell, ...]
    is_total: bool = False


@dataclass(frozen=True)
class Table:
    """One disclosure table: title block, columns, body rows, total rows and 备注."""

    number: int
    title: str
    department: str
    unit: str
    columns: tuple[Column, ...]
    body: tuple[Row, ...]
    totals: tuple[Row, ...]
    note: str
    is_empty: bool = False

    @property
    def heading(self) -> str:
        """The caption as the source prints it: 表一：部门收支总体情况表."""
        return f"表{CHINESE_NUMERALS[self.number - 1]}：{self.title}"

    @property
    def rows(self) -> tuple[Row, ...]:
        """Body rows, then the total rows."""
        return self.body + self.totals

    def header_rows(self) -> list[list[str]]:
        """The header as rows of labels; a group label shows once, over the first column of its span."""
        depth = max(len(column.heading) for column in self.columns)
        paths = [column.heading + ("",) * (depth - len(column.heading)) for column in self.columns]
        return [
            [path[level] if i == 0 or paths[i - 1][: level + 1] != path[: level + 1] else "" for i, path in enumerate(paths)]
            for level in range(depth)
        ]

    def text_cells(self, row: Row) -> list[str]:
        """A row as display text: names cleaned of control characters, amounts with two decimals, blanks empty."""
        return [cell_text(cell) for cell in row.cells]

    def text_rows(self) -> list[list[str]]:
        """Every row as display text."""
        return [self.text_cells(row) for row in self.rows]

    def compact(self) -> Table:
        """The same table without the columns that are empty in every row."""
        keep = [i for i in range(len(self.columns)) if any(row.cells[i] not in (None, "") for row in self.rows)]
        return replace(
            self,
            columns=tuple(self.columns[i] for i in keep),
            body=tuple(_pick(row, keep) for row in self.body),
            totals=tuple(_pick(row, keep) for row in self.totals),
        )


def _pick(row: Row, keep: list[int]) -> Row:
    return replace(row, cells=tuple(row.cells[i] for i in keep))


def cell_text(cell: Cell) -> str:
    """How a cell reads: an amount with two decimals, text without control characters, blank as ''."""
    if cell is None:
        return ""
    if isinstance(cell, Decimal):
        return format_amount(cell)
    return clean(cell)
