"""The nine disclosure tables (budget_tui.core.tables) and their printing (`budget-tui print --table`).

Golden files: tests/unit/golden/changji-2020.<format>.txt pin the exact `simple` and `grid` layouts of all
nine tables of data/changji-2020.toml. After an intended layout change, regenerate them with
    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/unit/test_tables.py -k golden
and review the diff before committing.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from budget_tui.cli import main
from budget_tui.core.model import Category, Fund, Kind, sum_lines
from budget_tui.core.safetext import width
from budget_tui.core.tables import ColumnKind, Table, build_table, build_tables
from budget_tui.files.fileformat import load
from budget_tui.text.printing import UsageError, parse_table_numbers, render_table, wrap
from tests.conftest import CHANGJI, ROOT, SYNTHETIC

GOLDEN = Path(__file__).parent / "golden"
SAMPLES = [CHANGJI, SYNTHETIC]
ALIGNED_FORMATS = ["simple", "grid", "github"]
D = Decimal


def print_tables(capsys, *args: str) -> tuple[int, str, str]:
    """Run `budget-tui print ...` in-process; returns (exit code, stdout, stderr)."""
    code = main(["print", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def tsv_rows(text: str) -> tuple[list[str], list[list[str]]]:
    """Read a table printed with --format tsv back: its column titles and its rows of stripped cells."""
    lines = [line for line in text.splitlines() if "\t" in line]
    header, *rows = ([cell.strip() for cell in line.split("\t")] for line in lines)
    return header, [row + [""] * (len(header) - len(row)) for row in rows]


def as_figures(row: list[str | None], kinds: list[ColumnKind]) -> list[str | Decimal | None]:
    """Cells compared by value: amounts as Decimal (16 == 16.00), blanks as None, codes and names as text."""
    return [
        None if cell in (None, "") else D(cell) if kind is ColumnKind.AMOUNT else cell
        for cell, kind in zip(row, kinds)
    ]


def rows_with_amounts(rows: list[list], kinds: list[ColumnKind]) -> list[list]:
    """The rows that carry at least one amount, as figures."""
    figured = [as_figures(row, kinds) for row in rows]
    return [row for row in figured if any(isinstance(cell, Decimal) for cell in row)]


def grid_lines(chunk: str) -> list[str]:
    """The lines of a printed table's grid, without its title block and 备注 (and the blank lines around a Markdown grid)."""
    prose = ("表", "编制部门：", "单位：", "备注：")
    return [line for line in chunk.splitlines() if line and not line.startswith(prose)]


def amount(cell) -> Decimal:
    """A table cell as an amount: blank counts as zero."""
    return D(0) if cell is None else cell


def total_cell(table: Table, title: str, row: int = -1) -> Decimal:
    """The amount in the column titled `title` of one of the total rows (the last by default)."""
    titles = [column.title for column in table.columns]
    return amount(table.totals[row].cells[titles.index(title)])


