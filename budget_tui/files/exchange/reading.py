"""A line list's source, CSV or XLSX, read as numbered rows of raw cells, streamed within documented limits.

Rows are read one at a time (a CSV reader over the file, openpyxl's read-only mode), never all at once, and
reading stops with a SourceError at the first limit passed: MAX_SOURCE_BYTES for the file (and
MAX_UNPACKED_BYTES for what a workbook unpacks to), MAX_ROWS rows, MAX_COLUMNS columns.
"""

from __future__ import annotations

import codecs
import csv
import os
import re
import stat
import zipfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

from budget_tui.core.safetext import OneLineMessage, clean, one_line
from budget_tui.files.fileformat import MAX_FILE_BYTES, utf16_byte_order
from budget_tui.i18n import _

XLSX_SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

MAX_ROWS = 200_000
"""Rows of a sheet or CSV file, blank ones included. The project is built and measured for budgets of 50,000
lines (docs/performance.md); a budget file may have 16 MB (fileformat.MAX_FILE_BYTES), which holds about
400,000 lines at 40 bytes a line. 200,000 rows is four times the first and half the second."""
MAX_SOURCE_BYTES = 4 * MAX_FILE_BYTES
"""64 MB: a line list of MAX_ROWS rows with names is about 20 MB as CSV (about 8 MB as XLSX), so this leaves
room for wide sheets, and it is four times the largest budget file the import could write."""
MAX_UNPACKED_BYTES = 4 * MAX_SOURCE_BYTES
"""256 MB: what the parts of a workbook may unpack to (a workbook's XML is about four times its CSV); a small
XLSX that unpacks to more is a zip bomb, refused before it is read."""
MAX_COLUMNS = 256
"""A line list has about ten columns. A wider row is cut to this many when the cells beyond hold nothing (a
formatted cell far to the right), and refused when they hold a value."""

CHUNK_BYTES = 1 << 18


class SourceError(OneLineMessage):
    """A source that cannot be read as a line list (exit status 2); one clean line, whatever its name or sheets hold."""


@dataclass(frozen=True)
class Formula:
    """A formula cell that has no computed value (a workbook written by a program, never opened in Excel)."""

    text: str

    def __str__(self) -> str:
        return self.text


CellValue = str | int | float | Formula | None
Row = tuple[int, tuple[CellValue, ...]]


@dataclass(frozen=True)
class SheetRows:
    """The rows of one sheet (or of a CSV file), each with its 1-based row number as a spreadsheet shows it.

    Iterating reads the rows again from the start, one at a time; the source stays open until open_sheets ends.
    """

    label: str
    """How messages name the source: the file, and the sheet for a workbook."""
    read: Callable[[], Iterator[tuple[CellValue, ...]]]

    def __iter__(self) -> Iterator[Row]:
        for number, cells in enumerate(self.read(), 1):
            if number > MAX_ROWS:
                raise SourceError(
                    f"{self.label}: "
                    + _("has more than {limit} rows, the most a line list may have; "
                        "delete the rows after row {limit} (empty ones included) or split the list").format(limit=f"{MAX_ROWS:,}")
                )
            yield number, self._within_columns(number, tuple(cells))

    def _within_columns(self, number: int, cells: tuple[CellValue, ...]) -> tuple[CellValue, ...]:
        if len(cells) <= MAX_COLUMNS:
            return cells
        beyond = cells[MAX_COLUMNS:]
        if beyond.count(None) + beyond.count("") == len(beyond):
            return cells[:MAX_COLUMNS]
        raise SourceError(
            f"{self.label}:{number}: "
            + _("has a value beyond column {limit}, the most a line list may have; "
                "move it into the first columns or delete it").format(limit=MAX_COLUMNS)
        )


