"""`budget-tui export`'s work (budget_tui.cli runs it): a budget's lines as CSV or JSON for other tools, as a
workbook, or as a Fiscal Data Package.

CSV and the workbook's lines sheet use the line list's Chinese headings, which `budget-tui import` reads back.
JSON gives amounts as strings with two decimals ("335.04"), so no reader turns them into floats.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

from budget_tui.core.model import Budget
from budget_tui.core.money import format_amount
from budget_tui.core.safetext import clean
from budget_tui.files.exchange.files import OutputError, make_folder, write_file
from budget_tui.files.exchange.lines import guarded, heading_row, line_record
from budget_tui.i18n import _

FDP_DATA = "budget-lines.csv"
JSON_ESCAPED = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
"""What json.dumps leaves raw of the characters safetext.clean removes (DEL, C1, bidi), and the line separators."""


def json_text(document) -> str:
    """JSON with text kept exact and readable, but every control and bidi character written as \\uXXXX.

    json.dumps(ensure_ascii=False) escapes C0 controls only; DEL, C1 controls and bidi overrides would reach a
    terminal that shows the file. Outside strings JSON holds none of these, so escaping them is always safe.
    """
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return JSON_ESCAPED.sub(lambda match: f"\\u{ord(match.group()):04x}", text) + "\n"


def lines_csv(budget: Budget) -> str:
    """The lines as CSV with the line list's headings; amounts with two decimals, formula-like names guarded."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(heading_row(budget.department.unit))
    for line in budget.lines:
        record = line_record(budget, line)
        writer.writerow([format_amount(value) if isinstance(value, Decimal) else guarded(value) for value in record.values()])
    return buffer.getvalue()


def lines_json(budget: Budget) -> str:
    """The department and its lines as JSON; names exact, amounts strings with two decimals to stay exact."""
    department = budget.department
    lines = []
    for line in budget.lines:
        record = line_record(budget, line, text=str)
        record["amount"] = format_amount(line.amount)
        lines.append({name: value or None for name, value in record.items()})
    document = {
        "department": {"name": department.name, "year": department.year, "unit": department.unit, "kind": department.kind},
        "lines": lines,
    }
    return json_text(document)


# Fiscal Data Package (https://specs.frictionlessdata.io/fiscal-data-package/, 0.3 model).

FDP_FIELDS = (
    ("functional_class", "功能分类 类", r"\d{3}"),
    ("functional_class_name", "功能分类 类名称", None),
    ("functional_section", "功能分类 款", r"\d{5}"),
    ("functional_section_name", "功能分类 款名称", None),
    ("functional_item", "功能分类 项", r"\d{7}"),
    ("functional_item_name", "功能分类 项名称", None),
    ("economic_class", "经济分类 类", r"\d{3}"),
    ("economic_class_name", "经济分类 类名称", None),
    ("economic_item", "经济分类 款", r"\d{5}"),
    ("economic_item_name", "经济分类 款名称", None),
    ("expenditure_type", "支出类型", None),
    ("fund", "资金来源", None),
    ("project", "项目名称", None),
    ("project_code", "项目编码", None),
)
UNIT_FACTOR = {"万元": 10000, "元": 1}


def fdp_rows(budget: Budget) -> list[list[str]]:
    """The package's data: a heading row, then per line its classifications at every level and the amount.

    Text is guarded against formulas as in the CSV export: the package is opened in spreadsheets too.
    """
    rows = [[name for name, _, _ in FDP_FIELDS] + ["amount"]]
    for line in budget.lines:
        record = line_record(budget, line)
        functional, economic = line.functional, line.economic
        text: list[Any] = [
            functional[:3], budget.functional_name(functional[:3]),
            functional[:5], budget.functional_name(functional[:5]),
            functional, record["functional_name"],
            economic[:3], budget.economic_name(economic[:3]),
            economic, record["economic_name"],
            record["kind"], record["fund"], record["project"], record["project_code"],
        ]
        rows.append([guarded(clean(cell)) for cell in text] + [format_amount(line.amount)])
    return rows


