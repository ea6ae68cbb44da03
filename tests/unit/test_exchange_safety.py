"""Exports that cannot run as formulas or take over a terminal, and import/export files written as saves are
(issue 12, items 15 and 17): one formula guard for every spreadsheet-bound output, JSON with its controls
escaped, the mode, owner and symlink of a replaced output kept, UTF-16 named, formulas without a value refused."""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from budget_tui.cli import main
from budget_tui.files.exchange.lines import FORMULA_STARTS
from budget_tui.files.fileformat import load
from tests.conftest import SYNTHETIC

ROOT = Path(__file__).resolve().parents[2]
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}

HOSTILE = r"""
[department]
name = "测试局\u202e\u009b31m\u0085"
year = 2021

[names]
30201 = "=HYPERLINK(\"http://x\",\"click\")"
2010301 = "@SUM(1)"

[basic.2010301]
30201 = 3.00

[[projects]]
name = "=cmd|' /C calc'!A0"
functional = "2010302"
code = "-2+3"
30227 = 1.00

[[projects]]
name = "+1 服务\u009b31m\u2028"
functional = "2010302"
30201 = 2.00

[[projects]]
name = "\t=tab"
functional = "2010302"
30202 = 2.00

[[projects]]
name = "\r-cr\u007f\u2066"
functional = "2010302"
30203 = 2.00
"""
# The names as the file gives them, which JSON keeps exactly.
EXACT_NAMES = {
    "测试局\u202e\u009b31m\u0085", '=HYPERLINK("http://x","click")', "@SUM(1)", "=cmd|' /C calc'!A0", "-2+3",
    "+1 服务\u009b31m\u2028", "\t=tab", "\r-cr\u007f\u2066",
}
RAW_IN_JSON = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    path = tmp_path / "hostile.toml"
    path.write_text(HOSTILE, "utf-8")
    return path


def export(path: Path, to: str, output: Path, *options: str) -> int:
    return main(["export", str(path), "--to", to, "-o", str(output), *options])


def assert_guarded(cells: list[str]) -> None:
    """No cell a spreadsheet would run: formula-like text starts with the ' guard."""
    unguarded = [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert unguarded == []
    assert any(cell.startswith("'") for cell in cells)


# Item 15: one guard for every spreadsheet-bound output.


def test_csv_cells_are_guarded(tmp_path, hostile):
    assert export(hostile, "csv", tmp_path / "l.csv") == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "l.csv").read_text("utf-8-sig"))))
    assert_guarded([cell for row in rows[1:] for cell in row[:-1]])  # the last column is the amount, a number
    assert {row[6] for row in rows[1:]} >= {"'=cmd|' /C calc'!A0", "'=tab", "'-cr"}


def test_fiscal_data_package_csv_cells_are_guarded(tmp_path, hostile):
    assert export(hostile, "fdp", tmp_path / "package") == 0
    rows = list(csv.reader(io.StringIO((tmp_path / "package" / "budget-lines.csv").read_text("utf-8"))))
    assert_guarded([cell for row in rows[1:] for cell in row[:-1]])
    projects = {row[rows[0].index("project")] for row in rows[1:]}
    assert projects >= {"'=cmd|' /C calc'!A0", "'=tab", "'-cr"}
    assert {row[rows[0].index("project_code")] for row in rows[1:]} >= {"'-2+3"}


def test_workbook_text_cells_are_text_and_quoted(tmp_path, hostile):
    assert export(hostile, "xlsx", tmp_path / "w.xlsx") == 0
    workbook = openpyxl.load_workbook(tmp_path / "w.xlsx")
    formula_like = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS)
    ]
    assert {cell.value for cell in formula_like} >= {"=cmd|' /C calc'!A0", "@SUM(1)", "=tab", "-cr"}
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in formula_like)
    plain = workbook.worksheets[0]["A1"]
    assert plain.value == "功能分类科目编码" and not plain.quotePrefix


@pytest.mark.parametrize("to", ["csv", "xlsx"])
def test_guarded_names_import_back_unguarded(tmp_path, hostile, to):
    exported = tmp_path / f"l.{to}"
    assert export(hostile, to, exported) == 0
    assert main(["import", str(exported), "-o", str(tmp_path / "back.toml"), "--department", "x", "--year", "2021"]) == 0
    assert {line.project for line in load(tmp_path / "back.toml").lines} == {
        None, "=cmd|' /C calc'!A0", "+1 服务", "=tab", "-cr",
    }