@contextmanager
def open_sheets(path: Path, sheet: str | None = None) -> Iterator[list[SheetRows]]:
    """The sheets of an XLSX workbook (only the named one if given), or the one table of a CSV file."""
    shown = one_line(str(path))
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode):
            raise SourceError(f"{shown}: " + _("is not a regular file; give a CSV or XLSX file"))
        with open(path, "rb") as file:
            head = file.read(4096)
    except OSError as error:
        raise SourceError(f"{shown}: " + _("cannot be read: {reason}").format(reason=error.strerror or error)) from None
    if path.suffix.lower() == ".xls":
        raise SourceError(f"{shown}: " + _("the old .xls format is not read; save it as .xlsx or CSV"))
    if status.st_size > MAX_SOURCE_BYTES:
        raise SourceError(
            f"{shown}: "
            + _("is {size:.1f} MB, more than a line list may be ({limit} MB); split it").format(
                size=status.st_size / 1024 / 1024, limit=MAX_SOURCE_BYTES // 1024 // 1024
            )
        )
    if path.suffix.lower() in XLSX_SUFFIXES or head.startswith(ZIP_MAGIC):
        with _workbook_sheets(path, sheet) as sheets:
            yield sheets
        return
    if sheet is not None:
        raise SourceError(f"{shown}: " + _("--sheet is for XLSX workbooks; a CSV file has one table"))
    yield [_csv_sheet(path, head)]


# CSV.


def _csv_sheet(path: Path, head: bytes) -> SheetRows:
    encoding = _encoding(path, head)

    def read() -> Iterator[tuple[str, ...]]:
        try:
            with open(path, encoding=encoding, newline="") as file:
                first_line = file.readline()
                delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
                file.seek(0)
                yield from (tuple(row) for row in csv.reader(file, delimiter=delimiter))
        except csv.Error as error:
            raise SourceError(f"{clean(str(path))}: " + _("not a readable CSV file: {reason}").format(reason=error)) from None
        except (OSError, UnicodeDecodeError) as error:
            raise SourceError(f"{clean(str(path))}: " + _("cannot be read: {reason}").format(
                reason=getattr(error, 'strerror', None) or error
            )) from None

    return SheetRows(one_line(str(path)), read)


def _encoding(path: Path, head: bytes) -> str:
    """UTF-8 (with or without a byte order mark), else GB18030, the encoding Excel uses for CSV in China; UTF-16
    with a byte order mark (Excel's "Unicode text"). Checked over the whole file in chunks, never held at once."""
    if head.startswith(UTF16_BOMS):
        if _decodes(path, "utf-16"):
            return "utf-16"
        raise SourceError(f"{clean(str(path))}: " + _("not readable as the UTF-16 text its byte order mark says; save it as CSV UTF-8"))
    order = utf16_byte_order(head)
    if order:
        raise SourceError(
            f"{clean(str(path))}: "
            + _("looks like UTF-16 text ({order}) without a byte order mark; "
                "save it as CSV UTF-8 (or with Excel's Unicode text, which marks it)").format(order=order)
        )
    for encoding in ("utf-8-sig", "gb18030"):
        if _decodes(path, encoding):
            return encoding
    raise SourceError(f"{clean(str(path))}: " + _("not a CSV text file in UTF-8 or GB18030; save it as CSV UTF-8"))


def _decodes(path: Path, encoding: str) -> bool:
    """True when the whole file decodes in encoding without a NUL character."""
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with open(path, "rb") as file:
            while chunk := file.read(CHUNK_BYTES):
                if "\x00" in decoder.decode(chunk):
                    return False
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    except OSError as error:
        raise SourceError(f"{clean(str(path))}: " + _("cannot be read: {reason}").format(reason=error.strerror or error)) from None
    return True


# XLSX.


