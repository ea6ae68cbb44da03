"""Import from CSV and XLSX line lists, export to XLSX, CSV, JSON and a Fiscal Data Package, and the round trip."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from budget_tui.cli import main
from budget_tui.core.model import Category, Fund, Kind
from budget_tui.files.exchange.importing import RowError, parse_amount, parse_code
from budget_tui.files.exchange.workbook import LINES_SHEET
from budget_tui.files.fileformat import load
from tests.conftest import CHANGJI, SYNTHETIC

CHINESE_HEADINGS = ["功能分类科目编码", "经济分类科目编码", "支出类型", "资金来源", "项目名称", "金额"]


def write_csv(path: Path, rows: list[list[object]], encoding: str = "utf-8") -> Path:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def import_file(source: Path, output: Path, *options: str) -> int:
    return main(["import", str(source), "-o", str(output), "--department", "测试局", "--year", "2021", *options])


def facts_of(path: Path) -> set[tuple]:
    """What a round trip must keep: each line's key, amount and category."""
    return {(line.key, line.amount, line.category) for line in load(path).lines}


# Import: CSV.


def test_csv_with_chinese_headings_becomes_a_commented_budget_file(tmp_path, capsys):
    source = write_csv(
        tmp_path / "lines.csv",
        [
            CHINESE_HEADINGS,
            ["2010301", "30101", "基本支出", "一般公共预算", "", "60"],
            ["2010301", "30201", "基本支出", "事业收入", "", "0.5"],
            ["2010302", "30227", "项目支出", "一般公共预算", "信息系统运维", "15.00"],
            ["2120803", "31005", "项目支出", "政府性基金预算", "城市建设配套", "40.00"],
        ],
    )
    output = tmp_path / "budget.toml"
    assert import_file(source, output) == 0
    text = output.read_text("utf-8")
    assert "30101 = 60.00           # 基本工资" in text
    assert '[basic.2010301."事业收入"]  # 行政运行' in text
    assert "30201 = 0.50" in text
    assert 'fund = "政府性基金预算"' in text
    budget = load(output)
    assert (budget.department.name, budget.department.year, budget.department.unit) == ("测试局", 2021, "万元")
    assert {(line.functional, line.economic, line.amount, line.kind, line.fund, line.project) for line in budget.lines} == {
        ("2010301", "30101", Decimal("60"), Kind.BASIC, Fund.GENERAL, None),
        ("2010301", "30201", Decimal("0.5"), Kind.BASIC, Fund.BUSINESS, None),
        ("2010302", "30227", Decimal("15"), Kind.PROJECT, Fund.GENERAL, "信息系统运维"),
        ("2120803", "31005", Decimal("40"), Kind.PROJECT, Fund.GOVERNMENT_FUND, "城市建设配套"),
    }
    assert "4 lines written" in capsys.readouterr().err


def test_csv_with_english_headings_and_basic_project_types(tmp_path):
    source = write_csv(
        tmp_path / "lines.csv",
        [
            ["Functional", "Economic", "Type", "Fund", "Project", "Amount"],
            ["2010301", "30101", "basic", "", "", "12.34"],
            ["2010302", "31002", "project", "", "Servers", "3"],
        ],
    )
    output = tmp_path / "budget.toml"
    assert import_file(source, output) == 0
    assert {(line.kind, line.project, line.amount) for line in load(output).lines} == {
        (Kind.BASIC, None, Decimal("12.34")),
        (Kind.PROJECT, "Servers", Decimal("3")),
    }


def test_mapping_option_names_other_headings(tmp_path):
    source = write_csv(
        tmp_path / "lines.csv",
        [["科目", "款项", "本年预算", "金额"], ["2010301", "30101", "7.25", "999"]],
    )
    output = tmp_path / "budget.toml"
    status = import_file(source, output, "--map", "functional=科目,economic=款项", "--map", "amount=本年预算")
    assert status == 0
    assert [(line.functional, line.economic, line.amount) for line in load(output).lines] == [
        ("2010301", "30101", Decimal("7.25"))
    ]


