"""`budget-tui import`'s work: a CSV or XLSX line list into a budget, with every row skipped and why (budget_tui.cli runs it)."""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from itertools import islice
from pathlib import Path

from budget_tui.core.catalogue import catalogue
from budget_tui.core.model import Budget, Category, Department, Fund, Kind, Line, LineKey
from budget_tui.core.money import UNITS, AmountError, has_cents_only, to_amount
from budget_tui.core.safetext import OneLineMessage, clean
from budget_tui.files import fileformat
from budget_tui.files.exchange.files import OutputError
from budget_tui.files.exchange.lines import ALIASES, FIELDS, FORMULA_STARTS, REQUIRED_FIELDS, normalise_heading
from budget_tui.files.exchange.reading import CellValue, Formula, SheetRows, SourceError, open_sheets
from budget_tui.files.fileformat import BudgetFileError
from budget_tui.i18n import N_, _

HEADER_SEARCH_ROWS = 30
"""The heading row is looked for among the first rows, below any title rows."""
SHOWN_TEXT = 40

FIELD_BY_ALIAS = {normalise_heading(alias)[0]: name for name, aliases in ALIASES.items() for alias in aliases}

KIND_BY_TEXT = {
    "基本支出": Kind.BASIC,
    "基本": Kind.BASIC,
    "basic": Kind.BASIC,
    "项目支出": Kind.PROJECT,
    "项目": Kind.PROJECT,
    "project": Kind.PROJECT,
}
FUND_BY_TEXT = {
    **{fund.value: fund for fund in Fund},
    "一般公共预算拨款": Fund.GENERAL,
    "一般公共预算拨款收入": Fund.GENERAL,
    "general": Fund.GENERAL,
    "generalpublicbudget": Fund.GENERAL,
    "政府性基金": Fund.GOVERNMENT_FUND,
    "政府性基金预算拨款": Fund.GOVERNMENT_FUND,
    "governmentfund": Fund.GOVERNMENT_FUND,
    "教育收费": Fund.SPECIAL_ACCOUNT,
    "教育收费(财政专户)": Fund.SPECIAL_ACCOUNT,
    "specialaccount": Fund.SPECIAL_ACCOUNT,
    "business": Fund.BUSINESS,
    "operating": Fund.OPERATING,
    "other": Fund.OTHER,
    "reserve": Fund.RESERVE,
    "上年结余": Fund.CARRYOVER,
    "单位上年结余(不包括国库集中支付额度结余)": Fund.CARRYOVER,
    "carryover": Fund.CARRYOVER,
}
CATEGORY_BY_TEXT = {
    **{category.value: category for category in Category},
    "personnel": Category.PERSONNEL,
    "operating": Category.OPERATING,
}
TOTAL_LABELS = ("合计", "总计", "小计", "total", "subtotal")

_EXCEL_NUMBER_TEXT = re.compile(r"([0-9]+)\.0+")
_CODE = re.compile(r"\[?([0-9]+(?:[ .\-][0-9]+)*)\]?\s*[-:]?\s*(.*)", re.S)
_FORMULA_GUARD = re.compile("'(?=[" + re.escape("".join(FORMULA_STARTS)) + "])")  # export's guard


class RowError(OneLineMessage):
    """Why a row cannot become a line (one clean line)."""


@dataclass(frozen=True)
class Header:
    """The heading row: its number, the column of each field found, and the unit its amount heading names."""

    row: int
    columns: dict[str, int]
    unit: str | None


@dataclass(frozen=True)
class Skip:
    """A row that became no line, and why."""

    row: int
    reason: str


@dataclass
class Imported:
    """What a line list gave: lines, names that differ from the catalogue, project codes, and the rows skipped."""

    label: str
    unit: str | None
    lines: list[Line] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    project_codes: dict[str, str] = field(default_factory=dict)
    skipped: list[Skip] = field(default_factory=list)


# Cells.


