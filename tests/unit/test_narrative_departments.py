"""Three departments of other shapes than the sample, every share, change, rate and sentence of their reports
checked against figures computed by hand here (the expected numbers are literals, never the code's own result).

甲局: project spending beside basic spending (万元). 乙局: three functional 类 with prior figures at 类 level only,
shares that need the largest-remainder rule. 丙中心: a 事业单位 in 元 with an economic 类 last year did not have.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from budget_tui.core.analysis import economic_classes, functional_classes, kinds
from budget_tui.core.checks import check_budget
from budget_tui.files.fileformat import parse
from budget_tui.text.report import write_report
from budget_tui.text.templating import shipped_template

JIA = """\
[department]
name = "甲局"
year = 2021
unit = "万元"

[basic.2010301]
30101 = 60.00
30201 = 20.00

[[projects]]
name = "信息化建设"
functional = "2010302"
31002 = 20.00

[prior]
year = 2020
total = 90.00
general_public = 90.00
basic = 75.00
project = 15.00

[prior.functional]
201 = 90.00

[prior.kind.basic.economic]
301 = 50.00
302 = 25.00
"""

YI = """\
[department]
name = "乙局"
year = 2021

[basic.2010301]
30101 = 10.00

[basic.2050101]
30101 = 10.00

[basic.2080505]
30108 = 10.00

[prior]
total = 24.00

[prior.functional]
201 = 12.00
205 = 8.00
208 = 4.00
"""

BING = """\
[department]
name = "丙中心"
year = 2021
unit = "元"
kind = "事业单位"

[basic.2050201]
30101 = 500000.00
30201 = 300000.00
30305 = 200000.00

[prior]
total = 700000.00
basic = 700000.00
project = 0