def _fdp_schema() -> dict:
    fields = []
    for name, title, pattern in FDP_FIELDS:
        field: dict[str, Any] = {"name": name, "title": title, "type": "string"}
        if pattern:
            field["constraints"] = {"pattern": pattern}
        fields.append(field)
    fields.append({"name": "amount", "title": "金额", "type": "number", "decimalChar": "."})
    return {"fields": fields}


def _classification(kind: str, levels: list[tuple[str, str]]) -> dict:
    """A classification dimension: each level's code attribute names its parent, each name attribute labels a code."""
    attributes = {}
    parent = None
    for level, (code_source, name_source) in enumerate(levels):
        code = "code" if level == len(levels) - 1 else f"level{level + 1}"
        attributes[code] = {"source": code_source, **({"parent": parent} if parent else {})}
        attributes[f"{code}_name" if code != "code" else "name"] = {"source": name_source, "labelfor": code}
        parent = code
    return {"dimensionType": "classification", "classificationType": kind, "attributes": attributes, "primaryKey": ["code"]}


def datapackage(budget: Budget) -> dict:
    """datapackage.json: the package, its CSV resource and the fiscal model (measure, classifications with hierarchy)."""
    department = budget.department
    digest = hashlib.sha1(department.name.encode("utf-8")).hexdigest()[:8]
    return {
        "name": f"budget-{department.year}-{digest}",
        "title": f"{department.name} {department.year}年部门预算",
        "profiles": {"fiscal": "*", "tabular": "*"},
        "countryCode": "cn",
        "granularity": "aggregated",
        "fiscalPeriod": {"start": f"{department.year}-01-01", "end": f"{department.year}-12-31"},
        "resources": [
            {
                "name": "budget-lines",
                "path": FDP_DATA,
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": _fdp_schema(),
            }
        ],
        "model": {
            "measures": {
                "amount": {
                    "source": "amount",
                    "currency": "CNY",
                    "factor": UNIT_FACTOR[department.unit],
                    "direction": "expenditure",
                    "phase": "approved",
                }
            },
            "dimensions": {
                "functional-classification": _classification(
                    "functional",
                    [
                        ("functional_class", "functional_class_name"),
                        ("functional_section", "functional_section_name"),
                        ("functional_item", "functional_item_name"),
                    ],
                ),
                "economic-classification": _classification(
                    "economic", [("economic_class", "economic_class_name"), ("economic_item", "economic_item_name")]
                ),
                "expenditure-type": {
                    "dimensionType": "other", "attributes": {"name": {"source": "expenditure_type"}}, "primaryKey": "name"
                },
                "fund": {"dimensionType": "other", "attributes": {"name": {"source": "fund"}}, "primaryKey": "name"},
                "project": {
                    "dimensionType": "activity",
                    "attributes": {"title": {"source": "project"}, "id": {"source": "project_code"}},
                    "primaryKey": "title",
                },
                "administrator": {
                    "dimensionType": "entity",
                    "attributes": {"title": {"constant": department.name}},
                    "primaryKey": "title",
                },
                "fiscal-year": {
                    "dimensionType": "datetime",
                    "attributes": {"year": {"constant": str(department.year)}},
                    "primaryKey": "year",
                },
            },
        },
    }


def write_fdp(budget: Budget, folder: Path, force: bool) -> None:
    """The package folder: datapackage.json and the CSV it describes (UTF-8, no byte order mark)."""
    make_folder(folder, force)
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(fdp_rows(budget))
    write_file(folder / FDP_DATA, buffer.getvalue().encode("utf-8"), force=True)
    write_file(folder / "datapackage.json", json_text(datapackage(budget)).encode("utf-8"), force=True)


# Where the output goes.


def default_output(path: Path, to: str) -> Path | None:
    """Where an export goes without -o: a workbook or package beside the budget; CSV and JSON to standard output.

    A path without a name of its own ("." or "..", a folder given from inside it) is made absolute first,
    so the output goes beside that folder under its name.
    """
    if to not in ("xlsx", "fdp"):
        return None
    if path.name in ("", ".", ".."):
        path = Path(os.path.abspath(path))
        if not path.name:
            raise OutputError(_("{path} has no name to name the {format} after; give the output with -o").format(
                path=clean(str(path)), format=to
            ))
    return path.with_suffix(".xlsx") if to == "xlsx" else path.with_name(path.stem + "-fdp")