# The figures of the source's part 2 (第二部分), transcribed as printed there, blanks as None.
# Rows are compared in full column order, so an amount in the wrong column fails.
SOURCE = {
    1: [
        ["财政拨款（补助）", "1695.33", "201 一般公共服务支出", "1695.33"],
        ["一般公共预算", "1695.33", "202 外交支出", None],
        ["小计", "1695.33", "小计", "1695.33"],
        ["收入总计", "1695.33", "支出合计", "1695.33"],
    ],
    2: [
        ["201", "03", "01", "行政运行", "1642.52", "1642.52"] + [None] * 7,
        ["201", "03", "50", "事业运行", "52.81", "52.81"] + [None] * 7,
        ["合计", None, None, None, "1695.33", "1695.33"] + [None] * 7,
    ],
    3: [
        ["201", "03", "01", "行政运行", "1642.52", "1642.52", None],
        ["201", "03", "50", "事业运行", "52.81", "52.81", None],
        ["合计", None, None, None, "1695.33", "1695.33", None],
    ],
    4: [
        ["财政拨款（补助）", "1695.33", "201 一般公共服务支出", "1695.33", "1695.33", None],
        ["一般公共预算", "1695.33", "202 外交支出", None, None, None],
        ["小计", "1695.33", "小计", "1695.33", "1695.33", None],
        ["收入总计", "1695.33", "支出总计", "1695.33", "1695.33", None],
    ],
    5: [
        ["201", "03", "01", "行政运行", "1642.52", "1642.52", None],
        ["201", "03", "50", "事业运行", "52.81", "52.81", None],
        ["合计", None, None, None, "1695.33", "1695.33", None],
    ],
    # The source lists 30107 after 30199; both sides are compared sorted by code.
    6: [
        ["301", "01", "基本工资", "335.04", "335.04", None],
        ["301", "02", "津贴补贴", "163.88", "163.88", None],
        ["301", "03", "奖金", "23.19", "23.19", None],
        ["301", "06", "伙食补助费", "79.38", "79.38", None],
        ["301", "08", "机关事业单位基本养老保险缴费", "85.94", "85.94", None],
        ["301", "10", "职工基本医疗保险缴费", "61.46", "61.46", None],
        ["301", "11", "公务员医疗补助缴费", "25.88", "25.88", None],
        ["301", "12", "其他社会保障缴费", "1.97", "1.97", None],
        ["301", "13", "住房公积金", "64.46", "64.46", None],
        ["301", "99", "其他工资福利支出", "83.07", "83.07", None],
        ["301", "07", "基本性和奖励性绩效工资", "15.04", "15.04", None],
        ["302", "01", "办公费", "16", None, "16"],
        ["302", "02", "印刷费", "3", None, "3"],
        ["302", "05", "水费", "1", None, "1"],
        ["302", "06", "电费", "1", None, "1"],
        ["302", "07", "邮电费", "8", None, "8"],
        ["302", "08", "取暖费", "42", None, "42"],
        ["302", "11", "差旅费", "50.77", None, "50.77"],
        ["302", "13", "维修（护）费", "3.4", None, "3.4"],
        ["302", "17", "公务接待费", "3.6", None, "3.6"],
        ["302", "28", "工会经费", "6.7", None, "6.7"],
        ["302", "29", "福利费", "15.41", None, "15.41"],
        ["302", "31", "公务车运行维护费", "42", None, "42"],
        ["302", "99", "其他商品和服务支出", "533.91", None, "533.91"],
        ["303", "01", "离休工资（含津补贴）", "13.78", "13.78", None],
        ["303", "05", "生活补助", "1.78", "1.78", None],
        ["303", "09", "奖励金", "2.97", "2.97", None],
        ["303", "14", "职工住宅取暖", "10.7", "10.7", None],
        ["合计", None, None, "1695.33", "968.54", "726.79"],
    ],
    7: [],
    8: [["45.6", "0", "42", "0", "42", "3.6"]],
    9: [],
}
SOURCE_NOTES = {7: "备注：本单位无项目支出,此报表为空表。", 9: "备注：本单位无政府性基金预算，此报表为空表。"}


# Reproducing the source.


@pytest.mark.parametrize("number", sorted(SOURCE))
def test_printed_tables_reproduce_every_figure_of_the_source(capsys, number):
    code, out, _ = print_tables(capsys, CHANGJI, "--table", number, "--format", "tsv")
    assert code == 0
    kinds = [column.kind for column in build_table(load(CHANGJI), number).columns]
    _, rows = tsv_rows(out)
    printed = rows_with_amounts(rows, kinds)
    expected = [as_figures(row, kinds) for row in SOURCE[number]]
    if number == 6:
        by_code = lambda row: tuple(row[:2])  # noqa: E731
        printed = sorted(printed[:-1], key=by_code) + printed[-1:]
        expected = sorted(expected[:-1], key=by_code) + expected[-1:]
    assert printed == expected


def test_the_source_totals_and_items_appear_in_the_default_output(capsys):
    code, out, _ = print_tables(capsys, CHANGJI, "--table", "all")
    assert code == 0
    for figure in ("1695.33", "1642.52", "52.81", "335.04", "10.70", "968.54", "726.79", "45.60", "42.00", "3.60"):
        assert figure in out


def test_empty_tables_are_printed_with_the_sources_note(capsys):
    _, out, _ = print_tables(capsys, CHANGJI, "--table", "7,9")
    seventh, ninth = out.split("\f")
    assert seventh.startswith("表七：项目支出情况表") and SOURCE_NOTES[7] in seventh
    assert ninth.startswith("表九：政府性基金预算支出情况表") and SOURCE_NOTES[9] in ninth
    assert "项目支出合计" in seventh  # the empty table keeps its columns


