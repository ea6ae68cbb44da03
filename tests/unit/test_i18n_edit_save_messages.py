"""Edit and save messages in Chinese (issue 17): with i18n.use("zh") the refusals of typed amounts, duplicate lines,
read-only and save-as are Chinese, their data (codes, amounts, names) kept as typed; English comes back after."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from budget_tui import i18n
from budget_tui.core import adjust
from budget_tui.core.editing import EditError, Editor, evaluate, preview
from budget_tui.core.model import Line
from budget_tui.files.fileformat import load
from budget_tui.files.inplace import render
from budget_tui.files.lock import Holder, LockHeld
from budget_tui.files.save import SaveError
from budget_tui.session import Session
from tests.conftest import CHANGJI

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture
def chinese():
    """Chinese for the test, English again after it whatever happens."""
    i18n.use("zh")
    try:
        yield
    finally:
        i18n.use("en")


def chinese_without(message: str, english: str) -> str:
    """The message, once it is shown to be Chinese and not the English sentence."""
    assert CJK.search(message), message
    assert english not in message, message
    return message


def test_an_invalid_amount_typed_is_refused_in_chinese_quoting_the_input(chinese):
    with pytest.raises(EditError) as refused:
        evaluate("abc", Decimal("100"))
    message = chinese_without(str(refused.value), "is not an amount")
    assert "abc" in message and "340.00" in message
    with pytest.raises(EditError) as empty:
        evaluate("  ", Decimal("100"))
    chinese_without(str(empty.value), "type an amount")
    shown = preview("abc", Decimal("100"))
    assert shown.startswith("100.00 → ") and "abc" in chinese_without(shown, "is not an amount")


def test_a_duplicate_line_is_refused_in_chinese_naming_both_codes(chinese):
    budget = load(CHANGJI)
    editor = Editor(budget)
    with pytest.raises(EditError) as refused:
        editor.add_line(Line("2010301", "30102", Decimal("1")))
    message = chinese_without(str(refused.value), "already has a line")
    assert "2010301" in message and "30102" in message
    assert not editor.dirty


def test_a_bulk_adjustment_of_nothing_is_refused_in_chinese(chinese):
    with pytest.raises(EditError) as refused:
        adjust.allocate([Decimal(0), Decimal(0)], Decimal(5))
    chinese_without(str(refused.value), "nothing to scale")


def test_read_only_says_why_in_chinese(chinese, changji_copy):
    session = Session.open(changji_copy)
    try:
        session.read_only, session.holder = True, LockHeld(changji_copy, Holder("王", "host", 42, "2024-01-01T08:00"))
        refusal = session.refusal()
        assert refusal is not None
        assert "changji-2020.toml" in chinese_without(refusal, "Nothing can be changed here")
        session.holder = None
        assert "budget-tui" in chinese_without(session.refusal() or "", "is being edited by another")
    finally:
        session.close()


def test_save_as_refusals_are_chinese(chinese, changji_copy):
    session = Session.open(changji_copy)
    try:
        session.set_amount(next(iter(session.tree.by_line)), "+1")
        with pytest.raises(SaveError) as empty:
            session.save_as("  ")
        chinese_without(str(empty.value), "Type a file name")
        with pytest.raises(SaveError) as taken:
            session.save_as(changji_copy.name)
        assert changji_copy.name in chinese_without(str(taken.value), "already exists")
        with pytest.raises(SaveError) as folder_only:
            session.save_folder_as(changji_copy.with_name("elsewhere"))
        chinese_without(str(folder_only.value), "works on a folder")
        assert session.dirty
    finally:
        session.close()


def test_a_line_the_file_no_longer_has_is_refused_in_chinese_with_the_path_first(chinese):
    budget = load(CHANGJI)
    ghost = Line("2010301", "30999", Decimal("1"))
    with pytest.raises(SaveError) as refused:
        render(budget.sources[0], [(ghost, None)])
    message = chinese_without(str(refused.value), "nothing was written")
    assert message.startswith(f"{budget.sources[0].path}: ") and "30999" in message


def test_english_is_back_after_chinese():
    i18n.use("zh")
    try:
        with pytest.raises(EditError, match="不是金额"):
            evaluate("abc", Decimal("100"))
    finally:
        i18n.use("en")
    with pytest.raises(EditError, match="is not an amount"):
        evaluate("abc", Decimal("100"))
