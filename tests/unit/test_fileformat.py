"""Reading budget files: the samples' figures, and a clear PATH:LINE message for every kind of bad input."""

from decimal import Decimal

import pytest

from budget_tui.core.model import Category, Fund, Kind
from budget_tui.files.fileformat import BudgetFileError, load, parse
from tests.conftest import CHANGJI, MINIMAL, SYNTHETIC

# Table 6 of the source (一般公共预算基本支出情况表), line by line, with the names it prints.
TABLE_6 = {
    "30101": ("基本工资", "335.04"),
    "30102": ("津贴补贴", "163.88"),
    "30103": ("奖金", "23.19"),
    "30106": ("伙食补助费", "79.38"),
    "30108": ("机关事业单位基本养老保险缴费", "85.94"),
    "30110": ("职工基本医疗保险缴费", "61.46"),
    "30111": ("公务员医疗补助缴费", "25.88"),
    "30112": ("其他社会保障缴费", "1.97"),
    "30113": ("住房公积金", "64.46"),
    "30199": ("其他工资福利支出", "83.07"),
    "30107": ("基本性和奖励性绩效工资", "15.04"),
    "30201": ("办公费", "16"),
    "30202": ("印刷费", "3"),
    "30205": ("水费", "1"),
    "30206": ("电费", "1"),
    "30207": ("邮电费", "8"),
    "30208": ("取暖费", "42"),
    "30211": ("差旅费", "50.77"),
    "30213": ("维修（护）费", "3.4"),
    "30217": ("公务接待费", "3.6"),
    "30228": ("工会经费", "6.7"),
    "30229": ("福利费", "15.41"),
    "30231": ("公务车运行维护费", "42"),
    "30299": ("其他商品和服务支出", "533.91"),
    "30301": ("离休工资（含津补贴）", "13.78"),
    "30305": ("生活补助", "1.78"),
    "30309": ("奖励金", "2.97"),
    "30314": ("职工住宅取暖", "10.7"),
}


def test_changji_reproduces_every_table_6_line_with_its_published_name():
    budget = load(CHANGJI)
    by_code: dict[str, Decimal] = {}
    for line in budget.lines:
        by_code[line.economic] = by_code.get(line.economic, Decimal(0)) + line.amount
    assert set(by_code) == set(TABLE_6)
    for code, (name, amount) in TABLE_6.items():
        assert by_code[code] == Decimal(amount), code
        assert budget.economic_name(code) == name


def test_changji_totals_by_item_and_category():
    budget = load(CHANGJI)
    by_item: dict[str, Decimal] = {}
    for line in budget.lines:
        by_item[line.functional] = by_item.get(line.functional, Decimal(0)) + line.amount
    assert by_item == {"2010301": Decimal("1642.52"), "2010350": Decimal("52.81")}
    personnel = sum(l.amount for l in budget.lines if l.category is Category.PERSONNEL)
    operating = sum(l.amount for l in budget.lines if l.category is Category.OPERATING)
    assert (personnel, operating) == (Decimal("968.54"), Decimal("726.79"))
    assert all(line.fund is Fund.GENERAL and line.kind is Kind.BASIC for line in budget.lines)


def test_changji_facts_the_narrative_needs():
    budget = load(CHANGJI)
    assert budget.department.name == "昌吉回族自治州人民政府办公室"
    assert budget.department.year == 2020
    facts = budget.facts
    assert facts.prior.total == Decimal("1781.38")
    assert facts.prior.functional["2010301"] == Decimal("1728.57")
    assert facts.prior.three_public.vehicle_operation == Decimal("47.52")
    assert facts.prior.three_public.reception == Decimal("3.70")
    assert facts.prior.operating_costs == Decimal("782.23")
    assert facts.procurement.goods == Decimal("118.50")
    assert facts.assets.vehicles is not None and facts.assets.vehicles["一般公务用车"].count == 22
    assert facts.profile.offices is not None and len(facts.profile.offices) == 10
    staffing = facts.staffing
    assert (staffing.administrative, staffing.logistics, staffing.institutional) == (40, 16, 6)
    assert facts.prior.staffing.retired is None  # blank in the source: not invented


