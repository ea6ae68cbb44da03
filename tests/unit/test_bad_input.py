"""The bad-input corpus (tests/bad_input/): each file gets its exact one-line message and exit status 2."""

from pathlib import Path

import pytest

from budget_tui.cli import main

CORPUS = Path(__file__).parent / "bad_input"

EXPECTED = {
    "gbk.toml": "2:9: is not UTF-8 text; it looks like GBK (GB18030); convert it with: "
    "iconv -f GB18030 -t UTF-8 '{path}' > converted.toml",
    "empty.toml": "1:1: the file is empty; a budget needs at least a [department] table",
    "syntax-missing-value.toml": "7:9: not valid TOML: a value is missing or malformed "
    "(text needs quotes, amounts are plain numbers such as 335.04)",
    "syntax-unclosed-header.toml": "7:15: not valid TOML: a [table] header is not closed with ]",
    "syntax-garbage.toml": "6:16: not valid TOML: something follows the value on this line; start a comment with #",
    "wrong-type-name.toml": "2:1: [department] needs name = \"the department's name\"",
    "wrong-type-basic.toml": "1:1: [basic] must be a table of functional codes, e.g. [basic.2010301]",
    "text-amount.toml": "6:1: the amount of 30101: '三百' is not a number but text in quotes; "
    "write the amount without quotes, such as 335.04",
    "nan.toml": "6:1: the amount of 30101: NaN is not a finite amount; write an amount such as 335.04",
    "inf.toml": "6:1: the amount of 30101: Infinity is not a finite amount; write an amount such as 335.04",
    "minus-inf.toml": "6:1: the amount of 30101: -Infinity is not a finite amount; write an amount such as 335.04",
    "duplicate-key.toml": "7:13: not valid TOML: a key is given twice; keep one of them",
    "duplicate-table.toml": "4:12: not valid TOML: a table is declared twice; merge the two",
    "deep-inline-tables.toml": "5:1: not valid TOML: nesting too deep to read",
    "deep-tables.toml": "4:1: a table header nests more than 32 levels; a budget needs at most 4",
}

ACCEPTED = {"bom.toml", "crlf.toml"}

# Files that load, but whose figures `check` refuses (exit 1): the finding each must produce.
CHECK_FINDINGS = {
    "check-three-decimals.toml": [
        "6: error [amount-precision]: the amount of 2010301 行政运行 / 30101 基本工资 is 10.125: amounts have at most two decimals"
    ],
    "check-negative.toml": ["6: error [amount-negative]: the amount of 2010301 行政运行 / 30101 基本工资 is negative (-5万元)"],
    "check-huge.toml": [
        "6: error [amount-absurd]: the amount of 2010301 行政运行 / 30101 基本工资 is 1000000000000万元, "
        "more than any budget in 万元; is the unit right?"
    ],
    "check-unknown-codes.toml": [
        "7: warning [code-unknown]: economic code 39988 is not in the catalogue; if it is a local code, name it in [names]: 39988 = \"…\"",
        "9: warning [code-unknown]: functional code 2019988 is not in the catalogue; if it is a local code, name it in [names]: 2019988 = \"…\"",
    ],
}


def test_every_corpus_file_has_an_expectation():
    assert {p.name for p in CORPUS.glob("*.toml")} == set(EXPECTED) | ACCEPTED | set(CHECK_FINDINGS)


@pytest.mark.parametrize("name", sorted(CHECK_FINDINGS))
def test_figures_check_refuses_are_named_with_their_line_and_exit_1(name, capsys):
    path = CORPUS / name
    assert main(["print", str(path)]) == 0  # it is a budget: it loads and prints
    capsys.readouterr()
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out.splitlines()
    for finding in CHECK_FINDINGS[name]:
        assert f"{path}:{finding}" in out


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_prints_its_exact_message_and_exits_2(name, capsys):
    path = CORPUS / name
    assert main(["print", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"budget-tui: {path}:{EXPECTED[name].format(path=path)}\n"


@pytest.mark.parametrize("name", sorted(ACCEPTED))
def test_bom_and_crlf_files_are_budgets(name, capsys):
    assert main(["print", str(CORPUS / name)]) == 0
    assert "30101 基本工资" in capsys.readouterr().out


def test_a_50_megabyte_file_is_refused_before_it_is_read(tmp_path, capsys):
    path = tmp_path / "huge.toml"
    with open(path, "wb") as handle:
        handle.write(b'[department]\nname = "x"\nyear = 2020\n')
        handle.truncate(50 * 1024 * 1024)
    assert main(["print", str(path)]) == 2
    assert capsys.readouterr().err == (
        f"budget-tui: {path}: is 50.0 MB, more than a budget file can be (16 MB); split it into one file per department\n"
    )
