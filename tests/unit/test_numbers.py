"""Issue 12, items 5, 8 and 11: amounts are read by one rule everywhere, have a maximum, and no number
or fact, however extreme, makes print, check, report, export or import end in a traceback.

The rule (docs/format.md, "Amounts"): money.parse_number reads an amount written as text (an import
cell, the edit box, the journal); money.check_amount bounds every amount (finite, below
AMOUNT_LIMIT, at most MAX_DECIMALS decimals); the budget file holds numbers, never quoted text.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from budget_tui.core.checks import check_budget
from budget_tui.core.editing import EditError, Editor, evaluate
from budget_tui.core.figures import shares
from budget_tui.core.model import Line
from budget_tui.core.money import (
    AMOUNT_LIMIT,
    MAX_DECIMALS,
    AmountError,
    check_amount,
    is_amount,
    parse_number,
    to_amount,
)
from budget_tui.files.exchange.importing import RowError, parse_amount
from budget_tui.files.fileformat import BudgetFileError, load, parse
from budget_tui.files.journal import Journal
from budget_tui.text.report import write_report
from tests.conftest import CHANGJI, MINIMAL

HEAD = '[department]\nname = "测试局"\nyear = 2020\n'
LARGEST = "9999999999999.99"


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "budget_tui", *args],
        capture_output=True, text=True, encoding="utf-8", timeout=120, cwd=cwd,
    )


def assert_refused(result: subprocess.CompletedProcess, *expected: str) -> None:
    """Exit 2, nothing on standard output, one line on standard error with each expected part."""
    assert result.returncode == 2, (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr[-2000:]
    for part in expected:
        assert part in lines[0], lines[0]


def assert_no_traceback(result: subprocess.CompletedProcess) -> None:
    assert result.returncode in (0, 1), (result.returncode, result.stderr[-2000:])
    assert "Traceback" not in result.stderr and "Error" not in result.stderr


# -- the one rule for text ----------------------------------------------------------------------

# Text → the amount it is, the same for an import cell, the edit box and the journal.
READ = [
    ("335.04", "335.04"),
    ("16", "16"),
    (" 335.04 ", "335.04"),  # spaces around
    ("1,234.50", "1234.50"),  # commas between thousands
    ("12,345,678", "12345678"),
    ("１２３．５", "123.5"),  # full-width digits and point
    ("１，２３４", "1234"),  # a full-width comma between thousands
    ("¥1,234", "1234"),
    ("￥ 12", "12"),
    ("-5", "-5"),
    ("+5", "5"),
    ("－５", "-5"),  # a full-width minus
    (".5", "0.5"),
    ("1e3", "1000"),  # an exponent, as TOML writes numbers
    ("1E+3", "1000"),  # as str(Decimal) writes it (the journal)
    ("1.5e-1", "0.15"),
    (LARGEST, LARGEST),
    ("-" + LARGEST, "-" + LARGEST),
    ("1.123456", "1.123456"),  # six decimals: the most an amount may have (check names more than two)
    ("1.10000000000", "1.1"),  # trailing zeros are not decimals of the value
]

# Text that is refused, never guessed, with a word of the reason.
REFUSED = [
    ("1,5", "commas may only separate thousands"),  # 1.5 or 15?
    ("12,34.5", "commas may only separate thousands"),
    ("1,234,56", "commas may only separate thousands"),
    ("1_0.0_5", "is not a number"),  # underscores
    ("1_000", "is not a number"),
    ("1 234", "is not a number"),  # a space inside
    ("1\u00a0234", "is not a number"),  # a no-break space inside
    ("1.2.3", "is not a number"),
    ("--5", "is not a number"),
    ("NaN", "is not a number"),
    ("nan", "is not a number"),
    ("Infinity", "is not a number"),
    ("-inf", "is not a number"),
    ("0x10", "is not a number"),
    ("٣", "is not a number"),  # an Arabic-Indic digit
    ("三百", "is not a number"),
    ("", "no amount"),
    ("   ", "no amount"),
    ("10000000000000", "too large"),  # AMOUNT_LIMIT itself
    ("-10000000000000", "too large"),
    ("1e26", "too large"),
    ("1" * 30, "too large"),
    ("12345678901234567890123456789012345678901", "too large"),  # 41 digits
    ("1e999999999", "too large"),
    ("1e99999999999999999999", "too large or too small"),  # beyond what Decimal can hold
    ("1e-999999999", "more than two decimals"),
    ("1.0000001", "more than two decimals"),  # more than MAX_DECIMALS
]


@pytest.mark.parametrize(("text", "amount"), READ)
def test_text_is_read_exactly(text, amount):
    assert parse_number(text) == Decimal(amount)
    assert to_amount(text) == Decimal(amount)


@pytest.mark.parametrize(("text", "reason"), REFUSED)
def test_text_that_is_not_plainly_an_amount_is_refused(text, reason):
    with pytest.raises(AmountError, match=reason):
        parse_number(text)


@pytest.mark.parametrize(
    "value",
    [10**13, -(10**13), 10**40, 10**4000, Decimal("1e26"), Decimal("-1e30"), Decimal("1e999999999"),
     Decimal("1e-999999999"), Decimal("1.0000001"), Decimal("NaN"), Decimal("sNaN"), Decimal("Infinity"), 1.5, True, None],
)
def test_a_number_beyond_the_maximum_or_not_exact_is_refused(value):
    with pytest.raises(AmountError):
        to_amount(value)


def test_the_maximum_is_documented_and_the_fast_path_agrees_with_it():
    assert AMOUNT_LIMIT == Decimal(10) ** 13 and MAX_DECIMALS == 6
    doc = (Path(__file__).resolve().parents[2] / "docs" / "format.md").read_text("utf-8")
    assert "below 10^13" in doc and LARGEST in doc and "at most six decimals" in doc
    for value in ("0", "335.04", LARGEST, "-" + LARGEST, "1.123456", "1.100000000", "1e12", "0E+20"):
        assert to_amount(Decimal(value)) == Decimal(value)
    for value in ("335.04", LARGEST, "1.123456", "1.100000000"):
        assert is_amount(Decimal(value))
    for value in ("1e13", "1e26", "1.1234567", "NaN", "Infinity"):
        assert not is_amount(Decimal(value))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("0123456789０１２３,.，．_ eE+-－¥NaInfty٣\u00a0"), max_size=40))
def test_any_text_is_an_exact_bounded_amount_or_an_amount_error(text):
    try:
        amount = parse_number(text)
    except AmountError:
        return
    assert amount.is_finite() and abs(amount) < AMOUNT_LIMIT
    assert check_amount(amount) == amount
    assert amount == amount.quantize(Decimal(1).scaleb(-MAX_DECIMALS))


@settings(max_examples=200, deadline=None)
@given(st.decimals(allow_nan=True, allow_infinity=True))
def test_is_amount_never_accepts_what_check_amount_refuses(value):
    try:
        check_amount(value)
    except AmountError:
        assert not is_amount(value)


# -- in the budget file ------------------------------------------------------------------------


@pytest.mark.parametrize("text", ["1,5", "1_0.0_5", "1.50", "1,234.50", "１２３", " 5", "", "NaN", "1e3"])
def test_a_quoted_amount_in_the_file_is_refused_with_its_line(write_budget, text):
    path = write_budget(MINIMAL + f'30102 = "{text}"\n')
    with pytest.raises(BudgetFileError) as caught:
        load(path)
    assert caught.value.line == 7
    assert "is not a number but text in quotes; write the amount without quotes" in caught.value.message


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("1e26", "too large"),
        ("1e30", "too large"),
        ("10000000000000", "too large"),
        ("-1e13", "too large"),
        ("12345678901234567890123456789012345678901", "too large"),  # a 41-digit TOML integer
        ("1e999999999", "too large"),
        ("1e-999999999", "more than two decimals"),
        ("0.0000001", "more than two decimals"),
        ("{ amount = 1e20, category = \"人员经费\" }", "too large"),
        ("9" * 5000, "too large to read"),  # an integer tomli cannot hold
        ("1e99999999999999999999", "too large to read"),  # an exponent Decimal cannot hold
        ("nan", "not a finite amount"),
    ],
)
def test_a_number_beyond_the_maximum_is_refused_at_load_with_its_line(write_budget, value, reason):
    path = write_budget(MINIMAL + f"30102 = {value}\n")
    with pytest.raises(BudgetFileError) as caught:
        load(path)
    assert caught.value.line == 7, caught.value
    assert reason in caught.value.message


@pytest.mark.parametrize(
    "fact",
    [
        "[prior]\ntotal = 1e30\n",
        "[prior.functional]\n2010301 = 1e26\n",
        "[stated]\ntotal = -1e13\n",
        "[procurement]\ngoods = 12345678901234567890123456789012345678901\n",
        '[assets.vehicles]\n"轿车" = { count = 1, value = 1e999999999 }\n',
        '[prior]\ntotal = "1,5"\n',
    ],
)
def test_a_fact_beyond_the_maximum_is_refused_at_load(write_budget, fact):
    path = write_budget(MINIMAL + "\n" + fact)
    with pytest.raises(BudgetFileError) as caught:
        load(path)
    assert caught.value.line == MINIMAL.count("\n") + 1 + fact.count("\n"), caught.value


@pytest.mark.parametrize(
    ("body", "where"),
    [
        ('[basic.2010301]\n30101 = "1,5"\n', ":5:1: the amount of 30101: '1,5' is not a number but text in quotes"),
        ('[basic.2010301]\n30101 = "1_0.0_5"\n', ":5:1: the amount of 30101: '1_0.0_5' is not a number but text"),
        ("[basic.2010301]\n30101 = 1e26\n", ":5:1: the amount of 30101: 1E+26 is too large"),
        ('[basic.2010301]\n30101 = "12345678901234567890123456789012345678901"\n', ":5:1: the amount of 30101:"),
        ('[basic.2010301]\n30101 = "1e999999999"\n', ":5:1: the amount of 30101: '1e999999999' is not a number"),
        ("[basic.2010301]\n30101 = 1e999999999\n", ":5:1: the amount of 30101: 1E+999999999 is too large"),
        ("[basic.2010301]\n30101 = 1.00\n[prior]\ntotal = 1e30\n", ":7:1: the amount of total: 1E+30 is too large"),
        ("[basic.2010301]\n30101 = 1.00\n[staffing]\nactual = 99999999999999999999\n", ":7:1: staffing.actual is more than"),
        ("[basic.2010301]\n30101 = 1.00\n[staffing]\nactual = -3\n", ":7:1: staffing.actual must be a whole number"),
        ('[basic.2010301]\n30101 = 1.00\n[staffing]\nactual = "3"\n', ":7:1: staffing.actual must be a whole number"),
    ],
)
@pytest.mark.parametrize("command", [["print"], ["print", "--table", "all"], ["check"], ["report"], ["export", "--to", "json"]])
def test_every_command_refuses_such_a_file_in_one_line(tmp_path, body, where, command):
    path = tmp_path / "dept.toml"
    path.write_text(HEAD + body, "utf-8")
    assert_refused(run(*command, str(path)), f"budget-tui: {path}{where}")


def test_the_largest_amounts_go_through_every_command_exactly(tmp_path):
    """At the maximum, with negatives and six decimals, everything computes: no Decimal signal escapes."""
    text = CHANGJI.read_text("utf-8")
    text = text.replace("30101 = 335.04", f"30101 = {LARGEST}").replace("30201 = 16.00", "30201 = -9999999999999.999999")
    path = tmp_path / "big.toml"
    path.write_text(text, "utf-8")
    budget = load(path)
    assert budget.total() == load(CHANGJI).total() - Decimal("335.04") - Decimal("16.00") + Decimal(LARGEST) - Decimal(
        "9999999999999.999999"
    )
    for command in (["print"], ["print", "--table", "all"], ["check"], ["report"], ["report", "--percent-decimals", "6"]):
        assert_no_traceback(run(*command, str(path)))
    for export in ("json", "csv"):
        result = run("export", str(path), "--to", export)
        assert_no_traceback(result)
        assert LARGEST in result.stdout
    out = tmp_path / "big.xlsx"
    assert_no_traceback(run("export", str(path), "--to", "xlsx", "-o", str(out)))
    cells = [cell.value for row in openpyxl.load_workbook(out).worksheets[0].iter_rows() for cell in row]
    assert float(LARGEST) in cells  # the largest amount fits a spreadsheet cell to the cent
    assert repr(float(LARGEST)) == LARGEST


def test_a_rate_against_a_tiny_prior_figure_does_not_signal(tmp_path):
    # Six decimals and negatives load (check names them); ten lines at the maximum against a prior total of
    # 0.000001 is a rate of ~10^22 %, which to six decimals needs 29 digits: past the Decimal context.
    text = HEAD + "\n[basic.2010301]\n" + "".join(f"301{n:02d} = {LARGEST}\n" for n in range(1, 11))
    text += "30199 = -1\n30201 = 0.000001\n\n[prior]\nyear = 2019\ntotal = 0.000001\ngeneral_public = -0.000001\n"
    path = tmp_path / "tiny.toml"
    path.write_text(text, "utf-8")
    budget = load(path)
    rate = (budget.total() - Decimal("0.000001")) / Decimal("0.000001") * 100
    report = write_report(budget, percent_decimals=6)
    assert f"增长{rate:.6f}%" in report
    assert {p.rule for p in check_budget(budget)} >= {"amount-precision", "amount-negative", "amount-absurd"}
    for command in (["report", "--percent-decimals", "6"], ["report", "--format", "md"], ["print", "--table", "all"], ["check"]):
        assert_no_traceback(run(*command, str(path)))


def test_shares_of_a_near_zero_whole_do_not_signal():
    amounts = [Decimal(LARGEST), Decimal("-9999999999999.989999")]  # a whole of 0.000001
    parts = shares(amounts, 6)
    assert sum(parts) == 100 and parts[0] == Decimal("999999999999999000000.000000")


# -- at import ---------------------------------------------------------------------------------

HEADINGS = ["功能分类科目编码", "经济分类科目编码", "支出类型", "资金来源", "项目名称", "金额"]


@pytest.mark.parametrize(("text", "amount"), [(text, amount) for text, amount in READ if "." not in amount or len(amount.split(".")[1]) <= 2])
def test_import_reads_an_amount_as_the_rule_does(text, amount):
    assert parse_amount(text) == Decimal(amount)


@pytest.mark.parametrize(("text", "reason"), REFUSED)
def test_import_refuses_what_the_rule_refuses(text, reason):
    with pytest.raises(RowError):
        parse_amount(text)


@pytest.mark.parametrize("value", [1e13, 1e26, 1e300, float("nan"), float("inf"), 0.1 + 0.2, 12345678901234567890123456789012345678901])
def test_import_refuses_workbook_numbers_beyond_the_maximum(value):
    with pytest.raises(RowError, match="amount"):
        parse_amount(value)


def test_import_skips_each_unreadable_amount_with_its_reason_and_writes_a_budget_that_loads(tmp_path):
    cells = ["1,5", "1_0.0_5", "1 234", "NaN", "1e26", "1" * 30, "1e999999999", "12345678901234567890123456789012345678901", "1.005"]
    rows = [HEADINGS, ["2010301", "30101", "基本支出", "", "", LARGEST]]
    rows += [["2010301", f"302{index:02d}", "基本支出", "", "", cell] for index, cell in enumerate(cells, 1)]
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    source = tmp_path / "lines.csv"
    source.write_text(buffer.getvalue(), "utf-8")
    output = tmp_path / "budget.toml"
    result = run("import", str(source), "-o", str(output), "--department", "测试局", "--year", "2021")
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    skipped = [line for line in result.stderr.splitlines() if ": skipped: " in line]
    assert [int(line.split(":")[1]) for line in skipped] == list(range(3, 3 + len(cells)))
    assert f"{source}:3: skipped: amount '1,5': commas may only separate thousands" in result.stderr
    assert f"{source}:7: skipped: amount '1e26' is too large" in result.stderr
    assert f"{source}:9: skipped: amount '1e999999999' is too large" in result.stderr
    assert [line.amount for line in load(output).lines] == [Decimal(LARGEST)]


def test_import_refuses_a_huge_workbook_number_as_a_skipped_row(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADINGS)
    sheet.append(["2010301", "30101", "基本支出", "", "", 1e26])
    sheet.append(["2010301", "30102", "基本支出", "", "", 335.04])
    source = tmp_path / "lines.xlsx"
    workbook.save(source)
    output = tmp_path / "budget.toml"
    result = run("import", str(source), "-o", str(output), "--department", "测试局", "--year", "2021")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert ":2: skipped: amount 1E+26 is too large" in result.stderr
    assert [line.amount for line in load(output).lines] == [Decimal("335.04")]


# -- in the edit box ---------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "amount"), [(text, amount) for text, amount in READ if not text.lstrip().startswith(("-", "+", "－")) and
                                              ("." not in amount or len(amount.split(".")[1]) <= 2)])
def test_the_edit_box_reads_a_number_as_the_rule_does(text, amount):
    assert evaluate(text, Decimal("335.04")) == Decimal(amount)


@pytest.mark.parametrize(("text", "reason"), [(t, r) for t, r in REFUSED if t.strip()])
def test_the_edit_box_refuses_what_the_rule_refuses(text, reason):
    with pytest.raises(EditError):
        evaluate(text, Decimal("335.04"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("＋１２．５", "347.54"), ("－３", "332.04"), ("＊１．０５", "351.79"), ("－８％", "308.24"), ("+1,000", "1335.04")],
)
def test_the_edit_box_operations_in_full_width(text, expected):
    assert evaluate(text, Decimal("335.04")) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "current", "reason"),
    [
        ("1" * 30, "335.04", "too large"),
        ("*1" + "0" * 29, "335.04", "too large"),
        ("*1e12", "335.04", "the result, 335040000000000.00, is too large"),
        ("+9999999999999", "335.04", "is too large"),
        ("+1000%", LARGEST, "is too large"),
        ("--3", "335.04", "is not an amount"),
        ("+-3", "335.04", "is not an amount"),
        ("*1_000", "335.04", "is not an amount"),
        ("-1,5", "335.04", "commas may only separate thousands"),
        ("1e999999999", "335.04", "too large"),
        ("*1e-999999999", "335.04", "more than two decimals"),
    ],
)
def test_the_edit_box_refuses_a_figure_or_result_beyond_the_maximum(text, current, reason):
    with pytest.raises(EditError, match=reason.replace("+", r"\+").replace("*", r"\*")):
        evaluate(text, Decimal(current))


def test_the_editor_refuses_an_amount_beyond_the_maximum_from_any_caller():
    budget = load(CHANGJI)
    editor = Editor(budget)
    key = budget.lines[0].key
    for amount in (Decimal("1e13"), Decimal("1e30"), Decimal("NaN")):
        with pytest.raises(EditError):
            editor.set_amount(key, amount)
        with pytest.raises(EditError):
            editor.add_line(Line("2010301", "30215", amount))
    assert not editor.dirty


# -- in the journal ----------------------------------------------------------------------------


def journal_with(path: Path, amounts: list) -> Journal:
    """A journal of one set_amount change per amount (the after amount as given), as a session would leave it."""
    budget = load(path)
    line = budget.lines[0]
    journal = Journal(path)
    data = path.read_bytes()
    journal.start(data)
    for amount in amounts:
        where = {"file": journal.name, "sha256": hashlib.sha256(data).hexdigest()}
        journal._write({**where, "before": _json(line, str(line.amount)), "after": _json(line, amount)})
    return journal


def _json(line: Line, amount) -> dict:
    return {"functional": line.functional, "economic": line.economic, "amount": amount, "kind": line.kind.value,
            "fund": line.fund.value, "project": line.project, "category": None, "origin": line.origin}


@pytest.mark.parametrize("amount", ["1,5", "1_0.0_5", "1e30", "1" * 30, "1e999999999", "NaN", "", 1.5, True, None])
def test_the_journal_reads_amounts_by_the_same_rule(changji_copy, amount):
    journal = journal_with(changji_copy, ["340.00", amount])
    recovered = journal.recover(changji_copy.read_bytes())
    assert [change.after.amount for change in recovered.changes] == [Decimal("340.00")]


@pytest.mark.parametrize("amount", ["340.00", "1E+3", "1,234.50", "１２３"])
def test_the_journal_reads_what_the_rule_reads(changji_copy, amount):
    journal = journal_with(changji_copy, [amount])
    recovered = journal.recover(changji_copy.read_bytes())
    assert [change.after.amount for change in recovered.changes] == [parse_number(amount)]


# -- unusual facts: a check finding, never a report traceback ----------------------------------


@pytest.mark.parametrize(
    ("fact", "rule_line", "printed"),
    [
        ('published = "2021-02-30"', 4, "2021-02-30"),
        ('published = "soon"', 4, "soon"),
        ('published = "2021"', 4, "2021"),
        ('published = ""', 4, None),
        ('published = "2021/02/01"', 4, "2021/02/01"),
        ('published = "2021-13-01"', 4, "2021-13-01"),
    ],
)
def test_a_published_date_that_is_no_day_is_a_finding_and_printed_as_written(tmp_path, fact, rule_line, printed):
    path = tmp_path / "dept.toml"
    path.write_text(HEAD + fact + "\n[basic.2010301]\n30101 = 1.00\n", "utf-8")
    problems = [p for p in check_budget(load(path)) if p.rule == "fact-date"]
    assert [(p.line, p.is_error) for p in problems] == [(rule_line, True)]
    result = run("check", str(path))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{path}:{rule_line}: error [fact-date]: department.published is" in result.stdout
    report = run("report", str(path))
    assert_no_traceback(report)
    if printed:
        assert report.stdout.rstrip().endswith(printed)


@pytest.mark.parametrize("as_of", ['"2021-02-30"', '"not yet"', '"2019-12-31T00:00"'])
def test_an_assets_date_that_is_no_day_is_a_finding(tmp_path, as_of):
    path = tmp_path / "dept.toml"
    path.write_text(HEAD + f"\n[basic.2010301]\n30101 = 1.00\n\n[assets]\nas_of = {as_of}\n", "utf-8")
    problems = [p for p in check_budget(load(path)) if p.rule == "fact-date"]
    if as_of == '"2019-12-31T00:00"':  # a date-time names its day
        assert problems == []
        assert "截至2019年底" in write_report(load(path))
    else:
        assert [p.line for p in problems] == [9]
        assert f"截至{json.loads(as_of)}" in write_report(load(path))
    assert_no_traceback(run("report", str(path)))


def test_real_dates_are_no_finding(tmp_path):
    path = tmp_path / "dept.toml"
    path.write_text(HEAD + 'published = "2020-01-22"\n[basic.2010301]\n30101 = 1.00\n[assets]\nas_of = 2019-06-30\n', "utf-8")
    assert not [p for p in check_budget(load(path)) if p.rule == "fact-date"]
    report = write_report(load(path))
    assert "截至2019年6月30日" in report and report.rstrip().endswith("2020年1月22日")


def test_a_toml_date_that_is_no_day_is_a_load_error_with_its_line(tmp_path):
    path = tmp_path / "dept.toml"
    path.write_text(HEAD + "published = 2021-02-30\n[basic.2010301]\n30101 = 1.00\n", "utf-8")
    assert_refused(run("report", str(path)), f"{path}:4:")


def test_huge_counts_and_facts_in_a_folder_are_refused_naming_the_file(tmp_path):
    folder = tmp_path / "州"
    folder.mkdir()
    (folder / "a.toml").write_text(HEAD + "[basic.2010301]\n30101 = 1.00\n", "utf-8")
    (folder / "b.toml").write_text(HEAD + "[basic.2010301]\n30101 = 1.00\n[prior]\ntotal = 1e30\n", "utf-8")
    for command in (["print"], ["check"], ["report"], ["export", "--to", "csv"]):
        assert_refused(run(*command, str(folder)), f"{folder / 'b.toml'}:7:1:", "too large")


def test_a_consolidated_folder_with_an_unusual_date_is_a_finding_of_its_file(tmp_path):
    folder = tmp_path / "州"
    folder.mkdir()
    (folder / "a.toml").write_text(HEAD + "[basic.2010301]\n30101 = 1.00\n", "utf-8")
    (folder / "b.toml").write_text(HEAD + 'published = "2020-02-30"\n[basic.2010301]\n30101 = 2.00\n', "utf-8")
    result = run("check", str(folder))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{folder / 'b.toml'}:4: error [fact-date]" in result.stdout
    assert_no_traceback(run("report", str(folder)))


def test_the_sample_still_loads_on_the_fast_path_and_reports_as_before():
    budget = parse(CHANGJI.read_bytes(), CHANGJI)
    assert budget.total() == Decimal("1695.33")
    assert not [p for p in check_budget(budget) if p.rule == "fact-date"]


# -- whatever number a file holds: loaded and computed exactly, or refused at load ---------------

_numbers = st.one_of(
    st.integers(min_value=-(10**45), max_value=10**45).map(str),
    st.decimals(allow_nan=False, allow_infinity=False).map(lambda d: format(d, "f") if abs(d.adjusted()) < 40 else str(d).lower().replace("e+", "e")),
    st.sampled_from([LARGEST, "-" + LARGEST, "0.000001", "-0.000001", "1e12", "1e13", "1e26", "1e999999999", "1e-999999999"]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_numbers, min_size=1, max_size=6), _numbers)
def test_any_numbers_in_a_file_load_and_compute_or_are_refused(amounts, prior):
    from budget_tui.core.tables import build_tables
    from budget_tui.core.tree import Tree, render_tree
    from budget_tui.files.exchange.exporting import fdp_rows, lines_csv, lines_json
    from budget_tui.text.printing import render_tables

    body = "".join(f"30{n + 101} = {amount}\n" for n, amount in enumerate(amounts))
    text = f"{HEAD}\n[basic.2010301]\n{body}\n[prior]\nyear = 2019\ntotal = {prior}\n"
    try:
        budget = parse(text.encode("utf-8"), "fuzz.toml")
    except BudgetFileError as error:
        assert error.line >= 1
        return
    for line in budget.lines:
        assert abs(line.amount) < AMOUNT_LIMIT
    render_tree(Tree(budget), unit=budget.department.unit)
    render_tables(build_tables(budget))
    for decimals in (0, 6):
        write_report(budget, percent_decimals=decimals)
    check_budget(budget)
    lines_csv(budget), lines_json(budget), fdp_rows(budget)
