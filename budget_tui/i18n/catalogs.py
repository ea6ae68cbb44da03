"""The translation catalogs, kept with Babel: `python -m budget_tui.i18n.catalogs extract|compile|check`.

    extract   read every _(), ngettext() and N_() of budget_tui (and argparse's own words) into
              locale/zh/LC_MESSAGES/budget_tui.po, keeping the translations it has; new strings are untranslated
    compile   write budget_tui.mo beside it (the app reads only the .mo; it ships in the wheel)
    check     list the strings without a Chinese translation and the translations whose placeholders differ

Babel is needed only here (the test extra), never to run budget-tui. docs/i18n.md says how to add a string.
"""

from __future__ import annotations

import argparse
import datetime
import io
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from budget_tui.i18n import DOMAIN, LOCALE_DIR

PACKAGE = Path(__file__).resolve().parent.parent
KEYWORDS = {"_": None, "ngettext": (1, 2), "N_": None}
PO = LOCALE_DIR / "zh" / "LC_MESSAGES" / f"{DOMAIN}.po"
MO = PO.with_suffix(".mo")
DATE = datetime.datetime(2026, 11, 29, tzinfo=datetime.UTC)
ARGPARSE_CONTEXT = "argparse"
"""argparse's words (usage:, options:, its errors) are in our catalog with this comment; their placeholders are %s."""


def _new_catalog() -> Catalog:
    """An empty Chinese catalog with a fixed header, so that extracting again changes only the strings."""
    return Catalog(
        locale="zh_Hans_CN", domain=DOMAIN, project="budget-tui", version="", fuzzy=False, creation_date=DATE, revision_date=DATE,
        header_comment="# Simplified Chinese of budget-tui's words; docs/i18n.md says how to add and translate a string.",
        language_team="budget-tui", last_translator="budget-tui",
    )


def extracted() -> Catalog:
    """Every source string of budget_tui and of the running Python's argparse, untranslated."""
    catalog = _new_catalog()
    for filename, lineno, message, comments, _context in extract_from_dir(
        PACKAGE, method_map=[("**.py", "python")], keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)
    ):
        if "i18n/" in filename.replace("\\", "/"):
            continue  # the examples in this package's docstrings are not messages
        catalog.add(message, locations=[(f"budget_tui/{filename}", lineno)], auto_comments=comments)
    argparse_file = Path(argparse.__file__)
    for lineno, message, _comments, _context in extract_from_file(
        "python", argparse_file, keywords={"_": None, "ngettext": (1, 2)}
    ):
        if catalog.get(message if isinstance(message, str) else message[0]) is None:
            catalog.add(message, locations=[("argparse.py", lineno)], auto_comments=[ARGPARSE_CONTEXT])
    return catalog


def read(path: Path = PO) -> Catalog:
    with path.open("rb") as stream:
        return read_po(stream, locale="zh_Hans_CN", domain=DOMAIN)


def update() -> Catalog:
    """The .po with the strings of the sources now: translations kept, new strings added, gone ones dropped."""
    catalog = _new_catalog()
    if PO.exists():
        for message in read():
            if message.id:
                catalog[message.id] = message
    catalog.update(extracted(), no_fuzzy_matching=True, update_header_comment=False, update_creation_date=False)
    catalog.obsolete.clear()
    catalog.revision_date = DATE
    return catalog


def write(catalog: Catalog, path: Path = PO) -> None:
    buffer = io.BytesIO()
    # sorted by source string and without line numbers, so that changes elsewhere in a file leave the .po alone
    write_po(buffer, catalog, width=120, sort_output=True, omit_header=False, include_previous=False, include_lineno=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue())


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*(?:![rsa])?(?::[^{}]*)?\}|%\([a-z_]+\)[a-z]|%[srd]")


def placeholders(text: str) -> list[str]:
    """The placeholders of a message, sorted: `{path}`, `{n}`, and argparse's `%(prog)s`, `%s`."""
    return sorted(PLACEHOLDER.findall(text))


def problems(catalog: Catalog, template: Catalog | None = None) -> list[str]:
    """What is wrong with the Chinese catalog: a source string missing or untranslated, placeholders that differ."""
    template = extracted() if template is None else template
    found: list[str] = []
    for source in template:
        if not source.id:
            continue
        message: Message | None = catalog.get(source.id)
        where = ", ".join(f"{file}:{line}" for file, line in source.locations[:2])
        ids: tuple[str, ...] = tuple(source.id) if isinstance(source.id, (tuple, list)) else (str(source.id),)
        string = message.string if message is not None else ""
        strings: tuple[str, ...] = tuple(string) if isinstance(string, (tuple, list)) else (string or "",)
        if message is None and ARGPARSE_CONTEXT in source.auto_comments:
            continue  # argparse's words of another Python version: English until extracted there
        if message is None or not all(strings) or message.fuzzy:
            found.append(f"{where}: no translation of {ids[0]!r}")
            continue
        for translated in strings:
            if placeholders(translated) != placeholders(ids[-1]) and placeholders(translated) != placeholders(ids[0]):
                found.append(f"{where}: the placeholders of {translated!r} differ from {ids[0]!r}'s")
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m budget_tui.i18n.catalogs", description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=("extract", "compile", "check"))
    action = parser.parse_args(argv).action
    if action == "extract":
        catalog = update()
        write(catalog)
        missing = problems(catalog)
        print(f"{PO}: {len(catalog)} strings, {len(missing)} to translate or fix (python -m budget_tui.i18n.catalogs check)")
        return 0
    if action == "compile":
        MO.write_bytes(compiled(read()))
        print(f"{MO} written")
        return 0
    missing = problems(read())
    for line in missing:
        print(line)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