def test_mapping_to_an_unknown_field_is_refused(tmp_path, capsys):
    source = write_csv(tmp_path / "lines.csv", [CHINESE_HEADINGS])
    assert import_file(source, tmp_path / "budget.toml", "--map", "amout=本年预算") == 2
    assert "unknown field 'amout'" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("functional", "economic"),
    [("2010301", "30101"), ("201 03 01", "301 01"), ("201.03.01", "301.01"), ("2010301.0", "30101.0"), ("2010301 行政运行", "30101")],
)
def test_codes_in_every_spelling(tmp_path, functional, economic):
    source = write_csv(tmp_path / "lines.csv", [CHINESE_HEADINGS, [functional, economic, "", "", "", "1"]])
    output = tmp_path / "budget.toml"
    assert import_file(source, output) == 0
    assert [(line.functional, line.economic) for line in load(output).lines] == [("2010301", "30101")]


@pytest.mark.parametrize(
    ("text", "amount"),
    [("1,234.50", "1234.50"), ("12,345,678", "12345678"), (" 335.04 ", "335.04"), ("1，234.5", "1234.5"), ("16", "16")],
)
def test_amounts_with_thousands_separators(text, amount):
    assert parse_amount(text) == Decimal(amount)


def test_excel_floats_are_read_by_their_shortest_spelling():
    assert parse_amount(335.04) == Decimal("335.04")
    assert parse_amount(1642.52) == Decimal("1642.52")
    with pytest.raises(RowError, match="more than two decimals"):
        parse_amount(0.1 + 0.2)


def test_a_code_with_the_wrong_number_of_digits_is_refused():
    with pytest.raises(RowError, match="must have 5 digits"):
        parse_code("3010", 5, "economic code")


def test_every_skipped_row_is_reported_with_its_number_and_reason(tmp_path, capsys):
    source = write_csv(
        tmp_path / "lines.csv",
        [
            CHINESE_HEADINGS,
            ["2010301", "30101", "基本支出", "", "", "10.00"],  # row 2: imported
            ["2010301", "3010", "基本支出", "", "", "1.00"],  # row 3: 4-digit economic code
            ["2010301", "30102", "基本支出", "", "", ""],  # row 4: no amount
            ["2010301", "30103", "基本支出", "", "", "1.005"],  # row 5: three decimals
            ["2010301", "30199", "基本支出", "", "", "12,5"],  # row 6: a decimal comma
            ["2010301", "30201", "基本支出", "地方债", "", "1"],  # row 7: unknown fund
            ["2010302", "30227", "项目支出", "", "", "1"],  # row 8: project without a name
            ["", "", "", "", "", ""],  # row 9: blank, not data
            ["2010301", "30101", "基本支出", "", "", "5"],  # row 10: the same line as row 2
            ["合计", "", "", "", "", "10.00"],  # row 11: a total
        ],
    )
    output = tmp_path / "budget.toml"
    assert import_file(source, output) == 1
    err = capsys.readouterr().err
    reported = [line for line in err.splitlines() if ": skipped: " in line]
    assert [line.split(":")[1] for line in reported] == ["3", "4", "5", "6", "7", "8", "10", "11"]
    assert f"{source}:3: skipped: economic code '3010' must have 5 digits" in err
    assert f"{source}:4: skipped: no amount" in err
    assert f"{source}:5: skipped: amount 1.005 has more than two decimals" in err
    assert f"{source}:6: skipped: amount '12,5': commas may only separate thousands" in err
    assert f"{source}:7: skipped: fund '地方债' is not one of" in err
    assert f"{source}:8: skipped: a 项目支出 line needs a project name" in err
    assert f"{source}:10: skipped: the same line as row 2" in err
    assert f"{source}:11: skipped: a total row (合计), not a line" in err
    assert "1 line written" in err and "8 rows skipped" in err
    assert [line.amount for line in load(output).lines] == [Decimal("10.00")]