@contextmanager
def _workbook_sheets(path: Path, sheet: str | None) -> Iterator[list[SheetRows]]:
    """Each sheet's rows streamed from a read-only view of the computed values; when the workbook has formulas,
    also from a view of the formulas, so that a formula cell without a computed value is seen (the values view
    gives it as None, like a blank cell)."""
    from openpyxl import load_workbook

    shown = one_line(str(path))
    has_formulas = _scan_workbook(path)
    with ExitStack() as stack:
        try:
            values = load_workbook(path, read_only=True, data_only=True)
            stack.callback(values.close)
            formulas = None
            if has_formulas:
                formulas = load_workbook(path, read_only=True, data_only=False)
                stack.callback(formulas.close)
        except Exception as error:  # a damaged workbook fails deep inside openpyxl in many ways
            raise SourceError(f"{shown}: " + _("not a readable XLSX workbook ({reason})").format(
                reason=f"{type(error).__name__}: {clean(str(error))}"
            )) from None
        if sheet is not None and sheet not in values.sheetnames:
            raise SourceError(f"{shown}: " + _("no sheet {sheet!r}; the sheets are: {sheets}").format(
                sheet=clean(sheet), sheets=clean(", ".join(values.sheetnames))
            ))
        names = [sheet] if sheet is not None else values.sheetnames
        yield [
            SheetRows(f"{shown}[{one_line(name)}]", _sheet_reader(path, values[name], formulas[name] if formulas else None))
            for name in names
        ]


_FORMULA_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s>/]")


def _scan_workbook(path: Path) -> bool:
    """Refuse a workbook whose parts unpack to more than MAX_UNPACKED_BYTES (a zip bomb) before it is read, and
    say whether its sheets hold formulas. The sizes are those the archive declares; zipfile never unpacks more
    than a part declares, and the sheets are scanned in chunks."""
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
            unpacked = sum(info.file_size for info in parts)
            if unpacked > MAX_UNPACKED_BYTES:
                raise SourceError(
                    f"{clean(str(path))}: "
                    + _("unpacks to {size:.0f} MB, more than a line list may unpack to ({limit} MB); it is not a line list, "
                        "or split it").format(size=unpacked / 1024 / 1024, limit=MAX_UNPACKED_BYTES // 1024 // 1024)
                )
            for info in parts:
                if info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml"):
                    with archive.open(info) as part:
                        tail = b""
                        while chunk := part.read(CHUNK_BYTES):
                            if _FORMULA_ELEMENT.search(tail + chunk):
                                return True
                            tail = chunk[-32:]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError, NotImplementedError) as error:
        raise SourceError(f"{clean(str(path))}: " + _("not a readable XLSX workbook ({reason})").format(
            reason=f"{type(error).__name__}: {clean(str(error))}"
        )) from None
    return False


def _sheet_reader(path: Path, values, formulas) -> Callable[[], Iterator[tuple[CellValue, ...]]]:
    """Rows of computed values; a formula cell without one becomes a Formula. The sheet's stated dimension is
    ignored (a crafted one claims a million rows of 16,384 columns): only the rows the sheet holds are read."""

    def read() -> Iterator[tuple[CellValue, ...]]:
        values.reset_dimensions()
        value_rows = values.iter_rows(values_only=True)
        formula_rows = iter(())
        if formulas is not None:
            formulas.reset_dimensions()
            formula_rows = formulas.iter_rows(values_only=True)
        try:
            for cells in value_rows:
                written: tuple = tuple(next(formula_rows, ()))
                if written and None in cells:
                    cells = tuple(
                        Formula(str(getattr(formula, "text", formula))) if value is None and _is_formula(formula) else value
                        for value, formula in zip(cells, written + (None,) * (len(cells) - len(written)))
                    )
                yield cells
        except SourceError:
            raise
        except Exception as error:  # a damaged sheet fails deep inside openpyxl in many ways
            raise SourceError(f"{clean(str(path))}: " + _("not a readable XLSX workbook ({reason})").format(
                reason=f"{type(error).__name__}: {clean(str(error))}"
            )) from None

    return read


def _is_formula(value: object) -> bool:
    """openpyxl gives a formula as its text ('=SUM(A1:A3)'), or as an object for array and table formulas."""
    return (isinstance(value, str) and value.startswith("=")) or type(value).__name__ in ("ArrayFormula", "DataTableFormula")
