"""Every command's error paths in Chinese (issue 17): a missing file, a bad amount in a budget and a bad option, run
with `--lang zh`, say their message in Chinese (CJK, and not the English sentence), keep the `PATH:LINE:COL:` (or
`--OPTION:`) prefix the English message has, and exit as the English run does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from budget_tui import cli

CJK = re.compile(r"[\u4e00-\u9fff]")
BAD_AMOUNT = '[department]\nname = "某部门"\nyear = 2020\n\n[basic.2010301]\n30101 = "1,5"\n'
"""A budget whose one amount (line 6) is text in quotes."""
TOO_PRECISE = '[department]\nname = "某部门"\nyear = 2020\n\n[basic.2010301]\n30101 = 1.1234567\n'
"""A budget whose one amount (line 6) has more decimals than any amount may have."""
LINE_LIST = "功能分类科目编码,经济分类科目编码,金额\n2010301,30101,5\n"


def run(capsys, lang: str, argv: list[str]) -> tuple[int, str]:
    """budget-tui --lang LANG ARGV: its exit status and what it said on standard error (argparse's errors exit)."""
    try:
        status = cli.main(["--lang", lang, *argv])
    except SystemExit as exit:
        status = int(exit.code or 0)
    return status, capsys.readouterr().err


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    (tmp_path / "bad-amount.toml").write_text(BAD_AMOUNT, "utf-8")
    (tmp_path / "too-precise.toml").write_text(TOO_PRECISE, "utf-8")
    (tmp_path / "lines.csv").write_text(LINE_LIST, "utf-8")
    return {
        "missing": tmp_path / "missing.toml",
        "bad": tmp_path / "bad-amount.toml",
        "precise": tmp_path / "too-precise.toml",
        "csv": tmp_path / "lines.csv",
        "out": tmp_path / "out.toml",
    }


CASES = {
    # a missing file, for every command that reads a budget or a line list: `PATH: what`
    "print missing": (["print", "{missing}"], "budget-tui: {missing}: "),
    "check missing": (["check", "{missing}"], "budget-tui: {missing}: "),
    "report missing": (["report", "{missing}"], "budget-tui: {missing}: "),
    "export missing": (["export", "{missing}", "--to", "csv"], "budget-tui: {missing}: "),
    "diff missing": (["diff", "{missing}", "{bad}"], "budget-tui: {missing}: "),
    "import missing": (["import", "{missing}", "-o", "{out}", "--department", "x", "--year", "2021"], "budget-tui import: {missing}: "),
    # a bad amount in a budget: `PATH:LINE:COL: what`
    "print bad amount": (["print", "{bad}"], "budget-tui: {bad}:6:1: "),
    "check bad amount": (["check", "{bad}"], "budget-tui: {bad}:6:1: "),
    "report bad amount": (["report", "{bad}"], "budget-tui: {bad}:6:1: "),
    "export bad amount": (["export", "{bad}", "--to", "json"], "budget-tui: {bad}:6:1: "),
    "diff bad amount": (["diff", "{bad}", "{bad}"], "budget-tui: {bad}:6:1: "),
    "check too many decimals": (["check", "{precise}"], "budget-tui: {precise}:6:1: "),
    # a bad option: `--OPTION: what`, or the whole message for a combination
    "print --depth": (["print", "--depth", "0", "{bad}"], "budget-tui: --depth: "),
    "print --table": (["print", "--table", "11", "{bad}"], "budget-tui: --table: "),
    "print --format": (["print", "--table", "1", "--format", "nope", "{bad}"], "budget-tui: --format: "),
    "print --width": (["print", "--table", "1", "--width", "0", "{bad}"], "budget-tui: --width: "),
    "print option for another output": (["print", "--table", "1", "--depth", "2", "{bad}"], "budget-tui: "),
    "print --review of stdin": (["print", "--review", "-"], "budget-tui: "),
    "report --percent-decimals": (["report", "--percent-decimals", "9", "{bad}"], "budget-tui: --percent-decimals: "),
    "diff --depth": (["diff", "--depth", "-1", "{bad}", "{bad}"], "budget-tui: diff: --depth: "),
    "diff --format": (["diff", "--format", "nope", "{bad}", "{bad}"], "budget-tui: diff: --format: "),
    "export --to of stdin": (["export", "-", "--to", "xlsx"], "budget-tui: "),
    "export --force to stdout": (["export", "{bad}", "--to", "csv", "--force"], "budget-tui: "),
    "import --map": (["import", "{csv}", "-o", "{out}", "--department", "x", "--year", "2021", "--map", "nope"], "budget-tui import: "),
    "import --year": (["import", "{csv}", "-o", "{out}", "--department", "x", "--year", "1800"], "budget-tui import: "),
    "argparse: a number expected": (["print", "--depth", "x", "{bad}"], "budget-tui print: "),
}


@pytest.mark.parametrize("case", CASES)
def test_an_error_is_said_in_chinese_with_its_place(capsys, files, case):
    argv, prefix = CASES[case]
    argv = [word.format(**files) for word in argv]
    prefix = prefix.format(**files)
    english_status, english = run(capsys, "en", argv)
    chinese_status, chinese = run(capsys, "zh", argv)

    assert english_status == chinese_status != 0
    english_line, chinese_line = english.strip().splitlines()[-1], chinese.strip().splitlines()[-1]
    assert english_line.startswith(prefix) and chinese_line.startswith(prefix), (english_line, chinese_line)
    english_message = english_line[len(prefix):]
    chinese_message = chinese_line[len(prefix):]
    assert CJK.search(chinese_message.replace(str(files["bad"]), "")), chinese_line
    assert english_message not in chinese_message, (english_line, chinese_line)


def test_the_chinese_of_a_bad_amount_names_the_amount_and_what_to_write(capsys, files):
    status, said = run(capsys, "zh", ["check", str(files["bad"])])
    assert status == 2
    assert said == f"budget-tui: {files['bad']}:6:1: 30101 的金额：'1,5' 不是数字，而是带引号的文本；请写不带引号的金额，如 335.04\n"


def test_the_chinese_of_a_missing_file(capsys, files):
    status, said = run(capsys, "zh", ["print", str(files["missing"])])
    assert status == 2
    assert said == f"budget-tui: {files['missing']}: 文件不存在；请给出预算 .toml 文件的路径\n"
