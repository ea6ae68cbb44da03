"""Bulk adjustment: exact targets by largest remainder, a preview, one undo step, and the file saved to the cent."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budget_tui.core.adjust import allocate, apply, plan, render_preview, scale_by_percent, scale_to_total
from budget_tui.core.editing import Batch, Change, EditError, Editor
from budget_tui.core.model import Budget, Department, Line
from budget_tui.core.money import CENT, round_cent
from budget_tui.core.tree import ECONOMIC, Tree
from budget_tui.files.fileformat import load
from budget_tui.files.save import save
from tests.conftest import CHANGJI

OPERATING_2010301 = ("f", "2010301", "basic", "302")

cents = st.integers(min_value=0, max_value=10**9).map(lambda n: Decimal(n) * CENT)
amount_lists = st.lists(cents, min_size=1, max_size=30).filter(lambda amounts: sum(amounts) > 0)
percents = st.decimals(min_value=-100, max_value=300, places=2)


@given(amount_lists, cents)
def test_allocate_hits_the_target_exactly_within_a_cent_of_each_share(amounts, target):
    new = allocate(amounts, target)
    assert sum(new) == target
    old_total = sum(amounts)
    for old, amount in zip(amounts, new):
        exact_share = Fraction(old) * Fraction(target) / Fraction(old_total)
        assert abs(Fraction(amount) - exact_share) < Fraction(1, 100)
        assert amount >= 0 and amount == amount.quantize(CENT)


@given(amount_lists, percents)
def test_a_percentage_gives_the_rounded_target_and_undo_restores_every_line(amounts, percent):
    lines = [Line("2010301", f"302{i:02d}", amount) for i, amount in enumerate(amounts)]
    budget = Budget(Department("测试局", 2020), list(lines))
    editor = Editor(budget)
    node = Tree(budget).by_id[OPERATING_2010301]
    adjustment = scale_by_percent(node, percent)
    expected = round_cent(sum(amounts) * (1 + percent / 100))
    assert adjustment.new_total == expected
    assert all(item.new_amount >= 0 for item in adjustment.lines)
    if adjustment.changes():
        apply(editor, adjustment)
        assert budget.total() == expected
        editor.undo()
    assert budget.lines == lines and not editor.dirty


def test_ties_go_to_the_earlier_line_in_code_order():
    assert allocate([Decimal("1.00")] * 3, Decimal("1.00")) == [Decimal("0.34"), Decimal("0.33"), Decimal("0.33")]
    assert allocate([Decimal("1.00")] * 3, Decimal("2.00")) == [Decimal("0.67"), Decimal("0.67"), Decimal("0.66")]


@pytest.mark.parametrize(
    ("amounts", "target", "message"),
    [
        ([Decimal("0"), Decimal("0")], Decimal("1.00"), "add up to 0"),
        ([Decimal("5")], Decimal("-1"), "is not a total"),
        ([Decimal("5")], Decimal("1.001"), "is not a total"),
        ([Decimal("5"), Decimal("-1")], Decimal("3"), "negative"),
    ],
)
def test_impossible_targets_are_refused(amounts, target, message):
    with pytest.raises(EditError, match=message):
        allocate(amounts, target)


def test_minus_eight_percent_on_302_of_2010301_saves_to_the_cent(changji_copy):
    budget = load(changji_copy)
    editor = Editor(budget)
    node = Tree(budget).by_id[OPERATING_2010301]
    adjustment = scale_by_percent(node, Decimal("-8"))
    assert (adjustment.old_total, adjustment.new_total) == (Decimal("726.79"), Decimal("668.65"))
    assert len(adjustment.lines) == 13 and len(adjustment.changes()) == 13
    assert all(item.new_amount == item.new_amount.quantize(CENT) for item in adjustment.lines)
    assert {item.line.economic: item.new_amount for item in adjustment.lines}["30299"] == Decimal("491.20")

    heard: list[Change] = []
    editor.listeners.append(heard.append)
    batch = apply(editor, adjustment)
    assert isinstance(batch, Batch) and len(editor.undo_stack) == 1 and len(heard) == 13
    save(budget, editor.changes())
    editor.mark_saved()

    reloaded = Tree(load(changji_copy))
    assert reloaded.by_id[OPERATING_2010301].total == Decimal("668.65")
    assert reloaded.by_id[("f", "2010301")].total == Decimal("1642.52") - Decimal("58.14")
    assert reloaded.root.total == Decimal("1637.19")
    assert {n.line.economic: n.line.amount for n in reloaded.by_id[OPERATING_2010301].children} == {
        item.line.economic: item.new_amount for item in adjustment.lines
    }


def test_one_undo_restores_all_lines_and_redo_applies_them_again():
    budget = load(CHANGJI)
    original = list(budget.lines)
    editor = Editor(budget)
    adjustment = scale_by_percent(Tree(budget).by_id[OPERATING_2010301], Decimal("-8"))
    apply(editor, adjustment)
    heard: list[Change] = []
    editor.listeners.append(heard.append)
    assert editor.undo() is not None
    assert budget.lines == original and not editor.undo_stack and len(heard) == 13
    assert all(change.label.startswith("undo ") for change in heard)
    editor.redo()
    assert budget.total() == Decimal("1637.19")


def test_typed_input_plans_a_percent_a_factor_or_a_new_total():
    budget = load(CHANGJI)
    node = Tree(budget).by_id[OPERATING_2010301]
    assert plan(node, "-8%").new_total == Decimal("668.65")
    assert plan(node, "*0.5").new_total == Decimal("363.40")  # 363.395 rounded half up
    assert plan(node, "700").new_total == Decimal("700")
    with pytest.raises(EditError):
        plan(node, "abc")


def test_an_economic_view_node_scales_across_functional_items():
    budget = load(CHANGJI)
    node = Tree(budget, ECONOMIC).by_id[("e", "301")]
    adjustment = scale_to_total(node, Decimal("900.00"))
    assert {item.line.functional for item in adjustment.lines} == {"2010301", "2010350"}
    assert adjustment.new_total == Decimal("900.00")


def test_a_stale_preview_is_refused_and_changes_nothing():
    budget = load(CHANGJI)
    editor = Editor(budget)
    node = Tree(budget).by_id[OPERATING_2010301]
    adjustment = scale_by_percent(node, Decimal("-8"))
    editor.set_amount(adjustment.lines[0].line.key, Decimal("20.00"))
    before = list(budget.lines)
    with pytest.raises(EditError, match="no longer 16.00"):
        apply(editor, adjustment)
    assert budget.lines == before and len(editor.undo_stack) == 1


def test_a_zero_change_is_refused():
    budget = load(CHANGJI)
    node = Tree(budget).by_id[OPERATING_2010301]
    with pytest.raises(EditError, match="no line changes"):
        apply(Editor(budget), scale_by_percent(node, Decimal("0")))


def test_the_preview_text_lists_every_line_and_the_subtotal():
    budget = load(CHANGJI)
    adjustment = scale_by_percent(Tree(budget).by_id[OPERATING_2010301], Decimal("-8"))
    text = render_preview(adjustment, budget)
    rows = text.splitlines()
    assert len(rows) == 14
    assert rows[0].split() == ["2010301", "30201", "办公费", "16.00", "→", "14.72"]
    assert rows[-1].split() == ["小计", "726.79", "→", "668.65"]


def test_a_batch_of_deletes_and_adds_undoes_in_place_and_refuses_as_a_whole():
    budget = load(CHANGJI)
    original = list(budget.lines)
    editor = Editor(budget)
    first, second = budget.lines[0], budget.lines[1]
    added = Line("2010350", "30201", Decimal("1.00"))
    editor.apply_batch([Change(first, None), Change(None, added), Change(second, second.with_amount(Decimal("1.00")))], "mixed")
    assert budget.lines[0] == second.with_amount(Decimal("1.00")) and budget.lines[-1] == added
    editor.undo()
    assert budget.lines == original
    with pytest.raises(EditError, match="already has a line 30102"):
        editor.apply_batch([Change(first, first.with_amount(Decimal("2.00"))), Change(None, second)], "bad")
    assert budget.lines == original and not editor.undo_stack
