"""Issue 14, items 3 and 4: what the edit box reads (95% is 95 % of the amount, +5%/-8% change it, full-width digits,
`5.`, `1,2` refused) and shows before it is committed; an edit that changes nothing is not an edit (no undo step, no
journal entry, no unsaved mark) for a set amount, a recode to the same code, a bulk adjust by 0% and a batch."""

from __future__ import annotations

import json
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budget_tui.core.adjust import scale_by_percent
from budget_tui.core.editing import Change, EditError, Editor, evaluate, is_noop, preview
from budget_tui.core.money import AMOUNT_LIMIT, round_cent
from budget_tui.core.tree import Tree
from budget_tui.files.fileformat import load
from budget_tui.files.lock import side_file
from budget_tui.session import Session
from tests.conftest import CHANGJI

HUNDRED = Decimal("100.00")


# -- item 3: the syntax of the edit box ----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("95%", "95.00"),  # 95 % of the amount, no longer +95 %
        ("100%", "100.00"),
        ("0%", "0.00"),
        ("150%", "150.00"),
        ("12.5%", "12.50"),
        ("+5%", "105.00"),
        ("-8%", "92.00"),
        ("+0%", "100.00"),
        ("-100%", "0.00"),
        (" 95 % ", "95.00"),
        ("- 8 %", "92.00"),
        ("９５％", "95.00"),  # full-width digits and percent sign
        ("＋５％", "105.00"),
        ("－８％", "92.00"),
        ("*1.05", "105.00"),  # a factor stays a factor
        ("＊１．０５", "105.00"),
        ("*0.5", "50.00"),
        ("100", "100"),  # a number sets the amount
        ("95", "95"),
        ("+5", "105.00"),
        ("-8", "92.00"),
        ("5.", "5"),
        ("１２３．５", "123.5"),
        ("1,234.56", "1234.56"),
        ("１，２３４", "1234"),
        ("¥95", "95"),
    ],
)
def test_the_edit_box_reads_numbers_changes_factors_and_percents(typed, expected):
    assert evaluate(typed, HUNDRED) == Decimal(expected)


def test_a_percent_of_the_amount_is_rounded_half_up_to_the_cent():
    assert evaluate("95%", Decimal("335.04")) == Decimal("318.29")  # 318.288
    assert evaluate("33.333%", Decimal("0.03")) == Decimal("0.01")  # 0.0099999
    assert evaluate("50%", Decimal("0.01")) == Decimal("0.01")  # 0.005 half up
    assert evaluate("-8%", Decimal("335.04")) == Decimal("308.24")  # as before: a signed percent is a change


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1,2", "commas may only separate thousands"),  # never read as 12
        ("1,23", "commas may only separate thousands"),
        ("１，２", "commas may only separate thousands"),
        ("*5%", "write a percent as +5% or -8% (a change) or 95% (of the amount), not *5%"),
        ("%", "is not an amount"),
        ("95%%", "is not an amount"),
        ("+-5", "is not an amount"),
        ("5..", "is not an amount"),
        ("1.234", "more than two decimals"),
        ("", "95%"),  # the hint names the new spelling
        ("abc", "95% or -8%"),
        ("1e20%", "too large"),
    ],
)
def test_the_edit_box_refuses_what_it_cannot_read_exactly(typed, message):
    with pytest.raises(EditError) as caught:
        evaluate(typed, HUNDRED)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("95%", "100.00 → 95.00"),
        ("+5%", "100.00 → 105.00"),
        ("-8%", "100.00 → 92.00"),
        ("*1.05", "100.00 → 105.00"),
        ("5.", "100.00 → 5.00"),
        ("１２３．５", "100.00 → 123.50"),
        ("", "100.00 → ?"),
    ],
)
def test_the_preview_shows_the_result_before_it_is_committed(typed, shown):
    assert preview(typed, HUNDRED) == shown


def test_the_preview_of_input_that_cannot_be_read_says_why():
    shown = preview("1,2", HUNDRED)
    assert shown.startswith("100.00 → ?: ") and "commas may only separate thousands" in shown


percents = st.decimals(min_value=0, max_value=10_000, places=2)
amounts = st.decimals(min_value=0, max_value=Decimal("99999999.99"), places=2)


@given(amount=amounts, percent=percents)
def test_a_percent_is_that_share_of_the_amount_exactly_to_the_cent(amount, percent):
    text = f"{percent}%"
    assert evaluate(text, amount) == round_cent(amount * percent / 100)
    assert evaluate(f"+{percent}%", amount) == round_cent(amount + amount * percent / 100)
    assert evaluate(f"+{percent}%", amount) == evaluate(f"{100 + percent}%", amount)  # +5% is 105%
    if percent <= 100:
        assert evaluate(f"-{percent}%", amount) == evaluate(f"{100 - percent}%", amount)  # -8% is 92%
    assert preview(text, amount).endswith(f"→ {round_cent(amount * percent / 100):.2f}")


@given(amount=amounts)
def test_a_hundred_percent_a_zero_change_and_a_factor_of_one_keep_the_amount(amount):
    for typed in ("100%", "+0%", "-0%", "*1", "+0", "-0"):
        assert evaluate(typed, amount) == amount