@pytest.mark.parametrize("fmt", ["simple", "grid"])
def test_golden_layout_of_all_nine_tables(capsys, fmt):
    _, out, _ = print_tables(capsys, CHANGJI, "--table", "all", "--format", fmt)
    golden = GOLDEN / f"changji-2020.{fmt}.txt"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(out, encoding="utf-8")
    assert out == golden.read_text(encoding="utf-8")


# Consistency between tables.


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.stem)
def test_totals_agree_across_tables_1_to_5(path):
    budget = load(path)
    t1, t2, t3, t4, t5, t6 = (build_table(budget, number) for number in range(1, 7))
    everything = budget.total()
    appropriated = sum_lines(budget.lines, lambda line: line.fund.is_appropriation)
    income = [amount(row.cells[1]) for row in t1.body]
    # Table 1: 小计 + 结余 = 收入总计 = 支出合计 = 小计 + 230; 财政拨款 counts its two 其中 rows once.
    assert total_cell(t1, "收入 预算数", 0) == income[0] + sum(income[3:])
    assert total_cell(t1, "收入 预算数", 0) + total_cell(t1, "收入 预算数", 1) == total_cell(t1, "收入 预算数") == everything
    assert total_cell(t1, "支出 预算数", 0) == sum(amount(row.cells[3]) for row in t1.body)
    assert total_cell(t1, "支出 预算数", 0) + total_cell(t1, "支出 预算数", 1) == total_cell(t1, "支出 预算数") == everything
    assert income[0] == income[1] + income[2] == appropriated
    # Tables 2 and 3: the same 项 and the same totals.
    assert total_cell(t2, "总计") == total_cell(t3, "支出预算 合计") == everything
    assert total_cell(t2, "总计") == sum(total_cell(t2, column.title) for column in t2.columns[5:])
    assert total_cell(t3, "支出预算 基本支出") + total_cell(t3, "支出预算 项目支出") == everything
    assert [(row.cells[:4], row.cells[4]) for row in t2.body] == [(row.cells[:4], row.cells[4]) for row in t3.body]
    # Table 4: appropriations, split like table 2's first two sources; table 5 is the general budget.
    assert total_cell(t4, "财政拨款收入 合计") == total_cell(t4, "财政拨款支出 合计") == appropriated
    assert total_cell(t4, "财政拨款支出 一般公共预算") == total_cell(t2, "一般公共预算拨款") == total_cell(t5, "一般公共预算支出 小计")
    assert total_cell(t4, "财政拨款支出 政府性基金预算") == total_cell(t2, "政府性基金预算拨款")
    assert total_cell(t5, "一般公共预算支出 基本支出") == total_cell(t6, "一般公共预算基本支出 小计")


def test_tables_7_and_9_are_filled_for_the_synthetic_sample_and_agree_with_tables_3_and_5():
    budget = load(SYNTHETIC)
    t3, t5, t7, t9 = (build_table(budget, number) for number in (3, 5, 7, 9))
    assert not t7.is_empty and not t9.is_empty
    projects = {(line.functional, line.project) for line in budget.lines if line.kind is Kind.PROJECT}
    assert len(t7.body) == len(projects) == 4
    assert total_cell(t7, "项目支出合计") == total_cell(t3, "支出预算 项目支出")
    assert total_cell(t7, "项目支出合计") == sum(amount(cell) for cell in t7.totals[0].cells[6:])
    government_fund = sum_lines(budget.lines, lambda line: line.fund is Fund.GOVERNMENT_FUND)
    assert total_cell(t9, "政府性基金预算支出 小计") == government_fund
    assert len(t9.body) == 2
    others = sum_lines(budget.lines, lambda line: not line.fund.is_appropriation)
    assert total_cell(t5, "一般公共预算支出 小计") + government_fund + others == budget.total()


def test_table_6_splits_personnel_and_operating_by_line_category():
    budget = load(SYNTHETIC)
    t6 = build_table(budget, 6)
    general_basic = [line for line in budget.lines if line.fund is Fund.GENERAL and line.kind is Kind.BASIC]
    personnel = sum_lines(general_basic, lambda line: line.category is Category.PERSONNEL)
    assert total_cell(t6, "一般公共预算基本支出 人员经费") == personnel
    commissioned = next(row for row in t6.body if row.cells[:2] == ("302", "27"))
    assert commissioned.cells[4] == D("18.00") and commissioned.cells[5] is None  # counted as personnel


def test_table_8_follows_the_three_public_lines_of_the_general_budget():
    t8 = build_table(load(SYNTHETIC), 8)
    total, overseas, vehicles, purchase, operation, reception = t8.body[0].cells
    assert (overseas, purchase, operation, reception) == (D("4.00"), D("28.00"), D("6.50"), D("2.30"))
    assert vehicles == purchase + operation and total == overseas + vehicles + reception


