"""Reading a budget file: tomli (compiled, about twice as fast as tomllib) on the fast path, amounts as exact
Decimal, every error with its line.

The format is documented in docs/format.md. Writing back goes through budget_tui.files.save (tomlkit).
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
import re
import stat
from decimal import Decimal
from pathlib import Path

import tomli

from budget_tui.core.factmodel import (
    AMOUNT,
    COUNT,
    DATE,
    FACT_SECTIONS,
    TEXT,
    TEXTS,
    TEXTS_BY_KEY,
    VEHICLES,
    Facts,
    Keyed,
    Vehicle,
    fact_kinds,
)
from budget_tui.core.gcpause import gc_paused
from budget_tui.core.model import (
    BOM,
    CATEGORY_BY_NAME,
    FUND_BY_NAME,
    Budget,
    Department,
    Fund,
    Kind,
    Line,
    Source,
)
from budget_tui.core.money import UNITS, AmountError, is_amount, quoted, to_amount
from budget_tui.files.fingerprint import Fingerprint
from budget_tui.files.locate import locate, nearest
from budget_tui.files.safeopen import FileTooLarge, LocatedError, UnsafeFileError, read_regular

UTF16_SAMPLE_BYTES = 4096
MAX_FILE_BYTES = 16 * 1024 * 1024
"""A department's budget is tens of kilobytes; a larger file is not a budget (or should be split)."""
DEPARTMENT_KINDS = ("行政单位", "事业单位", "参照公务员法管理事业单位")
PROJECT_ATTRIBUTES = ("name", "functional", "fund", "code", "note")
MAX_COUNT = 10**9
"""The largest count (people, units, vehicles, projects, a year) a file may state: beyond it is a typing mistake."""
LINE_ATTRIBUTES = ("amount", "category", "name")

SECTIONS = ("format", "department", "names", "basic", "projects", *FACT_SECTIONS)
"""The tables of a budget file; the fact tables and their keys are the fields of budget_tui.core.factmodel.Facts."""


class BudgetFileError(LocatedError):
    """A file that cannot be read as a budget; str() is `PATH:LINE:COL: what is wrong`, one clean line whatever the
    path or the keys it quotes hold."""


def load(path: Path | str) -> Budget:
    """Read and validate a budget file, or every budget file below a folder as one consolidated budget."""
    path = Path(path)
    if path.is_dir():
        return load_folder(path)
    return load_file(path)


def budget_files(folder: Path) -> list[Path]:
    """The department files below a folder: *.toml, hidden files and review side files left out.

    Nothing that may hold a department is left out silently: a folder that cannot be listed, a *.toml
    that cannot be looked at, is a broken link or is not a regular file, and a link to a folder (not
    followed: its files could be counted twice) are each a BudgetFileError naming it. A name starting
    with a dot is left out on purpose (hide a folder that way to keep it out of the total).
    """
    found: list[Path] = []
    pending = [folder]
    while pending:
        directory = pending.pop()
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
        except OSError as error:
            raise _unreadable(Path(directory), error) from None
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(entry.path)
            try:
                if entry.is_dir(follow_symlinks=False):
                    pending.append(path)
                    continue
                linked_folder = entry.is_symlink() and entry.is_dir()
                if linked_folder:
                    raise BudgetFileError(
                        path, 0, 0,
                        "is a link to a folder, which a consolidated budget does not follow (its files could be "
                        "counted twice); move the folder here, or rename the link with a leading dot to leave it out",
                    )
                if not entry.name.endswith(".toml") or entry.name.endswith(".review.toml"):
                    continue
                mode = entry.stat().st_mode
            except FileNotFoundError:  # a broken link (or a file removed meanwhile)
                raise BudgetFileError(
                    path, 0, 0, "is a link to a file that does not exist; fix the link, or move this one out of the folder"
                ) from None
            except OSError as error:
                raise _unreadable(path, error) from None
            if not stat.S_ISREG(mode):
                raise BudgetFileError(
                    path, 0, 0, "is not a regular file, so it cannot be a budget; move this one out of the folder, "
                    "or rename it with a leading dot to leave it out",
                )
            found.append(path)
    return sorted(found)


def _unreadable(path: Path, error: OSError) -> BudgetFileError:
    """A file or folder of a consolidated budget that cannot be read: an error, never an omission."""
    return BudgetFileError(
        path, 0, 0,
        f"cannot be read ({error.strerror or error}); a consolidated budget needs every file and folder below it: "
        "make it readable, or rename it with a leading dot to leave it out",
    )


