"""Arguments (issue 14 items 14 and 15): `-` reads a budget from standard input for print, check, report and export;
an option that does not apply is an error with exit 2; --depth below 1 is refused; --width narrower than a table can
be printed is a warning naming the table and the width it needs."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from budget_tui.cli import main
from budget_tui.core.safetext import width
from budget_tui.files import fileformat
from tests.conftest import CHANGJI, ROOT, SYNTHETIC

ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def run(args: list[str], stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "budget_tui", *args], input=stdin, capture_output=True, timeout=120, env=ENV, cwd=cwd
    )


def in_process(capsys, monkeypatch, args: list[str], stdin: bytes) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin)))
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# Item 14: - is standard input.


@pytest.mark.parametrize(
    "args",
    [
        ["print", "{}"],
        ["print", "{}", "--economic", "--depth", "2"],
        ["print", "{}", "--table", "all"],
        ["print", "{}", "--table", "3", "--format", "tsv"],
        ["check", "{}"],
        ["check", "{}", "--format", "json"],
        ["report", "{}"],
        ["report", "{}", "--format", "md"],
        ["export", "{}", "--to", "csv"],
        ["export", "{}", "--to", "json"],
    ],
    ids=lambda args: "-".join(part.strip("-{}") for part in args if part != "{}"),
)
def test_standard_input_gives_what_the_file_gives(capsys, monkeypatch, args):
    from_file = main([part.format(SYNTHETIC) for part in args]), capsys.readouterr()
    code, out, err = in_process(capsys, monkeypatch, [part.format("-") for part in args], SYNTHETIC.read_bytes())
    assert (code, out) == (from_file[0], from_file[1].out.replace(str(SYNTHETIC), "<stdin>"))
    assert err == from_file[1].err.replace(str(SYNTHETIC), "<stdin>")


def test_the_real_command_reads_a_pipe():
    result = run(["print", "-", "--depth", "1"], stdin=CHANGJI.read_bytes())
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode().split() == ["201", "一般公共服务支出", "1695.33", "-" * 29, "合计（万元）", "1695.33"]


def test_check_names_standard_input_in_its_findings(capsys, monkeypatch):
    code, out, _ = in_process(capsys, monkeypatch, ["check", "-", "--format", "json"], SYNTHETIC.read_bytes())
    findings = json.loads(out)
    assert findings and {finding["path"] for finding in findings} == {"<stdin>"}


@pytest.mark.parametrize(
    "data, expected",
    [
        (b"[department\n", "budget-tui: <stdin>:1:12: not valid TOML"),
        (b'[department]\nname = "x"\nyear = "2020"\n', "budget-tui: <stdin>:3:1: [department] needs year"),
        (b"", "budget-tui: <stdin>:1:1: the file is empty"),
        ('[department]\nname = "测试局"\n'.encode("gbk"), "budget-tui: <stdin>:2:9: is not UTF-8 text"),
    ],
    ids=["toml", "schema", "empty", "gbk"],
)
@pytest.mark.parametrize("command", ["print", "check", "report", "export"])
def test_bad_input_on_standard_input_is_named_stdin_with_line_and_column(command, data, expected):
    args = [command, "-"] + (["--to", "csv"] if command == "export" else [])
    result = run(args, stdin=data)
    err = result.stderr.decode()
    assert result.returncode == 2 and result.stdout == b""
    assert err.startswith(expected) and err.count("\n") == 1, err


def test_standard_input_is_bounded(monkeypatch, capsys):
    monkeypatch.setattr(fileformat, "MAX_FILE_BYTES", 1000)
    code, out, err = in_process(capsys, monkeypatch, ["print", "-"], b"#" * 5000)
    assert code == 2 and out == ""
    assert err == "budget-tui: <stdin>: is more than a budget file can be (0 MB); split it into one file per department\n"


def test_a_closed_standard_input_is_one_line():
    result = subprocess.run(
        ["sh", "-c", 'exec "$@" <&-', "sh", sys.executable, "-m", "budget_tui", "print", "-"],
        capture_output=True, text=True, timeout=120, env=ENV,
    )
    assert result.returncode == 2
    assert result.stderr == "budget-tui: <stdin>: standard input is closed; give the path of a budget file\n"


@pytest.mark.parametrize(
    "args, message",
    [
        (["print", "-", "--review"], "--review reads NAME.review.toml beside the budget file; give the file's path, not -"),
        (["export", "-", "--to", "xlsx"], "--to xlsx of standard input needs -o OUT"),
        (["export", "-", "--to", "fdp"], "--to fdp of standard input needs -o OUT"),
        (["-"], "the app cannot read a budget from standard input"),
    ],
)
def test_what_standard_input_cannot_give_is_said(args, message):
    result = run(args, stdin=CHANGJI.read_bytes())
    assert result.returncode == 2 and result.stdout == b""
    assert message in result.stderr.decode() and result.stderr.decode().count("\n") == 1


def test_export_of_standard_input_to_a_file(tmp_path):
    output = tmp_path / "lines.xlsx"
    result = run(["export", "-", "--to", "xlsx", "-o", str(output)], stdin=SYNTHETIC.read_bytes())
    assert result.returncode == 0, result.stderr
    assert output.read_bytes()[:2] == b"PK" and b"25 lines written" in result.stderr


def test_a_file_named_dash_is_still_reachable(tmp_path):
    (tmp_path / "-").write_bytes(CHANGJI.read_bytes())
    result = run(["print", "./-", "--depth", "1"], cwd=tmp_path, stdin=b"")
    assert result.returncode == 0 and b"1695.33" in result.stdout


# Item 15: options are validated.


@pytest.mark.parametrize(
    "args, message",
    [
        (["print", "{c}", "--table", "1", "--depth", "2"], "--depth is for the tree, not --table; drop it"),
        (["print", "{c}", "--table", "1", "--economic"], "--economic is for the tree, not --table; drop it"),
        (["print", "{c}", "--table", "1", "--merge"], "--merge is for the tree, not --table; drop it"),
        (["print", "{c}", "--width", "80"], "--width is for --table, not the tree; drop it"),
        (["print", "{c}", "--tree", "--format", "grid"], "--format is for --table, not the tree; drop it"),
        (["print", "{c}", "--compact"], "--compact is for --table, not the tree; drop it"),
        (["print", "{c}", "--review", "--depth", "1"], "--depth is for the tree, not --review; drop it"),
        (["print", "{c}", "--review", "--format", "grid"], "--format is for --table, not --review; drop it"),
        (["print", "{c}", "--merge"], f"--merge is for a folder of budget files (汇总); {CHANGJI} is not one"),
        (["print", "{c}", "--depth", "0"], "--depth: 0 is not a number of levels (1 or more)"),
        (["print", "{c}", "--depth", "-1"], "--depth: -1 is not a number of levels (1 or more)"),
        (["print", "{c}", "--table", "1", "--width", "0"], "--width: 0 is not a positive number of columns"),
        (["print", "{c}", "--table", "1", "--format", "tsv", "--width", "80"], "--width: the tsv format does not wrap cells"),
        (["print", "{c}", "--table", "1", "--format", "github", "--width", "80"], "--width: the github format does not wrap cells"),
        (["report", "{c}", "--percent-decimals", "7"], "--percent-decimals: 7 is not between 0 and 6"),
        (["export", "{c}", "--to", "csv", "--force"], "--force is for an output file; --to csv without -o goes to standard output"),
        (["export", "{c}", "--to", "json", "--force"], "--force is for an output file; --to json without -o goes to standard output"),
        (["diff", "{c}", "{c}", "--depth", "-1"], "--depth: -1 is not a number of levels (0 or more)"),
    ],
)
def test_an_option_that_does_not_apply_or_is_out_of_range_is_an_error(capsys, args, message):
    code = main([part.format(c=CHANGJI) for part in args])
    captured = capsys.readouterr()
    assert code == 2 and captured.out == ""
    assert message in captured.err and captured.err.startswith("budget-tui: ") and captured.err.count("\n") == 1


def test_the_options_of_each_kind_of_print_still_work(capsys, tmp_path):
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "a.toml").write_bytes(CHANGJI.read_bytes())
    for args in (
        ["print", str(CHANGJI), "--depth", "1", "--economic"],
        ["print", str(folder), "--merge", "--depth", "1"],
        ["print", str(CHANGJI), "--table", "2", "--format", "grid", "--width", "120", "--compact"],
        ["print", str(CHANGJI), "--review"],
        ["diff", str(CHANGJI), str(CHANGJI), "--depth", "0"],
    ):
        assert main(args) == 0, capsys.readouterr().err
        assert capsys.readouterr().err == ""


@pytest.mark.parametrize("fmt", ["simple", "grid"])
def test_a_width_narrower_than_a_table_can_be_printed_is_a_warning_naming_it(capsys, fmt):
    code = main(["print", str(CHANGJI), "--table", "1,6", "--format", fmt, "--width", "20"])
    captured = capsys.readouterr()
    assert code == 0
    warnings = captured.err.splitlines()
    chunks = captured.out.split("\f")
    assert [line.split(" cannot")[0] for line in warnings] == [
        "budget-tui: warning: 表一：部门收支总体情况表", "budget-tui: warning: 表六：一般公共预算基本支出情况表"
    ]
    for line, chunk in zip(warnings, chunks):
        needed = int(line.split("narrower than ")[1].split()[0])
        grid = [row for row in chunk.splitlines() if row and not row.startswith(("表", "编制部门：", "单位：", "备注："))]
        assert needed == max(width(row) for row in grid) > 20  # the width it took: the narrowest it can be
        assert line.endswith("columns (--width 20)")
    # Wide enough: no warning.
    assert main(["print", str(CHANGJI), "--table", "1", "--format", fmt, "--width", str(needed + 200)]) == 0
    assert capsys.readouterr().err == ""