def cell_text(value: CellValue) -> str:
    """A cell as clean text: numbers without Excel's '.0', the ' that guards a formula-like text dropped."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if not isinstance(value, str):
        return str(value)
    return clean(_FORMULA_GUARD.sub("", value.strip(), count=1)).strip()


def shown(value: CellValue) -> str:
    """A cell's text as a message quotes it: cleaned and cut short."""
    text = cell_text(value)
    return repr(text if len(text) <= SHOWN_TEXT else text[: SHOWN_TEXT - 1] + "…")


def _key(text: str) -> str:
    """Text as the lookup tables spell it: full-width folded, lower case, no spaces."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text).lower())


def parse_code(value: CellValue, digits: int, label: str) -> tuple[str, str]:
    """A code cell as (code, name): 2010301, '201 03 01', '201.03.01', '2010301.0' and '2010301 行政运行' all work."""
    text = unicodedata.normalize("NFKC", cell_text(value))
    if not text:
        raise RowError(_("no {what}").format(what=_(label)))
    excel_number = _EXCEL_NUMBER_TEXT.fullmatch(text)
    if excel_number:
        text = excel_number.group(1)
    match = _CODE.fullmatch(text)
    if not match:
        raise RowError(_("{what} {value} is not a code").format(what=_(label), value=shown(value)))
    code = re.sub(r"[^0-9]", "", match.group(1))
    if len(code) != digits:
        raise RowError(_("{what} {value} must have {n} digits").format(what=_(label), value=shown(value), n=digits))
    return code, match.group(2).strip()


def parse_amount(value: CellValue) -> Decimal:
    """An exact amount from a number or a text, read by money.to_amount (the rule of the file, the edit box and
    the journal: commas only between thousands, at most money.AMOUNT_LIMIT); more than two decimals is refused."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise RowError(_("no amount"))
    number: CellValue | Decimal = value
    if isinstance(value, float):  # a workbook's number: its shortest spelling is the number Excel shows
        number = Decimal(repr(value)) if math.isfinite(value) else Decimal(value)
    try:
        amount = to_amount(number)
    except AmountError as error:
        raise RowError(_("amount {error}").format(error=error)) from None
    if not has_cents_only(amount):
        raise RowError(_("amount {amount} has more than two decimals; round it in the source (money is never rounded here)").format(
            amount=amount
        ))
    return amount


def parse_kind(value: CellValue, project: str) -> Kind:
    """基本支出 or 项目支出 (basic/project); a blank type is 项目支出 when the row names a project."""
    text = cell_text(value)
    if not text:
        return Kind.PROJECT if project else Kind.BASIC
    kind = KIND_BY_TEXT.get(_key(text))
    if kind is None:
        raise RowError(_("type {value} is neither 基本支出 nor 项目支出").format(value=shown(value)))
    if kind is Kind.PROJECT and not project:
        raise RowError(_("a 项目支出 line needs a project name"))
    if kind is Kind.BASIC and project:
        message = _("a 基本支出 line names a project ({project}); only 项目支出 lines belong to projects")
        raise RowError(message.format(project=shown(project)))
    return kind


def parse_fund(value: CellValue) -> Fund:
    """The fund by its name in the format (一般公共预算, 事业收入, …) or a common variant; blank is 一般公共预算."""
    text = cell_text(value)
    if not text:
        return Fund.GENERAL
    fund = FUND_BY_TEXT.get(_key(text))
    if fund is None:
        raise RowError(_("fund {value} is not one of {funds}").format(value=shown(value), funds=", ".join(fund.value for fund in Fund)))
    return fund


def parse_category(value: CellValue) -> Category | None:
    """人员经费 or 公用经费 (personnel/operating), or None when blank."""
    text = cell_text(value)
    if not text:
        return None
    category = CATEGORY_BY_TEXT.get(_key(text))
    if category is None:
        raise RowError(_("category {value} is neither 人员经费 nor 公用经费").format(value=shown(value)))
    return category


# The heading row.