@given(whole=st.integers(min_value=0, max_value=10**12), cents=st.integers(min_value=0, max_value=99))
def test_full_width_digits_read_as_their_ascii_ones(whole, cents):
    ascii_text = f"{whole}.{cents:02d}"
    wide = ascii_text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789."})
    assert evaluate(wide, HUNDRED) == evaluate(ascii_text, HUNDRED) == Decimal(ascii_text)


def test_a_percent_beyond_the_largest_amount_is_refused():
    with pytest.raises(EditError, match="too large"):
        evaluate("200%", AMOUNT_LIMIT - 1)


# -- item 4: an edit that changes nothing is not an edit ----------------------------------------------


def editor_with_listener() -> tuple[Editor, list[Change]]:
    editor = Editor(load(CHANGJI))
    heard: list[Change] = []
    editor.listeners.append(heard.append)
    return editor, heard


@pytest.mark.parametrize("amount", ["335.04", "335.040", "335.0400"])
def test_setting_the_amount_a_line_has_records_nothing(amount):
    editor, heard = editor_with_listener()
    key = editor.budget.lines[0].key
    assert editor.line(key).amount == Decimal("335.04")
    assert editor.set_amount(key, Decimal(amount)) is None
    assert not editor.undo_stack and not heard and not editor.dirty and editor.undo() is None


def test_recoding_a_line_to_its_own_code_records_nothing():
    editor, heard = editor_with_listener()
    line = editor.budget.lines[0]
    assert editor.change_economic(line.key, line.economic) is None
    assert not editor.undo_stack and not heard and editor.line(line.key) is line


def test_a_batch_of_no_op_changes_records_nothing_and_a_mixed_batch_only_the_real_ones():
    editor, heard = editor_with_listener()
    first, second = editor.budget.lines[:2]
    same = [Change(first, first.with_amount(Decimal("335.040"))), Change(second, second)]
    assert editor.apply_batch(same, "nothing") is None
    assert not editor.undo_stack and not heard and not editor.dirty
    batch = editor.apply_batch([Change(first, first), Change(second, second.with_amount(Decimal("1.00")))], "one")
    assert batch is not None and [change.after for change in batch.changes] == [second.with_amount(Decimal("1.00"))]
    assert len(heard) == 1 and len(editor.undo_stack) == 1
    editor.undo()
    assert editor.budget.lines[:2] == [first, second] and not editor.dirty


def test_a_change_of_name_or_attributes_is_not_a_no_op():
    line = load(CHANGJI).lines[0]
    assert is_noop(Change(line, line.with_amount(Decimal("335.040"))))
    assert not is_noop(Change(line, replace(line, name="其他")))
    assert not is_noop(Change(line, replace(line, economic="30102")))
    assert not is_noop(Change(None, line)) and not is_noop(Change(line, None))


def journal_rows(path) -> list[dict]:
    journal = side_file(path, "journal")
    return [json.loads(row) for row in journal.read_text("utf-8").splitlines()[1:]] if journal.exists() else []


@pytest.mark.parametrize("typed", ["335.04", "335.040", "+0", "-0", "*1", "100%", "+0%", "-0%", "３３５．０４"])
def test_a_session_edit_that_changes_nothing_has_no_undo_step_journal_entry_or_unsaved_mark(changji_copy, typed):
    session = Session.open(changji_copy)
    assert session.take_lock() is None and session.recover() is None
    key = session.budget.lines[0].key
    outcome = session.set_amount(key, typed)
    assert outcome.unchanged and outcome.targets == [("line", key)] and outcome.changed == []
    assert not session.dirty and not session.editor.undo_stack and session.undo() is None
    assert journal_rows(changji_copy) == []
    session.close()


def test_no_op_edits_among_real_ones_leave_one_journal_entry_and_one_undo_step_each(changji_copy):
    session = Session.open(changji_copy)
    assert session.take_lock() is None and session.recover() is None
    line = session.budget.lines[0]
    for typed in ("340", "340.00", "+0", "100%"):  # a real edit, then three that change nothing (the SIGHUP report)
        session.set_amount(line.key, typed)
    session.change_economic(line.key, line.economic)
    assert len(session.editor.undo_stack) == 1 and session.dirty
    assert [(row["before"]["amount"], row["after"]["amount"]) for row in journal_rows(changji_copy)] == [("335.04", "340")]
    session.undo()
    assert not session.dirty and session.undo() is None
    session.close()


def test_a_bulk_adjust_by_zero_percent_is_no_step(changji_copy):
    session = Session.open(changji_copy)
    assert session.take_lock() is None and session.recover() is None
    node = session.tree.by_id[("f", "2010301")]
    for typed in ("+0%", "-0%", "100%", "*1", "+0"):  # (0% would be 0 % of the total: every line 0)
        adjustment = session.adjustment(node, typed)
        assert adjustment.new_total == adjustment.old_total
        with pytest.raises(EditError, match="no line changes"):
            session.adjust(adjustment)
    assert not session.dirty and not session.editor.undo_stack and journal_rows(changji_copy) == []
    session.close()


def test_a_bulk_adjustment_whose_lines_keep_their_amounts_is_no_step_in_the_editor():
    budget = load(CHANGJI)
    editor = Editor(budget)
    adjustment = scale_by_percent(Tree(budget).by_id[("f", "2010301")], Decimal("0"))
    unchanged = [Change(item.line, item.line.with_amount(item.new_amount)) for item in adjustment.lines]
    assert editor.apply_batch(unchanged, adjustment.label) is None and not editor.undo_stack
