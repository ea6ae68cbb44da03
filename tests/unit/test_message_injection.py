"""Every message is cleaned, not only table cells (issue 12, item 14): file and folder names, TOML keys, project names,
lock holders, review ids and keys.toml key names in one-line errors, check findings, import/export lines, the app's
notifications, dialogs, footer and help.

The same injection test as tests/test_injection.py has for the tables, for each message path: a newline never splits
a one-line message, no escape, BEL, C1 or bidi control reaches the terminal, and square brackets are never markup.
"""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from budget_tui.cli import main
from budget_tui.core.safetext import clean, one_line
from budget_tui.files.lock import EditLock, Holder, LockHeld, side_file
from tests.conftest import CHANGJI

HOSTILE = {
    "newline": "行\n二",
    "cr": "回\r车",
    "clear-screen": "\x1b[2J清屏",
    "osc8-link": "\x1b]8;;https://evil.example\x07点我\x1b]8;;\x07",
    "osc52-clipboard": "\x1b]52;c;cm0gLXJmIH4=\x07剪贴",
    "bel": "铃\x07",
    "c1-csi": "\x9b2J八位",
    "bidi-override": "\u202elmth.exe",
    "bidi-isolate": "\u2066隔离\u2069",
    "markup-bold": "[bold]x[/]",
    "markup-click": "[@click=app.quit]退出",
}
IDS = list(HOSTILE)
CASES = list(HOSTILE.values())

# What must not reach a terminal: C0 controls but the newline between lines, DEL, C1, bidi controls.
FORBIDDEN = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
DEPARTMENT = '[department]\nname = "测试局"\nyear = 2020\n'


def toml_string(text: str) -> str:
    """A TOML basic string holding text exactly (JSON's escapes are TOML's)."""
    return json.dumps(text)


def file_name(text: str) -> str:
    """Text as part of a file name: anything but a slash."""
    return text.replace("/", "_")


def forbidden_in(text: str) -> list[str]:
    return sorted({repr(ch) for ch in FORBIDDEN.findall(text)})


def assert_clean_lines(text: str, count: int) -> list[str]:
    """text is exactly count lines, each ending in a newline, none with a control character: no message was split."""
    assert forbidden_in(text) == [], text
    assert text.endswith("\n") and text.count("\n") == count, text
    return text.splitlines()


def run(capsys, *args: object) -> tuple[int, str, str]:
    code = main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# -- one-line errors: file names, folder names, TOML keys ------------------------------------------


@pytest.mark.parametrize("hostile", CASES, ids=IDS)
@pytest.mark.parametrize("command", ["print", "check", "report", "export"])
def test_a_file_name_never_splits_or_escapes_the_error(tmp_path, capsys, hostile, command):
    path = tmp_path / f"预算{file_name(hostile)}.toml"
    path.write_text("[names]\n30101 = \"x\"\n", "utf-8")  # no [department]
    args = ["export", path, "--to", "json"] if command == "export" else [command, path]
    code, out, err = run(capsys, *args)
    assert code == 2 and out == ""
    [line] = assert_clean_lines(err, 1)
    assert line.startswith("budget-tui: ") and "no [department] table" in line
    assert one_line(str(path)) in line


@pytest.mark.parametrize("hostile", CASES, ids=IDS)
def test_a_folder_name_never_splits_or_escapes_the_error(tmp_path, capsys, hostile):
    folder = tmp_path / f"州{file_name(hostile)}"
    (folder / f"县{file_name(hostile)}").mkdir(parents=True)
    shutil.copy(CHANGJI, folder / "a.toml")
    (folder / f"县{file_name(hostile)}" / "b.toml").write_text(DEPARTMENT + "year = 2021\n", "utf-8")
    code, out, err = run(capsys, "check", folder)
    assert code == 2 and out == ""
    assert_clean_lines(err, 1)
    empty = tmp_path / f"空{file_name(hostile)}"
    empty.mkdir()
    code, out, err = run(capsys, "print", empty)
    assert code == 2 and "holds no budget files" in assert_clean_lines(err, 1)[0]


# Files the loader refuses, each quoting a key or value from the file in its message: {k} is a TOML key, {v} a string.
REFUSED = {
    "unknown-section": DEPARTMENT + "[{k}]\n",
    "department-key": DEPARTMENT + "{k} = 1\n",
    "unit": '[department]\nname = "局"\nyear = 2020\nunit = {v}\n',
    "name-not-text": DEPARTMENT + "[names]\n{k} = 1\n",
    "basic-not-a-table": DEPARTMENT + "[basic]\n{k} = 1\n",
    "amount": DEPARTMENT + "[basic.2010301]\n{k} = \"abc\"\n",
    "line-without-amount": DEPARTMENT + "[basic.2010301]\n{k} = {{ category = \"人员经费\" }}\n",
    "neither-code-nor-fund": DEPARTMENT + "[basic.2010301]\n{k} = {{ x = 1 }}\n",
    "project-without-functional": DEPARTMENT + "[[projects]]\nname = {v}\n",
    "fund": DEPARTMENT + "[[projects]]\nname = \"p\"\nfunctional = \"2010302\"\nfund = {v}\n",
    "fact-key": DEPARTMENT + "[staffing]\n{k} = 1\n",
    "fact-type": DEPARTMENT + "[reasons.functional]\n{k} = 1\n",
}


