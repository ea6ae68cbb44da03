"""Issue 12 item 2: every edit keeps every attribute of a line (category, name) and its comment, and a save that
would lose one is refused.

A line's attributes are the keys of its inline table besides the amount (fileformat.LINE_ATTRIBUTES); Line.content
is the line as the file must say it, and the save's read-back check compares whole contents.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget_tui.core.adjust import apply, plan
from budget_tui.core.editing import EditError, Editor, row_comment
from budget_tui.core.model import Category, Fund, Kind, Line
from budget_tui.core.tree import Tree
from budget_tui.files import save as save_module
from budget_tui.files.fileformat import LINE_ATTRIBUTES, BudgetFileError, load, parse
from budget_tui.files.journal import Journal
from budget_tui.files.save import SaveError, save

HEAD = '[department]\nname = "测试局"\nyear = 2020\n\n'

# One line per way a line can carry attributes, each with a comment of its own.
ATTRIBUTED = HEAD + """\
[basic.2010301]
30101 = 10.00  # c-plain
30227 = { amount = 18.00, category = "人员经费" }  # c-category
30228 = { amount = 2.00, name = "会务外包" }  # c-name
30229 = { category = "公用经费", name = "外包", amount = 3.00 }  # c-both
30226.amount = 4.00  # c-dotted
30226.category = "人员经费"

[basic.2010301."事业收入"]
30213 = { amount = 1.50, category = "人员经费" }  # c-fund

[[projects]]
name = "项目甲"
functional = "2010302"
30227 = { amount = 5.00, category = "人员经费", name = "驻场" }  # c-project
"""


def personnel(budget) -> Decimal:
    return sum((line.amount for line in budget.lines if line.category is Category.PERSONNEL), Decimal(0))


def comments_by_key(data: bytes) -> dict:
    """key → the comment of the line's row, as the file says it."""
    budget = parse(data)
    rows = data.decode("utf-8").splitlines()
    return {line.key: row_comment(rows[line.file_line - 1]) for line in budget.lines if line.file_line}


def contents(budget) -> list:
    return sorted((line.content for line in budget.lines), key=repr)


def saved_and_reloaded(budget, editor, path: Path):
    save(budget, editor.changes())
    editor.mark_saved()
    reloaded = load(path)
    assert contents(reloaded) == contents(budget)
    return reloaded


@pytest.fixture
def attributed(tmp_path) -> Path:
    path = tmp_path / "attributed.toml"
    path.write_text(ATTRIBUTED, "utf-8")
    return path


def line_of(budget, economic: str, kind: Kind = Kind.BASIC, fund: Fund = Fund.GENERAL) -> Line:
    return next(line for line in budget.lines if (line.economic, line.kind, line.fund) == (economic, kind, fund))


# -- the example --------------------------------------------------------------------


def test_recoding_the_synthetic_30227_keeps_its_category_and_comment(synthetic_copy):
    budget = load(synthetic_copy)
    before = personnel(budget)
    editor = Editor(budget)
    editor.change_economic(line_of(budget, "30227").key, "30226")
    save(budget, editor.changes())
    text = synthetic_copy.read_text("utf-8")
    assert '30226 = { amount = 18.00, category = "人员经费" }  # 编外聘用人员: counted as personnel' in text
    assert "30226 = 18.00" not in text
    reloaded = load(synthetic_copy)
    assert personnel(reloaded) == before
    assert line_of(reloaded, "30226").category_override is Category.PERSONNEL


def test_undoing_a_delete_after_a_save_puts_the_category_and_comment_back(synthetic_copy):
    original = synthetic_copy.read_bytes()
    budget = load(synthetic_copy)
    before = personnel(budget)
    editor = Editor(budget)
    editor.delete_line(line_of(budget, "30227").key)
    saved_and_reloaded(budget, editor, synthetic_copy)
    editor.undo()
    reloaded = saved_and_reloaded(budget, editor, synthetic_copy)
    assert personnel(reloaded) == before
    assert comments_by_key(synthetic_copy.read_bytes()) == comments_by_key(original)


# -- the class: every edit, every attribute, every way of writing it -----------------------


ATTRIBUTED_CODES = [
    ("30227", Kind.BASIC, Fund.GENERAL),
    ("30228", Kind.BASIC, Fund.GENERAL),
    ("30229", Kind.BASIC, Fund.GENERAL),
    ("30226", Kind.BASIC, Fund.GENERAL),
    ("30213", Kind.BASIC, Fund.BUSINESS),
    ("30227", Kind.PROJECT, Fund.GENERAL),
]


