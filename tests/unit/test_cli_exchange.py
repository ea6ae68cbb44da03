"""import and export through the one atomic writer (issue 13 item 2): negative amounts are warned about one line a
row, counts are words ("1 line", "2 lines"), the budget file is written by tomlkit, and write_file is
files/atomic.write_atomic with an export's extras (issue 14 item 17)."""

from __future__ import annotations

import os
import stat
from decimal import Decimal
from pathlib import Path

import pytest
import tomlkit

from budget_tui.cli import main
from budget_tui.core.model import Budget, Category, Department, Fund, Kind, Line
from budget_tui.files.atomic import save_lock
from budget_tui.files.exchange import files
from budget_tui.files.exchange.files import OutputError, OutputExists, write_file
from budget_tui.files.exchange.writing import budget_text
from budget_tui.files.fileformat import load, parse
from tests.conftest import SYNTHETIC

HEADINGS = "功能分类科目编码,经济分类科目编码,金额\n"


def import_list(capsys, tmp_path: Path, rows: str, *options: str) -> tuple[int, list[str], Path]:
    source = tmp_path / "lines.csv"
    source.write_text(HEADINGS + rows, "utf-8")
    output = tmp_path / "out.toml"
    code = main(["import", str(source), "-o", str(output), "--department", "测试局", "--year", "2021", *options])
    return code, capsys.readouterr().err.splitlines(), source


def test_negative_amounts_are_a_warning_a_row_and_are_imported(capsys, tmp_path):
    code, err, source = import_list(capsys, tmp_path, "2010301,30101,5\n2010301,30102,-3\n2010301,30103,1\n2010302,30201,-0.50\n")
    assert code == 0
    assert err == [
        f"{source}:3: warning: negative amount -3.00 (2010301 30102); imported as it is",
        f"{source}:5: warning: negative amount -0.50 (2010302 30201); imported as it is",
        f"budget-tui import: 4 lines written to {tmp_path / 'out.toml'}",
    ]
    assert sorted(line.amount for line in load(tmp_path / "out.toml").lines) == [Decimal("-3"), Decimal("-0.5"), 1, 5]


def test_warnings_and_skipped_rows_are_listed_in_the_order_of_the_rows(capsys, tmp_path):
    code, err, source = import_list(capsys, tmp_path, "2010301,30101,-5\n2010301,x,1\n2010301,30103,-1\n")
    assert code == 1
    assert [line.split(": ")[1] for line in err[:3]] == ["warning", "skipped", "warning"]
    assert [line.split(":")[1] for line in err[:3]] == ["2", "3", "4"]
    assert err[3].endswith("2 lines written to " + str(tmp_path / "out.toml") + "; 1 row skipped (listed above)")


@pytest.mark.parametrize("rows, said", [("2010301,30101,5\n", "1 line written"), ("2010301,30101,5\n2010301,30102,6\n", "2 lines written")])
def test_counts_are_words(capsys, tmp_path, rows, said):
    code, err, _ = import_list(capsys, tmp_path, rows)
    assert code == 0 and err == [f"budget-tui import: {said} to {tmp_path / 'out.toml'}"]


def test_export_counts_too(capsys, tmp_path):
    one = tmp_path / "one.toml"
    one.write_text('[department]\nname = "局"\nyear = 2021\n\n[basic.2010301]\n30101 = 1.00\n', "utf-8")
    assert main(["export", str(one), "--to", "csv", "-o", str(tmp_path / "one.csv")]) == 0
    assert capsys.readouterr().err == f"budget-tui export: 1 line written to {tmp_path / 'one.csv'}\n"


# The budget file, written by tomlkit.

HOSTILE = 'He "q" \\ \x1b[31m\x85\u202e反\n\x07'


def hostile_budget() -> Budget:
    lines = [
        Line("2010301", "30101", Decimal("60"), Kind.BASIC, Fund.GENERAL, None),
        Line("2010301", "30201", Decimal("0.5"), Kind.BASIC, Fund.BUSINESS, None),
        Line("2010302", "30201", Decimal("-3"), Kind.BASIC, Fund.BUSINESS, None),
        Line("2010301", "30227", Decimal("18"), Kind.BASIC, Fund.GENERAL, None, category_override=Category.PERSONNEL, name="外包"),
        Line("2010302", "30227", Decimal("15.00"), Kind.PROJECT, Fund.GENERAL, HOSTILE),
        Line("2120803", "31005", Decimal("123456789012.34"), Kind.PROJECT, Fund.GOVERNMENT_FUND, "城市建设配套"),
    ]
    return Budget(Department(HOSTILE + "局", 2021, "万元"), lines, {"30227": HOSTILE}, {HOSTILE: {"code": "P-1\x07"}})


