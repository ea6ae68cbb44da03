"""The save's fast path (files/amounts.py): amount edits written by replacing each number where it stands give the
very bytes tomlkit writes, and every other edit still goes through tomlkit."""

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget_tui.core.editing import Editor
from budget_tui.core.model import Fund, Kind, Line
from budget_tui.files import save as save_module
from budget_tui.files.amounts import replace_amounts
from budget_tui.files.fileformat import load, parse
from budget_tui.files.inplace import render
from budget_tui.files.save import save
from budget_tui.synth import write_budgets

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "changji-2020.toml"
ITEMS = ["2010301", "2010350", "2050101", "2080505", "2120803"]
CODES = ["30101", "30102", "30201", "30217", "30231", "30302", "31002", "31013"]
amounts = st.decimals(min_value=0, max_value=99999, places=2)
spellings = st.sampled_from(["{:.2f}", "{}", "{:.1f}", "{:.0f}"])
equals = st.sampled_from([" = ", "=", "  =  ", " =\t"])
comments = st.sampled_from(["", "  # 说明", "   # 名称（含括号）", "# x", "  ", "\t# tab"])
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.function_scoped_fixture])


def number(draw, amount: Decimal) -> str:
    text = draw(spellings).format(amount)
    return text if Decimal(text) == amount else f"{amount:.2f}"


def line_text(draw, code: str) -> str:
    return code + draw(equals) + number(draw, draw(amounts)) + draw(comments)


@st.composite
def budget_text(draw) -> bytes:
    """A budget file as a person might write it: spacing, number spellings, comments, funds, several projects (two
    with the same name under different 项), CRLF and a byte order mark."""
    out = ["# 生成的预算", "[department]", 'name = "生成局"', "year = 2020", ""]
    for item in draw(st.lists(st.sampled_from(ITEMS), min_size=1, max_size=4, unique=True)):
        out.append(f"[basic.{item}]{draw(comments)}")
        out += [line_text(draw, code) for code in draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=5, unique=True))]
        if draw(st.booleans()):
            out += [f'[basic.{item}."事业收入"]', line_text(draw, "30201")]
        out.append("")
    for index in range(draw(st.integers(0, 3))):
        out += ["[[projects]]", f'name = "项目{index % 2}"', f'functional = "{ITEMS[index]}"']
        if draw(st.booleans()):
            out.append('fund = "政府性基金预算"')
        out += [line_text(draw, code) for code in draw(st.lists(st.sampled_from(CODES), min_size=1, max_size=3, unique=True))]
        out.append("")
    text = draw(st.sampled_from(["\n", "\r\n"])).join(out)
    return (b"\xef\xbb\xbf" if draw(st.booleans()) else b"") + text.encode("utf-8")


def set_amounts(budget, picks: list[tuple[int, Decimal]]) -> Editor:
    editor = Editor(budget)
    for index, amount in picks:
        editor.set_amount(budget.lines[index % len(budget.lines)].key, amount)
    return editor


def both_ways(budget, editor: Editor) -> tuple[bytes | None, bytes]:
    source, changes = budget.sources[0], editor.changes()
    return replace_amounts(source, changes), render(source, changes, keep_layout=True)


picks = st.lists(st.tuples(st.integers(0, 10_000), amounts), min_size=1, max_size=8)


@SETTINGS
@given(budget_text(), picks)
def test_amount_edits_of_generated_files_give_the_bytes_tomlkit_gives(data, chosen):
    budget = parse(data)
    editor = set_amounts(budget, chosen)
    fast, slow = both_ways(budget, editor)
    if not editor.changes():
        return
    assert fast is not None, "every line of these files is a plain amount: the fast path must take it"
    assert fast == slow


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    return write_budgets(tmp_path_factory.mktemp("synthetic"), 1, 2000, 11)[0]


@SETTINGS
@given(picks)
def test_amount_edits_of_the_sample_give_the_bytes_tomlkit_gives(chosen):
    budget = load(SAMPLE)
    fast, slow = both_ways(budget, set_amounts(budget, chosen))
    assert fast is not None and fast == slow


@SETTINGS
@given(picks)
def test_amount_edits_of_a_synthetic_file_give_the_bytes_tomlkit_gives(synthetic, chosen):
    budget = load(synthetic)
    fast, slow = both_ways(budget, set_amounts(budget, chosen))
    assert fast is not None and fast == slow


def contents(budget) -> list:
    return sorted((line.content for line in budget.lines), key=lambda content: repr(content[0]))


def spy_on_tomlkit(monkeypatch) -> list:
    calls: list = []

    def spying(*args, **kwargs):
        calls.append(args)
        return render(*args, **kwargs)

    monkeypatch.setattr(save_module, "render", spying)
    return calls