def load_folder(folder: Path) -> Budget:
    """A folder of department files as one budget (汇总): lines keep the index of their file."""
    paths = budget_files(folder)
    if not paths:
        raise BudgetFileError(folder, 0, 0, "holds no budget files (*.toml); give a budget file or a folder of them")
    with gc_paused():
        parts = [load_file(path, origin) for origin, path in enumerate(paths)]
    first = parts[0].department
    for part in parts[1:]:
        for attribute in ("year", "unit"):
            if getattr(part.department, attribute) != getattr(first, attribute):
                raise BudgetFileError(
                    part.sources[0].path,
                    part.sources[0].locations.get(("department", attribute), 1),
                    1,
                    f"its {attribute} {getattr(part.department, attribute)} differs from {getattr(first, attribute)} "
                    f"of {parts[0].path}; a consolidated budget is one {attribute}",
                )
    names: dict[str, str] = {}
    projects: dict[str, dict] = {}
    lines: list[Line] = []
    for part in parts:
        lines.extend(part.lines)
        for code, name in part.names.items():
            names.setdefault(code, name)
        for name, attributes in part.projects.items():
            projects.setdefault(name, attributes)
    department = Department(f"{folder.resolve().name}（汇总，{len(parts)}个部门）", first.year, first.unit, "汇总")
    return Budget(department, lines, names, projects, Facts(), [part.sources[0] for part in parts], parts=parts)


def load_file(path: Path, origin: int = 0) -> Budget:
    """Read and validate one budget file (a symbolic link is followed; what it leads to must be a regular file)."""
    try:
        data = read_regular(path, MAX_FILE_BYTES)
    except FileTooLarge as error:
        raise BudgetFileError(
            path,
            0,
            0,
            f"is {f'{error.size / 1024 / 1024:.1f} MB' if error.size else 'larger'}, more than a budget file can be "
            f"({MAX_FILE_BYTES // 1024 // 1024} MB); "
            "split it into one file per department",
        ) from None
    except UnsafeFileError as error:
        reason = f"{error.reason}, so it is not read; a budget is a regular .toml file (in a folder, move this one out)"
        raise BudgetFileError(path, 0, 0, reason) from None
    except FileNotFoundError:
        raise BudgetFileError(path, 0, 0, "no such file; give the path of a budget .toml file") from None
    except OSError as error:
        raise BudgetFileError(path, 0, 0, f"cannot be read: {error.strerror}") from None
    budget = parse(data, path, origin)
    source = budget.sources[0]
    budget.sources[0] = Source(source.path, data, source.locations, source.department, Fingerprint.of(path, data))
    return budget


def utf16_byte_order(data: bytes) -> str | None:
    """'UTF-16LE' or 'UTF-16BE' when data looks like UTF-16 text, else None: a UTF-16 byte order mark, or NUL
    bytes in every other position (ASCII characters in UTF-16), which UTF-8 and GB18030 text never has."""
    if data.startswith(codecs.BOM_UTF16_LE):
        return "UTF-16LE"
    if data.startswith(codecs.BOM_UTF16_BE):
        return "UTF-16BE"
    sample = data[:UTF16_SAMPLE_BYTES]
    if b"\x00" not in sample:
        return None
    pairs = len(sample) // 2
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= pairs / 4 and even <= odd / 8:
        return "UTF-16LE"
    if even >= pairs / 4 and odd <= even / 8:
        return "UTF-16BE"
    return None


def decode(data: bytes, path: Path) -> str:
    """The file's text; a byte order mark is skipped (and kept on save), anything but UTF-8 refused."""
    order = utf16_byte_order(data)
    if order:
        raise BudgetFileError(
            path, 1, 1, f"is {order} text, not UTF-8; convert it with: iconv -f {order} -t UTF-8 '{path}' > converted.toml"
        )
    body = data[len(BOM) :] if data.startswith(BOM) else data
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as error:
        line = body.count(b"\n", 0, error.start) + 1
        column = error.start - (body.rfind(b"\n", 0, error.start) + 1) + 1
        try:
            body.decode("gb18030")
        except UnicodeDecodeError:
            hint = "save it as UTF-8"
        else:
            hint = f"it looks like GBK (GB18030); convert it with: iconv -f GB18030 -t UTF-8 '{path}' > converted.toml"
        raise BudgetFileError(path, line, column, f"is not UTF-8 text; {hint}") from None