# The Table API that the printer and the app share.


def test_columns_say_their_kind_and_alignment():
    t3 = build_table(load(CHANGJI), 3)
    assert [column.kind for column in t3.columns] == [ColumnKind.CODE] * 3 + [ColumnKind.TEXT] + [ColumnKind.AMOUNT] * 3
    assert [column.align for column in t3.columns] == ["left"] * 4 + ["right"] * 3
    assert t3.header_rows() == [
        ["功能分类科目编码", "", "", "功能分类科目名称", "支出预算", "", ""],
        ["类", "款", "项", "", "合计", "基本支出", "项目支出"],
    ]
    assert t3.body[0].cells == ("201", "03", "01", "行政运行", D("1642.52"), D("1642.52"), None)
    assert t3.text_cells(t3.body[0]) == ["201", "03", "01", "行政运行", "1642.52", "1642.52", ""]
    assert t3.totals[0].is_total and not t3.body[0].is_total


def test_table_1_lists_every_functional_class_in_catalogue_order_with_230_apart():
    budget = load(CHANGJI)
    t1 = build_table(budget, 1)
    classes = [row.cells[2].split()[0] for row in t1.body]
    assert classes == list(budget.catalogue.functional_class_order)
    assert [row.cells[2] for row in t1.totals] == ["小计", "230 转移性支出", "支出合计"]
    assert t1.totals[1].cells[0] == "单位上年结余（不包括国库集中支付额度结余）"


def test_carryover_money_is_income_of_its_own_row_in_table_1(write_budget):
    path = write_budget(
        '[department]\nname = "测试局"\nyear = 2020\n\n'
        '[basic.2010301]\n30101 = 10.00\n\n[basic.2010301."单位上年结余"]\n30201 = 2.50\n'
    )
    t1 = build_table(load(path), 1)
    assert total_cell(t1, "收入 预算数", 0) == D("10.00")  # 小计 leaves the carry-over out
    assert total_cell(t1, "收入 预算数", 1) == D("2.50")
    assert total_cell(t1, "收入 预算数") == total_cell(t1, "支出 预算数") == D("12.50")


def test_transfer_spending_is_printed_below_the_subtotal_in_tables_1_and_4(write_budget):
    path = write_budget(
        '[department]\nname = "测试局"\nyear = 2020\n\n[names]\n2309901 = "其他转移性支出"\n\n'
        "[basic.2010301]\n30101 = 10.00\n\n[basic.2309901]\n39999 = 4.00\n"
    )
    budget = load(path)
    t1, t4 = build_table(budget, 1), build_table(budget, 4)
    assert all(not row.cells[2].startswith("230") for row in t1.body + t4.body)
    assert (total_cell(t1, "支出 预算数", 0), total_cell(t1, "支出 预算数", 1)) == (D("10.00"), D("4.00"))
    assert t4.totals[1].cells[2:4] == ("230 转移性支出", D("4.00"))
    assert total_cell(t4, "财政拨款支出 合计") == total_cell(t1, "支出 预算数") == D("14.00")


def test_compact_drops_the_columns_empty_throughout():
    t2 = build_table(load(CHANGJI), 2).compact()
    assert [column.title for column in t2.columns] == [
        "功能分类科目编码 类", "功能分类科目编码 款", "功能分类科目编码 项", "功能分类科目名称", "总计", "一般公共预算拨款"
    ]
    assert all(len(row.cells) == 6 for row in t2.rows)


def test_build_tables_gives_the_nine_in_order():
    assert [table.heading for table in build_tables(load(CHANGJI))][:2] == ["表一：部门收支总体情况表", "表二：部门收入总体情况表"]
    assert [table.number for table in build_tables(load(SYNTHETIC))] == list(range(1, 10))


# Printing.


@pytest.mark.parametrize("fmt", ["simple", "grid", "github", "tsv", "html"])
def test_code_columns_stay_text_in_every_format(capsys, fmt):
    code, out, _ = print_tables(capsys, CHANGJI, "--table", "2,6", "--format", fmt)
    assert code == 0
    for code_text in ("03", "01", "50", "301", "99"):
        assert re.search(rf"(?<![\d.]){code_text}(?![\d.])", out), code_text
    assert "1642.52" in out and "3.00" in out  # amounts formatted by us, never re-parsed