@pytest.mark.parametrize("hostile", CASES, ids=IDS)
@pytest.mark.parametrize("shape", list(REFUSED), ids=list(REFUSED))
def test_a_toml_key_or_value_never_splits_or_escapes_the_error(write_budget, capsys, shape, hostile):
    quoted = toml_string(f"键{hostile}")
    path = write_budget(REFUSED[shape].format(k=quoted, v=quoted))
    code, out, err = run(capsys, "check", path)
    assert code == 2 and out == ""
    [line] = assert_clean_lines(err, 1)
    assert line.startswith(f"budget-tui: {path}:")


# -- check findings, printed output and JSON --------------------------------------------------------


def hostile_but_readable(hostile: str) -> str:
    """A budget that loads, whose findings quote a hostile economic code, functional code and project name."""
    code, project = toml_string(f"30{hostile}"), toml_string(f"项目{hostile}")
    return (
        DEPARTMENT
        + f"[names]\n301 = {toml_string('工资' + hostile)}\n"  # a column heading of table 6
        + f"[basic.2010301]\n30101 = 1.00\n{code} = 2.00\n"
        + f'[basic.{toml_string("20103" + hostile)}]\n30201 = 3.00\n'
        + f'[[projects]]\nname = {project}\nfunctional = "2010302"\n30201 = 4.00\n'
        + f'[[projects]]\nname = {project}\nfunctional = "2010302"\n30201 = 5.00\n'  # the same line twice
    )


@pytest.mark.parametrize("hostile", CASES, ids=IDS)
def test_check_findings_are_one_clean_line_each_and_json_keeps_them_exact(tmp_path, capsys, hostile):
    path = tmp_path / f"局{file_name(hostile)}.toml"
    path.write_text(hostile_but_readable(hostile), "utf-8")
    code, out, err = run(capsys, "check", path, "--format", "json")
    assert code == 1 and err == ""
    assert forbidden_in(out.replace("\n", "")) == []
    problems = json.loads(out)
    assert {problem["path"] for problem in problems} == {str(path)}  # exact, as \u escapes
    assert f"项目{hostile}" in {(problem.get("line_key") or {}).get("project") for problem in problems}
    code, out, err = run(capsys, "check", path)
    assert code == 1 and err == ""
    lines = assert_clean_lines(out, len(problems))
    assert all(line.startswith(f"{clean(str(path))}:") for line in lines)


@pytest.mark.parametrize("hostile", CASES, ids=IDS)
@pytest.mark.parametrize(
    "args",
    [
        ["print"], ["print", "--economic"], ["print", "--table", "all"], ["report"], ["report", "--format", "md"],
        ["export", "--to", "csv"], ["export", "--to", "json"],
    ],
    ids=["tree", "economic", "tables", "report", "report-md", "export-csv", "export-json"],
)
def test_printed_output_of_hostile_keys_and_file_names_is_clean(tmp_path, capsys, hostile, args):
    folder = tmp_path / f"州{file_name(hostile)}"
    folder.mkdir()
    (folder / f"局{file_name(hostile)}.toml").write_text(hostile_but_readable(hostile), "utf-8")
    shutil.copy(CHANGJI, folder / "changji.toml")
    for path in (folder / f"局{file_name(hostile)}.toml", folder):
        code, out, err = run(capsys, args[0], path, *args[1:])
        assert code == 0 and out and err == ""
        assert forbidden_in(out.replace("\f", "").replace("\r\n", "\n")) == []
        if args[0] == "print" and len(args) < 3:  # the tree: every row ends in its amount, no name split one
            assert all(re.search(r"\d\.\d\d$|^-+$", row) for row in out.splitlines()), out


# -- the lock holder ----------------------------------------------------------------------------------


def hold_with_holder(path: Path, user: str, host: str, since: str) -> int:
    """Take the lock of path here and write a holder into the lock file, as anyone who can write beside it could."""
    fd = os.open(side_file(path, "lock"), os.O_RDWR | os.O_CREAT, 0o644)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    os.write(fd, json.dumps({"user": user, "host": host, "pid": 4242, "since": since}).encode("utf-8"))
    return fd


