"""Invariants over generated budgets: round trips are exact, undo gives back the bytes, totals always agree."""

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget_tui.core.checks import table_rules
from budget_tui.core.editing import Editor
from budget_tui.core.model import Fund, Line
from budget_tui.core.tree import Tree
from budget_tui.files.fileformat import parse
from budget_tui.files.save import render

ITEMS = ["2010301", "2010350", "2050101", "2080505", "2120803"]
CODES = ["30101", "30102", "30201", "30217", "30231", "30302", "31002", "31013"]
amounts = st.decimals(min_value=0, max_value=99999, places=2)
spellings = st.sampled_from(["{:.2f}", "{}", "{:.1f}"])
comments = st.sampled_from(["", "  # 说明", "   # 名称（含括号）", "# x"])


@st.composite
def budget_text(draw) -> str:
    """A budget file as a person might write it: varied spacing, number spellings and comments."""
    out = ["# 生成的预算", "[department]", 'name = "生成局"', "year = 2020", ""]
    for item in draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=4, unique=True)):
        out.append(f"[basic.{item}]{draw(comments)}")
        for code in draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=5, unique=True)):
            amount = draw(amounts)
            text = draw(spellings).format(amount)
            if Decimal(text) != amount:
                text = f"{amount:.2f}"
            out.append(f"{code}{draw(st.sampled_from([' = ', '=', '  =  ']))}{text}{draw(comments)}")
        if draw(st.booleans()):
            out += [f'[basic.{item}."事业收入"]', f"30201 = {draw(amounts):.2f}"]
        out.append("")
    if draw(st.booleans()):
        out += ["[[projects]]", 'name = "生成项目"', 'functional = "2010302"', f"31002 = {draw(amounts):.2f}", ""]
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    return newline.join(out)


edits = st.lists(
    st.tuples(st.sampled_from(["set", "add", "delete", "recode", "undo"]), st.integers(0, 50), amounts),
    max_size=12,
)


def apply(editor: Editor, op: str, index: int, amount: Decimal) -> None:
    lines = editor.budget.lines
    if op == "undo":
        editor.undo()
        return
    if op == "add":
        candidate = Line(ITEMS[index % len(ITEMS)], CODES[index % len(CODES)], amount)
        if all(line.key != candidate.key for line in lines):
            editor.add_line(candidate)
        return
    if not lines:
        return
    line = lines[index % len(lines)]
    if op == "set":
        editor.set_amount(line.key, amount)
    elif op == "delete":
        editor.delete_line(line.key)
    else:
        code = CODES[(index + 3) % len(CODES)]
        if all(other.key != line.key._replace(economic=code) for other in lines):
            editor.change_economic(line.key, code)


SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(budget_text())
def test_load_save_load_is_identical(text):
    data = text.encode("utf-8")
    budget = parse(data)
    assert render(budget.sources[0], []) == data
    again = parse(render(budget.sources[0], Editor(budget).changes()))
    assert again.lines == budget.lines


@SETTINGS
@given(budget_text(), edits)
def test_edits_then_undo_all_give_back_the_original_bytes(text, steps):
    data = text.encode("utf-8")
    budget = parse(data)
    editor = Editor(budget)
    for step in steps:
        apply(editor, *step)
    saved = render(budget.sources[0], editor.changes())
    assert {(l.key, l.amount) for l in parse(saved).lines} == {(l.key, l.amount) for l in budget.lines}
    while editor.undo():
        pass
    assert render(budget.sources[0], editor.changes()) == data


@SETTINGS
@given(budget_text(), edits)
def test_after_any_edit_subtotals_and_tables_agree(text, steps):
    budget = parse(text.encode("utf-8"))
    editor = Editor(budget)
    for step in steps:
        apply(editor, *step)
        tree = Tree(budget)
        for node in [tree.root, *tree.root.walk()]:
            if node.children:
                assert node.total == sum(child.total for child in node.children)
        assert tree.root.total == budget.total()
        disagreements = [p for p in table_rules(budget) if p.rule in ("tables-total", "table4-general", "table6-basic")]
        assert disagreements == []
        assert {line.fund for line in budget.lines} <= set(Fund)
