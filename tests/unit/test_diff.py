"""The diff: changed lines old → new since load and since save, and the subtotals they moved."""

from decimal import Decimal

from budget_tui.core.adjust import apply, scale_by_percent
from budget_tui.core.diff import ADDED, CHANGED, DELETED, RECODED, render_diff, since_loaded, since_saved
from budget_tui.core.editing import Editor
from budget_tui.core.model import Line
from budget_tui.core.tree import Tree
from budget_tui.files.fileformat import load
from budget_tui.files.save import save
from tests.conftest import CHANGJI


def cut_operating(budget, editor):
    apply(editor, scale_by_percent(Tree(budget).by_id[("f", "2010301", "basic", "302")], Decimal("-8")))


def test_minus_eight_percent_lists_13_lines_and_the_four_subtotals():
    budget = load(CHANGJI)
    editor = Editor(budget)
    cut_operating(budget, editor)
    diff = since_loaded(editor)
    assert len(diff.lines) == 13 and {d.status for d in diff.lines} == {CHANGED}
    assert [(s.code, s.old, s.new) for s in diff.subtotals] == [
        ("201", Decimal("1695.33"), Decimal("1637.19")),
        ("20103", Decimal("1695.33"), Decimal("1637.19")),
        ("2010301", Decimal("1642.52"), Decimal("1584.38")),
        ("302", Decimal("726.79"), Decimal("668.65")),
    ]
    assert (diff.old_total, diff.new_total) == (Decimal("1695.33"), Decimal("1637.19"))


def test_the_rendering_shows_each_line_and_subtotal_old_to_new():
    budget = load(CHANGJI)
    editor = Editor(budget)
    cut_operating(budget, editor)
    rows = render_diff(since_loaded(editor), budget).splitlines()
    assert rows[0] == "Since the file was loaded: 13 lines changed"
    assert rows[1].split() == ["~", "2010301", "30201", "办公费", "16.00", "→", "14.72", "-1.28"]
    assert rows[14] == "Subtotals"
    assert rows[15].split() == ["201", "一般公共服务支出", "1695.33", "→", "1637.19", "-58.14"]
    assert rows[18].split() == ["302", "商品和服务支出", "726.79", "→", "668.65", "-58.14"]
    assert rows[19].split() == ["合计", "1695.33", "→", "1637.19", "-58.14"]


def test_since_save_forgets_what_was_saved_and_since_load_keeps_it(changji_copy):
    budget = load(changji_copy)
    editor = Editor(budget)
    cut_operating(budget, editor)
    save(budget, editor.changes())
    editor.mark_saved()
    assert render_diff(since_saved(editor), budget) == "Since the last save: no changes.\n"
    office = budget.lines[0].key
    editor.set_amount(office, Decimal("300.00"))
    assert [(d.old.amount, d.new.amount) for d in since_saved(editor).lines] == [(Decimal("335.04"), Decimal("300.00"))]
    assert len(since_loaded(editor).lines) == 14


def test_added_deleted_and_recoded_lines():
    budget = load(CHANGJI)
    editor = Editor(budget)
    editor.add_line(Line("2010350", "30201", Decimal("2.50")))
    printing = next(line for line in budget.lines if line.economic == "30202")
    editor.delete_line(printing.key)
    office = next(line for line in budget.lines if line.economic == "30201" and line.functional == "2010301")
    editor.change_economic(office.key, "30215")
    diff = since_loaded(editor)
    by_status = {d.status: d for d in diff.lines}
    assert set(by_status) == {ADDED, DELETED, RECODED}
    assert (by_status[RECODED].old.economic, by_status[RECODED].new.economic) == ("30201", "30215")
    assert by_status[ADDED].new.functional == "2010350" and by_status[DELETED].old.economic == "30202"
    assert ("2010350", Decimal("52.81"), Decimal("55.31")) in [(s.code, s.old, s.new) for s in diff.subtotals]
    text = render_diff(diff, budget)
    assert "> 2010301 30201→30215 会议费" in text
    assert "- 2010301 30202 印刷费" in text and "+ 2010350 30201 办公费" in text


def test_a_delete_and_an_add_of_different_amounts_stay_apart():
    budget = load(CHANGJI)
    editor = Editor(budget)
    printing = next(line for line in budget.lines if line.economic == "30202")
    editor.delete_line(printing.key)
    editor.add_line(Line("2010301", "30215", Decimal("9.99")))
    assert sorted(d.status for d in since_loaded(editor).lines) == [ADDED, DELETED]


def test_an_undone_edit_leaves_no_diff():
    budget = load(CHANGJI)
    editor = Editor(budget)
    cut_operating(budget, editor)
    editor.undo()
    diff = since_loaded(editor)
    assert diff.lines == () and diff.subtotals == ()
