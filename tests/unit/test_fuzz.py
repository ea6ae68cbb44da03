"""Fuzzing (issue 12, "Done when"): generated hostile bytes and generated TOML, valid and near-valid budgets full of
hostile strings and extreme values, fed to load, print, check, report and export, and to the journal, review, lock
and key-file readers.

No exception but the documented ones escapes (BudgetFileError from load, ReviewFileError from the review reader; the
command line catches its own and exits 2, as argparse does with SystemExit(2); the journal, lock and key readers raise
none), and no escape, BEL, C1 or bidi control reaches standard output or standard error.

The runs are derandomized (a fixed seed per test, no example database), so CI cannot flake; a failure prints the
smallest input that shows it.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget_tui.cli import main
from budget_tui.files.fileformat import BudgetFileError, load
from budget_tui.files.review import ReviewFileError, read_notes

# What may not reach a terminal. A newline, a tab and a form feed (between printed tables) may, and a CR before a newline
# (the CSV export's line end); everything else of C0, DEL, C1 and the bidi controls may not.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\r(?!\n)")

FAST = settings(max_examples=200, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# -- hostile text ----------------------------------------------------------------------------------

FRAGMENTS = [
    "\n", "\r", "\r\n", "\t", "\x1b[2J", "\x1b[31m", "\x1b]8;;https://evil.example\x07", "\x1b]52;c;cm0gLXJmIH4=\x07",
    "\x1b]0;title\x1b\\", "\x07", "\x9b2J", "\x9d0;t\x9c", "\x85", "\u202e", "\u2066", "\u2069", "\u200f", "\u061c",
    "\u2028", "[bold]", "[/]", "[@click=app.quit]", "[link=https://evil.example]", "=cmd|' /C calc'!A0", "%", ":",
    "\"", "'", "\\", "#", "局", "项目", "人员经费", "公用经费", "一般公共预算", "30101", "2010301", " ", "\x00", "\x7f",
]
hostile_text = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.characters(codec="utf-8", exclude_categories=("Cs",)), st.text(max_size=3)),
    max_size=8,
).map("".join)

# Amounts of every spelling and size, up to far beyond the documented maximum (money.AMOUNT_LIMIT, 10^13): those
# must be refused with a message, never crash.
BOUND = 10**40
numbers = st.one_of(
    st.decimals(min_value=-BOUND + 1, max_value=BOUND - 1, allow_nan=False, allow_infinity=False, places=2).map(str),
    st.decimals(min_value=-BOUND + 1, max_value=BOUND - 1, allow_nan=False, allow_infinity=False).map(lambda d: f"{d:f}"),
    st.integers(-BOUND + 1, BOUND - 1).map(str),
    st.sampled_from(["1e26", "1" * 41, "1e999999999", "-1e30", "inf", "-inf", "nan", "+nan", "1e3", "1.5E-7", "0.0", "-0.00", "1_000.50", "0x1F", "0o17", "0b101",
                     "true", "false", "1979-05-27", "07:32:00", "1979-05-27T07:32:00Z", "[]", "{}", "[1, 2]"]),
)
# String amounts are refused with their line (money.py's rule), whatever they hold.
string_amounts = st.sampled_from(['"12.50"', '"0"', '"1e3"', '"abc"', '""', '"  7 "', '"1,5"', '"1_0.0_5"', '"1e999999999"'])
years = st.sampled_from([*range(2015, 2026), 1900, 2999, 1899, 3000, 0, -1, 10**6])
codes = st.one_of(
    st.sampled_from(["30101", "30102", "30201", "30217", "30226", "30227", "31002", "39999", "301", "3010101"]),
    st.text("0123456789", min_size=1, max_size=8),
    hostile_text,
)
functionals = st.one_of(st.sampled_from(["2010301", "2010302", "2050101", "2080505", "2120803", "201", "9999999"]), codes)
funds = st.sampled_from(["一般公共预算", "政府性基金预算", "财政专户管理资金", "事业收入", "其他收入", "单位上年结余"])
categories = st.sampled_from(["人员经费", "公用经费"])


def string(text: str) -> str:
    """A TOML basic string holding text exactly: quote, backslash and the controls escaped, everything else as is."""
    return '"' + re.sub('[\x00-\x1f"\\\\\x7f-\x9f]', lambda m: f"\\u{ord(m.group()):04x}", text) + '"'


def key(text: str) -> str:
    """A TOML key for any text: bare when it can be, else quoted."""
    return text if re.fullmatch(r"[A-Za-z0-9_-]+", text) else string(text)


def either(strict: bool, good, bad):
    """good in a document meant to load; good or bad in a near-valid one."""
    return good if strict else st.one_of(good, bad)


@st.composite
def amount(draw, strict: bool) -> str:
    value = draw(numbers.filter(lambda text: text[-1].isdigit()) if strict else st.one_of(numbers, string_amounts))
    if draw(st.integers(0, 5)) == 0:  # a line with attributes
        return f"{{ amount = {value}, category = {string(draw(either(strict, categories, hostile_text)))} }}"
    return value


@st.composite
def budget_document(draw, strict: bool) -> str:
    """A budget as TOML: hostile names, keys (codes) and texts, extreme amounts and counts; strict, it is meant to load
    (it still may: a code may be generated twice), else its fixed fields may be wrong and lines dropped, doubled, cut."""
    out = [
        "[department]",
        f"name = {string(draw(hostile_text) or '局')}",
        f"year = {draw(either(strict, st.integers(2015, 2025), years))}",
    ]
    if draw(st.booleans()):
        out.append(f"unit = {string(draw(either(strict, st.sampled_from(['万元', '元']), hostile_text)))}")
    if draw(st.booleans()):
        out.append(f"kind = {string(draw(st.sampled_from(['行政单位', '事业单位', '参照公务员法管理事业单位'])))}")
    if draw(st.booleans()):  # dates that name no day are a check finding (fact-date) and printed as written
        day = draw(st.sampled_from(['2020-01-22', '2021-12-31', '1999-01-01', '"2021-02-30"', '"soon"', '"2021"', '""']))
        out.append(f"published = {day}")
    names = draw(st.dictionaries(codes, hostile_text, max_size=4))
    if names:
        out.append("[names]")
        out += [f"{key(code)} = {string(name)}" for code, name in names.items()]
    for functional in draw(st.lists(functionals, min_size=1, max_size=3, unique_by=key)):
        out.append(f"[basic.{key(functional)}]")
        for code in draw(st.lists(codes, min_size=1, max_size=4, unique_by=key)):
            out.append(f"{key(code)} = {draw(amount(strict))}")
        if draw(st.integers(0, 3)) == 0:
            out.append(f"[basic.{key(functional)}.{key(draw(either(strict, funds, hostile_text)))}]")
            out.append(f"{key(draw(codes))} = {draw(amount(strict))}")
    for _ in range(draw(st.integers(0, 2))):
        out += ["[[projects]]", f"name = {string(draw(hostile_text) or '项目')}", f"functional = {string(draw(functionals))}"]
        if draw(st.booleans()):
            out.append(f"fund = {string(draw(either(strict, funds, hostile_text)))}")
        if draw(st.booleans()):
            out.append(f"code = {string(draw(hostile_text))}")
        project_codes = codes.filter(lambda code: code not in ("name", "functional", "fund", "code", "note"))
        out += [f"{key(code)} = {draw(amount(strict))}" for code in draw(st.lists(project_codes, max_size=3, unique_by=key))]
    finite = numbers.filter(lambda text: text[-1].isdigit()) if strict else numbers
    if draw(st.booleans()):
        out += ["[prior]", f"year = {draw(either(strict, st.integers(2014, 2024), years))}", f"total = {draw(finite)}",
                f"basic = {draw(finite)}", "[prior.functional]", f"{key(draw(functionals))} = {draw(finite)}"]
    if draw(st.booleans()):
        out += ["[staffing]", f"administrative = {draw(st.integers(0, 10**6))}", f"actual = {draw(st.integers(0, 10**6))}",
                f"in_service = {draw(st.integers(0, 10**6))}", f"note = {string(draw(hostile_text))}"]
    if draw(st.booleans()):
        out += ["[profile]", f"functions = [{', '.join(string(t) for t in draw(st.lists(hostile_text, max_size=3)))}]",
                f"offices = [{string(draw(hostile_text))}]", f"subordinate_units = {draw(st.integers(0, 100))}"]
    if draw(st.booleans()):
        out += ["[reasons]", f"income = {string(draw(hostile_text))}", f"spending = {string(draw(hostile_text))}",
                "[reasons.functional]", f"{key(draw(functionals))} = {string(draw(hostile_text))}"]
    if draw(st.booleans()):
        out += ["[stated]", f"total = {draw(finite)}", f"personnel = {draw(finite)}"]
    if draw(st.booleans()):
        out += ["[procurement]", f"goods = {draw(finite)}", f"total = {draw(finite)}"]
    lines = out + [""]
    for _ in range(0 if strict else draw(st.integers(0, 2))):  # near-valid: a line dropped, doubled, cut or junk
        index = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "double", "cut", "junk"]))
        if action == "drop":
            del lines[index]
        elif action == "double":
            lines.insert(index, lines[index])
        elif action == "cut":
            lines[index] = lines[index][: draw(st.integers(0, len(lines[index])))]
        else:
            lines[index] = draw(hostile_text)
    return "\n".join(lines)


def encoded(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


documents = st.one_of(
    budget_document(strict=True).map(encoded),
    budget_document(strict=False).map(encoded),
    st.binary(max_size=300),
    st.tuples(budget_document(strict=True), st.binary(max_size=8), st.integers(0, 2000)).map(  # bytes spliced in
        lambda t: encoded(t[0])[: t[2]] + t[1] + encoded(t[0])[t[2] :]
    ),
)

# -- running the commands --------------------------------------------------------------------------

COMMANDS = [
    ["print", "{path}"],
    ["print", "{path}", "--economic"],
    ["print", "{path}", "--table", "all"],
    ["print", "{path}", "--review"],
    ["check", "{path}"],
    ["check", "{path}", "--format", "json"],
    ["report", "{path}"],
    ["report", "{path}", "--format", "md"],
    ["export", "{path}", "--to", "csv"],
    ["export", "{path}", "--to", "json"],
]


def forbidden_in(text: str) -> list[str]:
    return sorted({repr(match) for match in FORBIDDEN.findall(text.replace("\f", ""))})


def run_in_process(args: list[str]) -> tuple[int, str, str]:
    """budget-tui ARGS with its standard output and error captured; any exception but SystemExit(2) fails the test."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(args)
        except SystemExit as exit_:  # argparse's usage errors
            code = exit_.code
        except Exception:
            pytest.fail(f"budget-tui {' '.join(map(repr, args))} raised:\n{traceback.format_exc()}")
    return code, out.getvalue(), err.getvalue()


