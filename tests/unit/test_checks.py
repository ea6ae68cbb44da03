"""The consistency rules: the sample passes, and a broken copy per rule gets that rule id on the right line."""

from __future__ import annotations

import json
import time
from dataclasses import replace
from decimal import Decimal

import pytest

from budget_tui.cli import main
from budget_tui.core.checks import RULES, Severity, check_budget
from budget_tui.core.editing import Editor
from budget_tui.core.fact_checks import foreign_year
from budget_tui.core.model import Kind, Line
from budget_tui.core.tables import build_tables
from budget_tui.files.fileformat import load, parse
from tests.conftest import CHANGJI, SYNTHETIC

SAMPLE = CHANGJI.read_text("utf-8")


def line_of(text: str, needle: str) -> int:
    """1-based line of the last line containing needle."""
    return max(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def replaced(old: str, new: str) -> str:
    assert SAMPLE.count(old) == 1, old
    return SAMPLE.replace(old, new)


def appended(extra: str) -> str:
    return SAMPLE + extra


# One broken copy per rule: (rule id, the broken text, a line of it the problem is on).
BROKEN = {
    "code-malformed": (replaced("30101 = 335.04", "3O101 = 335.04"), "3O101 = 335.04"),
    "code-depth": (replaced("[basic.2010350]", "[basic.20103]"), "30102 = 19.60"),
    "code-unknown": (replaced("30309 = 2.97", "30398 = 2.97"), "30398 = 2.97"),
    "amount-precision": (replaced("30202 = 3.00", "30202 = 3.001"), "30202 = 3.001"),
    "amount-negative": (replaced("30205 = 1.00", "30205 = -1.00"), "30205 = -1.00"),
    "amount-absurd": (replaced("30206 = 1.00", "30206 = 100000001"), "30206 = 100000001"),
    "line-duplicate": (appended('\n[basic.2010301."一般公共预算"]\n30101 = 1.00\n'), "30101 = 1.00"),
    "table6-columns": (replaced("30299 = 533.91", "31002 = 533.91"), "31002 = 533.91"),
    "stated-mismatch": (appended("\n[stated]\nreception = 3.70\n"), "reception = 3.70"),
    "stated-unit": (appended("\n[stated]\nthree_public = 456000\n"), "three_public = 456000"),
    "stated-basic-as-total": (
        appended('\n[stated]\ntotal = 1695.33\n\n[[projects]]\nname = "会务"\nfunctional = "2010399"\n30215 = 10.00\n'),
        "total = 1695.33",
    ),
    "stated-change": (appended("\n[stated.change]\ntotal = -86.50\n"), "total = -86.50"),
    "stated-rate": (appended("\n[stated.rate]\ntotal = -4\n"), "total = -4"),
    "stated-rate-base": (appended("\n[stated.rate]\noperating_costs = -7.6\n"), "operating_costs = -7.6"),
    "stated-share": (appended("\n[stated.share]\n301 = 50\n"), "301 = 50"),
    "stated-share-forced": (  # 43.47 of 1738.80 is 2.5%: rounded half up 98% + 3% make 101, so 97% was forced
        appended('\n[basic.2010301."政府性基金预算"]\n30201 = 43.47\n\n[stated.share]\ngeneral_public = 97\ngovernment_fund = 3\n'),
        "general_public = 97",
    ),
    "stated-count": (appended("\n[stated.count]\nin_service = 59\n"), "in_service = 59"),
    "stated-unknown": (appended("\n[stated.amount]\n2080505 = 1.00\n"), "2080505 = 1.00"),
    "operating-costs": (appended("\n[stated]\noperating_costs = 782.23\n"), "operating_costs = 782.23"),
    "staffing-authorized": (replaced("[staffing]\n", "[staffing]\nauthorized = 60\n"), "authorized = 60"),
    "staffing-actual": (replaced("actual = 59", "actual = 57"), "actual = 57"),
    "procurement-total": (replaced("[procurement]\n", "[procurement]\ntotal = 200.00\n"), "total = 200.00"),
    "procurement-reserve": (replaced("sme_reserved = 0.00", "sme_reserved = 300.00"), "sme_reserved = 300.00"),
    "fact-date": (replaced("as_of = 2019-12-31", 'as_of = "2019-02-30"'), 'as_of = "2019-02-30"'),
    "prior-missing": (replaced("reception = 3.70 ", "# reception"), "[prior.three_public]"),
    "prior-year": (replaced("year = 2019", "year = 2018"), "year = 2018"),
    "prior-levels": (replaced("[prior.functional]\n", "[prior.functional]\n201 = 1781.00\n"), "201 = 1781.00"),
    "fact-missing": (replaced("building_area = 19646.98", "# building_area"), "[assets]"),
    "reason-missing": (replaced('reception = "严格执行中央八项规定，严控“三公”支出。"', ""), "[reasons.three_public]"),
    "reason-orphan": (replaced("[reasons.functional]\n", '[reasons.functional]\n2010399 = "新增项目。"\n'), "2010399 ="),
    "reason-template": (replaced('project = "专项工作经费列基本支出。"', 'project = "比上年增加（减少）0万元。"'), "project ="),
    "reason-blank": (replaced('other = "无其他需说明的事项。"', 'other = "退休1人，比上年减少  人。"'), "other ="),
    "reason-repeated": (replaced('other = "无其他需说明的事项。"', 'other = "严控严控“三公”支出。"'), "other ="),
    "reason-lead": (replaced('project = "专项工作经费列基本支出。"', 'project = "主要原因是专项工作经费列基本支出。"'), "project ="),
    "reason-year": (replaced('project = "专项工作经费列基本支出。"', 'project = "2019年专项工作经费列基本支出。"'), "project ="),
}


# Rules on the tables themselves: no file can break them while tables.py derives every table from the
# lines, so these tamper with one printed total: (rule, table number, column heading).
TAMPERED = {
    "tables-total": (3, ("支出预算", "合计")),
    "table4-general": (4, ("财政拨款支出", "一般公共预算")),
    "table6-basic": (6, ("一般公共预算基本支出", "小计")),
}


def test_every_rule_has_a_broken_copy():
    assert set(BROKEN) | set(TAMPERED) == set(RULES)


@pytest.mark.parametrize("rule", sorted(TAMPERED))
def test_a_table_total_that_disagrees_is_reported(monkeypatch, rule):
    number, heading = TAMPERED[rule]

    def tampered(budget):
        tables = build_tables(budget)
        table = tables[number - 1]
        index = next(i for i, column in enumerate(table.columns) if column.heading == heading)
        cells = list(table.totals[-1].cells)
        cells[index] += Decimal("0.01")
        tables[number - 1] = replace(table, totals=(*table.totals[:-1], replace(table.totals[-1], cells=tuple(cells))))
        return tables

    monkeypatch.setattr("budget_tui.core.checks.build_tables", tampered)
    problems = [p for p in check_budget(load(CHANGJI)) if p.is_error]
    assert rule in {p.rule for p in problems}
    assert all(p.line == 1 and "prints" in p.message and "should be" in p.message for p in problems)


def test_changji_passes_with_the_one_expected_warning(capsys):
    assert main(["check", str(CHANGJI)]) == 0
    out = capsys.readouterr().out
    line = line_of(SAMPLE, "[prior.staffing]")
    assert out == (
        f"{CHANGJI}:{line}: warning [prior-missing]: prior.staffing.retired (上年退休人数) is not given; "
        "the report will say it was not provided\n"
    )


def test_synthetic_has_no_error():
    assert not [p for p in check_budget(load(SYNTHETIC)) if p.is_error]


@pytest.mark.parametrize("rule", sorted(BROKEN))
def test_broken_copy_reports_its_rule_on_its_line(tmp_path, rule):
    text, needle = BROKEN[rule]
    path = tmp_path / f"{rule}.toml"
    path.write_text(text, "utf-8")
    problems = check_budget(load(path))
    found = {(p.rule, p.line) for p in problems}
    assert (rule, line_of(text, needle)) in found, problems
    if RULES[rule].endswith("(warning)"):
        assert all(p.severity is Severity.WARNING for p in problems if p.rule == rule)
    else:
        assert all(p.severity is Severity.ERROR for p in problems if p.rule == rule)


def test_repeated_lead_phrase_is_both_repeated_and_a_lead():
    text = replaced('operating_costs = "严格', 'operating_costs = "主要原因是主要原因是严格')
    rules = {p.rule for p in check_budget(parse(text.encode(), "x.toml"))}
    assert {"reason-repeated", "reason-lead"} <= rules


def test_line_problems_carry_the_line_key_and_tree_node():
    text, _ = BROKEN["amount-negative"]
    problem = next(p for p in check_budget(parse(text.encode(), "x.toml")) if p.rule == "amount-negative")
    assert problem.key is not None and problem.key.economic == "30205"
    assert problem.node == ("line", problem.key)


def test_a_name_in_the_file_makes_a_local_code_known():
    unnamed = replaced('30314 = "职工住宅取暖"            # a local code', "")
    rules = [p.rule for p in check_budget(parse(unnamed.encode(), "x.toml"))]
    assert rules.count("code-unknown") == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019年财政拨款收支总预算", 2019),
        ("2021年起实施", 2021),
        ("比2019年减少", None),
        ("较2019年执行数下降", None),
        ("截至2019年底", None),
        ("2019年底完工", None),
        ("2020年预算", None),
        ("编号12019年", None),
    ],
)
def test_year_rule_spares_comparisons_and_dates(text, expected):
    assert foreign_year(text, 2020) == expected