[prior.kind.basic.economic]
301 = 450000.00
302 = 250000.00
"""


def budget(text: str):
    return parse(text.encode(), "dept.toml")


def report(text: str, template: str = "economic", decimals: int = 0) -> str:
    source = shipped_template(template)
    assert source is not None
    return write_report(budget(text), percent_decimals=decimals, template=(template, source))


def figures(parts) -> list[tuple[str, Decimal, Decimal, Decimal | None, Decimal | None]]:
    return [(p.key, p.current, p.share, p.change, p.rate) for p in parts]


# -- 甲局: project spending --------------------------------------------------------------------


def test_jia_split_into_basic_and_project():
    # total 100 = 80 + 20; basic 80 vs 75: +5, 5/75 = 6.67% → 7%; project 20 vs 15: +5, 5/15 = 33.3% → 33%
    assert figures(kinds(budget(JIA))) == [
        ("基本支出", Decimal("80.00"), Decimal(80), Decimal("5.00"), Decimal(7)),
        ("项目支出", Decimal("20.00"), Decimal(20), Decimal("5.00"), Decimal(33)),
    ]


def test_jia_basic_by_economic_class():
    # 301: 60 of 80 = 75%, 60 vs 50: +10, 10/50 = 20%; 302: 20 of 80 = 25%, 20 vs 25: -5, -5/25 = -20%
    assert figures(economic_classes(budget(JIA))) == [
        ("301", Decimal("60.00"), Decimal(75), Decimal("10.00"), Decimal(20)),
        ("302", Decimal("20.00"), Decimal(25), Decimal("-5.00"), Decimal(-20)),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "甲局2021年支出预算100万元，其中：基本支出80万元，占80%，比上年增加5万元，增长7%；"
        "项目支出20万元，占20%，比上年增加5万元，增长33%。",
        "1.工资福利支出（301）60万元，占基本支出的75%，比上年增加10万元，增长20%。",
        "2.商品和服务支出（302）20万元，占基本支出的25%，比上年减少5万元，下降20%。",
        "一是一般公共服务支出100万元，占支出预算的100%，比上年增加10万元，增长11%。",  # 10/90 = 11.1%
        "1.信息化建设20万元（",
    ],
)
def test_jia_economic_report_sentences(sentence):
    assert sentence in report(JIA)


@pytest.mark.parametrize(
    "sentence",
    [
        "基本支出80万元，占80%，比上年增加5万元，增长7%。",
        "项目支出20万元，占20%，比上年增加5万元，增长33%。",
        "收支总预算100万元，比上年增加10万元，增长11%。",
        "注：本说明中的占比按最大余数法取整，同一总数下各项占比之和为100%。",
    ],
)
def test_jia_default_report_sentences(sentence):
    assert sentence in report(JIA, "changji")


# -- 乙局: functional 类 with prior figures at 类 level ------------------------------------------


def test_yi_functional_classes_share_by_largest_remainder_and_rate_on_last_year():
    # 10, 10, 10 of 30: 33.33…% each; rounded down 33+33+33 = 99, the 1 left goes to the first (ties: the earlier)
    # 201: 10 vs 12: -2, -2/12 = -16.7% → -17% (on this year it would be -20%); 205: 10 vs 8: +2, 2/8 = 25% (not 20%);
    # 208: 10 vs 4: +6, 6/4 = 150%
    assert figures(functional_classes(budget(YI))) == [
        ("201", Decimal("10.00"), Decimal(34), Decimal("-2.00"), Decimal(-17)),
        ("205", Decimal("10.00"), Decimal(33), Decimal("2.00"), Decimal(25)),
        ("208", Decimal("10.00"), Decimal(33), Decimal("6.00"), Decimal(150)),
    ]


def test_yi_with_two_decimals():
    # 33.333… → 33.34, 33.33, 33.33 (adds up to 100.00); -2/12 = -16.666… → -16.67; 2/8 = 25.00; 6/4 = 150.00
    assert figures(functional_classes(budget(YI), 2)) == [
        ("201", Decimal("10.00"), Decimal("33.34"), Decimal("-2.00"), Decimal("-16.67")),
        ("205", Decimal("10.00"), Decimal("33.33"), Decimal("2.00"), Decimal("25.00")),
        ("208", Decimal("10.00"), Decimal("33.33"), Decimal("6.00"), Decimal("150.00")),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "一是一般公共服务支出10万元，占支出预算的34%，比上年减少2万元，下降17%。",
        "二是教育支出10万元，占支出预算的33%，比上年增加2万元，增长25%。",
        "三是社会保障和就业支出10万元，占支出预算的33%，比上年增加6万元，增长150%。",
        "乙局2021年支出预算30万元，其中：基本支出30万元，占100%，上年数未提供；项目支出0万元，占0%，上年数未提供。",
    ],
)
def test_yi_report_sentences(sentence):
    assert sentence in report(YI)


def test_yi_item_figures_are_not_invented_from_class_figures():
    # prior figures by 类 say nothing of each 项: the 一般公共预算 per 项 says not provided
    assert "行政运行（2010301）：2021年预算数为10万元，上年执行数未提供。" in report(YI, "changji")


def test_yi_levels_that_do_not_add_up_are_an_error_on_their_line():
    text = YI + "20103 = 5.00\n20105 = 6.00\n"
    found = [p for p in check_budget(budget(text)) if p.rule == "prior-levels"]
    assert len(found) == 1 and found[0].is_error
    assert found[0].line == text.splitlines().index("201 = 12.00") + 1
    assert "the codes below 201 in the same table add up to 11万元" in found[0].message


def test_yi_levels_that_add_up_are_fine():
    text = YI + "20103 = 5.00\n20105 = 7.00\n"
    assert not [p for p in check_budget(budget(text)) if p.rule == "prior-levels"]


# -- 丙中心: unit 元, an economic 类 new this year ---------------------------------------------------


def test_bing_new_economic_class_has_no_rate():
    # 1000000 basic: 301 50%, 302 30%, 303 20%; 301 +50000 of 450000 = 11.1% → 11%; 302 +50000 of 250000 = 20%;
    # 303 had none (the 类 figures 450000 + 250000 are all of last year's 700000 basic spending): no rate
    parts = economic_classes(budget(BING))
    assert figures(parts) == [
        ("301", Decimal("500000.00"), Decimal(50), Decimal("50000.00"), Decimal(11)),
        ("302", Decimal("300000.00"), Decimal(30), Decimal("50000.00"), Decimal(20)),
        ("303", Decimal("200000.00"), Decimal(20), Decimal("200000.00"), None),
    ]
    assert [p.is_new for p in parts] == [False, False, True]


@pytest.mark.parametrize(
    "sentence",
    [
        "1.工资福利支出（301）500000元，占基本支出的50%，比上年增加50000元，增长11%。",
        "2.商品和服务支出（302）300000元，占基本支出的30%，比上年增加50000元，增长20%。",
        "3.对个人和家庭的补助（303）200000元，占基本支出的20%，上年无此项预算。",
        # 300000 / 700000 = 42.86% → 43%
        "丙中心2021年支出预算1000000元，其中：基本支出1000000元，占100%，比上年增加300000元，增长43%；"
        "项目支出0元，占0%，与上年持平。",
        "丙中心为事业单位，不安排机关运行经费。",
    ],
)
def test_bing_report_sentences(sentence):
    assert sentence in report(BING)


def test_bing_report_never_prints_a_rate_for_the_new_class():
    line = next(line for line in report(BING).splitlines() if "对个人和家庭的补助（303）" in line)
    assert "增长" not in line and "%，上年无此项预算" in line


@pytest.mark.parametrize(
    ("stated", "rule"),
    [
        ("[stated.rate]\n301 = 10\n", "stated-rate-base"),  # 50000 / 500000 (this year) instead of / 450000
        ("[stated.rate]\n301 = 11\n", None),
        ("[stated.rate]\n303 = 100\n", "stated-rate"),  # last year had none: there is no rate
        ("[stated]\ntotal = 100\n", "stated-unit"),  # 1000000元 written as 100 (万元)
        ("[stated.change]\n302 = 50000\n", None),
        ("[stated.share]\n301 = 50\n302 = 30\n303 = 20\n", None),
    ],
)
def test_bing_stated_figures_are_audited(stated, rule):
    found = {p.rule for p in check_budget(budget(BING + stated)) if p.rule.startswith("stated")}
    assert found == ({rule} if rule else set())