def assert_clean_run(args: list[str]) -> tuple[int, str, str]:
    code, out, err = run_in_process(args)
    assert code in (0, 1, 2), (args, code, err)
    assert forbidden_in(out) == [], (args, out)
    assert forbidden_in(err) == [], (args, err)
    if code == 2:
        assert err.count("\n") == 1 and err.startswith("budget-tui"), (args, err)  # one line, never a traceback
    return code, out, err


@pytest.fixture(scope="module")
def workdir():
    with tempfile.TemporaryDirectory(prefix="budget-tui-fuzz-") as folder:
        yield Path(folder)


@FAST
@given(data=documents)
def test_commands_on_generated_files_exit_cleanly_and_print_nothing_a_terminal_acts_on(workdir, data):
    path = workdir / "budget.toml"
    path.write_bytes(data)
    for command in COMMANDS:
        assert_clean_run([part.format(path=path) for part in command])


@FAST
@given(data=documents)
def test_load_raises_only_budget_file_error(workdir, data):
    path = workdir / "load.toml"
    path.write_bytes(data)
    try:
        budget = load(path)
    except BudgetFileError as error:
        assert forbidden_in(str(error)) == [] and "\n" not in str(error)
    else:
        assert budget.department.year >= 1900


@FAST
@given(name=hostile_text, data=documents)
def test_a_folder_of_hostile_names_exits_cleanly(workdir, name, data):
    """Folder and file names from a shared server are as hostile as the files' contents."""
    name = name.replace("/", "_").replace("\x00", "_")[:40]
    folder = Path(tempfile.mkdtemp(dir=workdir))
    (folder / f"局{name}").mkdir()
    (folder / f"局{name}" / f"{name}.toml").write_bytes(data)
    (folder / "a.toml").write_text('[department]\nname = "甲"\nyear = 2020\n[basic.2010301]\n30101 = 1.00\n', "utf-8")
    for command in (["print", "{path}"], ["check", "{path}"], ["check", "{path}", "--format", "json"], ["report", "{path}"]):
        assert_clean_run([part.format(path=folder) for part in command])


