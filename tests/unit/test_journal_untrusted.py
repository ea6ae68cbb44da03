"""Issue 12 items 17 and 10 (the journal): the journal is an untrusted side file.

An entry that is not a valid edit (bad amount, bad code, wrong types, malformed or deeply nested JSON) is refused at
replay with a message, and the saves after it work. A journal that cannot be read at all (a folder, a FIFO, a
symlink, not UTF-8, not a journal, too large) gives one clear message and a way on (set it aside, or open
read-only): never a crash, never a hang, never a write through a symlink.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget_tui.app.screens.budget import BudgetScreen
from budget_tui.app.screens.dialogs import BadJournalScreen, RecoverScreen
from budget_tui.core.editing import EditError, Editor
from budget_tui.files import journal as journal_module
from budget_tui.files.fileformat import load
from budget_tui.files.journal import Journal, JournalError
from budget_tui.files.lock import side_file
from budget_tui.files.save import save
from budget_tui.session import Session
from tests.app.test_app import SIZE, make_app, messages, search, status, type_text

NAME = "changji-2020.toml"
LINE_30101 = {"functional": "2010301", "economic": "30101", "amount": "335.04", "kind": "基本支出",
              "fund": "一般公共预算", "project": None, "category": None, "origin": 0}
LINE_30102 = dict(LINE_30101, economic="30102", amount="144.28")


def entry(path: Path, before: object, after: object) -> dict:
    return {"file": NAME, "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "before": before, "after": after}


def write_journal(path: Path, rows: list) -> Path:
    """A journal beside path: the header, then each row (a dict is written as JSON, a str as it is)."""
    journal = side_file(path, "journal")
    lines = [json.dumps({"journal": 2})] + [row if isinstance(row, str) else json.dumps(row, ensure_ascii=False) for row in rows]
    journal.write_text("\n".join(lines) + "\n", "utf-8")
    return journal


def good_edit(path: Path) -> dict:
    """30102 144.28 → 151.00: a valid edit, replayed whatever the entries around it hold."""
    return entry(path, LINE_30102, dict(LINE_30102, amount="151.00"))


def opened(path: Path) -> Session:
    session = Session.open(path)
    assert session.take_lock() is None
    return session


BAD_AFTERS = {
    "three decimals": dict(LINE_30101, amount="340.001"),
    "negative": dict(LINE_30101, amount="-5.00"),
    "NaN": dict(LINE_30101, amount="NaN"),
    "sNaN": dict(LINE_30101, amount="sNaN"),
    "infinite": dict(LINE_30101, amount="Infinity"),
    "huge exponent": dict(LINE_30101, amount="1e999999999"),
    "41 digits": dict(LINE_30101, amount="1" * 41),
    "1e26": dict(LINE_30101, amount="1E+26"),
    "comma": dict(LINE_30101, amount="1,5"),
    "underscores": dict(LINE_30101, amount="1_0.0_5"),
    # " 340 " is not here: the journal reads amounts by money.py's one rule, which allows spaces around, as import does.
    "amount a number": dict(LINE_30101, amount=340),
    "amount a float": dict(LINE_30101, amount=340.5),
    "amount null": dict(LINE_30101, amount=None),
    "amount a list": dict(LINE_30101, amount=["340"]),
    "amount missing": {k: v for k, v in LINE_30101.items() if k != "amount"},
    "economic letters": dict(LINE_30101, economic="abcde"),
    "economic escape": dict(LINE_30101, economic="301\x1b[2J01"),
    "economic empty": dict(LINE_30101, economic=""),
    "economic a number": dict(LINE_30101, economic=30101),
    "functional newline": dict(LINE_30101, functional="2010301\n"),
    "functional huge": dict(LINE_30101, functional="2" * 5000),
    "kind unknown": dict(LINE_30101, kind="x"),
    "kind a list": dict(LINE_30101, kind=[]),
    "fund unknown": dict(LINE_30101, fund="nope"),
    "fund a number": dict(LINE_30101, fund=3),
    "fund a dict": dict(LINE_30101, fund={"a": 1}),
    "project on a basic line": dict(LINE_30101, project="p"),
    "project line without project": dict(LINE_30101, kind="项目支出"),
    "category unknown": dict(LINE_30101, category="其他"),
    "category a list": dict(LINE_30101, category=["人员经费"]),
    "line a list": ["2010301", "30101", "340.00"],
    "line a string": "340.00",
}


@pytest.mark.parametrize("case", sorted(BAD_AFTERS))
def test_an_invalid_line_is_refused_at_replay_and_later_saves_work(changji_copy, case):
    write_journal(changji_copy, [entry(changji_copy, LINE_30101, BAD_AFTERS[case]), good_edit(changji_copy)])
    session = opened(changji_copy)
    recovered = session.recover()
    assert [(refused.row, refused.change) for refused in recovered.refused] == [(2, None)]
    reason = recovered.refused[0].reason
    assert reason and "\n" not in reason and "\x1b" not in reason
    assert len(recovered.changes) == 1
    _, skipped = session.replay(recovered.changes)
    assert skipped == []
    session.save()  # the save works: the invalid amount never got in
    lines = {line.economic: line.amount for line in load(changji_copy).lines if line.functional == "2010301"}
    assert lines["30101"] == Decimal("335.04") and lines["30102"] == Decimal("151.00")


@pytest.mark.parametrize(
    "row",
    [
        "{not json",
        "[" * 100_000 + "]" * 100_000,
        '{"a": ' * 50_000 + "1" + "}" * 50_000,
        '{"file": "changji-2020.toml", "sha256": 1, "before": null, "after": ' + "9" * 10_000 + "}",
        "[1, 2, 3]",
        '"just text"',
        "null",
        "",
        "{}",
    ],
    ids=["malformed", "deep list", "deep object", "huge int", "a list", "a string", "null", "blank", "empty object"],
)
def test_a_row_that_is_no_entry_is_refused_and_the_rows_after_it_replay(changji_copy, row):
    write_journal(changji_copy, [row, good_edit(changji_copy)])
    recovered = opened(changji_copy).recover()
    assert [refused.row for refused in recovered.refused] == [2]
    assert len(recovered.changes) == 1 and recovered.changes[0].after.amount == Decimal("151.00")


def test_both_sides_null_and_a_missing_file_name_are_refused(changji_copy):
    nameless = good_edit(changji_copy)
    del nameless["file"]
    write_journal(changji_copy, [entry(changji_copy, None, None), nameless, dict(good_edit(changji_copy), file=["x"])])
    recovered = opened(changji_copy).recover()
    assert [refused.reason for refused in recovered.refused] == [
        "the entry changes no line", "no file is named in the entry", "no file is named in the entry",
    ]
    assert recovered.changes == []


def test_a_torn_last_row_is_dropped_silently(changji_copy):
    journal = write_journal(changji_copy, [good_edit(changji_copy)])
    with open(journal, "a", encoding="utf-8") as torn:
        torn.write('{"file": "changji-2020.toml", "sha')
    recovered = opened(changji_copy).recover()
    assert recovered.refused == [] and len(recovered.changes) == 1


# -- a journal that cannot be read at all ----------------------------------------------------------


def within_deadline(function, unblock=None, seconds: float = 30.0):
    """Call function in a thread; fail (and unblock it) when it does not return in time: a hang, not a slow run."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = function()
        except BaseException as error:  # noqa: BLE001 - handed back to the test
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        if unblock is not None:
            unblock()
        pytest.fail(f"still running after {seconds} s: it hangs")
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")