# The parser's terse messages, with what to do about them.
_TOML_HINTS = {
    "Cannot overwrite a value": "a key is given twice; keep one of them",
    "Cannot declare": "a table is declared twice; merge the two",
    "Invalid value": "a value is missing or malformed (text needs quotes, amounts are plain numbers such as 335.04)",
    "Invalid statement": "this line is neither key = value nor a [table] header",
    "Expected '=' after a key in a key/value pair": "a key needs = and a value after it",
    "Unclosed array": "a list is not closed with ]",
    "Unterminated string": "a text is not closed with its quote",
    "Expected newline or end of document after a statement": "something follows the value on this line; start a comment with #",
    "Expected ']' at the end of a table declaration": "a [table] header is not closed with ]",
}

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$")


def parse(data: bytes, path: Path | str = "<budget>", origin: int = 0) -> Budget:
    """Parse a budget from the file's bytes."""
    path = Path(path)
    text = decode(data, path)
    if not text.strip():
        raise BudgetFileError(path, 1, 1, "the file is empty; a budget needs at least a [department] table")
    _refuse_deep_headers(text, path)
    try:
        raw = tomli.loads(text, parse_float=Decimal)
    except tomli.TOMLDecodeError as error:
        message = str(error)
        match = _TOML_POSITION.search(message)
        line, column = (int(match.group(1)), int(match.group(2))) if match and match.group(1) else (
            text.count("\n") + 1,
            1,
        )
        reason = _TOML_POSITION.sub("", message)
        reason = next((hint for prefix, hint in _TOML_HINTS.items() if reason.startswith(prefix)), reason)
        raise BudgetFileError(path, line, column, f"not valid TOML: {reason}") from None
    except RecursionError:
        line = max(enumerate(text.splitlines(), 1), key=lambda row: row[1].count("[") + row[1].count("{"))[0]
        raise BudgetFileError(path, line, 1, "not valid TOML: nesting too deep to read") from None
    except (ValueError, ArithmeticError):  # int() of thousands of digits, Decimal() of an exponent out of range
        match = _HUGE_NUMBER.search(text)
        line = text.count("\n", 0, match.start()) + 1 if match else 1
        raise BudgetFileError(
            path, line, 1, "a number is too large to read (thousands of digits, or a huge exponent); write an amount such as 335.04"
        ) from None
    locations = locate(text)
    return _Reader(path, locations, origin).budget(raw, data)


_HUGE_NUMBER = re.compile(r"[0-9_]{1000,}|[eE][+-]?[0-9_]{10,}")
"""Where a number the parser could not hold is: thousands of digits, or an exponent of ten digits."""

MAX_KEY_PARTS = 32
_DEEP_HEADER = re.compile(r"^[ \t]*\[(?:[^\n.]*\.){" + str(MAX_KEY_PARTS) + "}", re.M)


def _refuse_deep_headers(text: str, path: Path) -> None:
    """Refuse a table header of absurd depth before parsing, whose time grows with its square."""
    match = _DEEP_HEADER.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise BudgetFileError(path, line, 1, f"a table header nests more than {MAX_KEY_PARTS} levels; a budget needs at most 4")