def test_edits_in_the_app_are_checked_without_reloading():
    budget = load(CHANGJI)
    editor = Editor(budget)
    other = next(line for line in budget.lines if line.economic == "30299")
    editor.change_economic(other.key, "31002")
    editor.add_line(Line("2010301", "30398", Decimal("1"), Kind.BASIC))
    problems = {(p.rule, p.key.economic if p.key else None): p.line for p in check_budget(budget)}
    table_line = line_of(SAMPLE, "[basic.2010301]")
    assert problems[("table6-columns", "31002")] == table_line
    assert problems[("code-unknown", "30398")] == table_line


def test_checking_the_sample_is_fast_enough_for_every_edit():
    budget = load(CHANGJI)
    start = time.perf_counter()
    for _ in range(20):
        check_budget(budget)
    assert (time.perf_counter() - start) / 20 < 0.05


def test_exit_codes_and_output_format(tmp_path, capsys):
    text, needle = BROKEN["amount-negative"]
    path = tmp_path / "negative.toml"
    path.write_text(text, "utf-8")
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"{path}:{line_of(text, needle)}: error [amount-negative]: " in out
    assert main(["check", str(tmp_path / "nope.toml")]) == 2


def test_json_output_is_a_list_of_objects(tmp_path, capsys):
    text, needle = BROKEN["amount-negative"]
    path = tmp_path / "negative.toml"
    path.write_text(text, "utf-8")
    assert main(["check", str(path), "--format", "json"]) == 1
    problems = json.loads(capsys.readouterr().out)
    negative = next(p for p in problems if p["rule"] == "amount-negative")
    assert negative["line"] == line_of(text, needle)
    assert negative["severity"] == "error"
    assert negative["line_key"] == {
        "kind": "基本支出",
        "project": None,
        "fund": "一般公共预算",
        "functional": "2010301",
        "economic": "30205",
    }


def test_file_text_in_messages_has_no_control_characters(tmp_path, capsys):
    text = replaced('other = "无其他需说明的事项。"', 'other = "比上年减少  人\\u001b[2J"')
    path = tmp_path / "escape.toml"
    path.write_text(text, "utf-8")
    main(["check", str(path)])
    out = capsys.readouterr().out
    assert "[reason-blank]" in out
    assert "\x1b" not in out