def unblock_fifo(path: Path):
    def unblock() -> None:
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass

    return unblock


def make_folder(journal: Path) -> None:
    journal.mkdir()
    (journal / "inside").write_text("x", "utf-8")


def make_fifo(journal: Path) -> None:
    os.mkfifo(journal)


def make_symlink(journal: Path) -> None:
    victim = journal.with_name("victim.txt")
    victim.write_text("another user's file\n", "utf-8")
    journal.symlink_to(victim)


def make_dangling_symlink(journal: Path) -> None:
    journal.symlink_to(journal.with_name("nowhere"))


def make_not_utf8(journal: Path) -> None:
    journal.write_bytes(b'{"journal": 2}\n\xff\xfe\x00\n')


def make_header_list(journal: Path) -> None:
    journal.write_text("[1]\n", "utf-8")


def make_header_other(journal: Path) -> None:
    journal.write_text('{"anything": "else"}\n', "utf-8")


def make_header_newer(journal: Path) -> None:
    journal.write_text('{"journal": 99}\n{"file": "x"}\n', "utf-8")


def make_header_version_text(journal: Path) -> None:
    journal.write_text('{"journal": "2"}\n', "utf-8")


def make_header_version_true(journal: Path) -> None:
    journal.write_text('{"journal": true}\n', "utf-8")


