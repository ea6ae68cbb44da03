"""Issue 12 item 9: every way of writing lines that the reader accepts also saves.

TOML lets the same table be written several ways, and budget_tui.files.fileformat reads them all: [header] tables,
dotted keys (`2010301.30101 = 1.00` under [basic], `basic.2010301.30101` at the top, `30227.amount = …`), inline
tables (`2010301 = { 30101 = 1.00 }`, `basic = { … }`, `"事业收入" = { … }`, `projects = [{ … }]`), a line as a
table of its own ([basic.2010301.30227]), quoted keys, integer amounts, tables split by other sections, implicit
super-tables. Each shape below is loaded, saved without edits (byte for byte), and edited every way the app edits
(amount, a line beside, in a new 项, a new fund, a new project, delete, recode, delete and undo after a save):
each save reads back to exactly the lines in memory, and the file stays editable afterwards.
"""

from __future__ import annotations

import difflib
from decimal import Decimal
from pathlib import Path

import pytest

from budget_tui.core.editing import EditError, Editor, row_comment
from budget_tui.core.model import Fund, Kind, Line
from budget_tui.files import inplace as inplace_module
from budget_tui.files.fileformat import load, parse
from budget_tui.files.save import SaveError, render, save

HEAD = '[department]\nname = "测试局"\nyear = 2020\n'

SHAPES = {
    "header tables": HEAD + "[basic.2010301]\n30101 = 1.00  # c1\n30102 = 2.00  # c2\n",
    "dotted keys under [basic]": HEAD + "[basic]\n2010301.30101 = 1.00  # c1\n2010301.30102 = 2.00  # c2\n",
    "dotted keys with spaces": HEAD + "[basic]\n2010301 . 30101 = 1.00  # c1\n2010301 . 30102 = 2.00\n",
    "dotted keys at the top": "basic.2010301.30101 = 1.00  # c1\nbasic.2010301.30102 = 2.00\n" + HEAD,
    "an inline 项 under [basic]": HEAD + "[basic]\n2010301 = { 30101 = 1.00, 30102 = 2.00 }  # c\n",
    "an inline [basic] at the top": "basic = {2010301 = {30101 = 1.00, 30102 = 2.00}}\n" + HEAD,
    "an empty inline [basic]": "basic = {}\n" + HEAD + '[[projects]]\nname = "p"\nfunctional = "2010302"\n30101 = 1.00\n',
    "an empty [basic]": HEAD + '[basic]\n[[projects]]\nname = "p"\nfunctional = "2010302"\n30101 = 1.00  # c1\n',
    "no [basic] at all": HEAD + '[[projects]]\nname = "p"\nfunctional = "2010302"\n30101 = 1.00  # c1\n',
    "a line as dotted keys": HEAD + '[basic.2010301]\n30101.amount = 1.00  # c1\n30101.category = "公用经费"\n30102 = 2.00\n',
    "a line as a table of its own": HEAD
    + '[basic.2010301.30101]  # c1\namount = 1.00\ncategory = "公用经费"\n\n[basic.2010301]\n30102 = 2.00\n',
    "attributes in any order": HEAD
    + '[basic.2010301]\n30101 = { name = "外包", category = "人员经费", amount = 1.00 }  # c1\n30102 = 2.00\n',
    "a dotted line with an inline table": HEAD
    + '[basic]\n2010301.30101 = { amount = 1.00, category = "公用经费" }  # c1\n2010301.30102 = 2.00\n',
    "a fund as dotted keys": HEAD + '[basic.2010301]\n30102 = 2.00\n"事业收入".30101 = 1.00  # c1\n',
    "a fund as an inline table": HEAD + '[basic.2010301]\n30102 = 2.00\n"事业收入" = { 30101 = 1.00 }  # c\n',
    "a fund with inline lines": HEAD
    + '[basic.2010301]\n30102 = 2.00\n"事业收入" = { 30101 = { amount = 1.00, category = "人员经费" } }\n',
    "only a fund table (implicit 项)": HEAD + '[basic.2010301."事业收入"]\n30101 = 1.00  # c1\n30102 = 2.00\n',
    "quoted keys": HEAD + "[basic.\"2010301\"]\n\"30101\" = 1.00  # c1\n'30102' = 2.00\n",
    "integer and exponent amounts": HEAD + "[basic.2010301]\n30101 = 1  # c1\n30102 = 2e0\n",
    "a table split by another section": HEAD
    + '[basic.2010301]\n30101 = 1.00  # c1\n\n[names]\n30199 = "其他"\n\n[basic.2010301."事业收入"]\n30102 = 2.00\n',
    "[basic] declared after its 项": HEAD + "[basic.2010301]\n30101 = 1.00  # c1\n\n[basic]\n2010350.30102 = 2.00\n",
    "an inline array of projects": 'projects = [{ name = "p", functional = "2010302", 30101 = 1.00, 30102 = 2.00 }]\n'
    + HEAD,
    "a multi-line array of projects": 'projects = [\n  { name = "p", functional = "2010302", 30101 = 1.00 },\n  { name = "q", functional = "2010303", 30102 = 2.00 },\n]\n'
    + HEAD,
    "project lines as dotted keys": HEAD
    + '[[projects]]\nname = "p"\nfunctional = "2010302"\n30101.amount = 1.00  # c1\n30102 = 2.00\n',
    "a project line as a table of its own": HEAD
    + '[[projects]]\nname = "p"\nfunctional = "2010302"\n30102 = 2.00\n\n[projects.30101]\namount = 1.00\n',
    "a project with inline lines and a fund": HEAD
    + '[[projects]]\nname = "p"\nfunctional = "2120803"\nfund = "政府性基金预算"\n30101 = { amount = 1.00, name = "n" }  # c1\n30102 = 2.00\n',
    "CRLF, BOM and dotted keys": "\ufeff" + (HEAD + "[basic]\n2010301.30101 = 1.00  # c1\n2010301.30102 = 2.00\n").replace("\n", "\r\n"),
}