@pytest.mark.parametrize("code, kind, fund", ATTRIBUTED_CODES)
@pytest.mark.parametrize(
    "edit", ["set", "recode", "recode-then-undo-after-save", "delete-then-undo-after-save", "delete-undo-redo", "adjust"]
)
def test_every_edit_keeps_the_attributes_and_the_comment(attributed, code, kind, fund, edit):
    original = attributed.read_bytes()
    budget = load(attributed)
    editor = Editor(budget)
    line = line_of(budget, code, kind, fund)
    comment = comments_by_key(original)[line.key]
    if edit == "set":
        editor.set_amount(line.key, Decimal("7.77"))
    elif edit == "recode":
        editor.change_economic(line.key, "30299")
    elif edit == "recode-then-undo-after-save":
        editor.change_economic(line.key, "30299")
        saved_and_reloaded(budget, editor, attributed)
        editor.undo()
    elif edit == "delete-then-undo-after-save":
        editor.delete_line(line.key)
        saved_and_reloaded(budget, editor, attributed)
        editor.undo()
    elif edit == "delete-undo-redo":
        editor.delete_line(line.key)
        saved_and_reloaded(budget, editor, attributed)
        editor.undo()
        saved_and_reloaded(budget, editor, attributed)
        editor.redo()
        saved_and_reloaded(budget, editor, attributed)
        editor.undo()
    else:
        tree = Tree(budget)
        node = tree.by_line[line.key].parent
        apply(editor, plan(node, "+10%"))
    reloaded = saved_and_reloaded(budget, editor, attributed)
    now = next(other for other in budget.lines if other.key == line.key or (edit == "recode" and other.economic == "30299"))
    assert (now.category_override, now.name) == (line.category_override, line.name)
    assert comments_by_key(attributed.read_bytes())[now.key] == comment
    assert len(reloaded.lines) == len(parse(original).lines)


def test_an_added_line_with_attributes_is_written_with_them(attributed):
    budget = load(attributed)
    editor = Editor(budget)
    editor.add_line(Line("2010301", "30230", Decimal("1.00"), category_override=Category.PERSONNEL, name='引号"与#号'))
    editor.add_line(Line("2050101", "30231", Decimal("2.00"), fund=Fund.BUSINESS, name="新表"))
    editor.add_line(Line("2010302", "30299", Decimal("3.00"), Kind.PROJECT, project="项目甲", category_override=Category.OPERATING))
    reloaded = saved_and_reloaded(budget, editor, attributed)
    assert line_of(reloaded, "30230").name == '引号"与#号'
    assert line_of(reloaded, "30231", fund=Fund.BUSINESS).name == "新表"


def test_a_line_put_back_without_its_attributes_is_written_without_them(attributed):
    """Delete a line with a category, add the same code without one: the category goes, it is not silently kept."""
    budget = load(attributed)
    editor = Editor(budget)
    line = line_of(budget, "30229")
    editor.delete_line(line.key)
    editor.add_line(replace(line, category_override=None, name=None, file_line=0, comment=None))
    assert editor.changes()
    reloaded = saved_and_reloaded(budget, editor, attributed)
    assert (line_of(reloaded, "30229").category_override, line_of(reloaded, "30229").name) == (None, None)


def test_a_replayed_journal_keeps_the_attributes(attributed):
    budget = load(attributed)
    editor = Editor(budget)
    journal = Journal(attributed)
    editor.listeners.append(lambda change: journal.record(change, attributed.read_bytes()))
    editor.change_economic(line_of(budget, "30229").key, "30299")
    editor.delete_line(line_of(budget, "30228").key)
    editor.undo()
    recovered = journal.recover(attributed.read_bytes())
    journal.discard()
    again = load(attributed)
    replaying = Editor(again)
    for change in recovered.changes:
        replaying.replay(change)
    assert contents(again) == contents(budget)
    saved_and_reloaded(again, replaying, attributed)


# -- the read-back check compares whole lines -------------------------------------------------


@pytest.mark.parametrize("lost", ["category", "name"])
def test_a_save_that_would_drop_an_attribute_is_refused(attributed, monkeypatch, lost):
    """A renderer that loses an attribute (as the old one did on recode) is caught before anything is written."""
    budget = load(attributed)
    editor = Editor(budget)
    editor.set_amount(line_of(budget, "30229").key, Decimal("4.00"))
    real_render = save_module.render

    def lossy_render(source, changes, names=None, **options):
        text = real_render(source, changes, names, **options).decode("utf-8")
        dropped = {"category": 'category = "公用经费", ', "name": 'name = "外包", '}[lost]
        assert dropped in text
        return text.replace(dropped, "").encode("utf-8")

    monkeypatch.setattr(save_module, "render", lossy_render)
    before = attributed.read_bytes()
    with pytest.raises(SaveError, match="would not read back to the same lines.*30229"):
        save(budget, editor.changes())
    assert attributed.read_bytes() == before
    assert editor.dirty


def test_content_names_every_attribute_of_the_format():
    """Line.content holds every attribute the format allows on a line: a new one cannot be forgotten by a save."""
    line = Line("2010301", "30227", Decimal("1.00"))
    varied = {"amount": Decimal("2.00"), "category": Category.PERSONNEL, "name": "x"}
    assert set(varied) == set(LINE_ATTRIBUTES)
    for attribute, value in varied.items():
        field = {"category": "category_override"}.get(attribute, attribute)
        assert replace(line, **{field: value}).content != line.content
    assert replace(line, file_line=9, comment="# other").content == line.content