def make_header_deep(journal: Path) -> None:
    journal.write_text("[" * 200_000 + "\n", "utf-8")


def make_too_large(journal: Path) -> None:
    with open(journal, "wb") as handle:
        handle.write(b'{"journal": 2}\n')
        handle.truncate(journal_module.MAX_BYTES + 1)  # sparse: no disk used


UNREADABLE = {
    "a folder": (make_folder, "is a folder, not a journal"),
    "a FIFO": (make_fifo, "is a FIFO, not a journal"),
    "a symlink": (make_symlink, "is a symbolic link, not a journal"),
    "a dangling symlink": (make_dangling_symlink, "is a symbolic link, not a journal"),
    "not UTF-8": (make_not_utf8, "is not a journal: byte 15 is not UTF-8"),
    "header a list": (make_header_list, ":1: not a budget-tui journal"),
    "header something else": (make_header_other, ":1: not a budget-tui journal"),
    "header version as text": (make_header_version_text, ":1: not a budget-tui journal"),
    "header version true": (make_header_version_true, ":1: not a budget-tui journal"),
    "header too deep": (make_header_deep, ":1: not a budget-tui journal"),
    "a newer version": (make_header_newer, "was written by a newer budget-tui (journal version 99)"),
    "too large": (make_too_large, f"larger than any journal ({journal_module.MAX_BYTES}"),
}


@pytest.mark.parametrize("case", sorted(UNREADABLE))
def test_a_journal_that_cannot_be_read_gives_one_clear_message(changji_copy, case):
    make, expected = UNREADABLE[case]
    journal = side_file(changji_copy, "journal")
    make(journal)
    session = opened(changji_copy)
    with pytest.raises(JournalError) as caught:
        within_deadline(session.recover, unblock_fifo(journal))
    message = str(caught.value)
    assert message.startswith(str(journal)) and expected in message and "\n" not in message
    assert os.path.lexists(journal)  # left where it is until the user chooses
    assert session.journal is None  # nothing journaled before the user chooses


@pytest.mark.parametrize("content", [b"", b'{"journal": 2'])
def test_an_empty_or_torn_header_is_no_journal(changji_copy, content):
    """The crash came before the first entry was written: nothing to recover, journaling starts."""
    side_file(changji_copy, "journal").write_bytes(content)
    session = opened(changji_copy)
    assert session.recover() is None and session.journal is not None


def test_a_journal_is_never_written_through_a_symlink(changji_copy):
    journal = side_file(changji_copy, "journal")
    victim = changji_copy.with_name("victim.txt")
    victim.write_text("another user's file\n", "utf-8")
    session = opened(changji_copy)
    assert session.recover() is None
    journal.symlink_to(victim)  # planted after the session started, before its first edit
    session.set_amount(next(line.key for line in session.budget.lines if line.economic == "30101"), "340")
    assert victim.read_text("utf-8") == "another user's file\n"
    assert journal.is_file() and not journal.is_symlink()
    assert '"amount": "340"' in journal.read_text("utf-8")