# Layouts tomlkit cannot give back as they are (it moves the split tables together): an edit in place is refused
# with the file and line, a save under another name writes the tables together.
UNKEPT_LAYOUTS = {
    "projects split by another section": HEAD
    + '[[projects]]\nname = "p"\nfunctional = "2010302"\n30101 = 1.00  # c1\n\n[names]\nx = "y"\n\n[[projects]]\nname = "q"\nfunctional = "2010303"\n30102 = 2.00\n',
    "[basic] split by [[projects]]": HEAD
    + '[basic.2010301]\n30101 = 1.00  # c1\n\n[[projects]]\nname = "p"\nfunctional = "2010302"\n30102 = 2.00\n\n[basic.2010350]\n30102 = 2.00\n',
}

EDITS = ["set", "add beside", "add to the 项", "add in a new 项", "add a fund", "add a project", "delete", "recode", "delete, save, undo"]


def contents(budget) -> list:
    return sorted((line.content for line in budget.lines), key=repr)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "shape.toml"
    path.write_bytes(text.encode("utf-8"))
    return path


def saved(budget, editor: Editor, path: Path):
    """Save, and check the file reads back to exactly the lines in memory."""
    save(budget, editor.changes())
    editor.mark_saved()
    reloaded = load(path)
    assert contents(reloaded) == contents(budget)
    return reloaded


def edit(editor: Editor, path: Path, kind: str) -> None:
    budget = editor.budget
    line = min(budget.lines, key=lambda line: line.economic)  # 30101: the line of each shape with a comment
    if kind == "set":
        editor.set_amount(line.key, Decimal("5.55"))
    elif kind == "add beside":
        editor.add_line(Line(line.functional, "30199", Decimal("3.00"), line.kind, line.fund, line.project))
    elif kind == "add to the 项":
        editor.add_line(Line(line.functional, "30113", Decimal("3.00")))
    elif kind == "add in a new 项":
        editor.add_line(Line("2080505", "30108", Decimal("4.00")))
    elif kind == "add a fund":
        functional = line.functional if line.kind is Kind.BASIC else "2080505"
        editor.add_line(Line(functional, "30201", Decimal("4.00"), fund=Fund.OTHER))
    elif kind == "add a project":
        editor.add_line(Line("2010399", "30201", Decimal("4.00"), Kind.PROJECT, Fund.GENERAL, "新项目"))
    elif kind == "delete":
        editor.delete_line(line.key)
    elif kind == "recode":
        editor.change_economic(line.key, "30103")
    else:
        editor.delete_line(line.key)
        saved(budget, editor, path)
        editor.undo()


@pytest.mark.parametrize("shape", SHAPES)
def test_a_save_without_edits_is_byte_identical(tmp_path, shape):
    path = write(tmp_path, SHAPES[shape])
    data = path.read_bytes()
    budget = load(path)
    assert budget.lines
    editor = Editor(budget)
    assert render(budget.sources[0], editor.changes()) == data
    for line in list(budget.lines):
        editor.set_amount(line.key, line.amount)  # the same amount: nothing to write
    assert render(budget.sources[0], editor.changes()) == data


@pytest.mark.parametrize("kind", EDITS)
@pytest.mark.parametrize("shape", SHAPES)
def test_every_edit_of_every_shape_saves_and_reads_back(tmp_path, shape, kind):
    path = write(tmp_path, SHAPES[shape])
    budget = load(path)
    editor = Editor(budget)
    edit(editor, path, kind)
    reloaded = saved(budget, editor, path)
    # The file written is still a file of this app: edit it again and save.
    again = Editor(reloaded)
    for changed in reloaded.lines[:1]:
        again.set_amount(changed.key, changed.amount + Decimal("1.00"))
    again.add_line(Line("2101101", "30110", Decimal("0.50")))
    saved(reloaded, again, path)