def test_code_cells_read_back_verbatim(capsys):
    _, out, _ = print_tables(capsys, CHANGJI, "--table", "3", "--format", "tsv")
    header, rows = tsv_rows(out)
    assert header[:3] == ["功能分类科目编码 类", "功能分类科目编码 款", "功能分类科目编码 项"]
    assert [row[:3] for row in rows[:2]] == [["201", "03", "01"], ["201", "03", "50"]]


def test_cells_are_blank_where_the_form_leaves_them_blank_and_table_8_prints_zeros(capsys):
    _, out, _ = print_tables(capsys, CHANGJI, "--table", "3,8", "--format", "tsv")
    third, eighth = out.split("\f")
    _, rows = tsv_rows(third)
    assert [row[6] for row in rows] == ["", "", ""]  # no 项目支出
    assert "0.00" not in third
    _, rows = tsv_rows(eighth)
    assert rows == [["45.60", "0.00", "42.00", "0.00", "42.00", "3.60"]]


@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.stem)
@pytest.mark.parametrize("fmt", ALIGNED_FORMATS)
def test_every_line_of_a_grid_has_the_same_display_width(capsys, path, fmt):
    _, out, _ = print_tables(capsys, path, "--table", "all", "--format", fmt)
    for chunk in out.split("\f"):
        widths = {width(line) for line in grid_lines(chunk)}
        assert len(widths) == 1, chunk


def test_chinese_text_is_aligned_by_display_width(capsys):
    _, out, _ = print_tables(capsys, CHANGJI, "--table", "6", "--format", "grid")
    bars = {tuple(_bar_columns(line)) for line in grid_lines(out) if line.startswith("|")}
    assert len(bars) == 1  # every | sits in the same terminal column


def _bar_columns(line: str) -> list[int]:
    return [width(line[:i]) for i, char in enumerate(line) if char == "|"]


@pytest.mark.parametrize("fmt", ["simple", "grid"])
@pytest.mark.parametrize("path", SAMPLES, ids=lambda path: path.stem)
def test_width_fits_every_line_and_wraps_long_names(capsys, path, fmt):
    _, wide, _ = print_tables(capsys, path, "--table", "all", "--format", fmt)
    code, narrow, _ = print_tables(capsys, path, "--table", "all", "--format", fmt, "--width", 120)
    assert code == 0
    assert max(width(line) for line in wide.splitlines()) > 120
    assert max(width(line) for line in narrow.replace("\f", "\n").splitlines()) <= 120
    assert len(narrow.splitlines()) > len(wide.splitlines())  # something wrapped


def test_a_narrow_width_wraps_names_without_losing_figures(capsys):
    _, out, _ = print_tables(capsys, CHANGJI, "--table", "1", "--width", 60)
    assert max(width(line) for line in out.splitlines()) <= 60
    assert out.count("1695.33") == 7  # 财政拨款, 一般公共预算, 201, two 小计, two 总计
    assert "  一般公共预算" in out  # the indent under 财政拨款 survives


def test_wrap_cuts_by_display_width():
    assert wrap("机关事业单位基本养老保险缴费", 8) == ["机关事业", "单位基本", "养老保险", "缴费"]
    assert wrap("  一般公共预算", 40) == ["  一般公共预算"]
    assert all(width(line) <= 5 for line in wrap("城区 school 配套", 5))


def test_compact_option_drops_empty_columns_from_the_print(capsys):
    _, full, _ = print_tables(capsys, CHANGJI, "--table", "2")
    _, compact, _ = print_tables(capsys, CHANGJI, "--table", "2", "--compact")
    assert "政府性基金预算拨款" in full and "政府性基金预算拨款" not in compact
    assert "一般公共预算拨款" in compact and "1642.52" in compact


def test_all_separates_the_tables_with_form_feeds(capsys):
    _, out, _ = print_tables(capsys, CHANGJI, "--table", "all")
    chunks = out.split("\f")
    assert len(chunks) == 9
    assert [chunk.splitlines()[0][:2] for chunk in chunks] == [f"表{n}" for n in "一二三四五六七八九"]


def test_every_table_starts_with_its_title_block(capsys):
    _, out, _ = print_tables(capsys, CHANGJI, "--table", "all")
    for chunk, table in zip(out.split("\f"), build_tables(load(CHANGJI))):
        heading, department = chunk.splitlines()[:2]
        assert heading == table.heading
        assert department.startswith("编制部门：昌吉回族自治州人民政府办公室")
        assert department.endswith("单位：万元")


