"""A line list's source, CSV or XLSX, read as numbered rows of raw cells."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from budget_tui.safetext import OneLineMessage

CellValue = str | int | float | None
XLSX_SUFFIXES = (".xlsx", ".xlsm")
ZIP_MAGIC = b"PK\x03\x04"


class SourceError(OneLineMessage):
    """A source that cannot be read as a line list (exit status 2); one clean line, whatever its name or sheets hold."""


@dataclass(frozen=True)
class SheetRows:
    """The rows of one sheet (or of a CSV file), each with its 1-based row number as a spreadsheet shows it."""

    label: str
    """How messages name the source: the file, and the sheet for a workbook."""
    rows: list[tuple[int, tuple[CellValue, ...]]]


def read_sheets(path: Path, sheet: str | None = None) -> list[SheetRows]:
    """The sheets of an XLSX workbook (only the named one if given), or the one table of a CSV file."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SourceError(f"{path}: cannot be read: {error.strerror or error}") from None
    if path.suffix.lower() == ".xls":
        raise SourceError(f"{path}: the old .xls format is not read; save it as .xlsx or CSV")
    if path.suffix.lower() in XLSX_SUFFIXES or data.startswith(ZIP_MAGIC):
        return _workbook_sheets(path, data, sheet)
    if sheet is not None:
        raise SourceError(f"{path}: --sheet is for XLSX workbooks; a CSV file has one table")
    return [SheetRows(str(path), list(enumerate(_csv_rows(path, data), 1)))]


def _csv_rows(path: Path, data: bytes) -> list[tuple[str, ...]]:
    text = _decode(path, data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        return [tuple(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as error:
        raise SourceError(f"{path}: not a readable CSV file: {error}") from None


def _decode(path: Path, data: bytes) -> str:
    """UTF-8 (with or without a byte order mark), else GB18030, the encoding Excel uses for CSV in China."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise SourceError(f"{path}: not a CSV text file in UTF-8 or GB18030")


def _workbook_sheets(path: Path, data: bytes, sheet: str | None) -> list[SheetRows]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # a damaged workbook fails deep inside openpyxl in many ways
        raise SourceError(f"{path}: not a readable XLSX workbook ({type(error).__name__}: {error})") from None
    try:
        if sheet is not None and sheet not in workbook.sheetnames:
            raise SourceError(f"{path}: no sheet {sheet!r}; the sheets are: {', '.join(workbook.sheetnames)}")
        names = [sheet] if sheet is not None else workbook.sheetnames
        return [
            SheetRows(f"{path}[{name}]", list(enumerate(workbook[name].iter_rows(min_row=1, values_only=True), 1)))
            for name in names
        ]
    finally:
        workbook.close()