@pytest.mark.parametrize("shape", SHAPES)
def test_an_amount_edit_changes_only_the_row_of_that_amount(tmp_path, shape):
    path = write(tmp_path, SHAPES[shape])
    before = path.read_bytes().decode("utf-8").splitlines()
    budget = load(path)
    editor = Editor(budget)
    edit(editor, path, "set")
    saved(budget, editor, path)
    after = path.read_bytes().decode("utf-8").splitlines()
    assert len(after) == len(before)
    [(old, new)] = [(a, b) for a, b in zip(before, after) if a != b]
    assert old.replace("1.00", "5.55").replace("= 1 ", "= 5.55 ") == new
    assert row_comment(old) == row_comment(new)


@pytest.mark.parametrize("shape", [name for name in SHAPES if "# c1" in SHAPES[name]])
@pytest.mark.parametrize("kind", ["recode", "delete, save, undo"])
def test_a_moved_or_restored_line_keeps_its_comment(tmp_path, shape, kind):
    path = write(tmp_path, SHAPES[shape])
    budget = load(path)
    editor = Editor(budget)
    edit(editor, path, kind)
    saved(budget, editor, path)
    assert "# c1" in path.read_text("utf-8")


def test_the_issue_example_dotted_keys_then_add_a_line(tmp_path):
    """`2010301.30101 = 1.00` under [basic] (two such rows), add a line and save: an AttributeError on the old code."""
    path = write(tmp_path, HEAD + "[basic]\n2010301.30101 = 1.00\n2010301.30103 = 3.00\n")
    budget = load(path)
    editor = Editor(budget)
    editor.add_line(Line("2010301", "30102", Decimal("2.00")))
    saved(budget, editor, path)
    assert path.read_text("utf-8").endswith(
        "[basic]\n2010301.30101 = 1.00\n2010301.30102 = 2.00  # 津贴补贴\n2010301.30103 = 3.00\n"
    )


def test_all_edits_of_a_session_on_a_mixed_file(tmp_path):
    """Several shapes in one file, every edit in one session (saving in between), one save at the end."""
    path = write(
        tmp_path,
        HEAD
        + '[basic]\n2010301.30101 = 1.00  # c1\n2010350 = { 30101 = 1.00 }\n2050101.30102.amount = 2.00\n'
        + '[[projects]]\nname = "p"\nfunctional = "2010302"\n30101 = { amount = 1.00, category = "人员经费" }\n',
    )
    budget = load(path)
    editor = Editor(budget)
    for kind in EDITS:
        try:
            edit(editor, path, kind)
        except EditError:  # refused by the editor (the code is taken by an earlier edit): changes nothing
            pass
    saved(budget, editor, path)
    assert len(budget.lines) > 4


def test_a_layout_the_writer_cannot_handle_is_refused_with_a_message_not_a_traceback(tmp_path, monkeypatch):
    """Should tomlkit ever fail on a layout, the save says so, names the file, writes nothing and keeps the edits."""
    path = write(tmp_path, SHAPES["dotted keys under [basic]"])
    before = path.read_bytes()
    budget = load(path)
    editor = Editor(budget)
    edit(editor, path, "add beside")

    def broken(*args, **kwargs):
        raise AttributeError("'OutOfOrderTableProxy' object has no attribute '_value'")

    monkeypatch.setattr(inplace_module, "_insert", broken)
    with pytest.raises(SaveError, match=r"shape\.toml: the edits cannot be written into this file's layout .*the edits are kept"):
        save(budget, editor.changes())
    assert path.read_bytes() == before
    assert editor.dirty


def show(before: str, after: str) -> str:
    """The change as a diff, for a failing assertion's message."""
    return "\n".join(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm=""))


@pytest.mark.parametrize("shape", SHAPES)
def test_deleting_every_line_then_undoing_gives_the_same_lines_back(tmp_path, shape):
    path = write(tmp_path, SHAPES[shape])
    original = parse(path.read_bytes())
    budget = load(path)
    editor = Editor(budget)
    for line in list(budget.lines):
        editor.delete_line(line.key)
    saved(budget, editor, path)
    while editor.undo():
        pass
    reloaded = saved(budget, editor, path)
    assert contents(reloaded) == contents(original), show(SHAPES[shape], path.read_text("utf-8"))


@pytest.mark.parametrize("kind", [kind for kind in EDITS if kind != "set"])  # an amount edit needs no tomlkit:
@pytest.mark.parametrize("shape", UNKEPT_LAYOUTS)  # tests/unit/test_save_amounts.py saves it in place
def test_a_layout_the_writer_would_move_is_refused_in_place_and_saves_under_another_name(tmp_path, shape, kind):
    path = write(tmp_path, UNKEPT_LAYOUTS[shape])
    before = path.read_bytes()
    budget = load(path)
    assert render(budget.sources[0], []) == before
    editor = Editor(budget)
    if kind == "delete, save, undo":
        kind = "delete"
    edit(editor, path, kind)
    with pytest.raises(SaveError, match=r"shape\.toml:\d+: this file's layout cannot be kept.*Save under another name"):
        save(budget, editor.changes())
    assert path.read_bytes() == before
    assert editor.dirty
    elsewhere = tmp_path / "elsewhere.toml"
    save(budget, editor.changes(), path=elsewhere)
    assert contents(load(elsewhere)) == contents(budget)
    assert path.read_bytes() == before
