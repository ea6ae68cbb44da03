"""Adding where budgets grow (issue 14, item 8): `a` on a 款 adds a new 项 or a new project, `a` in a project adds a
line to it, and the fund is asked where the budget has more than one; each is one undo step and a save writes only
the added text."""

from __future__ import annotations

import difflib
from decimal import Decimal
from pathlib import Path

from budget_tui.app.app import BudgetApp
from budget_tui.app.screens.budget import BudgetScreen
from budget_tui.app.screens.dialogs import AddChoiceScreen, FormScreen
from budget_tui.core.model import Fund, Kind
from budget_tui.files.fileformat import load
from budget_tui.session import Session
from tests.app.test_app import search
from tests.app.waiting import until
from tests.conftest import CHANGJI, SYNTHETIC

SIZE = (80, 24)


def make_app(path: Path) -> BudgetApp:
    return BudgetApp(Session.open(path))


def added_text(original: Path, edited: Path) -> list[str]:
    """The lines a save added or removed, as a diff's + and - lines."""
    diff = difflib.unified_diff(original.read_text("utf-8").splitlines(), edited.read_text("utf-8").splitlines(), lineterm="", n=0)
    return [line for line in diff if line[:1] in "+-" and line[:3] not in ("+++", "---")]


async def fill(pilot, *values: str) -> None:
    """Type each value and Enter, field after field (a prefilled field's text is selected: typing replaces it)."""
    for value in values:
        await pilot.press(*("space" if ch == " " else ch for ch in value), "enter")


def problem(app: BudgetApp) -> str:
    return str(app.screen.query_one(".problem").render())


async def save(pilot) -> None:
    await pilot.press("ctrl+s")
    await until(pilot, lambda: not pilot.app.session.dirty, "the save")


async def test_a_new_item_under_a_section_is_one_undo_step_and_saves_only_its_text(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "20103")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddChoiceScreen), "the choice")
        await pilot.press("i")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
        assert len(app.screen.query("Input")) == 3  # one fund: not asked
        await fill(pilot, "2010302", "30201", "5")
        await until(pilot, lambda: isinstance(app.screen, BudgetScreen), "the form closed")
        added = [line for line in app.session.budget.lines if line.functional == "2010302"]
        assert [(line.economic, line.amount, line.kind) for line in added] == [("30201", Decimal("5"), Kind.BASIC)]
        assert app.screen.tree.cursor_model_node.line == added[0]
        assert "合计 1700.33" in str(app.screen.query_one("StatusLine").render())
        await pilot.press("u")
        await until(pilot, lambda: not app.session.dirty, "one undo takes it away")
        await pilot.press("ctrl+r")
        await save(pilot)
    assert added_text(CHANGJI, changji_copy) == ["+", "+[basic.2010302]", "+30201 = 5.00  # 办公费"]


async def test_a_new_item_the_catalogue_does_not_know_is_refused_with_where_to_name_it(changji_copy):
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "20103")
        await pilot.press("a", "i")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
        await fill(pilot, "2010398", "30201", "5")
        await until(pilot, lambda: "2010398 is not in the catalogue; name it under [names]" in problem(app), "the refusal")
        app.screen.query("Input").first().value = "2020101"
        app.screen.query("Input").last().focus()
        await pilot.press("enter")
        await until(pilot, lambda: "not a 项 code under 20103" in problem(app), "the refusal")
        await pilot.press("escape")
        assert not app.session.dirty


async def test_a_new_project_with_its_fund_saves_a_projects_entry_and_only_that(synthetic_copy):
    app = make_app(synthetic_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "20502")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, AddChoiceScreen), "the choice")
        await pilot.press("p")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
        fields = list(app.screen.query("Input"))
        assert len(fields) == 5 and fields[-1].value == "一般公共预算"  # three funds: the fund is asked
        fields[-1].value = "3"
        await fill(pilot, "营养餐补助", "2050203", "30201", "12.5")
        await until(pilot, lambda: isinstance(app.screen, BudgetScreen), "the form closed")
        (line,) = [line for line in app.session.budget.lines if line.project == "营养餐补助"]
        assert (line.functional, line.economic, line.amount, line.kind, line.fund) == (
            "2050203", "30201", Decimal("12.5"), Kind.PROJECT, Fund.BUSINESS)
        await save(pilot)
    assert added_text(SYNTHETIC, synthetic_copy) == [
        "+[[projects]]", '+name = "营养餐补助"', '+functional = "2050203"', '+fund = "事业收入"', "+30201 = 12.50  # 办公费"
    ]
    assert any(line.project == "营养餐补助" and line.fund is Fund.BUSINESS for line in load(synthetic_copy).lines)


async def test_a_line_under_a_project_goes_into_it_and_keeps_its_attributes(synthetic_copy):
    app = make_app(synthetic_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "城区学校配套建设")
        await pilot.press("l", "j")  # into the project, on its first line
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
        assert "城区学校配套建设" in app.screen.title_text and len(app.screen.query("Input")) == 2  # the project's fund
        await fill(pilot, "31002", "8")
        await until(pilot, lambda: isinstance(app.screen, BudgetScreen), "the form closed")
        (line,) = [line for line in app.session.budget.lines if line.project == "城区学校配套建设" and line.economic == "31002"]
        assert line.fund is Fund.GOVERNMENT_FUND and line.kind is Kind.PROJECT
        await save(pilot)
    assert added_text(SYNTHETIC, synthetic_copy) == ["+31002 = 8.00  # 办公设备购置"]


async def test_a_basic_line_asks_the_fund_where_the_budget_has_several(synthetic_copy):
    app = make_app(synthetic_copy)
    async with app.run_test(size=SIZE) as pilot:
        await search(pilot, "2080505")
        await pilot.press("a")
        await until(pilot, lambda: isinstance(app.screen, FormScreen), "the form")
        fields = list(app.screen.query("Input"))
        assert len(fields) == 3 and fields[-1].value == "一般公共预算"
        fields[-1].value = "9"
        await fill(pilot, "30199", "1")
        await until(pilot, lambda: "is not a fund; type a number (1 一般公共预算" in problem(app), "the refusal")
        fields[-1].value = "事业收入"
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, BudgetScreen), "the form closed")
        (line,) = [line for line in app.session.budget.lines if line.functional == "2080505" and line.economic == "30199"]
        assert line.fund is Fund.BUSINESS and line.kind is Kind.BASIC
