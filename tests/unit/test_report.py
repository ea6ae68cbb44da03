"""The generated disclosure document: the source's figures, none of its mistakes, shares that add up."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budget_tui.cli import main
from budget_tui.core.figures import shares
from budget_tui.core.money import plain_number
from budget_tui.core.wording import Wording, cn_number
from budget_tui.files.fileformat import load, parse
from budget_tui.text.report import write_report
from tests.conftest import CHANGJI, SYNTHETIC

REPORT = write_report(load(CHANGJI))
PART_2, PART_3 = REPORT.index("第二部分"), REPORT.index("第三部分")
PROSE = REPORT[:PART_2] + REPORT[PART_3:]
"""Parts 1, 3 and 4 (the tables of part 2 are aligned with spaces)."""
NARRATIVE = REPORT[PART_3 : REPORT.index("第四部分")]


@pytest.mark.parametrize(
    "statement",
    [
        "收支总预算1695.33万元，比上年减少86.05万元，下降5%",
        "一般公共预算当年拨款1695.33万元，比上年执行数减少86.05万元，下降5%",
        "人员经费968.54万元，主要包括：基本工资335.04万元、",
        "公用经费726.79万元，主要包括：办公费16万元、",
        "职工住宅取暖费10.7万元",
        "“三公”经费财政拨款预算数为45.6万元",
        "“三公”经费财政拨款预算比上年减少5.62万元",
        "公务用车运行费减少5.52万元",
        "公务接待费减少0.1万元",
        "机关运行经费财政拨款预算726.79万元，比上年执行数减少55.44万元，下降7%",
        "政府采购预算208.5万元，其中：政府采购货物预算118.5万元，政府采购工程预算0万元，政府采购服务预算90万元",
        "房屋19646.98平方米，价值2719.44万元",
        "车辆22辆，价值946.52万元",
        "单位价值50万元以上大型设备1台（套）",
        "实行绩效管理的项目0个",
        "事业运行（2010350）：2020年预算数为52.81万元，与上年执行数持平",
        "编制数62名（行政编制40名、机关工勤编制16名、事业编制6名），实有人数59人",
        "在职58人，比上年减少6人，在职人数比实有人数少1人，因为1人长期工伤，不在岗；",
        "退休1人，上年人数未提供",
        "离休0人，与上年持平",
        "2020年财政拨款收支总预算1695.33万元",
    ],
)
def test_changji_report_states_the_source_figures(statement):
    assert statement in REPORT


def test_personnel_lines_use_the_files_names_in_code_order():
    personnel = re.search(r"人员经费968\.54万元，主要包括：(.*?)。", NARRATIVE).group(1)
    names = [re.match(r"\D+", item).group(0) for item in personnel.split("、")]
    assert names[:5] == ["基本工资", "津贴补贴", "奖金", "伙食补助费", "基础性和奖励性绩效工资"]  # [narrative.names]
    assert names[-1] == "职工住宅取暖费"


@pytest.mark.parametrize(
    "mistake",
    [
        "52.81元",
        "2019年财政拨款收支总预算",
        "减少  人",
        "、  的",
        "增加（减少）",
        "（或",
        "主要原因是主要原因是",
        "一般公用预算",
        "下降0%",
    ],
)
def test_none_of_the_published_mistakes_appears(mistake):
    assert mistake not in REPORT


def test_no_blank_is_left_in_the_prose():
    assert not re.search(r"[ \u3000]{2,}", PROSE)
    paragraphs = [line for line in PROSE.splitlines() if not re.match("第.部分 ", line)]
    assert not [line for line in paragraphs if re.search(r"[^\x00-\x7f] [^\x00-\x7f]", line)]


def test_every_amount_in_the_narrative_has_its_unit():
    bare = re.findall(r"\d+(?:\.\d+)?(?=[^\d.%万个人名台辆平年月日）（家]|$)", NARRATIVE)
    assert bare == []


def test_the_narrative_has_ten_numbered_sections_including_seven():
    numbered = re.findall(r"^([一二三四五六七八九十]+)、", NARRATIVE, re.M)
    assert numbered == [cn_number(n) for n in range(1, 11)]
    assert "七、关于昌吉回族自治州人民政府办公室2020年项目支出情况说明" in NARRATIVE


def test_the_reason_lead_is_written_once_even_when_the_file_repeats_it():
    text = CHANGJI.read_text("utf-8").replace('operating_costs = "严格', 'operating_costs = "主要原因是主要原因是严格')
    report = write_report(parse(text.encode(), "x.toml"))
    assert "主要原因是严格执行中央八项规定，严控“三公”支出，公用经费" in report
    assert "主要原因是主要原因是" not in report


def test_table_6_lists_30107_in_code_order():
    table_6 = REPORT[REPORT.index("表六") : REPORT.index("表七")]
    codes = re.findall(r"^30([123])\s+(\d\d)\s", table_6, re.M)
    assert codes == sorted(codes)
    assert codes.index(("1", "07")) < codes.index(("1", "99"))


def test_the_profile_numbers_every_function():
    assert "（一）根据自治州人民政府领导的要求" in REPORT
    assert "（十）承担自治州人民政府和自治州人民政府领导同志交办的其他事项。" in REPORT
    assert "下设10个科室，分别是：综合一科、" in REPORT


def test_the_glossary_and_signature_close_the_document():
    assert "第四部分 名词解释\n一、财政拨款：" in REPORT
    assert REPORT.endswith("昌吉回族自治州人民政府办公室\n2020年1月22日\n")


def test_percent_decimals_setting():
    report = write_report(load(CHANGJI), percent_decimals=2)
    assert "比上年减少86.05万元，下降4.83%" in report
    assert "比上年执行数减少55.44万元，下降7.09%" in report
    assert "占100.00%" in report


def test_a_missing_fact_is_said_to_be_not_provided():
    text = CHANGJI.read_text("utf-8").replace("goods = 118.50\n", "").replace("in_service = 64 ", "# in_service")
    report = write_report(parse(text.encode(), "x.toml"))
    assert "政府采购预算未提供，其中：政府采购货物预算未提供，政府采购工程预算0万元" in report
    assert "在职58人，上年人数未提供，在职人数比实有人数少1人，因为1人长期工伤，不在岗" in report


def test_synthetic_report_covers_projects_funds_and_increases():
    report = write_report(load(SYNTHETIC))
    assert "示例县教育局（虚构）2021年项目支出预算652.9万元，其中：" in report
    assert "政府性基金预算拨款345万元，比上年减少15万元，下降4%，主要原因是城区学校配套建设投入增加。" in report
    assert "事业收入1.2万元，占0%" in report
    assert "1.学前教育生均公用经费补助77.5万元（学前教育（2050201），一般公共预算）。" in report
    assert "2021年部门预算安排购置车辆经费28万元，" in report
    assert "增长" in report and "（或" not in report


def test_markdown_format(capsys):
    assert main(["report", str(CHANGJI), "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# 昌吉回族自治州人民政府办公室2020年部门预算公开\n\n## 第一部分")
    assert "\n### 七、关于" in out
    assert "\n#### 表六：一般公共预算基本支出情况表\n" in out
    assert re.search(r"^\| 301 +\| 01 +\| 基本工资", out, re.M)


def test_report_command_text_and_bad_option(capsys):
    assert main(["report", str(CHANGJI)]) == 0
    assert capsys.readouterr().out == REPORT
    assert main(["report", str(CHANGJI), "--percent-decimals", "-1"]) == 2


@pytest.mark.parametrize(
    ("amount", "text"),
    [("1695.33", "1695.33"), ("42.00", "42"), ("3.60", "3.6"), ("0.00", "0"), ("100", "100"), ("19646.98", "19646.98")],
)
def test_amounts_print_without_trailing_zeros(amount, text):
    assert plain_number(Decimal(amount)) == text


@pytest.mark.parametrize(
    ("current", "prior", "text"),
    [
        ("1695.33", "1781.38", "比上年减少86.05万元，下降5%"),
        ("110", "100", "比上年增加10万元，增长10%"),
        ("5", "5.00", "与上年持平"),
        ("5", "0", "上年无此项预算"),  # last year had none: no rate, and it says so
        ("100.4", "100", "比上年增加0.4万元，增长不足1%"),
        ("5", None, "上年数未提供"),
    ],
)
def test_change_wording(current, prior, text):
    words = Wording("万元")
    assert words.change(Decimal(current), None if prior is None else Decimal(prior)) == text


amounts = st.lists(
    st.decimals(min_value=0, max_value=10**8, places=2, allow_nan=False, allow_infinity=False), min_size=1, max_size=30
).filter(lambda parts: sum(parts) > 0)


@given(amounts, st.integers(min_value=0, max_value=3))
def test_shares_always_add_up_to_exactly_100(parts, decimals):
    result = shares(parts, decimals)
    assert sum(result) == 100
    assert all(share.as_tuple().exponent == -decimals for share in result)
    assert all(abs(share - Decimal(p) * 100 / sum(parts)) < Decimal(1).scaleb(-decimals) for share, p in zip(result, parts))