def test_a_save_of_amount_edits_needs_no_tomlkit_and_reads_back(tmp_path, monkeypatch):
    path = write_budgets(tmp_path, 1, 2000, 5)[0]
    budget = load(path)
    editor = set_amounts(budget, [(7, Decimal("1.5")), (1500, Decimal("12345.67"))])
    calls = spy_on_tomlkit(monkeypatch)
    before = path.read_bytes().split(b"\n")
    save(budget, editor.changes())
    editor.mark_saved()
    assert calls == []
    after = path.read_bytes().split(b"\n")
    assert len(after) == len(before) and sum(a != b for a, b in zip(before, after)) == 2
    assert contents(load(path)) == contents(budget)
    editor.set_amount(budget.lines[7].key, Decimal("2"))  # the locations kept by the fast save still hold
    save(budget, editor.changes())
    assert calls == [] and load(path).lines[7].amount == Decimal("2")


STRUCTURAL = {
    "add": lambda editor, line: editor.add_line(Line(line.functional, "39999", Decimal("1.00"), line.kind, line.fund, line.project)),
    "delete": lambda editor, line: editor.delete_line(line.key),
    "recode": lambda editor, line: editor.change_economic(line.key, "39998"),
}


@pytest.mark.parametrize("kind", ["add", "delete", "recode"])
def test_structural_edits_go_through_tomlkit(tmp_path, monkeypatch, kind):
    path = write_budgets(tmp_path, 1, 300, 5)[0]
    budget = load(path)
    editor = Editor(budget)
    editor.set_amount(budget.lines[3].key, Decimal("9.99"))
    STRUCTURAL[kind](editor, budget.lines[10])
    assert replace_amounts(budget.sources[0], editor.changes()) is None
    calls = spy_on_tomlkit(monkeypatch)
    save(budget, editor.changes())
    assert len(calls) == 1
    assert contents(load(path)) == contents(budget)


SHAPES_FOR_TOMLKIT = {
    "inline table": '[basic.2010301]\n30101 = { amount = 1.00, name = "x" }  # c\n',
    "dotted keys": "[basic]\n2010301.30101 = 1.00  # c1\n",
    "inline 项": "[basic]\n2010301 = { 30101 = 1.00 }\n",
    "projects as an array": 'projects = [{ name = "p", functional = "2010302", 30101 = 1.00 }]\n',
    "a line separator in a comment": "[basic.2010301]\n# a\u2028b\n30101 = 1.00\n",
}
HEAD = '[department]\nname = "局"\nyear = 2020\n\n'


@pytest.mark.parametrize("shape", SHAPES_FOR_TOMLKIT)
def test_other_shapes_go_through_tomlkit_and_save_the_same(tmp_path, shape):
    path = tmp_path / "shape.toml"
    text = SHAPES_FOR_TOMLKIT[shape]
    path.write_bytes((text + HEAD if text.startswith("projects") else HEAD + text).encode("utf-8"))
    budget = load(path)
    editor = Editor(budget)
    line = next(line for line in budget.lines if line.economic == "30101")
    editor.set_amount(line.key, Decimal("5.55"))
    assert replace_amounts(budget.sources[0], editor.changes()) is None
    save(budget, editor.changes())
    assert next(line for line in load(path).lines if line.economic == "30101").amount == Decimal("5.55")


def test_an_amount_edit_in_a_layout_tomlkit_would_move_saves_in_place(tmp_path):
    text = HEAD + ('[[projects]]\nname = "p"\nfunctional = "2010302"\n30101 = 1.00  # c1\n\n[names]\nx = "y"\n\n'
                   '[[projects]]\nname = "q"\nfunctional = "2010303"\n30102 = 2.00\n')
    path = tmp_path / "split.toml"
    path.write_text(text, encoding="utf-8")
    budget = load(path)
    editor = Editor(budget)
    editor.set_amount(next(line for line in budget.lines if line.project == "q").key, Decimal("7"))
    save(budget, editor.changes())
    assert path.read_text(encoding="utf-8") == text.replace("30102 = 2.00", "30102 = 7.00")


def test_a_project_edit_after_a_structural_save_finds_its_line_or_goes_through_tomlkit(tmp_path):
    """A project line's hint (the line it was read from) is stale once a structural save moved the lines: it is used
    only where the entry it falls in is that very project, so the edit lands on its own line either way."""
    path = tmp_path / "p.toml"
    path.write_text(HEAD + '[basic.2010301]\n30101 = 1.00\n\n[[projects]]\nname = "p"\nfunctional = "2010302"\n'
                    '30101 = 1.00\n\n[[projects]]\nname = "q"\nfunctional = "2010302"\n30101 = 1.00\n', encoding="utf-8")
    budget = load(path)
    editor = Editor(budget)
    editor.add_line(Line("2010301", "30102", Decimal("3.00")))
    save(budget, editor.changes())
    editor.mark_saved()
    for project, amount in (("p", Decimal("4.00")), ("q", Decimal("5.00"))):
        key = next(line.key for line in budget.lines if line.kind is Kind.PROJECT and line.project == project)
        editor.set_amount(key, amount)
        save(budget, editor.changes())
        editor.mark_saved()
    reread = {(line.project, line.fund): line.amount for line in load(path).lines if line.kind is Kind.PROJECT}
    assert reread == {("p", Fund.GENERAL): Decimal("4.00"), ("q", Fund.GENERAL): Decimal("5.00")}