def test_a_folder_where_the_journal_goes_is_reported_not_fatal(changji_copy):
    session = opened(changji_copy)
    assert session.recover() is None
    make_folder(side_file(changji_copy, "journal"))
    session.start_journal()
    assert session.journal is None and "edits are not journaled" in session.journal_trouble
    session.set_amount(next(line.key for line in session.budget.lines if line.economic == "30101"), "340")
    session.save()
    assert "30101 = 340.00" in changji_copy.read_text("utf-8")


# -- in the app ------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", ["a folder", "a FIFO", "a symlink", "not UTF-8", "a newer version"])
async def test_set_aside_renames_what_is_there_and_edits_are_journaled_anew(changji_copy, case):
    make, expected = UNREADABLE[case]
    journal = side_file(changji_copy, "journal")
    make(journal)
    victim = journal.with_name("victim.txt")
    before = victim.read_bytes() if victim.exists() else None
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BadJournalScreen) and expected in app.screen.message
        await pilot.press("s")
        await pilot.pause()
        assert isinstance(app.screen, BudgetScreen) and "read-only" not in status(app)
        aside = [m for m in messages(app) if m.startswith("The journal that could not be read is set aside as ")]
        kept = Path(aside[0].removeprefix("The journal that could not be read is set aside as ").split(";")[0])
        assert os.path.lexists(kept) and kept.parent == journal.parent
        await search(pilot, "30101")
        await pilot.press("e")
        await type_text(pilot, "340")
        await pilot.press("enter")
        await pilot.pause()
        assert journal.is_file() and not journal.is_symlink() and '"amount": "340"' in journal.read_text("utf-8")
    if before is not None:
        assert victim.read_bytes() == before


async def test_read_only_leaves_the_journal_and_refuses_every_change(changji_copy):
    journal = side_file(changji_copy, "journal")
    journal.write_text("[1]\n", "utf-8")
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BadJournalScreen)
        await pilot.press("escape")  # the default: read-only
        await pilot.pause()
        assert isinstance(app.screen, BudgetScreen) and "read-only" in status(app)
        await search(pilot, "30101")
        await pilot.press("e")
        await pilot.pause()
        assert messages(app)[-1] == (
            f"Read-only: the crash journal {journal} cannot be read; set it aside or remove it, then open again. "
            "Nothing can be changed here."
        )
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert journal.read_text("utf-8") == "[1]\n"


async def test_the_recovery_dialog_shows_invalid_entries_as_refused(changji_copy):
    write_journal(changji_copy, [
        entry(changji_copy, LINE_30101, dict(LINE_30101, amount="1e999999999")),
        entry(changji_copy, LINE_30101, dict(LINE_30101, economic="301\x1b]0;owned\x0701")),
        good_edit(changji_copy),
    ])
    app = make_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoverScreen)
        assert app.screen.edits == ["2010301 行政运行 / 30102 津贴补贴: 144.28 → 151.00"]
        assert app.screen.refused[0].startswith("journal line 2: amount '1e999999999' is too large")
        assert app.screen.refused[1].startswith("journal line 3: economic ")
        assert not any(ch in "".join(app.screen.refused) for ch in "\x1b\x07")
        await pilot.press("r")
        await pilot.pause()
        assert "Replayed 1 of 3 unsaved edits; save to keep them." in messages(app)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not app.session.dirty
    assert "30102 = 151.00" in changji_copy.read_text("utf-8")


# -- fuzz: whatever the journal holds ----------------------------------------------------------------

UNSAFE = [chr(c) for c in range(0x20) if c not in (0x0A,)] + [chr(0x7F)] + [chr(c) for c in range(0x80, 0xA0)] + [
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=12)
    | st.sampled_from(["335.04", "340.00", "1e999999999", "NaN", "-1", "2010301", "30101", "基本支出", "一般公共预算", NAME]),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["file", "sha256", "before", "after", "functional", "economic", "amount", "kind", "fund",
                         "project", "category", "origin", "journal"]) | st.text(max_size=5), children, max_size=8),
    max_leaves=20,
)
line_like = st.fixed_dictionaries(
    {key: st.one_of(st.just(value), json_values) for key, value in LINE_30101.items()}
)