def parse_mapping(items: list[str]) -> dict[str, str]:
    """--map field=heading options (several, or comma-separated) as field → normalised heading."""
    mapping = {}
    for item in (part for option in items for part in option.split(",") if part.strip()):
        name, equals, heading = item.partition("=")
        name = name.strip()
        if not equals or not heading.strip():
            raise SourceError(_("--map {item!r}: write field=heading, e.g. amount=本年预算").format(item=item))
        if name not in FIELDS:
            raise SourceError(_("--map {item!r}: unknown field {name!r}; the fields are: {fields}").format(
                item=item, name=name, fields=", ".join(FIELDS)
            ))
        mapping[name] = normalise_heading(heading)[0]
    return mapping


def find_header(sheet: SheetRows, mapping: dict[str, str]) -> Header | None:
    """The first row among the first few that names a column for each required field."""
    for number, cells in islice(sheet, HEADER_SEARCH_ROWS):
        found = _columns_of(cells, mapping)
        if all(name in found for name in REQUIRED_FIELDS):
            return _header(sheet, number, cells, found)
    return None


def _columns_of(cells: tuple[CellValue, ...], mapping: dict[str, str]) -> dict[str, list[int]]:
    """Field → the columns whose heading names it; a mapped field is found by its mapped heading only."""
    mapped = {heading: name for name, heading in mapping.items()}
    found: dict[str, list[int]] = {}
    for index, cell in enumerate(cells):
        heading = normalise_heading(cell_text(cell))[0]
        name = mapped.get(heading) or FIELD_BY_ALIAS.get(heading)
        if name is not None and (name not in mapping or heading in mapped):
            found.setdefault(name, []).append(index)
    return found


def _header(sheet: SheetRows, number: int, cells, found: dict[str, list[int]]) -> Header:
    for name, indexes in found.items():
        if len(indexes) > 1:
            headings = ", ".join(shown(cells[index]) for index in indexes)
            message = _("several columns could be the {name}: {headings}; choose one with --map {name}=…")
            raise SourceError(f"{sheet.label}:{number}: " + message.format(name=name, headings=headings))
    columns = {name: indexes[0] for name, indexes in found.items()}
    unit = normalise_heading(cell_text(cells[columns["amount"]]))[1]
    return Header(number, columns, unit if unit in UNITS else None)


# The rows.


def read_line_list(path: Path, mapping: dict[str, str], sheet: str | None = None) -> Imported:
    """The lines of a CSV file or of the first sheet of a workbook that has a heading row."""
    with open_sheets(path, sheet) as sheets:
        for rows in sheets:
            header = find_header(rows, mapping)
            if header is not None:
                return lines_of(rows, header)
    wanted = ", ".join(REQUIRED_FIELDS)
    raise SourceError(
        f"{path}: "
        + (_("no heading row with columns for {fields} in the first {n} rows of any sheet; name other headings with --map, "
             "e.g. --map amount=本年预算") if len(sheets) > 1 else
           _("no heading row with columns for {fields} in the first {n} rows of the table; name other headings with --map, "
             "e.g. --map amount=本年预算")).format(fields=wanted, n=HEADER_SEARCH_ROWS)
    )


def lines_of(sheet: SheetRows, header: Header) -> Imported:
    """Every row below the heading row as a line, or as a skip with its reason; blank rows are not data."""
    imported = Imported(sheet.label, header.unit)
    first_row_of: dict[LineKey, int] = {}
    for number, cells in sheet:
        if number <= header.row or not any(cell_text(cell) for cell in cells):
            continue
        try:
            _refuse_formulas(cells, header.columns)
            line, names, project_code = _row_line(cells, header.columns)
            if line.key in first_row_of:
                raise RowError(_("the same line as row {row}; add the two up in the source").format(row=first_row_of[line.key]))
        except RowError as error:
            imported.skipped.append(Skip(number, str(error)))
            continue
        first_row_of[line.key] = number
        imported.lines.append(replace(line, file_line=number))
        for code, name in names.items():
            if name and name != _official_name(code):
                imported.names.setdefault(code, name)
        if project_code and line.project:
            imported.project_codes.setdefault(line.project, project_code)
    return imported


def _refuse_formulas(cells: tuple[CellValue, ...], columns: dict[str, int]) -> None:
    """A formula without a computed value in a column that is read: its value is unknown, never taken as blank."""
    if any(index < len(cells) and isinstance(cells[index], Formula) for index in columns.values()):
        raise RowError(_("formula without a computed value; open and save it in Excel first"))