def test_synthetic_sample_exercises_projects_funds_and_overrides():
    budget = load(SYNTHETIC)
    kinds = {line.kind for line in budget.lines}
    funds = {line.fund for line in budget.lines}
    assert kinds == {Kind.BASIC, Kind.PROJECT}
    assert {Fund.GENERAL, Fund.GOVERNMENT_FUND, Fund.BUSINESS} <= funds
    assert len({line.functional[:3] for line in budget.lines}) >= 5
    contract = next(line for line in budget.lines if line.economic == "30227")
    assert contract.category is Category.PERSONNEL  # overridden: 302 would be 公用经费
    assert len(budget.projects) == 4


def test_line_numbers_point_at_the_amount():
    budget = load(CHANGJI)
    text = CHANGJI.read_text("utf-8").splitlines()
    for line in budget.lines:
        assert text[line.file_line - 1].startswith(f"{line.economic} = "), line


def error_of(write_budget, content) -> BudgetFileError:
    path = write_budget(content)
    with pytest.raises(BudgetFileError) as caught:
        load(path)
    return caught.value


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("", 1, "the file is empty; a budget needs at least a [department] table"),
        ("\n  \n", 1, "the file is empty; a budget needs at least a [department] table"),
        ('[department]\nname = "x"\nyear = \n', 3, "not valid TOML: a value is missing or malformed"),
        ('[department]\nname = "x"\nname = "y"\n', 3, "not valid TOML: a key is given twice; keep one of them"),
        ('title = "x"\n', 1, "unknown section [title]; the sections are: format, department"),
        ("[basic.2010301]\n30101 = 1\n", 1, "no [department] table; add one"),
        ('[department]\nname = "x"\nyear = "2020"\n', 3, "[department] needs year = the budget year"),
        ('[department]\nname = "x"\nyear = 2020\nunit = "千元"\n', 4, "unit must be one of 万元, 元"),
        (MINIMAL + '30102 = "abc"\n', 7, "the amount of 30102: 'abc' is not a number"),
        (MINIMAL + "30102 = nan\n", 7, "the amount of 30102: NaN is not a finite amount"),
        (MINIMAL + "30102 = inf\n", 7, "the amount of 30102: Infinity is not a finite amount"),
        (MINIMAL + "30102 = true\n", 7, "the amount of 30102: expected an amount, found true"),
        (MINIMAL + '30102 = { amount = 1, category = "其他" }\n', 7, "category of 30102 must be 人员经费 or 公用经费"),
        (MINIMAL + '[basic.2010301."某基金"]\n30201 = 1\n', 7, "'某基金' is neither an economic code nor a fund"),
        (MINIMAL + '[staffing]\nactual = "59"\n', 8, "staffing.actual must be a whole number"),
        (MINIMAL + "[prior]\ntotl = 1\n", 8, "unknown key 'totl' in [prior]"),
        (MINIMAL + '[[projects]]\nfunctional = "2010302"\n', 7, "a [[projects]] entry needs name"),
    ],
)
def test_bad_input_names_file_line_and_what_to_do(write_budget, content, line, message):
    error = error_of(write_budget, content)
    assert error.line == line
    assert error.message.startswith(message)
    assert str(error).startswith(f"{error.path}:{line}:")


def test_gbk_file_is_recognised_with_the_command_to_convert_it(write_budget):
    error = error_of(write_budget, '[department]\nname = "测试局"\nyear = 2020\n'.encode("gbk"))
    assert (error.line, error.column) == (2, 9)
    assert "is not UTF-8 text; it looks like GBK (GB18030); convert it with: iconv -f GB18030 -t UTF-8" in error.message


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(BudgetFileError, match="no such file"):
        load(tmp_path / "missing.toml")
    with pytest.raises(BudgetFileError, match="holds no budget files"):
        load(tmp_path)


def test_bom_and_crlf_are_accepted(write_budget):
    budget = load(write_budget(b"\xef\xbb\xbf" + MINIMAL.replace("\n", "\r\n").encode("utf-8")))
    assert budget.total() == Decimal("10.00")
    assert budget.lines[0].file_line == 6


def test_deep_nesting_is_an_error_not_a_crash(write_budget):
    error = error_of(write_budget, "a = " + "[" * 5000 + "]" * 5000 + "\n")
    assert error.line == 1


def test_loader_keeps_what_check_reports():
    # Three decimals, negatives, huge amounts (below money.AMOUNT_LIMIT) and unknown codes load, so that `check` can name them.
    budget = parse(
        (MINIMAL + "30102 = 1.234\n30103 = -5\n30104 = 1e12\n39998 = 1\n").encode("utf-8")
    )
    assert [line.amount for line in budget.lines][1:] == [Decimal("1.234"), Decimal("-5"), Decimal("1e12"), Decimal("1")]