@pytest.mark.parametrize("hostile", CASES, ids=IDS)
def test_the_lock_holder_is_one_clean_line(changji_copy, hostile):
    fd = hold_with_holder(changji_copy, f"王{hostile}", f"host{hostile}", f"2024-01-01{hostile}")
    try:
        with pytest.raises(LockHeld) as raised:
            EditLock(changji_copy).acquire()
    finally:
        os.close(fd)
    message = str(raised.value)
    assert_clean_lines(message + "\n", 1)
    assert message.startswith(f"{changji_copy} is being edited by 王") and "(process 4242)" in message
    assert_clean_lines(Holder(hostile, hostile, 1, hostile).describe() + "\n", 1)


# -- review ids ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("hostile", CASES, ids=IDS)
def test_review_ids_labels_and_names_print_as_clean_lines(changji_copy, capsys, hostile):
    review = changji_copy.with_name("changji-2020.review.toml")
    node, text = toml_string(f"f:2010301{hostile}"), toml_string(f"注{hostile}")
    review.write_text(f"format = 1\n[[note]]\nnode = {node}\nlabel = {text}\nreviewed = true\nby = {text}\n", "utf-8")
    code, out, err = run(capsys, "print", changji_copy, "--review")
    assert code == 0 and err == ""
    lines = assert_clean_lines(out, out.count("\n"))
    assert f"[x] {clean('注' + hostile)} [{clean('f:2010301' + hostile)}] ({clean('注' + hostile)})" in lines


REVIEW_REFUSED = {
    "listed-twice": "format = 1\n[[note]]\nnode = {n}\n[[note]]\nnode = {n}\n",
    "not-a-node-id": "format = 1\n[[note]]\nnode = {v}\n",
    "unknown-key": "format = 1\n[[note]]\nnode = \"root\"\n{v} = 1\n",
    "format": "format = {v}\n",
}


@pytest.mark.parametrize("hostile", CASES, ids=IDS)
@pytest.mark.parametrize("shape", list(REVIEW_REFUSED), ids=list(REVIEW_REFUSED))
def test_review_file_errors_are_one_clean_line(tmp_path, capsys, hostile, shape):
    budget = tmp_path / f"局{file_name(hostile)}.toml"
    shutil.copy(CHANGJI, budget)
    text = REVIEW_REFUSED[shape].format(n=toml_string(f"f:2010301{hostile}"), v=toml_string(f"x{hostile}"))
    budget.with_name(f"局{file_name(hostile)}.review.toml").write_text(text, "utf-8")
    code, out, err = run(capsys, "print", budget, "--review")
    assert code == 2 and out == ""
    assert "review.toml" in assert_clean_lines(err, 1)[0]


# -- keys.toml ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("hostile", CASES, ids=IDS)
def test_key_names_with_controls_are_refused_and_every_problem_is_one_clean_line(tmp_path, hostile):
    from budget_tui.app.app import binding_ids
    from budget_tui.app.keys import load_keymap

    path = tmp_path / f"keys{file_name(hostile)}.toml"
    path.write_text(f'{toml_string("edit" + hostile)} = "x"\nedit = {toml_string("x" + hostile)}\nquit = ["Q", {toml_string(hostile)}]\n', "utf-8")
    keymap, problems = load_keymap(path, binding_ids())
    for key in keymap.values():
        assert key.isprintable(), keymap
    if not hostile.isprintable():
        assert keymap == {} and len(problems) == 3
    for problem in problems:
        assert_clean_lines(one_line(problem) + "\n", 1)


# -- import and export lines --------------------------------------------------------------------------


@pytest.mark.parametrize("hostile", CASES, ids=IDS)
def test_import_and_export_messages_are_one_clean_line_each(tmp_path, capsys, hostile):
    source = tmp_path / f"表{file_name(hostile)}.csv"
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(
        [["功能分类科目编码", "经济分类科目编码", "金额"], ["2010301", "30101", "1"], ["2010301", f"x{hostile}", "2"]]
    )
    source.write_text(buffer.getvalue(), "utf-8")
    output = tmp_path / f"出{file_name(hostile)}.toml"
    args = ["import", source, "-o", output, "--department", "局", "--year", "2021"]
    code, out, err = run(capsys, *args)
    assert code == 1 and out == ""
    skipped, written = assert_clean_lines(err, 2)
    assert skipped.startswith(one_line(f"{source}:3: skipped: ")) and written.startswith("budget-tui import: 1 line written to")
    code, out, err = run(capsys, *args)  # the output exists now
    assert code == 2 and "give --force" in assert_clean_lines(err, 1)[0]
    exported = tmp_path / f"导{file_name(hostile)}.csv"
    code, out, err = run(capsys, "export", output, "--to", "csv", "-o", exported)
    assert code == 0 and "line written to" in assert_clean_lines(err, 1)[0]
    code, out, err = run(capsys, "export", output, "--to", "csv", "-o", exported)
    assert code == 2 and "give --force" in assert_clean_lines(err, 1)[0]