def test_a_gbk_csv_from_excel_is_read(tmp_path):
    source = write_csv(tmp_path / "lines.csv", [CHINESE_HEADINGS, ["2010301", "30101", "基本支出", "", "", "2"]], "gb18030")
    output = tmp_path / "budget.toml"
    assert import_file(source, output) == 0
    assert len(load(output).lines) == 1


def test_the_unit_comes_from_the_amount_heading_and_must_agree_with_unit(tmp_path, capsys):
    source = write_csv(tmp_path / "lines.csv", [["功能科目", "经济科目", "预算数（元）"], ["2010301", "30101", "20,000.00"]])
    output = tmp_path / "budget.toml"
    assert import_file(source, output) == 0
    assert load(output).department.unit == "元"
    assert import_file(source, tmp_path / "other.toml", "--unit", "万元") == 2
    assert "the amount column is in 元 but --unit says 万元" in capsys.readouterr().err


def test_an_unreadable_source_exits_2(tmp_path, capsys):
    assert import_file(tmp_path / "missing.csv", tmp_path / "a.toml") == 2
    no_headings = write_csv(tmp_path / "notes.csv", [["说明", "备注"], ["一", "二"]])
    assert import_file(no_headings, tmp_path / "b.toml") == 2
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    assert import_file(broken, tmp_path / "c.toml") == 2
    err = capsys.readouterr().err
    assert "missing.csv: cannot be read" in err
    assert "no heading row with columns for functional, economic, amount" in err
    assert "broken.xlsx: not a readable XLSX workbook" in err
    assert not any((tmp_path / name).exists() for name in ("a.toml", "b.toml", "c.toml"))


def test_import_refuses_to_overwrite_unless_forced(tmp_path, capsys):
    source = write_csv(tmp_path / "lines.csv", [CHINESE_HEADINGS, ["2010301", "30101", "", "", "", "3"]])
    output = tmp_path / "budget.toml"
    output.write_text("keep me", "utf-8")
    assert import_file(source, output) == 2
    assert "exists; give --force" in capsys.readouterr().err
    assert output.read_text("utf-8") == "keep me"
    assert import_file(source, output, "--force") == 0
    assert load(output).lines[0].amount == Decimal("3")


def test_names_with_quotes_and_the_sources_own_names_survive(tmp_path):
    name = 'He said "go" \\ now'
    source = write_csv(
        tmp_path / "lines.csv",
        [
            ["功能分类科目编码", "经济分类科目编码", "经济分类科目名称", "项目名称", "金额"],
            ["2010302", "30314", "职工住宅取暖", name, "1.20"],
        ],
    )
    output = tmp_path / "budget.toml"
    assert import_file(source, output) == 0
    budget = load(output)
    assert budget.lines[0].project == name
    assert budget.names == {"30314": "职工住宅取暖"}
    assert "30314 = 1.20            # 职工住宅取暖" in output.read_text("utf-8")


# Import: XLSX.


def store_numbers_as_excel_does(path: Path) -> None:
    """Rewrite every number of the sheets with 17 significant digits, as Excel writes them (335.04000000000002)."""
    with zipfile.ZipFile(path) as workbook:
        parts = {name: workbook.read(name) for name in workbook.namelist()}
    with zipfile.ZipFile(path, "w") as workbook:
        for name, data in parts.items():
            if name.startswith("xl/worksheets/"):
                data = re.sub(rb"<v>([-+.eE0-9]+)</v>", lambda match: b"<v>%.17g</v>" % float(match.group(1)), data)
            workbook.writestr(name, data)


