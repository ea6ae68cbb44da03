"""What the add forms ask for (issue 14, item 8): a new 项 code under its 款, its name, the fund, a project's name."""

from __future__ import annotations

import pytest

from budget_tui.core.additions import fund_named, funds_of, item_code, item_name, project_name
from budget_tui.core.editing import EditError
from budget_tui.core.model import Fund
from budget_tui.files.fileformat import load
from tests.conftest import CHANGJI, SYNTHETIC


def test_a_new_item_code_is_seven_digits_under_its_section():
    assert item_code("2010399", "20103") == "2010399"
    assert item_code(" ２０１０３９９ ", "20103") == "2010399"  # full-width digits are digits
    for typed in ("2010499", "201039", "20103999", "20103ab", ""):
        with pytest.raises(EditError, match="not a 项 code under 20103"):
            item_code(typed, "20103")


def test_an_item_is_named_by_the_file_or_the_catalogue_else_refused_with_where_to_name_it():
    budget = load(CHANGJI)
    assert item_name(budget, "2010302") == "一般行政管理事务"
    with pytest.raises(EditError, match=r"2010398 is not in the catalogue; name it under \[names\]"):
        item_name(budget, "2010398")
    budget.names["2010398"] = "本地项目"
    assert item_name(budget, "2010398") == "本地项目"


def test_the_funds_offered_are_the_budget_s_in_table_order_and_read_by_number_or_name():
    assert funds_of(load(CHANGJI)) == [Fund.GENERAL]
    offered = funds_of(load(SYNTHETIC))
    assert offered == [Fund.GENERAL, Fund.GOVERNMENT_FUND, Fund.BUSINESS]
    assert fund_named("2", offered) is Fund.GOVERNMENT_FUND
    assert fund_named(" 事业收入 ", offered) is Fund.BUSINESS
    assert fund_named("其他收入", offered) is Fund.OTHER  # any fund by its name
    for typed in ("4", "0", "gov", ""):
        with pytest.raises(EditError, match="is not a fund; type a number"):
            fund_named(typed, offered)


def test_a_project_name_is_one_line_and_new_under_its_item_and_fund():
    budget = load(SYNTHETIC)
    assert project_name("  新的  项目 ", budget, "2050201", Fund.GENERAL) == "新的 项目"
    with pytest.raises(EditError, match="has a project '学前教育生均公用经费补助' already"):
        project_name("学前教育生均公用经费补助", budget, "2050201", Fund.GENERAL)
    assert project_name("学前教育生均公用经费补助", budget, "2050201", Fund.BUSINESS)  # another fund: another project
    with pytest.raises(EditError, match="type the project's name"):
        project_name("   ", budget, "2050201", Fund.GENERAL)
    with pytest.raises(EditError, match="one line of at most"):
        project_name("x" * 101, budget, "2050201", Fund.GENERAL)
    with pytest.raises(EditError, match="one line of at most"):
        project_name("a\x1b[31mb", budget, "2050201", Fund.GENERAL)