class _Reader:
    """Turns the parsed TOML into a Budget, naming the line of anything wrong."""

    def __init__(self, path: Path, locations: dict[tuple[str, ...], int], origin: int):
        self.path = path
        self.locations = locations
        self.origin = origin

    def error(self, key_path: tuple[str, ...], message: str) -> BudgetFileError:
        return BudgetFileError(self.path, nearest(self.locations, key_path), 1, message)

    def budget(self, raw: dict, data: bytes) -> Budget:
        for key in raw:
            if key not in SECTIONS:
                raise self.error((key,), f"unknown section [{key}]; the sections are: {', '.join(SECTIONS)}")
        if raw.get("format", 1) != 1:
            raise self.error(("format",), f"format {raw['format']} is not one this version reads (it reads 1)")
        department = self.department(raw.get("department"))
        names = self.names(raw.get("names", {}))
        lines: list[Line] = []
        basic = raw.get("basic", {})
        if not isinstance(basic, dict):
            raise self.error(("basic",), "[basic] must be a table of functional codes, e.g. [basic.2010301]")
        for functional, table in basic.items():
            self.line_table(("basic", functional), table, str(functional), Kind.BASIC, Fund.GENERAL, None, lines)
        projects: dict[str, dict] = {}
        raw_projects = raw.get("projects", [])
        if not isinstance(raw_projects, list):
            raise self.error(("projects",), "projects are written as [[projects]] tables")
        for index, table in enumerate(raw_projects):
            self.project(("projects", str(index)), table, lines, projects)
        given: set[tuple[str, ...]] = set()
        sections = {name: self.facts((name,), raw[name], table, given) for name, table in FACT_SECTIONS.items() if name in raw}
        facts = Facts(**sections, given=frozenset(given))
        return Budget(department, lines, names, projects, facts, [Source(self.path, data, self.locations, department)])

    def department(self, table) -> Department:
        where = ("department",)
        if table is None:
            raise BudgetFileError(self.path, 1, 1, "no [department] table; add one with name = \"…\" and year = …")
        if not isinstance(table, dict):
            raise self.error(where, "[department] must be a table")
        allowed = ("name", "year", "unit", "kind", "published")
        for key in table:
            if key not in allowed:
                raise self.error(where + (key,), f"unknown key {key!r} in [department]; the keys are: {', '.join(allowed)}")
        name = table.get("name")
        if not isinstance(name, str) or not name.strip():
            raise self.error(where + ("name",), "[department] needs name = \"the department's name\"")
        year = table.get("year")
        if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2999:
            raise self.error(where + ("year",), "[department] needs year = the budget year, e.g. 2020")
        unit = table.get("unit", "万元")
        if unit not in UNITS:
            raise self.error(where + ("unit",), f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
        kind = table.get("kind", "行政单位")
        if kind not in DEPARTMENT_KINDS:
            raise self.error(where + ("kind",), f"kind must be one of {', '.join(DEPARTMENT_KINDS)}, not {kind!r}")
        published = table.get("published")
        if published is not None and not isinstance(published, (str, dt.date)):
            raise self.error(where + ("published",), "published must be a date such as 2020-01-22")
        return Department(name, year, unit, kind, None if published is None else str(published))

    def names(self, table) -> dict[str, str]:
        if not isinstance(table, dict):
            raise self.error(("names",), "[names] must be a table of code = \"name\"")
        for code, name in table.items():
            if not isinstance(name, str):
                raise self.error(("names", code), f"the name of {code} must be text in quotes")
        return dict(table)

    def amount(self, where: tuple[str, ...], value) -> Decimal:
        if isinstance(value, str):  # "1,5" could be 1.5 or 15: the file holds numbers, never guessed from text
            raise self.error(
                where,
                f"the amount of {where[-1]}: {quoted(value)} is not a number but text in quotes; "
                "write the amount without quotes, such as 335.04",
            )
        try:
            return to_amount(value)
        except AmountError as error:
            raise self.error(where, f"the amount of {where[-1]}: {error}; write an amount such as 335.04") from None

    def line_table(self, where, table, functional, kind, fund, project, lines) -> None:
        """Lines of one 项 (and fund, and project): economic code = amount, or a sub-table per other fund."""
        if not isinstance(table, dict):
            raise self.error(where, f"{'.'.join(where)} must be a table of economic code = amount")
        locations, origin = self.locations, self.origin
        for key, value in table.items():
            here = where + (key,)
            if is_amount(value):  # the common line: 30101 = 335.04
                lines.append(Line(functional, key, value, kind, fund, project, None, locations.get(here, 0), origin))
                continue
            if kind is Kind.PROJECT and key in PROJECT_ATTRIBUTES:
                continue
            if isinstance(value, dict) and key in FUND_BY_NAME:
                if fund is not Fund.GENERAL or kind is Kind.PROJECT:
                    raise self.error(here, f"a fund table [{'.'.join(here)}] belongs directly under [basic.{functional}]")
                self.line_table(here, value, functional, kind, FUND_BY_NAME[key], project, lines)
                continue
            if isinstance(value, dict) and not set(value) <= set(LINE_ATTRIBUTES):
                raise self.error(
                    here,
                    f"{key!r} is neither an economic code nor a fund; funds are: {', '.join(FUND_BY_NAME)}",
                )
            category = name = None
            if isinstance(value, dict):
                if "amount" not in value:
                    raise self.error(here, f"line {key} needs amount = …")
                if "category" in value:
                    category = CATEGORY_BY_NAME.get(value["category"]) if isinstance(value["category"], str) else None
                    if category is None:
                        raise self.error(here, f"category of {key} must be 人员经费 or 公用经费")
                if "name" in value:
                    name = value["name"]
                    if not isinstance(name, str):
                        raise self.error(here, f"the name of line {key} must be text in quotes")
                amount = self.amount(here, value["amount"])
            else:
                amount = self.amount(here, value)
            lines.append(Line(functional, key, amount, kind, fund, project, category, locations.get(here, 0), origin, name))

    def project(self, where, table, lines, projects) -> None:
        if not isinstance(table, dict):
            raise self.error(where, "a [[projects]] entry must be a table")
        name = table.get("name")
        if not isinstance(name, str) or not name.strip():
            raise self.error(where, "a [[projects]] entry needs name = \"the project's name\"")
        functional = table.get("functional")
        if not isinstance(functional, str):
            raise self.error(where + ("functional",), f"project {name!r} needs functional = \"7-digit code\" (in quotes)")
        fund_name = table.get("fund", Fund.GENERAL.value)
        fund = FUND_BY_NAME.get(fund_name)
        if fund is None:
            raise self.error(where + ("fund",), f"fund must be one of {', '.join(FUND_BY_NAME)}, not {fund_name!r}")
        projects.setdefault(name, {k: table[k] for k in ("code", "note") if k in table})
        self.line_table(where, table, functional, Kind.PROJECT, fund, name, lines)

    def facts(self, where: tuple[str, ...], value, table: type, given: set[tuple[str, ...]]):
        """A fact table as its dataclass (budget_tui.core.factmodel), every key known and every value of its kind."""
        if not isinstance(value, dict):
            raise self.error(where, f"[{'.'.join(where)}] must be a table")
        given.add(where)
        kinds = fact_kinds(table)
        values = {}
        for key, item in value.items():
            here = where + (key,)
            kind = kinds.get(key)
            if kind is None:
                raise self.error(here, f"unknown key {key!r} in [{'.'.join(where)}]; the keys are: {', '.join(kinds)}")
            values[key] = self.fact(here, item, kind, given)
        return table(**values)

    def fact(self, where: tuple[str, ...], item, kind, given: set[tuple[str, ...]]):
        if isinstance(kind, type):
            return self.facts(where, item, kind, given)
        label = ".".join(where)
        if kind == AMOUNT:
            return self.amount(where, item)
        if kind == COUNT:
            if not isinstance(item, int) or isinstance(item, bool) or item < 0:
                raise self.error(where, f"{label} must be a whole number such as 58")
            if item > MAX_COUNT:
                raise self.error(where, f"{label} is more than {MAX_COUNT:,}, which no count of a department reaches; "
                                 "write a whole number such as 58")
            return item
        if kind == TEXT:
            if not isinstance(item, str):
                raise self.error(where, f"{label} must be text in quotes")
            return item
        if kind == DATE:
            if not isinstance(item, (str, dt.date)):
                raise self.error(where, f"{label} must be a date such as 2019-12-31")
            return str(item)
        if kind == TEXTS:
            if not isinstance(item, list) or not all(isinstance(x, str) for x in item):
                raise self.error(where, f"{label} must be a list of texts: [\"…\", \"…\"]")
            return item
        if isinstance(kind, Keyed) or kind == TEXTS_BY_KEY:  # a table of key → value; a Keyed table's keys have a rule
            if not isinstance(item, dict):
                raise self.error(where, f"[{label}] must be a table")
            given.add(where)
            for key in item if isinstance(kind, Keyed) else ():
                refusal = kind.refusal(str(key), label)
                if refusal:
                    raise self.error(where + (key,), refusal)
            inner = kind.value if isinstance(kind, Keyed) else TEXT
            return {str(k): self.fact(where + (k,), v, inner, given) for k, v in item.items()}
        if kind == VEHICLES:
            if not isinstance(item, dict):
                raise self.error(where, f"[{label}] must be a table of kind = {{ count = …, value = … }}")
            given.add(where)
            return {k: self.facts(where + (k,), v, Vehicle, given) for k, v in item.items()}
        raise AssertionError(kind)