def excel_like_workbook(path: Path) -> Path:
    """A line list as budget officers keep it: a merged title row, a unit row, numbers stored as Excel stores them."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "2021年预算"
    sheet["A1"] = "某某局2021年部门预算明细表"
    sheet.merge_cells("A1:F1")
    sheet["F2"] = "单位：万元"
    sheet.append(["功能科目", "经济科目", "支出类型", "资金来源", "项目名称", "预算数"])
    sheet.append([2010301, 30101, "基本支出", "一般公共预算", None, 335.04])  # row 4
    sheet.append([2010301.0, 30102.0, "基本支出", None, None, 144])  # row 5
    sheet.append(["2010350", "30101", "基本支出", None, None, 1234.5])  # row 6
    sheet.append([2010302, 31002, "项目支出", None, "办公设备更新", 1.005 * 3])  # row 7: a formula's result
    sheet.append(["合计", None, None, None, None, 1713.54])  # row 8
    workbook.save(path)
    store_numbers_as_excel_does(path)
    return path


def test_xlsx_with_a_merged_title_row_and_excel_numbers(tmp_path, capsys):
    source = excel_like_workbook(tmp_path / "lines.xlsx")
    output = tmp_path / "budget.toml"
    assert b"<v>335.04000000000002</v>" in zipfile.ZipFile(source).read("xl/worksheets/sheet1.xml")
    assert import_file(source, output) == 1
    assert {(line.functional, line.economic, line.amount) for line in load(output).lines} == {
        ("2010301", "30101", Decimal("335.04")),
        ("2010301", "30102", Decimal("144")),
        ("2010350", "30101", Decimal("1234.5")),
    }
    err = capsys.readouterr().err
    assert f"{source}[2021年预算]:7: skipped: amount 3.015 has more than two decimals" in err
    assert f"{source}[2021年预算]:8: skipped: a total row (合计)" in err


def test_xlsx_sheet_option_and_an_unknown_sheet(tmp_path, capsys):
    source = excel_like_workbook(tmp_path / "lines.xlsx")
    assert import_file(source, tmp_path / "a.toml", "--sheet", "2021年预算") == 1
    assert import_file(source, tmp_path / "b.toml", "--sheet", "Sheet9") == 2
    assert "no sheet 'Sheet9'; the sheets are: 2021年预算" in capsys.readouterr().err


# Export.


def export(path: Path, to: str, output: Path | None = None, *options: str) -> int:
    return main(["export", str(path), "--to", to, *(["-o", str(output)] if output else []), *options])


def test_export_xlsx_lays_out_the_nine_tables_like_the_official_forms(tmp_path):
    output = tmp_path / "changji.xlsx"
    assert export(CHANGJI, "xlsx", output) == 0
    workbook = openpyxl.load_workbook(output)
    assert workbook.sheetnames[0] == LINES_SHEET
    assert workbook.sheetnames[1:] == [
        "表一：部门收支总体情况表",
        "表二：部门收入总体情况表",
        "表三：部门支出总体情况表",
        "表四：财政拨款收支预算总体情况表",
        "表五：一般公共预算支出情况表",
        "表六：一般公共预算基本支出情况表",
        "表七：项目支出情况表",
        "表八：一般公共预算“三公”经费支出情况表",
        "表九：政府性基金预算支出情况表",
    ]
    sheet = workbook["表六：一般公共预算基本支出情况表"]
    assert sheet["A1"].value == "表六：一般公共预算基本支出情况表"
    assert sheet["A2"].value == "编制部门：昌吉回族自治州人民政府办公室"
    assert sheet["F2"].value == "单位：万元"
    assert {str(merged) for merged in sheet.merged_cells.ranges} >= {"A1:F1", "A3:B3", "C3:C4", "D3:F3"}
    assert [sheet.cell(3, column).value for column in (1, 3, 4)] == ["经济分类科目编码", "经济分类科目名称", "一般公共预算基本支出"]
    assert [sheet.cell(4, column).value for column in range(1, 7)] == ["类", "款", None, "小计", "人员经费", "公用经费"]
    first = [cell for cell in sheet[5]]
    assert [cell.value for cell in first[:3]] == ["301", "01", "基本工资"]
    assert first[0].data_type == "s"
    assert first[3].value == 335.04 and first[3].data_type == "n" and first[3].number_format == "0.00"
    table8 = workbook["表八：一般公共预算“三公”经费支出情况表"]
    assert {str(merged) for merged in table8.merged_cells.ranges} >= {"C3:E3", "A3:A4", "F3:F4"}
    assert [cell.value for cell in table8[5]] == [45.6, 0, 42, 0, 42, 3.6]


def test_export_xlsx_lines_sheet_has_codes_as_text_and_amounts_as_numbers(tmp_path):
    output = tmp_path / "synthetic.xlsx"
    assert export(SYNTHETIC, "xlsx", output) == 0
    sheet = openpyxl.load_workbook(output)[LINES_SHEET]
    assert sheet["A1"].value == "功能分类科目编码" and sheet["J1"].value == "金额（万元）"
    assert (sheet["A2"].value, sheet["A2"].data_type) == ("2050101", "s")
    assert (sheet["J2"].value, sheet["J2"].number_format) == (120.5, "0.00")
    assert sheet.max_row == 1 + len(load(SYNTHETIC).lines)


def formula_like_budget(tmp_path: Path) -> Path:
    path = tmp_path / "formula.toml"
    path.write_text(
        '[department]\nname = "测试局"\nyear = 2021\n\n'
        '[[projects]]\nname = "=HYPERLINK(\\"http://x\\")"\nfunctional = "2010302"\n30227 = 1.00\n\n'
        '[[projects]]\nname = "+1 服务"\nfunctional = "2010302"\n30201 = 2.00\n',
        "utf-8",
    )
    return path


def test_names_that_look_like_formulas_stay_text(tmp_path):
    budget = formula_like_budget(tmp_path)
    workbook_path, csv_path = tmp_path / "f.xlsx", tmp_path / "f.csv"
    assert export(budget, "xlsx", workbook_path) == 0
    assert export(budget, "csv", csv_path) == 0
    sheet = openpyxl.load_workbook(workbook_path)[LINES_SHEET]
    assert (sheet["G2"].value, sheet["G2"].data_type) == ('=HYPERLINK("http://x")', "s")
    rows = list(csv.reader(io.StringIO(csv_path.read_text("utf-8-sig"))))
    assert [row[6] for row in rows[1:]] == ["'=HYPERLINK(\"http://x\")", "'+1 服务"]
    imported = tmp_path / "back.toml"
    assert import_file(csv_path, imported) == 0
    assert {line.project for line in load(imported).lines} == {'=HYPERLINK("http://x")', "+1 服务"}


def test_export_csv_to_a_file_and_to_standard_output(tmp_path, capsys):
    output = tmp_path / "changji.csv"
    assert export(CHANGJI, "csv", output) == 0
    data = output.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["功能分类科目编码", "功能分类科目名称", "经济分类科目编码", "经济分类科目名称", "支出类型", "资金来源", "项目名称", "项目编码", "经费类别", "金额（万元）"]
    assert rows[1] == ["2010301", "行政运行", "30101", "基本工资", "基本支出", "一般公共预算", "", "", "人员经费", "335.04"]
    assert sum(Decimal(row[9]) for row in rows[1:]) == Decimal("1695.33")
    capsys.readouterr()
    assert export(CHANGJI, "csv") == 0
    assert capsys.readouterr().out.splitlines()[1] == ",".join(rows[1])


def test_export_json_keeps_amounts_exact_as_strings(tmp_path):
    output = tmp_path / "synthetic.json"
    assert export(SYNTHETIC, "json", output) == 0
    document = json.loads(output.read_text("utf-8"))
    assert document["department"] == {"name": "示例县教育局（虚构）", "year": 2021, "unit": "万元", "kind": "行政单位"}
    first = document["lines"][0]
    assert first == {
        "functional": "2050101",
        "functional_name": "行政运行",
        "economic": "30101",
        "economic_name": "基本工资",
        "kind": "基本支出",
        "fund": "一般公共预算",
        "project": None,
        "project_code": None,
        "category": "人员经费",
        "amount": "120.50",
    }
    assert sum(Decimal(line["amount"]) for line in document["lines"]) == load(SYNTHETIC).total()
    assert {line["project_code"] for line in document["lines"] if line["project"]} == {
        "XM2021-001", "XM2021-002", "XM2021-003", "XM2021-004",
    }


def test_export_fiscal_data_package(tmp_path):
    folder = tmp_path / "package"
    assert export(SYNTHETIC, "fdp", folder) == 0
    descriptor = json.loads((folder / "datapackage.json").read_text("utf-8"))
    resource = descriptor["resources"][0]
    assert (folder / resource["path"]).is_file()
    fields = [field["name"] for field in resource["schema"]["fields"]]
    functional = descriptor["model"]["dimensions"]["functional-classification"]
    assert functional["classificationType"] == "functional"
    attributes = functional["attributes"]
    assert attributes["code"] == {"source": "functional_item", "parent": "level2"}
    assert attributes["level2"] == {"source": "functional_section", "parent": "level1"}
    assert attributes["level1"] == {"source": "functional_class"}
    assert attributes["name"] == {"source": "functional_item_name", "labelfor": "code"}
    economic = descriptor["model"]["dimensions"]["economic-classification"]
    assert economic["classificationType"] == "economic"
    assert economic["attributes"]["code"] == {"source": "economic_item", "parent": "level1"}
    sources = {attribute["source"] for dimension in descriptor["model"]["dimensions"].values() for attribute in dimension["attributes"].values() if "source" in attribute}
    assert sources <= set(fields)
    assert descriptor["model"]["measures"]["amount"] == {
        "source": "amount", "currency": "CNY", "factor": 10000, "direction": "expenditure", "phase": "approved",
    }
    rows = list(csv.DictReader(io.StringIO((folder / resource["path"]).read_text("utf-8"))))
    assert list(rows[0]) == fields
    assert len(rows) == len(load(SYNTHETIC).lines)
    assert rows[0]["functional_class"] == "205" and rows[0]["functional_section"] == "20501" and rows[0]["functional_class_name"] == "教育支出"
    assert sum(Decimal(row["amount"]) for row in rows) == load(SYNTHETIC).total()


def test_export_refuses_to_overwrite_unless_forced(tmp_path, capsys):
    output = tmp_path / "out.xlsx"
    output.write_bytes(b"keep")
    assert export(CHANGJI, "xlsx", output) == 2
    assert "exists; give --force" in capsys.readouterr().err
    assert output.read_bytes() == b"keep"
    assert export(CHANGJI, "xlsx", output, "--force") == 0
    assert openpyxl.load_workbook(output).sheetnames[0] == LINES_SHEET


def test_export_of_a_broken_budget_exits_2(tmp_path, capsys):
    broken = tmp_path / "broken.toml"
    broken.write_text("[department]\nname = 1\n", "utf-8")
    assert export(broken, "json") == 2
    assert "broken.toml:2:1:" in capsys.readouterr().err


# The round trip.


@pytest.mark.parametrize("sample", [CHANGJI, SYNTHETIC], ids=["changji", "synthetic"])
@pytest.mark.parametrize("to", ["csv", "xlsx"])
def test_export_then_import_gives_back_the_same_lines(tmp_path, sample, to):
    exported = tmp_path / f"lines.{to}"
    assert export(sample, to, exported) == 0
    imported = tmp_path / "imported.toml"
    assert import_file(exported, imported) == 0
    assert facts_of(imported) == facts_of(sample)
    assert len(load(imported).lines) == len(load(sample).lines)


def test_round_trip_keeps_a_category_override_and_the_departments_names(tmp_path):
    exported = tmp_path / "lines.csv"
    assert export(SYNTHETIC, "csv", exported) == 0
    imported = tmp_path / "imported.toml"
    assert import_file(exported, imported) == 0
    budget = load(imported)
    override = next(line for line in budget.lines if line.economic == "30227")
    assert override.category_override is Category.PERSONNEL
    assert budget.economic_name("30227") == "委托业务费（编外聘用人员）"
    assert budget.projects["农村校舍维修改造"] == {"code": "XM2021-002"}