# -- the side files --------------------------------------------------------------------------------

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=True), hostile_text),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(hostile_text, inner, max_size=3),
    max_leaves=8,
)
JOURNALED_TEXT = '[department]\nname = "局"\nyear = 2020\n'
JOURNALED_SHA256 = hashlib.sha256(JOURNALED_TEXT.encode("utf-8")).hexdigest()
line_entries = st.fixed_dictionaries(
    {},
    optional={
        "functional": st.one_of(functionals, json_values),
        "economic": st.one_of(codes, json_values),
        "amount": st.one_of(numbers, json_values, st.decimals(allow_nan=True, allow_infinity=True).map(str)),
        "kind": st.one_of(st.sampled_from(["基本支出", "项目支出"]), json_values),
        "fund": st.one_of(funds, json_values),
        "project": st.one_of(st.none(), hostile_text),
        "category": st.one_of(st.none(), st.sampled_from(["人员经费", "公用经费"]), hostile_text),
        "origin": st.one_of(st.integers(-3, 3), json_values),
    },
)
journal_rows = st.lists(
    st.one_of(
        st.fixed_dictionaries(
            {"before": st.one_of(st.none(), line_entries), "after": st.one_of(st.none(), line_entries)},
            # naming the journaled file and its very bytes, so that entries reach the line checks of a replay
            optional={"file": st.one_of(st.just("journaled.toml"), hostile_text),
                      "sha256": st.one_of(st.just(JOURNALED_SHA256), hostile_text)},
        ),
        json_values,
    ),
    max_size=4,
)


