"""Reading a budget file: tomli (compiled, about twice as fast as tomllib) on the fast path, amounts as exact
Decimal, every error with its line.

This module takes a file or folder to parsed TOML (bytes, text, parser errors); budget_tui.files.reader turns the
parsed tables into a Budget and budget_tui.files.factreader reads the fact tables. Callers import from here. The
format is documented in docs/format.md. Writing back goes through budget_tui.files.save (tomlkit).
"""

from __future__ import annotations

import codecs
import os
import re
import stat
from decimal import Decimal
from pathlib import Path

import tomli

from budget_tui.core.factmodel import Facts
from budget_tui.core.gcpause import gc_paused
from budget_tui.core.model import BOM, Budget, Department, Line, Source
from budget_tui.files.fingerprint import Fingerprint
from budget_tui.files.locate import locate
from budget_tui.files.reader import LINE_ATTRIBUTES as LINE_ATTRIBUTES  # re-exported: where callers import them from
from budget_tui.files.reader import BudgetFileError as BudgetFileError
from budget_tui.files.reader import Reader
from budget_tui.files.safeopen import FileTooLarge, UnsafeFileError, read_regular
from budget_tui.i18n import N_, _

UTF16_SAMPLE_BYTES = 4096
MAX_FILE_BYTES = 16 * 1024 * 1024
"""A department's budget is tens of kilobytes; a larger file is not a budget (or should be split)."""


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
                        _("is a link to a folder, which a consolidated budget does not follow (its files could be "
                          "counted twice); move the folder here, or rename the link with a leading dot to leave it out"),
                    )
                if not entry.name.endswith(".toml") or entry.name.endswith(".review.toml"):
                    continue
                mode = entry.stat().st_mode
            except FileNotFoundError:  # a broken link (or a file removed meanwhile)
                raise BudgetFileError(
                    path, 0, 0, _("is a link to a file that does not exist; fix the link, or move this one out of the folder")
                ) from None
            except OSError as error:
                raise _unreadable(path, error) from None
            if not stat.S_ISREG(mode):
                raise BudgetFileError(
                    path, 0, 0, _("is not a regular file, so it cannot be a budget; move this one out of the folder, "
                                  "or rename it with a leading dot to leave it out"),
                )
            found.append(path)
    return sorted(found)


def _unreadable(path: Path, error: OSError) -> BudgetFileError:
    """A file or folder of a consolidated budget that cannot be read: an error, never an omission."""
    return BudgetFileError(
        path, 0, 0,
        _("cannot be read ({reason}); a consolidated budget needs every file and folder below it: "
          "make it readable, or rename it with a leading dot to leave it out").format(reason=error.strerror or error),
    )


DIFFERING = {
    "year": N_("its year {value} differs from {first} of {path}; a consolidated budget is one year"),
    "unit": N_("its unit {value} differs from {first} of {path}; a consolidated budget is one unit"),
}
"""What a department file of a folder says when its year or unit is not the first file's."""


def load_folder(folder: Path) -> Budget:
    """A folder of department files as one budget (汇总): lines keep the index of their file."""
    paths = budget_files(folder)
    if not paths:
        raise BudgetFileError(folder, 0, 0, _("holds no budget files (*.toml); give a budget file or a folder of them"))
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
                    _(DIFFERING[attribute]).format(
                        value=getattr(part.department, attribute), first=getattr(first, attribute), path=parts[0].path
                    ),
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
            (_("is {size:.1f} MB, more than a budget file can be ({limit} MB); split it into one file per department")
             if error.size else _("is larger, more than a budget file can be ({limit} MB); split it into one file per department"))
            .format(size=(error.size or 0) / 1024 / 1024, limit=MAX_FILE_BYTES // 1024 // 1024),
        ) from None
    except UnsafeFileError as error:
        reason = _("{reason}, so it is not read; a budget is a regular .toml file (in a folder, move this one out)").format(
            reason=error.reason
        )
        raise BudgetFileError(path, 0, 0, reason) from None
    except FileNotFoundError:
        raise BudgetFileError(path, 0, 0, _("no such file; give the path of a budget .toml file")) from None
    except OSError as error:
        raise BudgetFileError(path, 0, 0, _("cannot be read: {reason}").format(reason=error.strerror)) from None
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
            path, 1, 1,
            _("is {order} text, not UTF-8; convert it with: iconv -f {order} -t UTF-8 '{path}' > converted.toml").format(
                order=order, path=path
            ),
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
            hint = _("save it as UTF-8")
        else:
            hint = _("it looks like GBK (GB18030); convert it with: iconv -f GB18030 -t UTF-8 '{path}' > converted.toml").format(
                path=path
            )
        raise BudgetFileError(path, line, column, _("is not UTF-8 text; {hint}").format(hint=hint)) from None


# The parser's terse messages, with what to do about them.
_TOML_HINTS = {
    "Cannot overwrite a value": N_("a key is given twice; keep one of them"),
    "Cannot declare": N_("a table is declared twice; merge the two"),
    "Invalid value": N_("a value is missing or malformed (text needs quotes, amounts are plain numbers such as 335.04)"),
    "Invalid statement": N_("this line is neither key = value nor a [table] header"),
    "Expected '=' after a key in a key/value pair": N_("a key needs = and a value after it"),
    "Unclosed array": N_("a list is not closed with ]"),
    "Unterminated string": N_("a text is not closed with its quote"),
    "Expected newline or end of document after a statement": N_("something follows the value on this line; start a comment with #"),
    "Expected ']' at the end of a table declaration": N_("a [table] header is not closed with ]"),
}

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$|\s*\(at end of document\)$")


def parse(data: bytes, path: Path | str = "<budget>", origin: int = 0) -> Budget:
    """Parse a budget from the file's bytes."""
    path = Path(path)
    text = decode(data, path)
    if not text.strip():
        raise BudgetFileError(path, 1, 1, _("the file is empty; a budget needs at least a [department] table"))
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
        reason = next((_(hint) for prefix, hint in _TOML_HINTS.items() if reason.startswith(prefix)), reason)
        raise BudgetFileError(path, line, column, _("not valid TOML: {reason}").format(reason=reason)) from None
    except RecursionError:
        line = max(enumerate(text.splitlines(), 1), key=lambda row: row[1].count("[") + row[1].count("{"))[0]
        raise BudgetFileError(path, line, 1, _("not valid TOML: nesting too deep to read")) from None
    except (ValueError, ArithmeticError):  # int() of thousands of digits, Decimal() of an exponent out of range
        match = _HUGE_NUMBER.search(text)
        line = text.count("\n", 0, match.start()) + 1 if match else 1
        raise BudgetFileError(
            path, line, 1,
            _("a number is too large to read (thousands of digits, or a huge exponent); write an amount such as 335.04"),
        ) from None
    locations = locate(text)
    return Reader(path, locations, origin).budget(raw, data)


_HUGE_NUMBER = re.compile(r"[0-9_]{1000,}|[eE][+-]?[0-9_]{10,}")
"""Where a number the parser could not hold is: thousands of digits, or an exponent of ten digits."""

MAX_KEY_PARTS = 32
_DEEP_HEADER = re.compile(r"^[ \t]*\[(?:[^\n.]*\.){" + str(MAX_KEY_PARTS) + "}", re.M)


def _refuse_deep_headers(text: str, path: Path) -> None:
    """Refuse a table header of absurd depth before parsing, whose time grows with its square."""
    match = _DEEP_HEADER.search(text)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        reason = _("a table header nests more than {n} levels; a budget needs at most 4").format(n=MAX_KEY_PARTS)
        raise BudgetFileError(path, line, 1, reason)