def test_the_unit_comes_from_the_budget(capsys, write_budget):
    path = write_budget('[department]\nname = "测试局"\nyear = 2020\nunit = "元"\n\n[basic.2010301]\n30101 = 100000\n')
    _, out, _ = print_tables(capsys, path, "--table", "3", "--format", "tsv")
    assert out.splitlines()[:3] == ["表三：部门支出总体情况表", "编制部门：测试局", "单位：元"]
    assert "100000.00" in out


@pytest.mark.parametrize("fmt", ["simple", "grid", "github", "tsv", "html"])
def test_the_tested_formats_print(capsys, fmt):
    code, out, err = print_tables(capsys, SYNTHETIC, "--table", "7", "--format", fmt)
    assert code == 0 and err == ""
    assert "学前教育生均公用经费补助" in out and "652.90" in out


def test_an_unknown_format_exits_2_with_a_message(capsys):
    code, out, err = print_tables(capsys, CHANGJI, "--table", "1", "--format", "nosuchformat")
    assert code == 2 and out == ""
    assert "unknown format 'nosuchformat'" in err and "grid" in err


@pytest.mark.parametrize("bad", ["0", "10", "x", "1,,2", "3-5", "all,1"])
def test_a_bad_table_number_exits_2_with_a_message(capsys, bad):
    code, out, err = print_tables(capsys, CHANGJI, "--table", bad)
    assert code == 2 and out == ""
    assert "--table" in err and "1-9" in err


def test_a_bad_width_exits_2(capsys):
    code, _, err = print_tables(capsys, CHANGJI, "--table", "1", "--width", 0)
    assert code == 2 and "--width" in err


@pytest.mark.parametrize(
    "text, numbers",
    [("all", list(range(1, 10))), ("ALL", list(range(1, 10))), ("3,5,6", [3, 5, 6]), (" 6 , 3 ,6", [6, 3]), ("9", [9])],
)
def test_table_numbers_are_parsed(text, numbers):
    assert parse_table_numbers(text) == numbers


def test_a_table_number_out_of_range_is_refused():
    with pytest.raises(UsageError):
        parse_table_numbers("1,99")


def test_an_unreadable_file_is_reported_with_its_line(capsys, write_budget):
    path = write_budget('[department]\nname = "测试局"\nyear = 2020\n\n[basic.2010301]\n30101 = "ten"\n')
    code, out, err = print_tables(capsys, path, "--table", "1")
    assert code == 2 and out == ""
    assert f"{path}:6:" in err


# Text from the file is data.

MALICIOUS = (
    '[department]\nname = "测试局\\u001b]0;pwned\\u0007"\nyear = 2020\n\n'
    '[names]\n30101 = "<script>x</script>\\u001b[31m"\n\n[basic.2010301]\n30101 = 10.00\n'
)


@pytest.mark.parametrize("fmt", ["html", "unsafehtml"])
def test_names_are_html_escaped_and_stripped_of_escapes(capsys, write_budget, fmt):
    _, out, _ = print_tables(capsys, write_budget(MALICIOUS), "--table", "all", "--format", fmt)
    assert "\x1b" not in out and "\x07" not in out
    assert "<script>" not in out
    assert "&lt;script&gt;x&lt;/script&gt;" in out


@pytest.mark.parametrize("fmt", ["simple", "grid", "tsv"])
def test_control_characters_never_reach_the_terminal(capsys, write_budget, fmt):
    _, out, _ = print_tables(capsys, write_budget(MALICIOUS), "--table", "all", "--format", fmt)
    assert "\x1b" not in out and "\x07" not in out
    assert "<script>x</script>" in out and "[31m" not in out  # the whole escape sequence is gone
    assert "编制部门：测试局" in out and "pwned" not in out  # the terminal title sequence is dropped whole


def test_render_table_cleans_names_given_directly():
    table = build_table(load(CHANGJI), 3)
    poisoned = dataclasses.replace(table, department="局\x1b[2J")
    assert "\x1b" not in render_table(poisoned)


def test_print_through_a_subprocess():
    result = subprocess.run(
        [sys.executable, "-m", "budget_tui", "print", str(CHANGJI), "--table", "8", "--format", "grid"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("表八：一般公共预算“三公”经费支出情况表")
    assert "45.60" in result.stdout and "3.60" in result.stdout