@pytest.mark.parametrize("value", ["5", "[1, 2]", "{ a = 1 }", "true"])
def test_a_line_name_that_is_not_text_is_refused_at_load(write_budget, value):
    path = write_budget(HEAD + f"[basic.2010301]\n30227 = {{ amount = 1.00, name = {value} }}\n")
    with pytest.raises(BudgetFileError, match=r":6:1: the name of line 30227 must be text in quotes"):
        load(path)


@pytest.mark.parametrize("value", ["[1, 2]", "{ a = 1 }", "5"])
def test_a_category_of_the_wrong_type_is_refused_at_load(write_budget, value):
    path = write_budget(HEAD + f"[basic.2010301]\n30227 = {{ amount = 1.00, category = {value} }}\n")
    with pytest.raises(BudgetFileError, match=r":6:1: category of 30227 must be 人员经费 or 公用经费"):
        load(path)


# -- generated edit sequences ---------------------------------------------------------------

CODES = ["30101", "30102", "30201", "30213", "30226", "30227", "30228", "30302"]
ITEMS = ["2010301", "2050101"]
amounts = st.decimals(min_value=0, max_value=9999, places=2)
attributes = st.fixed_dictionaries(
    {},
    optional={"category": st.sampled_from(["人员经费", "公用经费"]), "name": st.sampled_from(["外包", "x y", "含#号"])},
)
spellings = st.sampled_from(["inline", "dotted", "plain"])


@st.composite
def attributed_budget(draw) -> str:
    """A budget whose lines carry attributes in every spelling, each line with a comment naming it."""
    out = [HEAD.rstrip("\n")]
    serial = 0
    for item in draw(st.lists(st.sampled_from(ITEMS), min_size=1, unique=True)):
        for header in [f"[basic.{item}]"] + ([f'[basic.{item}."事业收入"]'] if draw(st.booleans()) else []):
            out.append(header)
            for code in draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=4, unique=True)):
                serial += 1
                out += line_rows(code, draw(amounts), draw(attributes), draw(spellings), f"# c{serial}")
    if draw(st.booleans()):
        out += ["[[projects]]", 'name = "项目甲"', 'functional = "2010302"']
        for code in draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True)):
            serial += 1
            out += line_rows(code, draw(amounts), draw(attributes), draw(spellings), f"# c{serial}")
    return "\n".join(out) + "\n"


def line_rows(code: str, amount: Decimal, attributes: dict, spelling: str, comment: str) -> list[str]:
    if not attributes or spelling == "plain":
        return [f"{code} = {amount:.2f}  {comment}"]
    quoted = {key: '"' + value + '"' for key, value in attributes.items()}
    if spelling == "inline":
        inner = ", ".join([f"amount = {amount:.2f}"] + [f"{key} = {value}" for key, value in quoted.items()])
        return [f"{code} = {{ {inner} }}  {comment}"]
    return [f"{code}.amount = {amount:.2f}  {comment}"] + [f"{code}.{key} = {value}" for key, value in quoted.items()]


steps = st.lists(
    st.tuples(
        st.sampled_from(["set", "add", "delete", "recode", "undo", "redo", "adjust", "save"]),
        st.integers(0, 60),
        amounts,
        attributes,
    ),
    max_size=14,
)


def step(editor: Editor, op: str, index: int, amount: Decimal, extra: dict) -> None:
    lines = editor.budget.lines
    try:
        if op == "undo":
            editor.undo()
        elif op == "redo":
            editor.redo()
        elif op == "add":
            category = {"人员经费": Category.PERSONNEL, "公用经费": Category.OPERATING}.get(extra.get("category"))
            editor.add_line(Line(ITEMS[index % 2], CODES[index % len(CODES)], amount, category_override=category, name=extra.get("name")))
        elif not lines:
            return
        elif op == "set":
            editor.set_amount(lines[index % len(lines)].key, amount)
        elif op == "delete":
            editor.delete_line(lines[index % len(lines)].key)
        elif op == "recode":
            editor.change_economic(lines[index % len(lines)].key, CODES[(index + 3) % len(CODES)])
        elif op == "adjust":
            tree = Tree(editor.budget)
            apply(editor, plan(tree.by_line[lines[index % len(lines)].key].parent, "+7%"))
    except EditError:
        pass  # a refused edit (a code taken, nothing to scale) changes nothing


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(attributed_budget(), steps)
def test_generated_edits_saves_and_undos_keep_every_line_whole(text, plan_of_steps):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "budget.toml"
        path.write_text(text, "utf-8")
        original = path.read_bytes()
        budget = load(path)
        editor = Editor(budget)
        for op, index, amount, extra in plan_of_steps:
            if op == "save":
                saved_and_reloaded(budget, editor, path)
            else:
                step(editor, op, index, amount, extra)
        saved_and_reloaded(budget, editor, path)
        while editor.undo():
            pass
        saved_and_reloaded(budget, editor, path)
        assert contents(load(path)) == contents(parse(original))
        assert comments_by_key(path.read_bytes()) == comments_by_key(original)