def test_the_budget_file_reads_back_exactly_with_tomlkit_and_the_loader():
    budget = hostile_budget()
    text = budget_text(budget, "x\x1b.csv")
    assert tomlkit.dumps(tomlkit.parse(text)) == text
    loaded = parse(text.encode("utf-8"), "out.toml")
    facts = lambda lines: sorted((str(line.key), line.amount, line.category, line.name) for line in lines)  # noqa: E731
    assert facts(loaded.lines) == facts(budget.lines)
    assert loaded.department.name == budget.department.name and loaded.names == budget.names
    assert loaded.projects[HOSTILE]["code"] == "P-1\x07"
    # Every control character, C1 included, is an escape in the file: nothing reaches a terminal that shows it.
    assert not [char for char in text if char != "\n" and (ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F)]
    assert "\\u0085" in text and "\\u001b" in text
    assert "30101 = 60.00           # 基本工资\n" in text  # amounts with two decimals, names aligned as comments
    assert '30227 = { amount = 18.00, category = "人员经费", name = "外包" }' in text
    assert "31005 = 123456789012.34" in text


# One atomic writer.


def test_write_file_is_the_atomic_writer_of_saves(tmp_path, monkeypatch):
    calls = []
    real = files.write_atomic
    monkeypatch.setattr(files, "write_atomic", lambda *args, **kwargs: calls.append((args, kwargs)) or real(*args, **kwargs))
    target = tmp_path / "out.csv"
    write_file(target, b"a", force=False)
    write_file(target, b"b", force=True)
    assert target.read_bytes() == b"b" and len(calls) == 2
    with pytest.raises(OutputExists):
        write_file(target, b"c", force=False)
    assert len(calls) == 2 and target.read_bytes() == b"b"


def test_an_export_waits_for_a_save_of_the_same_file(tmp_path, monkeypatch):
    # The save lock is the one every writer takes: while another process holds it, the export is refused after the
    # wait (lowered here), and the file keeps its bytes.
    from budget_tui.files import atomic

    monkeypatch.setattr(atomic, "SAVE_LOCK_WAIT", 0.2)
    target = tmp_path / "out.csv"
    target.write_bytes(b"kept")
    with save_lock([target]):
        with pytest.raises(OutputError, match="another save of .* has not finished"):
            write_file(target, b"new", force=True)
    assert target.read_bytes() == b"kept"


def test_a_new_file_gets_the_umask_mode_and_a_replaced_one_keeps_its_mode(tmp_path):
    mask = os.umask(0o027)
    try:
        write_file(tmp_path / "new.csv", b"x", force=True)
        write_file(tmp_path / "new2.csv", b"x", force=False)
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "new.csv").stat().st_mode) == 0o640
    assert stat.S_IMODE((tmp_path / "new2.csv").stat().st_mode) == 0o640
    kept = tmp_path / "kept.csv"
    kept.write_bytes(b"old")
    os.chmod(kept, 0o604)
    write_file(kept, b"new", force=True)
    assert stat.S_IMODE(kept.stat().st_mode) == 0o604 and kept.read_bytes() == b"new"


def test_an_import_that_would_not_load_back_writes_nothing(capsys, tmp_path, monkeypatch):
    from budget_tui.files.exchange import importing

    monkeypatch.setattr(importing.fileformat, "MAX_FILE_BYTES", 100)
    code, err, _ = import_list(capsys, tmp_path, "2010301,30101,5\n")
    assert code == 2 and not (tmp_path / "out.toml").exists()
    assert err[0].startswith(f"budget-tui: {tmp_path / 'out.toml'}: not written: the budget made from the source would not load: is ")


def test_export_of_the_sample_still_reads_back(tmp_path, capsys):
    assert main(["export", str(SYNTHETIC), "--to", "csv", "-o", str(tmp_path / "l.csv")]) == 0
    assert main(["import", str(tmp_path / "l.csv"), "-o", str(tmp_path / "b.toml"), "--department", "局", "--year", "2021"]) == 0
    assert sorted(str(line.key) for line in load(tmp_path / "b.toml").lines) == sorted(str(line.key) for line in load(SYNTHETIC).lines)
    capsys.readouterr()