def test_json_keeps_names_exact_and_escapes_every_control_and_bidi_character(tmp_path, hostile):
    assert export(hostile, "json", tmp_path / "l.json") == 0
    text = (tmp_path / "l.json").read_text("utf-8")
    assert RAW_IN_JSON.findall(re.sub(r"\n *", "", text)) == []
    assert "\\u202e" in text and "\\u009b" in text and "\\u007f" in text and "\\u2028" in text
    document = json.loads(text)
    names = {document["department"]["name"]} | {
        value for line in document["lines"] for key, value in line.items() if key.endswith(("name", "project", "code")) and value
    }
    assert EXACT_NAMES <= names
    assert "测试局" in text  # Chinese stays readable, not \\u-escaped


def test_datapackage_json_escapes_controls_and_bidi(tmp_path, hostile):
    assert export(hostile, "fdp", tmp_path / "package") == 0
    text = (tmp_path / "package" / "datapackage.json").read_text("utf-8")
    assert RAW_IN_JSON.findall(re.sub(r"\n *", "", text)) == []
    assert json.loads(text)["title"] == "测试局\u202e\u009b31m\u0085 2021年部门预算"


# Item 17: import and export write their files as a save does.


def run(args: list[str], umask: int = 0o022, user: bool = False) -> subprocess.CompletedProcess:
    as_user = ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups"] if user else []
    command = ["sh", "-c", f'umask {umask:03o}; exec "$@"', "sh", *as_user, sys.executable, "-m", "budget_tui", *args]
    return subprocess.run(command, capture_output=True, text=True, encoding="utf-8", timeout=120, env=ENV)


@pytest.fixture
def line_list(tmp_path: Path) -> Path:
    path = tmp_path / "lines.csv"
    path.write_text("功能分类科目编码,经济分类科目编码,金额\n2010301,30101,5\n", "utf-8")
    return path


def writes(command: str, output: Path, source: Path, *options: str) -> list[str]:
    if command == "export":
        return ["export", str(SYNTHETIC), "--to", "csv", "-o", str(output), *options]
    return ["import", str(source), "-o", str(output), "--department", "测试局", "--year", "2021", *options]


@pytest.mark.parametrize("command", ["export", "import"])
@pytest.mark.parametrize("umask, mode", [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)], ids=["022", "027", "002"])
def test_a_new_output_gets_the_umask_mode(tmp_path, line_list, command, umask, mode):
    output = tmp_path / "out.toml"
    for options in ([], ["--force"]):  # a new file, with or without --force
        output.unlink(missing_ok=True)
        result = run(writes(command, output, line_list, *options), umask)
        assert result.returncode == 0, result.stderr
        assert stat.S_IMODE(output.stat().st_mode) == mode


@pytest.mark.parametrize("command", ["export", "import"])
def test_a_replaced_output_keeps_its_mode_owner_and_group_and_its_symlink(tmp_path, line_list, command):
    target = tmp_path / "real.toml"
    target.write_text("old", "utf-8")
    os.chmod(target, 0o604)
    if os.geteuid() == 0:
        os.chown(target, 65534, 65534)
    link = tmp_path / "link.toml"
    link.symlink_to(target.name)
    result = run(writes(command, link, line_list, "--force"))
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and os.readlink(link) == target.name
    assert target.read_text("utf-8") != "old"
    status = target.stat()
    assert stat.S_IMODE(status.st_mode) == 0o604
    if os.geteuid() == 0:
        assert (status.st_uid, status.st_gid) == (65534, 65534)
    assert not list(tmp_path.glob(".*.tmp"))


@pytest.mark.parametrize("command", ["export", "import"])
def test_a_read_only_output_is_refused_for_a_user_who_may_not_write_it(command):
    if shutil.which("setpriv") is None or os.geteuid() != 0:
        pytest.skip("needs root and setpriv to run as a second, non-root user (uid 65534)")
    folder = Path(tempfile.mkdtemp(dir="/tmp"))
    try:
        os.chmod(folder, 0o777)
        source = folder / "lines.csv"
        source.write_text("功能分类科目编码,经济分类科目编码,金额\n2010301,30101,5\n", "utf-8")
        output = folder / "out.toml"
        output.write_text("keep", "utf-8")
        os.chmod(output, 0o444)
        os.chown(output, 65534, 65534)
        result = run(writes(command, output, source, "--force"), user=True)
        assert result.returncode == 2
        assert result.stderr == (
            f"budget-tui: {output} is read-only (mode 0444); make it writable or give another output with -o\n"
        )
        assert output.read_text("utf-8") == "keep"
    finally:
        shutil.rmtree(folder)


# Item 17: UTF-16 is named as such.

UTF16_LIST = "功能分类科目编码,经济分类科目编码,金额\n2010301,30101,5\n"


