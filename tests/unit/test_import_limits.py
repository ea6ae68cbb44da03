"""Import limits (issue 12, item 13): sources are streamed and stopped at documented limits with one clear line,
and no budget is written that the loader would refuse."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest

from budget_tui.cli import main
from budget_tui.files import fileformat
from budget_tui.files.exchange import reading
from budget_tui.files.exchange.importing import read_line_list
from budget_tui.files.fileformat import load

HEADINGS = ["功能分类科目编码", "经济分类科目编码", "金额"]
ROOT = Path(__file__).resolve().parents[2]


def run_import(source: Path, output: Path, *options: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "budget_tui", "import", str(source), "-o", str(output), "--department", "测试局",
         "--year", "2021", *options],
        capture_output=True, text=True, encoding="utf-8", timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )


def import_in_process(source: Path, output: Path) -> int:
    return main(["import", str(source), "-o", str(output), "--department", "测试局", "--year", "2021"])


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr and stderr.count("\n") == 1, stderr
    return stderr


def workbook_bytes(rows: list[list[object]]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_sheet(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML changed by change(xml) -> xml, as a crafting tool would."""
    source, out = zipfile.ZipFile(io.BytesIO(data)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            content = source.read(info.filename)
            archive.writestr(info.filename, change(content) if info.filename == "xl/worksheets/sheet1.xml" else content)
    return out.getvalue()


def claim_dimension(xml: bytes) -> bytes:
    return re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', xml)


def add_rows(*rows: bytes):
    return lambda xml: claim_dimension(xml).replace(b"</sheetData>", b"".join(rows) + b"</sheetData>")


GOOD = [HEADINGS, ["2010301", "30101", 5]]


@pytest.mark.parametrize(
    "case, rows, expected",
    [
        # A cell in the last row Excel has: the rows between are claimed, not held.
        ("last-row", [b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row>'],
         "has more than 200,000 rows, the most a line list may have"),
        # An empty row at the end, as a sheet with a formatted last row has.
        ("empty-last-row", [b'<row r="1048576" ht="20" customHeight="1"/>'], "has more than 200,000 rows"),
        # A value in the last column (XFD): each row would be 16,384 cells wide.
        ("last-column", [b'<row r="3"><c r="XFD3" t="inlineStr"><is><t>x</t></is></c></row>'],
         ":3: has a value beyond column 256"),
    ],
)
def test_a_small_workbook_that_claims_a_huge_sheet_is_refused_at_once(tmp_path, case, rows, expected):
    source = tmp_path / f"{case}.xlsx"
    source.write_bytes(with_sheet(workbook_bytes(GOOD), add_rows(*rows)))
    assert source.stat().st_size < 10_000
    output = tmp_path / "out.toml"
    result = run_import(source, output)  # the old reader took minutes and gigabytes (the timeout fails it)
    assert result.returncode == 2
    message = one_line(result.stderr)
    assert message.startswith(f"budget-tui import: {source}[Sheet]") and expected in message
    assert not output.exists()


def test_a_claimed_dimension_and_an_empty_far_cell_are_ignored(tmp_path):
    # Only the rows the sheet holds are read; a formatted but empty cell far to the right holds nothing.
    source = tmp_path / "wide.xlsx"
    source.write_bytes(with_sheet(workbook_bytes(GOOD), add_rows(b'<row r="3"><c r="XFD3" s="0"/></row>')))
    output = tmp_path / "out.toml"
    result = run_import(source, output)
    assert result.returncode == 0, result.stderr
    assert [(line.key.economic, line.amount) for line in load(output).lines] == [("30101", 5)]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_row_limit_stops_a_sheet_or_csv_with_one_line(tmp_path, monkeypatch, capsys, kind):
    monkeypatch.setattr(reading, "MAX_ROWS", 50)
    rows = [HEADINGS] + [["2010301", f"3{index:04d}", "1"] for index in range(10100, 10160)]
    source = tmp_path / f"lines.{kind}"
    if kind == "csv":
        source.write_text("\n".join(",".join(row) for row in rows) + "\n", "utf-8")
        label = str(source)
    else:
        source.write_bytes(workbook_bytes(rows))
        label = f"{source}[Sheet]"
    output = tmp_path / "out.toml"
    assert import_in_process(source, output) == 2
    err = capsys.readouterr().err
    assert err == (
        f"budget-tui import: {label}: has more than 50 rows, the most a line list may have; "
        "delete the rows after row 50 (empty ones included) or split the list\n"
    )
    assert not output.exists()


def test_an_80_megabyte_csv_is_refused_before_it_is_read(tmp_path):
    source = tmp_path / "huge.csv"
    with open(source, "wb") as file:
        file.write(b",".join(word.encode() for word in HEADINGS) + b"\n")
        file.truncate(80 * 1024 * 1024)  # sparse: 80 MB on paper, nothing on disk
    output = tmp_path / "out.toml"
    result = run_import(source, output)
    assert result.returncode == 2
    assert one_line(result.stderr) == (
        f"budget-tui import: {source}: is 80.0 MB, more than a line list may be (64 MB); split it\n"
    )
    assert not output.exists()


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_the_size_limit_is_checked_before_reading(tmp_path, monkeypatch, capsys, kind):
    monkeypatch.setattr(reading, "MAX_SOURCE_BYTES", 1024 * 1024)
    source = tmp_path / f"lines.{kind}"
    source.write_bytes(b"x" * (2 * 1024 * 1024) if kind == "csv" else b"PK\x03\x04" + b"x" * (2 * 1024 * 1024))
    monkeypatch.setattr(reading, "_encoding", lambda *args: pytest.fail("the file was read"))
    monkeypatch.setattr(reading, "_workbook_sheets", lambda *args: pytest.fail("the file was read"))
    assert import_in_process(source, tmp_path / "out.toml") == 2
    assert "is 2.0 MB, more than a line list may be (1 MB); split it" in capsys.readouterr().err


def test_a_workbook_that_unpacks_to_too_much_is_refused_before_it_is_read(tmp_path, monkeypatch, capsys):
    # A zip bomb: a small file whose parts unpack to far more; the limit is lowered to keep the test small.
    monkeypatch.setattr(reading, "MAX_UNPACKED_BYTES", 100_000)
    padding = b"<!--" + b" " * 200_000 + b"-->"
    source = tmp_path / "bomb.xlsx"
    source.write_bytes(with_sheet(workbook_bytes(GOOD), lambda xml: xml.replace(b"<sheetData>", padding + b"<sheetData>")))
    assert source.stat().st_size < 20_000
    monkeypatch.setattr("openpyxl.load_workbook", lambda *args, **kwargs: pytest.fail("the workbook was opened"))
    assert import_in_process(source, tmp_path / "out.toml") == 2
    assert "unpacks to 0 MB, more than a line list may unpack to (0 MB)" in capsys.readouterr().err


def test_a_fifo_source_is_refused_not_read_for_ever(tmp_path):
    source = tmp_path / "lines.csv"
    os.mkfifo(source)
    result = run_import(source, tmp_path / "out.toml")
    assert result.returncode == 2
    assert one_line(result.stderr) == f"budget-tui import: {source}: is not a regular file; give a CSV or XLSX file\n"


def test_rows_are_streamed_memory_stays_bounded(tmp_path):
    # 100,000 rows of 100 bytes (10 MB): the old reader held the text and every row at once (about 70 MB at
    # its peak); streaming holds a chunk and a row, whatever the size of the file.
    source = tmp_path / "long.csv"
    with open(source, "w", encoding="utf-8") as file:
        file.write(",".join(HEADINGS) + "\n2010301,30101,5\n")
        file.write((" , , " + " " * 94 + "\n") * 100_000)
    size = source.stat().st_size
    assert size > 10_000_000
    tracemalloc.start()
    try:
        imported = read_line_list(source, {})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert [line.economic for line in imported.lines] == ["30101"]
    assert peak < 4 * 1024 * 1024, f"peak {peak} bytes for a {size}-byte file"


def test_no_budget_is_written_that_the_loader_refuses(tmp_path, monkeypatch, capsys):
    # The loader refuses a budget file larger than fileformat.MAX_FILE_BYTES (lowered here): the import parses
    # what it wrote with the real loader before it replaces anything, and refuses.
    monkeypatch.setattr(fileformat, "MAX_FILE_BYTES", 600)
    source = tmp_path / "lines.csv"
    source.write_text(
        ",".join(HEADINGS) + "\n" + "".join(f"2010301,{code},1\n" for code in range(30101, 30131)), "utf-8"
    )
    output = tmp_path / "out.toml"
    output.write_text("keep me", "utf-8")
    assert main(["import", str(source), "-o", str(output), "--department", "测试局", "--year", "2021", "--force"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"budget-tui: {output}: not written: the budget made from the source would not load: is ")
    assert "more than a budget file can be" in err and err.count("\n") == 1
    assert output.read_text("utf-8") == "keep me"
    assert not list(tmp_path.glob(".*.tmp"))
    assert import_in_process(source, tmp_path / "new.toml") == 2
    assert not (tmp_path / "new.toml").exists()
