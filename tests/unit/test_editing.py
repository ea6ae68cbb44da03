"""Typed input, edits, and undo/redo back to the loaded state."""

from decimal import Decimal

import pytest

from budget_tui.core.editing import EditError, Editor, evaluate
from budget_tui.core.model import Line
from budget_tui.files.fileformat import load
from tests.conftest import CHANGJI


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("340", "340"),
        ("340.00", "340.00"),
        ("+4.96", "340.00"),
        ("-3", "332.04"),
        ("*1.05", "351.79"),  # 351.792 rounded half up to the cent
        ("-8%", "308.24"),  # 335.04 × 0.92 = 308.2368
        ("+10%", "368.54"),
        ("1,000.5", "1000.5"),
    ],
)
def test_evaluate_numbers_deltas_factors_and_percents(text, expected):
    assert evaluate(text, Decimal("335.04")) == Decimal(expected)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "type an amount"),
        ("abc", "'abc' is not an amount"),
        ("1.234", "1.234 has more than two decimals"),
        ("+0.001", "0.001 has more than two decimals"),
        ("*5%", "write a percent as +5% or -8%"),
    ],
)
def test_evaluate_refuses_bad_input_with_a_clear_message(text, message):
    with pytest.raises(EditError, match=message.replace("*", r"\*").replace("+", r"\+")):
        evaluate(text, Decimal("335.04"))


def test_edits_undo_and_redo_back_to_the_loaded_state():
    budget = load(CHANGJI)
    original = list(budget.lines)
    editor = Editor(budget)
    first = budget.lines[0]
    editor.set_amount(first.key, Decimal("340.00"))
    editor.add_line(Line("2010301", "30215", Decimal("2.50")))
    editor.delete_line(budget.lines[1].key)
    editor.change_economic(budget.lines[2].key, "30109")
    assert editor.dirty and len(editor.changes()) == 5
    while editor.undo():
        pass
    assert budget.lines == original and not editor.dirty
    while editor.redo():
        pass
    assert budget.total() == Decimal("1695.33") + Decimal("4.96") + Decimal("2.50") - original[1].amount


def test_refused_edits_change_nothing():
    budget = load(CHANGJI)
    editor = Editor(budget)
    with pytest.raises(EditError, match="already has a line 30102"):
        editor.add_line(Line("2010301", "30102", Decimal("1")))
    with pytest.raises(EditError, match="negative"):
        editor.set_amount(budget.lines[0].key, Decimal("-1"))
    with pytest.raises(EditError, match="already has a line 30102"):
        editor.change_economic(budget.lines[0].key, "30102")
    assert not editor.dirty and not editor.undo_stack


def test_a_new_edit_clears_redo():
    budget = load(CHANGJI)
    editor = Editor(budget)
    key = budget.lines[0].key
    editor.set_amount(key, Decimal("1"))
    editor.undo()
    editor.set_amount(key, Decimal("2"))
    assert editor.redo() is None