@st.composite
def journal_bytes(draw, path_sha: str) -> bytes:
    header = draw(st.sampled_from(['{"journal": 2}', '{"journal": 1, "base_sha256": "x"}']) | st.text(max_size=30))
    rows = [header]
    for _ in range(draw(st.integers(0, 5))):
        rows.append(draw(st.one_of(
            st.builds(lambda before, after, sha: json.dumps({"file": NAME, "sha256": sha, "before": before, "after": after},
                                                            ensure_ascii=False),
                      st.none() | line_like, st.none() | line_like, st.sampled_from([path_sha, "0" * 64])),
            json_values.map(lambda value: json.dumps(value, ensure_ascii=False)),
            st.text(max_size=40),
        )))
    text = "\n".join(rows) + draw(st.sampled_from(["\n", ""]))
    return text.encode("utf-8", "surrogatepass") + draw(st.binary(max_size=8))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_fuzz_the_journal_reader_and_replay(changji_copy, data):
    """Generated journals: recover gives edits or refusals (or JournalError), never another exception; no refusal
    carries a control character; what it lets through replays, and the save after it works."""
    sha = hashlib.sha256(changji_copy.read_bytes()).hexdigest()
    raw = data.draw(journal_bytes(sha))
    journal = side_file(changji_copy, "journal")
    journal.write_bytes(raw)
    try:
        recovered = Journal(changji_copy).recover(changji_copy.read_bytes())
    except JournalError as error:
        assert "\n" not in str(error) and not any(ch in str(error) for ch in UNSAFE)
        return
    if recovered is None:
        return
    for refused in recovered.refused:
        assert not any(ch in refused.reason for ch in UNSAFE + ["\n"]), refused.reason
    budget = load(changji_copy)
    editor = Editor(budget)
    for change in recovered.changes:
        try:
            editor.replay(change)
        except EditError:
            pass
    if editor.dirty:
        original = changji_copy.read_bytes()
        save(budget, editor.changes())  # never "would not read back": what got through is a valid edit
        changji_copy.write_bytes(original)


# -- a colleague's journal this user may not read (a second, non-root user) -------------------------

AS_NOBODY = r"""
import sys
from budget_tui.session import Session
from budget_tui.files.journal import JournalError
session = Session.open(sys.argv[1])
assert session.take_lock() is None
try:
    session.recover()
except JournalError as error:
    print("JournalError", error)
else:
    print("no error")
aside = session.set_aside_journal()
session.start_journal()
print("aside", aside)
"""


def test_a_journal_the_user_may_not_read_gives_the_same_way_on(tmp_path):
    import shutil
    import subprocess
    import sys
    import tempfile

    from tests.conftest import CHANGJI

    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        reason = "needs root and setpriv to run as a second, non-root user"
        print(f"skipped: {reason}")
        pytest.skip(reason)
    base = Path(tempfile.mkdtemp(dir="/tmp", prefix="budget-tui-journal-"))
    try:
        base.chmod(0o777)
        budget = base / NAME
        shutil.copy(CHANGJI, budget)
        budget.chmod(0o666)
        journal = write_journal(budget, [good_edit(budget)])
        content = journal.read_bytes()
        journal.chmod(0o600)  # root's: uid 65534 cannot read it
        command = ["setpriv", "--reuid", "65534", "--regid", "65534", "--clear-groups", sys.executable, "-c", AS_NOBODY, str(budget)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=str(base),
                              env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(base)})
        assert done.returncode == 0, done.stderr[-2000:]
        first, second = done.stdout.splitlines()
        assert first == f"JournalError {journal} cannot be read: Permission denied"
        aside = Path(second.removeprefix("aside "))
        assert aside.parent == base and aside.name.startswith(journal.name + ".set-aside-")
        assert aside.read_bytes() == content  # renamed, nothing lost
        assert not journal.exists()
    finally:
        shutil.rmtree(base)