def _official_name(code: str) -> str | None:
    """The catalogue's name of a functional 项 (7 digits) or economic 款 (5 digits)."""
    official = catalogue()
    return official.functional_name(code) if len(code) == 7 else official.economic_name(code)


def _row_line(cells: tuple[CellValue, ...], columns: dict[str, int]) -> tuple[Line, dict[str, str], str]:
    """One row as a line, the names it gives its codes, and its project code."""

    def cell(name: str) -> CellValue:
        index = columns.get(name)
        return cells[index] if index is not None and index < len(cells) else None

    if _key(cell_text(cell("functional"))) in TOTAL_LABELS:
        raise RowError(_("a total row ({text}), not a line").format(text=cell_text(cell("functional"))))
    functional, functional_name = parse_code(cell("functional"), 7, N_("functional code"))
    if functional.startswith("3"):
        raise RowError(_("functional code {code} starts with 3, as economic codes do; are the columns swapped?").format(code=functional))
    economic, economic_name = parse_code(cell("economic"), 5, N_("economic code"))
    if not economic.startswith("3"):
        raise RowError(_("economic code {code} does not start with 3, as every economic 款 does").format(code=economic))
    project = cell_text(cell("project"))
    kind = parse_kind(cell("kind"), project)
    line = Line(
        functional,
        economic,
        parse_amount(cell("amount")),
        kind,
        parse_fund(cell("fund")),
        project if kind is Kind.PROJECT else None,
    )
    category = parse_category(cell("category"))
    if category is not None and category is not line.category:
        line = replace(line, category_override=category)
    names = {
        functional: cell_text(cell("functional_name")) or functional_name,
        economic: cell_text(cell("economic_name")) or economic_name,
    }
    return line, names, cell_text(cell("project_code"))


# The budget made of it.


def department(name: str, year: int, unit: str | None, heading_unit: str | None) -> Department:
    """The department from the options; the unit from --unit or the amount heading, which must agree."""
    name = clean(name).strip()
    if not name:
        raise SourceError(_("--department needs the department's name"))
    if not 1900 <= year <= 2999:
        raise SourceError(_("--year {year} is not a budget year such as 2021").format(year=year))
    if unit and heading_unit and unit != heading_unit:
        raise SourceError(_("the amount column is in {heading_unit} but --unit says {unit}; drop --unit or fix the heading").format(
            heading_unit=heading_unit, unit=unit
        ))
    return Department(name, year, unit or heading_unit or UNITS[0])


def imported_budget(imported: Imported, department: Department) -> Budget:
    """The budget of the imported lines, with the names and project codes the line list gave."""
    codes = {project: {"code": code} for project, code in imported.project_codes.items()}
    return Budget(department, imported.lines, imported.names, codes)


def check_loads_back(data: bytes, budget: Budget, output: Path) -> None:
    """Refuse (before anything is written) a budget file that the loader would refuse or read as other lines."""
    try:
        if len(data) > fileformat.MAX_FILE_BYTES:  # what load() refuses first, read at the time it is needed
            raise BudgetFileError(
                output, 0, 0,
                _("is {size:.1f} MB, more than a budget file can be ({limit} MB)").format(
                    size=len(data) / 1024 / 1024, limit=fileformat.MAX_FILE_BYTES // 1024 // 1024
                ),
            )
        loaded = fileformat.parse(data, output)
    except BudgetFileError as error:
        named = clean(str(output))
        if error.line:
            reason = _("not written: the budget made from the source would not load (line {line} of it): {reason}")
        else:
            reason = _("not written: the budget made from the source would not load: {reason}")
        raise OutputError(f"{named}: " + reason.format(line=error.line, reason=error.message)) from None
    facts = lambda lines: Counter((line.key, line.amount, line.category) for line in lines)  # noqa: E731
    if facts(loaded.lines) != facts(budget.lines):
        raise OutputError(f"{clean(str(output))}: " + _("not written: the budget made from the source would not read back to its lines"))
