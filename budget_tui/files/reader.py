"""The tables of a parsed budget file turned into a Budget: [format], [department], [names], [basic] and [[projects]],
every key checked and anything wrong named with its line. The fact tables are read by budget_tui.files.factreader;
the bytes, the text and the TOML before this step by budget_tui.files.fileformat, which is what callers import.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from sys import intern  # economic codes: a few hundred distinct among hundreds of thousands of lines

from budget_tui.core.factmodel import FACT_SECTIONS
from budget_tui.core.model import CATEGORY_BY_NAME, FUND_BY_NAME, Budget, Department, Fund, Kind, Line, Source
from budget_tui.core.money import UNITS, AmountError, is_amount, quoted, to_amount
from budget_tui.files.factreader import read_facts
from budget_tui.files.locate import nearest
from budget_tui.files.safeopen import LocatedError
from budget_tui.i18n import _

DEPARTMENT_KINDS = ("行政单位", "事业单位", "参照公务员法管理事业单位")
PROJECT_ATTRIBUTES = ("name", "functional", "fund", "code", "note")
LINE_ATTRIBUTES = ("amount", "category", "name")

SECTIONS = ("format", "department", "names", "basic", "projects", *FACT_SECTIONS)
"""The tables of a budget file; the fact tables and their keys are the fields of budget_tui.core.factmodel.Facts."""


class BudgetFileError(LocatedError):
    """A file that cannot be read as a budget; str() is `PATH:LINE:COL: what is wrong`, one clean line whatever the
    path or the keys it quotes hold."""


class Reader:
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
                raise self.error((key,), _("unknown section [{key}]; the sections are: {sections}").format(
                    key=key, sections=", ".join(SECTIONS)
                ))
        if raw.get("format", 1) != 1:
            raise self.error(("format",), _("format {format} is not one this version reads (it reads 1)").format(format=raw["format"]))
        department = self.department(raw.get("department"))
        names = self.names(raw.get("names", {}))
        lines: list[Line] = []
        basic = raw.get("basic", {})
        if not isinstance(basic, dict):
            raise self.error(("basic",), _("[basic] must be a table of functional codes, e.g. [basic.2010301]"))
        for functional, table in basic.items():
            self.line_table(("basic", functional), table, str(functional), Kind.BASIC, Fund.GENERAL, None, lines)
        projects: dict[str, dict] = {}
        raw_projects = raw.get("projects", [])
        if not isinstance(raw_projects, list):
            raise self.error(("projects",), _("projects are written as [[projects]] tables"))
        for index, table in enumerate(raw_projects):
            self.project(("projects", str(index)), table, lines, projects)
        facts = read_facts(self, raw)
        return Budget(department, lines, names, projects, facts, [Source(self.path, data, self.locations, department)])

    def department(self, table) -> Department:
        where = ("department",)
        if table is None:
            raise BudgetFileError(self.path, 1, 1, _("no [department] table; add one with name = \"…\" and year = …"))
        if not isinstance(table, dict):
            raise self.error(where, _("[department] must be a table"))
        allowed = ("name", "year", "unit", "kind", "published")
        for key in table:
            if key not in allowed:
                raise self.error(where + (key,), _("unknown key {key!r} in [department]; the keys are: {keys}").format(
                    key=key, keys=", ".join(allowed)
                ))
        name = table.get("name")
        if not isinstance(name, str) or not name.strip():
            raise self.error(where + ("name",), _("[department] needs name = \"the department's name\""))
        year = table.get("year")
        if not isinstance(year, int) or isinstance(year, bool) or not 1900 <= year <= 2999:
            raise self.error(where + ("year",), _("[department] needs year = the budget year, e.g. 2020"))
        unit = table.get("unit", "万元")
        if unit not in UNITS:
            raise self.error(where + ("unit",), _("unit must be one of {units}, not {unit!r}").format(units=", ".join(UNITS), unit=unit))
        kind = table.get("kind", "行政单位")
        if kind not in DEPARTMENT_KINDS:
            raise self.error(where + ("kind",), _("kind must be one of {kinds}, not {kind!r}").format(
                kinds=", ".join(DEPARTMENT_KINDS), kind=kind
            ))
        published = table.get("published")
        if published is not None and not isinstance(published, (str, dt.date)):
            raise self.error(where + ("published",), _("published must be a date such as 2020-01-22"))
        return Department(name, year, unit, kind, None if published is None else str(published))

    def names(self, table) -> dict[str, str]:
        if not isinstance(table, dict):
            raise self.error(("names",), _("[names] must be a table of code = \"name\""))
        for code, name in table.items():
            if not isinstance(name, str):
                raise self.error(("names", code), _("the name of {code} must be text in quotes").format(code=code))
        return dict(table)

    def amount(self, where: tuple[str, ...], value) -> Decimal:
        if isinstance(value, str):  # "1,5" could be 1.5 or 15: the file holds numbers, never guessed from text
            raise self.error(
                where,
                _("the amount of {key}: {value} is not a number but text in quotes; "
                  "write the amount without quotes, such as 335.04").format(key=where[-1], value=quoted(value)),
            )
        try:
            return to_amount(value)
        except AmountError as error:
            raise self.error(where, _("the amount of {key}: {error}; write an amount such as 335.04").format(
                key=where[-1], error=error
            )) from None

    def line_table(self, where, table, functional, kind, fund, project, lines) -> None:
        """Lines of one 项 (and fund, and project): economic code = amount, or a sub-table per other fund."""
        if not isinstance(table, dict):
            raise self.error(where, _("{key} must be a table of economic code = amount").format(key=".".join(where)))
        locations, origin = self.locations, self.origin
        for key, value in table.items():
            here = where + (key,)
            if is_amount(value):  # the common line: 30101 = 335.04
                lines.append(Line(functional, intern(key), value, kind, fund, project, None, locations.get(here, 0), origin))
                continue
            if kind is Kind.PROJECT and key in PROJECT_ATTRIBUTES:
                continue
            if isinstance(value, dict) and key in FUND_BY_NAME:
                if fund is not Fund.GENERAL or kind is Kind.PROJECT:
                    raise self.error(here, _("a fund table [{table}] belongs directly under [basic.{functional}]").format(
                        table=".".join(here), functional=functional
                    ))
                self.line_table(here, value, functional, kind, FUND_BY_NAME[key], project, lines)
                continue
            if isinstance(value, dict) and not set(value) <= set(LINE_ATTRIBUTES):
                raise self.error(
                    here,
                    _("{key!r} is neither an economic code nor a fund; funds are: {funds}").format(key=key, funds=", ".join(FUND_BY_NAME)),
                )
            category = name = None
            if isinstance(value, dict):
                if "amount" not in value:
                    raise self.error(here, _("line {key} needs amount = …").format(key=key))
                if "category" in value:
                    category = CATEGORY_BY_NAME.get(value["category"]) if isinstance(value["category"], str) else None
                    if category is None:
                        raise self.error(here, _("category of {key} must be 人员经费 or 公用经费").format(key=key))
                if "name" in value:
                    name = value["name"]
                    if not isinstance(name, str):
                        raise self.error(here, _("the name of line {key} must be text in quotes").format(key=key))
                amount = self.amount(here, value["amount"])
            else:
                amount = self.amount(here, value)
            lines.append(Line(functional, intern(key), amount, kind, fund, project, category, locations.get(here, 0), origin, name))

    def project(self, where, table, lines, projects) -> None:
        if not isinstance(table, dict):
            raise self.error(where, _("a [[projects]] entry must be a table"))
        name = table.get("name")
        if not isinstance(name, str) or not name.strip():
            raise self.error(where, _("a [[projects]] entry needs name = \"the project's name\""))
        functional = table.get("functional")
        if not isinstance(functional, str):
            raise self.error(where + ("functional",), _("project {name!r} needs functional = \"7-digit code\" (in quotes)").format(
                name=name
            ))
        fund_name = table.get("fund", Fund.GENERAL.value)
        fund = FUND_BY_NAME.get(fund_name)
        if fund is None:
            raise self.error(where + ("fund",), _("fund must be one of {funds}, not {fund!r}").format(
                funds=", ".join(FUND_BY_NAME), fund=fund_name
            ))
        projects.setdefault(name, {k: table[k] for k in ("code", "note") if k in table})
        self.line_table(where, table, functional, Kind.PROJECT, fund, name, lines)