@pytest.mark.parametrize("encoding, order", [("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE")])
def test_a_utf16_csv_without_a_byte_order_mark_is_named(tmp_path, encoding, order):
    source = tmp_path / "lines.csv"
    source.write_bytes(UTF16_LIST.encode(encoding))
    result = run(writes("import", tmp_path / "out.toml", source))
    assert result.returncode == 2
    assert result.stderr == (
        f"budget-tui import: {source}: looks like UTF-16 text ({order}) without a byte order mark; "
        "save it as CSV UTF-8 (or with Excel's Unicode text, which marks it)\n"
    )


@pytest.mark.parametrize("bom, encoding", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")], ids=["le", "be"])
def test_a_utf16_csv_with_a_byte_order_mark_is_read(tmp_path, capsys, bom, encoding):
    # Excel's "Unicode text": UTF-16 with its byte order mark, tab-separated.
    source = tmp_path / "lines.txt"
    source.write_bytes(bom + UTF16_LIST.replace(",", "\t").encode(encoding))
    output = tmp_path / "out.toml"
    assert main(writes("import", output, source)) == 0, capsys.readouterr().err
    assert [(line.economic, line.amount) for line in load(output).lines] == [("30101", Decimal("5"))]


@pytest.mark.parametrize(
    "data, order",
    [
        ('[department]\nname = "x"\nyear = 2021\n'.encode("utf-16-le"), "UTF-16LE"),
        ('[department]\nname = "测试局"\nyear = 2021\n'.encode("utf-16-be"), "UTF-16BE"),
        ('[department]\nname = "测试局"\nyear = 2021\n'.encode("utf-16"), "UTF-16LE"),
        (codecs.BOM_UTF16_BE + '[department]\nname = "x"\nyear = 2021\n'.encode("utf-16-be"), "UTF-16BE"),
    ],
    ids=["le-ascii", "be-chinese", "le-bom", "be-bom"],
)
def test_a_utf16_budget_file_is_named_as_utf16_not_gbk(tmp_path, data, order):
    path = tmp_path / "budget.toml"
    path.write_bytes(data)
    result = subprocess.run(
        [sys.executable, "-m", "budget_tui", "print", str(path)], capture_output=True, text=True, timeout=120, env=ENV
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"budget-tui: {path}:1:1: is {order} text, not UTF-8; convert it with: iconv -f {order} -t UTF-8 '{path}' > converted.toml\n"
    )


def test_a_gbk_budget_file_is_still_named_gbk(tmp_path, capsys):
    path = tmp_path / "budget.toml"
    path.write_bytes('[department]\nname = "测试局"\nyear = 2021\n'.encode("gb18030"))
    assert main(["print", str(path)]) == 2
    assert "it looks like GBK (GB18030)" in capsys.readouterr().err


# Item 17: a formula without a computed value is a skipped row, never a blank.

HEADINGS = ["功能分类科目编码", "经济分类科目编码", "金额", "备注"]


def workbook_with_cells(tmp_path: Path, cells: dict[str, bytes]) -> Path:
    """A workbook whose cells (by reference) are replaced by the given XML, as other programs write them."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADINGS)
    for row in range(2, 7):
        sheet.append(["2010301", f"3010{row}", row, "ok"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    source, out = zipfile.ZipFile(io.BytesIO(buffer.getvalue())), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                for reference, xml in cells.items():
                    content, count = re.subn(rb'<c r="%s"[^>]*?(?:/>|>.*?</c>)' % reference.encode(), xml, content)
                    assert count == 1
            archive.writestr(info.filename, content)
    path = tmp_path / "formulas.xlsx"
    path.write_bytes(out.getvalue())
    return path


def test_formulas_without_a_computed_value_are_skipped_rows_with_the_reason(tmp_path):
    source = workbook_with_cells(
        tmp_path,
        {
            "C2": b'<c r="C2"><f>1+1</f><v>2</v></c>',  # computed by Excel: imported with its value
            "C3": b'<c r="C3"><f>1+2</f><v></v></c>',  # written by a program, never computed
            "C4": b'<c r="C4"><f t="shared" ref="C4:C5" si="0">A4*0</f></c>',
            "C5": b'<c r="C5"><f t="shared" si="0"/></c>',
            "D6": b'<c r="D6"><f>"n"&amp;"b"</f></c>',  # in a column that is not read: the row is imported
            "B6": b'<c r="B6" t="str"><f t="array" ref="B6">"30106"</f><v>30106</v></c>',
        },
    )
    output = tmp_path / "out.toml"
    result = run(writes("import", output, source))
    assert result.returncode == 1, result.stderr
    reason = "skipped: formula without a computed value; open and save it in Excel first"
    assert [line for line in result.stderr.splitlines() if ": skipped: " in line] == [
        f"{source}[Sheet]:{row}: {reason}" for row in (3, 4, 5)
    ]
    assert "Traceback" not in result.stderr
    assert {(line.economic, line.amount) for line in load(output).lines} == {("30102", 2), ("30106", 6)}