@FAST
@given(
    head=st.one_of(
        st.just({"journal": 2}), st.just({"journal": 1, "base_sha256": "0" * 64}), json_values,
        st.dictionaries(hostile_text, json_values, max_size=3),
    ),
    rows=journal_rows,
    tail=st.one_of(st.just(b""), st.binary(max_size=20)),
)
def test_the_journal_reader_returns_what_it_can_or_its_documented_error(workdir, head, rows, tail):
    from budget_tui.files.journal import Journal, JournalError

    budget = workdir / "journaled.toml"
    budget.write_text(JOURNALED_TEXT, "utf-8")
    journal = Journal(budget)
    text = "\n".join(json.dumps(row, ensure_ascii=False) for row in [head, *rows]) + "\n"
    Path(journal.path).write_bytes(text.encode("utf-8", "surrogatepass") + tail)
    try:
        recovered = journal.recover(budget.read_bytes())  # None, or what it holds and what it refuses
    except JournalError as error:  # the documented error of a journal that is no journal: one clean line
        assert "\n" not in str(error) and "\x1b" not in str(error)
        return
    assert recovered is None or isinstance(recovered.changes, list)


review_documents = st.one_of(
    st.binary(max_size=200),
    st.lists(
        st.fixed_dictionaries(
            {"node": st.one_of(st.sampled_from(["root", "f:2010301", "e:30101", "line:2010301:30101:basic:一般公共预算:"]),
                               hostile_text.map(lambda t: "f:" + t), hostile_text)},
            optional={"label": hostile_text, "reviewed": st.booleans(), "comment": hostile_text, "by": hostile_text},
        ),
        max_size=4,
    ).map(
        lambda notes: ("format = 1\n" + "".join(
            "[[note]]\n" + "".join(
                f"{name} = {'true' if value is True else 'false' if value is False else string(value)}\n"
                for name, value in note.items()
            )
            for note in notes
        )).encode("utf-8", "surrogatepass")
    ),
)


