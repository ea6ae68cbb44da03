"""Issue 14 item 10: a keys.toml entry that names no key Textual knows, or takes a key another binding keeps where both
are live, is reported with its line (PATH:LINE:1: …) and the binding keeps its default; trading keys is fine."""

from __future__ import annotations

import pytest

from budget_tui.app.app import binding_ids, binding_table
from budget_tui.app.keys import Bound, key_name, load_keymap


@pytest.mark.parametrize(
    ("key", "name"),
    [
        ("x", "x"),
        ("Q", "Q"),
        ("?", "question_mark"),
        ("question_mark", "question_mark"),
        ("]", "right_square_bracket"),
        ("+", "plus"),
        ("slash", "slash"),
        ("comma", "comma"),
        ("enter", "enter"),
        ("escape", "escape"),
        ("space", "space"),
        ("pageup", "pageup"),
        ("f1", "f1"),
        ("f24", "f24"),
        ("ctrl+q", "ctrl+q"),
        ("ctrl+?", "ctrl+question_mark"),
        ("ctrl+shift+up", "ctrl+shift+up"),
        ("alt+x", "alt+x"),
        ("中", "中"),
    ],
)
def test_keys_textual_knows_are_named_as_its_events_name_them(key, name):
    assert key_name(key) == name


@pytest.mark.parametrize(
    "key",
    ["notakey!!", "f25", "enterr", "ctrl+", "ctrl+ctrl+a", "Ctrl+q", "cmd+q", "latin_small_letter_a", "a b", "", "\x1b"],
)
def test_names_textual_has_no_key_for_are_none(key):
    assert key_name(key) is None


def write(tmp_path, text: str):
    path = tmp_path / "keys.toml"
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize("known", [binding_ids(), binding_table()], ids=["ids", "table"])
def test_an_unknown_key_name_is_reported_with_its_line_and_the_binding_keeps_its_default(tmp_path, known):
    path = write(tmp_path, 'save = "ctrl+w"\n\nedit = "notakey!!"\nquit = ["q", "f99"]\n')
    keymap, problems = load_keymap(path, known)
    assert keymap == {"save": "ctrl+w"}
    assert problems[0] == (
        f"{path}:3:1: edit needs a key Textual knows, and 'notakey!!' is not one: type a character (x, Q, ?), a key "
        "name (enter, escape, f1, pageup, question_mark) or modifiers and a key (ctrl+q); it keeps its default"
    )
    assert problems[1].startswith(f"{path}:4:1: quit needs a key Textual knows, and 'f99' is not one")


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('edit = "q"\n', 1, "edit = 'q' would take the key of quit (Quit); edit keeps its default (e)"),
        ('save = "ctrl+w"\nedit = "j"\n', 2, "edit = 'j' would take the key of cursor-down (Down); edit keeps its default (e)"),
        ('search = "?"\n', 1, "search = '?' would take the key of help (Help); search keeps its default (slash)"),
        ('quit = ["ctrl+q", "u"]\n', 1, "quit = 'u' would take the key of undo (Undo); quit keeps its default (q)"),
        ('problem-go = "q"\n', 1, "problem-go = 'q' would take the key of quit (Quit)"),  # the panel has focus, q is Quit's
        ('problem-close = "problem_down"\n', 1, "needs a key Textual knows"),
    ],
)
def test_a_key_taken_from_another_binding_is_reported_with_its_line(tmp_path, text, line, message):
    path = write(tmp_path, text)
    keymap, problems = load_keymap(path, binding_table())
    assert len(problems) == 1 and problems[0].startswith(f"{path}:{line}:1: ") and message in problems[0]
    assert keymap == ({"save": "ctrl+w"} if text.startswith("save") else {})


def test_the_later_of_two_entries_that_want_one_key_is_refused(tmp_path):
    path = write(tmp_path, 'edit = "x"\nadd-line = "x"\n')
    keymap, problems = load_keymap(path, binding_table())
    assert keymap == {"edit": "x"}
    assert problems == [f"{path}:2:1: add-line = 'x' would take the key of edit (Edit); add-line keeps its default (a)"]


@pytest.mark.parametrize(
    "text",
    [
        'edit = "q"\nquit = "e"\n',  # a trade
        'quit = "e"\nedit = "q"\n',
        'help = "?"\nedit = ["e", "E"]\n',  # a binding's own default, written another way, and a free key
        'cancel-search = "ctrl+c"\ncancel-edit = "ctrl+c"\n',  # two inputs never have focus at once
        'problem-down = "J"\ncursor-down = ["down", "J"]\n',  # the panel and the tree neither
    ],
)
def test_trades_own_defaults_and_keys_in_widgets_never_live_together_are_accepted(tmp_path, text):
    keymap, problems = load_keymap(write(tmp_path, text), binding_table())
    assert problems == [] and len(keymap) == 2


def test_refusing_an_entry_gives_its_keys_back_so_the_entry_that_relied_on_them_is_refused_too(tmp_path):
    path = write(tmp_path, 'edit = "q"\nquit = ["e", "j"]\n')  # quit may not have j: it keeps q, so edit may not
    keymap, problems = load_keymap(path, binding_table())
    assert keymap == {}
    assert [problem.split(": ")[1].split(" would")[0] for problem in problems] == ["quit = 'j'", "edit = 'q'"]


def test_the_defaults_themselves_take_no_key_from_each_other(tmp_path):
    keymap, problems = load_keymap(write(tmp_path, ""), binding_table())
    assert (keymap, problems) == ({}, [])
    table = binding_table()
    assert table["quit"] == Bound("q", "", "Quit") and table["cursor-down"].scope == "BudgetTree"
    assert set(table) == binding_ids()