@FAST
@given(data=review_documents)
def test_the_review_reader_raises_only_review_file_error_and_prints_clean(workdir, data):
    budget = workdir / "reviewed.toml"
    budget.write_text('[department]\nname = "局"\nyear = 2020\n[basic.2010301]\n30101 = 1.00\n', "utf-8")
    review = workdir / "reviewed.review.toml"
    review.write_bytes(data)
    try:
        read_notes(review)
    except ReviewFileError as error:
        assert forbidden_in(str(error)) == [] and "\n" not in str(error)
    assert_clean_run(["print", str(budget), "--review"])


@FAST
@given(
    raw=st.one_of(
        st.binary(max_size=120),
        st.dictionaries(hostile_text, st.one_of(hostile_text, st.lists(hostile_text, max_size=3), json_values), max_size=4)
        .map(lambda table: "".join(f"{key(k)} = {json.dumps(v) if isinstance(v, (str, list)) else string(str(v))}\n"
                                   for k, v in table.items()).encode("utf-8", "surrogatepass")),
        st.lists(st.sampled_from(["edit", "save", "quit", "help", "add-line"]), max_size=3).flatmap(
            lambda ids: st.tuples(*[hostile_text for _ in ids]).map(
                lambda keys: "".join(f"{i} = {string(k)}\n" for i, k in zip(ids, keys)).encode("utf-8", "surrogatepass")
            )
        ),
    )
)
def test_the_key_file_reader_keeps_only_showable_keys_and_says_why_in_one_line(workdir, raw):
    from budget_tui.app.app import binding_ids
    from budget_tui.app.keys import load_keymap
    from budget_tui.core.safetext import one_line

    path = workdir / "keys.toml"
    path.write_bytes(raw)
    keymap, problems = load_keymap(path, binding_ids())
    for keys in keymap.values():
        assert keys.isprintable() and not forbidden_in(keys), keymap
    for problem in problems:
        assert isinstance(problem, str) and not forbidden_in(one_line(problem)) and "\n" not in one_line(problem)


@FAST
@given(data=st.one_of(st.binary(max_size=200), json_values.map(lambda value: json.dumps(value).encode())))
def test_the_lock_file_reader_gives_a_holder_or_none_and_the_holder_prints_clean(workdir, data):
    from budget_tui.files.lock import Holder, _read_holder

    path = workdir / "lockfile"
    path.write_bytes(data)
    fd = os.open(path, os.O_RDONLY)
    try:
        holder = _read_holder(fd)
    finally:
        os.close(fd)
    assert holder is None or isinstance(holder, Holder)
    if holder is not None:
        described = holder.describe()
        assert not forbidden_in(described) and "\n" not in described


# -- a few real processes --------------------------------------------------------------------------


@settings(max_examples=4, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=documents)
def test_the_real_command_on_generated_files_exits_cleanly(workdir, data):
    """As a user runs it: a separate process, its real standard streams."""
    path = workdir / "process.toml"
    path.write_bytes(data)
    for command in (["check", str(path)], ["report", str(path)]):
        result = subprocess.run([sys.executable, "-m", "budget_tui", *command], capture_output=True, timeout=120)
        out, err = result.stdout.decode("utf-8"), result.stderr.decode("utf-8")
        assert result.returncode in (0, 1, 2), err
        assert "Traceback" not in err and forbidden_in(out) == [] and forbidden_in(err) == [], (command, out, err)
