"""Side files and budgets that are not what they should be (issue 12, items 10, 16 and 17).

The review file, keys.toml and the lock file may be a folder, a FIFO, a link, somebody else's, malformed, nested
thousands deep or hold impossible values; a budget may be a FIFO or a device. Each gives one message naming the file
(and the line where there is one) and a way on, within seconds, never a hang or a traceback; nothing is written
through a link. The multi-user cases run the attacker as a second, non-root user (setpriv).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from budget_tui.app.keys import MAX_PROBLEMS, load_keymap
from budget_tui.core.tree import Tree
from budget_tui.files.atomic import write_atomic
from budget_tui.files.fileformat import BudgetFileError, load
from budget_tui.files.lock import EditLock, LockHeld, LockRefused, _read_holder, side_file
from budget_tui.files.review import Review, ReviewFileError, read_notes, review_path
from budget_tui.files.safeopen import FileTooLarge, TomlFileError, UnsafeFileError, open_regular, parse_toml, read_regular
from budget_tui.session import Session
from tests.conftest import CHANGJI

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 60
"""Seconds anything here may take on a busy machine; a FIFO that is read blocks for ever, so a regression fails."""
KNOWN_IDS = {"edit", "quit", "save", "help"}
VALID_REVIEW = 'format = 1\n\n[[note]]\nnode = "f:201"\nlabel = "201"\nreviewed = true\n'


def within(function, *args):
    """Run function in a thread; fail (instead of hanging the suite) when it has not returned by the deadline."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["value"] = function(*args)
        except BaseException as error:  # handed to the test below
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(DEADLINE)
    assert not thread.is_alive(), f"{getattr(function, '__name__', function)} blocked for {DEADLINE} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """budget-tui in a child process, killed (and the test failed) if it hangs."""
    return subprocess.run(
        [sys.executable, "-m", "budget_tui", *args], capture_output=True, text=True, timeout=DEADLINE, cwd=cwd
    )


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    """A file elsewhere that nothing here may change."""
    path = tmp_path / "elsewhere" / "victim.txt"
    path.parent.mkdir()
    path.write_text("precious\n", "utf-8")
    return path


def make(kind: str, path: Path, elsewhere: Path) -> None:
    """Put something that is not a plain file at path: a folder, a FIFO, a socket, a link to a file or to nothing."""
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "socket":
        server = socket.socket(socket.AF_UNIX)
        server.bind(str(path))
        server.close()  # the socket file stays
    elif kind == "symlink":
        path.symlink_to(elsewhere)
    elif kind == "dangling-symlink":
        path.symlink_to(elsewhere.parent / "created-through-the-link")
    elif kind == "device":
        path.symlink_to("/dev/zero")
    else:
        raise AssertionError(kind)


NOT_PLAIN = ["folder", "fifo", "socket", "symlink", "dangling-symlink"]


# -- safeopen -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["folder", "fifo", "socket", "device"])
def test_open_regular_refuses_what_is_not_a_regular_file_without_blocking(tmp_path, victim, kind):
    path = tmp_path / "x.toml"
    make(kind, path, victim)
    for flags in (os.O_RDONLY, os.O_RDWR | os.O_CREAT):
        with pytest.raises(UnsafeFileError, match="not a regular file") as caught:
            within(open_regular, path, flags)
        assert str(caught.value).startswith(f"{path}: is a ")


def test_open_regular_follows_a_link_only_when_asked(tmp_path, victim):
    link = tmp_path / "link.toml"
    link.symlink_to(victim)
    assert read_regular(link, 100) == b"precious\n"
    with pytest.raises(UnsafeFileError, match="is a symbolic link"):
        read_regular(link, 100, follow_symlinks=False)
    with pytest.raises(UnsafeFileError, match="is a symbolic link"):
        open_regular(link, os.O_RDWR | os.O_CREAT, follow_symlinks=False)
    assert victim.read_text("utf-8") == "precious\n"


def test_read_regular_bounds_the_size_whatever_the_file_claims(tmp_path):
    big = tmp_path / "big"
    with open(big, "wb") as handle:
        handle.truncate(2 * 1024 * 1024)
    with pytest.raises(FileTooLarge, match=r"is 2\.0 MB, more than 1\.0 MB"):
        read_regular(big, 1024 * 1024)
    with pytest.raises(FileTooLarge):  # a regular file that says it is empty but is not
        read_regular("/proc/self/status", 10)
    assert read_regular(big, 2 * 1024 * 1024)[:4] == b"\0\0\0\0"


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a = 1\nb = " + "[" * 100_000, 2, "nested too deep"),
        ("a = 1\nb = " + "{c = " * 100_000, 2, "nested too deep"),
        ("a = 1\n" + "a." * 100_000 + "b = 1", 2, "more than 100 dotted parts"),
        ("a = 1\n[" + "a." * 100_000 + "b]", 2, "more than 100 dotted parts"),
        ("a = 1\nb = {" + "c . " * 100_000 + "d = 1}", 2, "more than 100 dotted parts"),
        ("a = 1\nb = " + "9" * 5000, 2, "not valid TOML"),
        ("a = 1\n\nb = 2021-02-30\n", 3, "not valid TOML"),
        ("a = 1\nb = [\n", 3, "not valid TOML"),
    ],
    ids=["deep-arrays", "deep-inline-tables", "deep-dotted-key", "deep-header", "deep-spaced-key-inline", "5000-digits",
         "2021-02-30", "unclosed"],
)
def test_parse_toml_names_the_line_of_anything_it_cannot_read(text, line, message):
    with pytest.raises(TomlFileError, match=message) as caught:
        within(parse_toml, text.encode("utf-8"), "side.toml")
    assert str(caught.value).startswith(f"side.toml:{line}:")


def test_parse_toml_refuses_text_that_is_not_utf8():
    with pytest.raises(TomlFileError, match="side.toml:2:1: not UTF-8"):
        parse_toml(b"a = 1\nb = '\xff'\n", "side.toml")


# -- budgets that are not files -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "device", "socket", "dangling-symlink"])
@pytest.mark.parametrize("command", [["check"], ["print"], ["print", "--table", "all"], ["report"], ["export", "--to", "json"], []])
def test_a_budget_that_is_not_a_regular_file_is_refused_at_once(tmp_path, victim, kind, command):
    path = tmp_path / "b.toml"
    make(kind, path, victim)
    result = run_cli(*command, str(path))
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"budget-tui: {path}: is ") and "not" in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("kind", ["fifo", "device", "dangling-symlink"])
@pytest.mark.parametrize("command", ["check", "print", "report"])
def test_a_folder_with_a_fifo_named_toml_says_which_file(tmp_path, victim, kind, command):
    folder = tmp_path / "州本级"
    folder.mkdir()
    shutil.copy(CHANGJI, folder / CHANGJI.name)
    make(kind, folder / "x.toml", victim)
    result = run_cli(command, str(folder))
    assert result.returncode == 2
    assert result.stderr.startswith(f"budget-tui: {folder / 'x.toml'}: is ") and "move this one out" in result.stderr


def test_a_linked_budget_is_still_read_and_a_folder_named_toml_is_walked(tmp_path):
    link = tmp_path / "linked.toml"
    link.symlink_to(CHANGJI)
    assert load(link).total() == load(CHANGJI).total()
    folder = tmp_path / "F"
    (folder / "sub.toml").mkdir(parents=True)
    shutil.copy(CHANGJI, folder / "sub.toml" / CHANGJI.name)
    assert load(folder).total() == load(CHANGJI).total()


def test_a_budget_fifo_refuses_the_session_before_the_app(tmp_path):
    path = tmp_path / "b.toml"
    os.mkfifo(path)
    with pytest.raises(BudgetFileError, match="FIFO"):
        within(Session.open, path)


# -- the review file ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", NOT_PLAIN)
def test_a_review_file_that_is_not_a_plain_file_is_refused_unread(changji_copy, victim, kind):
    victim.write_text(VALID_REVIEW, "utf-8")
    path = review_path(changji_copy)
    make(kind, path, victim)
    with pytest.raises(ReviewFileError) as caught:
        within(Review.open, changji_copy)
    assert str(caught.value).startswith(f"{path}: is a ")
    session = within(Session.open, changji_copy)
    assert session.review is None and str(path) in session.review_trouble and "rename it" in session.review_trouble
    result = run_cli("print", str(changji_copy), "--review")
    assert result.returncode == 2 and result.stderr.startswith(f"budget-tui: {path}: is a ")
    assert "rename it to start a new review" in result.stderr and result.stderr.count("\n") == 1
    assert not (victim.parent / "created-through-the-link").exists()


@pytest.mark.parametrize(
    ("content", "where", "message"),
    [
        ('format = 1\n\n[[note]]\nnode = "f:201"\nreviewed = "yes"\n', 5, "note 1: reviewed must be true or false"),
        ('[[note]]\nnode = "f:201"\n\n[[note]]\nnode = "x:201"\n', 5, "note 2: 'x:201' is not a node id"),
        ('[[note]]\nnode = "f:201"\ncolour = "red"\n', 3, "note 1: unknown key 'colour'"),
        ('[[note]]\nnode = "f:201"\n[[note]]\nnode = "f:201"\n', 4, "note 2: f:201 is listed twice"),
        ('[[note]]\nnode = "f:201"\nlabel = 2021-02-03\n', 3, "note 1: label must be text"),
        ('[[note]]\nnode = "f:201"\nby = ["a", ["b"]]\n', 3, "note 1: by must be text"),
        ("# review\nformat = 1\nnote = 3\n", 3, "note must be [[note]] tables"),
        ("format = 1\nnote = [3]\n", 2, "note 1: expected a table"),
        ("\nformat = 2\n", 2, "format 2 is not 1"),
        ("format = 1.0\n", 1, "format"),
        ("format = true\n", 1, "format"),
        ("format = 123456789012345678\n", 1, "format (not a version number) is not 1"),
        ('[[note]]\nnode = "' + "d:x:" * 50_000 + 'f:201"\n', 2, "is not a node id"),
        ('[[note]]\nnode = "' + "x" * 10_000 + '"\n', 2, "is not a node id"),
        ("format = 1\n\nnote = [\n", 4, "not a review file"),
        ("format = 1\nnote = " + "[" * 100_000, 2, "nested too deep"),
        ("format = 1\n" + "a." * 100_000 + "b = 1\n", 2, "more than 100 dotted parts"),
        ("format = " + "9" * 5000 + "\n", 1, "not a review file"),
        ("format = 1\n[[note]]\nnode = 'f:201'\nlabel = 1e999999999\n", 4, "label must be text"),
    ],
    ids=["reviewed-text", "bad-node", "unknown-key", "twice", "label-date", "by-list", "note-number", "note-of-numbers",
         "format-2", "format-float", "format-bool", "format-huge", "node-d-recursion", "node-10000", "syntax",
         "deep-arrays", "deep-dotted-key", "5000-digits", "label-inf"],
)
def test_review_file_errors_name_the_file_and_line(changji_copy, content, where, message):
    path = review_path(changji_copy)
    path.write_text(content, "utf-8")
    with pytest.raises(ReviewFileError) as caught:
        within(read_notes, path)
    text = str(caught.value)
    assert text.startswith(f"{path}:{where}:") and message in text
    assert "\n" not in text and len(text) < 400 + len(str(path))


def test_a_department_that_is_no_index_is_kept_as_a_file_name(changji_copy):
    """`d:<5000 digits>` and `d:²` once raised from int(); they are department files not in the folder: orphans."""
    path = review_path(changji_copy)
    huge = "d:" + "9" * 5000
    path.write_text(f'[[note]]\nnode = "{huge}"\nreviewed = true\n[[note]]\nnode = "d:²"\nreviewed = true\n', "utf-8")
    assert set(read_notes(path)) == {huge, "d:²"}
    assert len(Review.open(changji_copy).orphans(load(changji_copy))) == 2


def test_a_review_file_of_other_bytes_or_size_is_refused(changji_copy):
    path = review_path(changji_copy)
    path.write_bytes(b'format = 1\n[[note]]\nnode = "f:201"\nlabel = "\xff"\n')
    with pytest.raises(ReviewFileError, match=r":4:1: not a review file: not UTF-8"):
        read_notes(path)
    with open(path, "wb") as handle:
        handle.truncate(40 * 1024 * 1024)
    with pytest.raises(ReviewFileError, match="is 40.0 MB, more than 16.0 MB: not a review file"):
        read_notes(path)


@pytest.mark.parametrize("target", ["text", "review", "nothing"])
def test_marks_are_never_saved_through_a_link_put_in_place_of_the_review_file(changji_copy, victim, target):
    """A link to any file (a review file too, which the old code merged into and replaced), or to where none is yet."""
    if target == "review":
        victim.write_text(VALID_REVIEW, "utf-8")
    before = victim.read_bytes()
    review = Review.open(changji_copy)
    review.mark(Tree(load(changji_copy)).by_id[("f", "2010301")])
    review_path(changji_copy).symlink_to(victim if target != "nothing" else victim.parent / "created-through-the-link")
    with pytest.raises(ReviewFileError, match="is a symbolic link"):
        review.save()
    assert victim.read_bytes() == before and not (victim.parent / "created-through-the-link").exists()


def test_the_review_write_replaces_a_link_instead_of_its_target(tmp_path, victim):
    link = tmp_path / "b.review.toml"
    link.symlink_to(victim)
    write_atomic(link, b"format = 1\n", follow_symlinks=False)
    assert victim.read_text("utf-8") == "precious\n"
    assert not link.is_symlink() and link.read_bytes() == b"format = 1\n"
    assert stat.S_IMODE(link.stat().st_mode) == 0o644


# -- keys.toml ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["folder", "fifo", "socket", "device", "dangling-symlink"])
def test_a_key_file_that_is_not_a_regular_file_keeps_the_default_keys(tmp_path, victim, kind):
    path = tmp_path / "keys.toml"
    make(kind, path, victim)
    keymap, problems = within(load_keymap, path, KNOWN_IDS)
    assert keymap == {}
    assert len(problems) == 1 and problems[0].startswith(f"{path}: is ") and "default keys are used" in problems[0]


def test_a_linked_key_file_is_followed_to_a_regular_file(tmp_path):
    real = tmp_path / "dotfiles" / "keys.toml"
    real.parent.mkdir()
    real.write_text('edit = "x"\n', "utf-8")
    link = tmp_path / "keys.toml"
    link.symlink_to(real)
    assert load_keymap(link, KNOWN_IDS) == ({"edit": "x"}, [])
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    link.unlink()
    link.symlink_to(fifo)
    keymap, problems = within(load_keymap, link, KNOWN_IDS)
    assert keymap == {} and "FIFO" in problems[0]


@pytest.mark.parametrize(
    ("content", "where", "message"),
    [
        ("edit = \n", 1, "not valid TOML"),
        ('save = "s"\nedit = ' + "[" * 60_000, 2, "nested too deep"),
        ('save = "s"\nedit = ' + "{a = " * 12_000, 2, "nested too deep"),
        ('save = "s"\n' + "a." * 30_000 + "b = 1", 2, "more than 100 dotted parts"),
        ('save = "s"\nedit = ' + "[" * 100_000, 0, "is 98 KB, more than 64 KB"),
        ('save = "s"\nedit = ' + "9" * 5000, 2, "not valid TOML"),
        ('save = "s"\nedit = 2021-02-30', 2, "not valid TOML"),
    ],
    ids=["syntax", "deep-arrays", "deep-inline-tables", "deep-dotted-key", "deep-arrays-100000", "5000-digits", "2021-02-30"],
)
def test_a_key_file_that_is_not_toml_says_where_and_keeps_the_default_keys(tmp_path, content, where, message):
    path = tmp_path / "keys.toml"
    path.write_text(content, "utf-8")
    keymap, problems = within(load_keymap, path, KNOWN_IDS)
    assert keymap == {} and len(problems) == 1
    assert problems[0].startswith(f"{path}:{where}:" if where else f"{path}: ") and message in problems[0]
    assert "default keys are used" in problems[0]


@pytest.mark.parametrize(
    "value",
    [
        "3",
        "true",
        "1e999",
        "2021-02-03",
        '""',
        '"   "',
        '"a,b"',
        '"ctrl+x y"',
        r'"\u001b[2J"',
        r'"\u202ex"',
        '"' + "x" * 1000 + '"',
        '["x", 3]',
        "[]",
        "[" + ", ".join(f'"f{i}"' for i in range(17)) + "]",
        "{ key = \"x\" }",
        "[[\"x\"]]",
    ],
    ids=["int", "bool", "inf", "date", "empty", "spaces", "comma", "space", "escape", "bidi", "1000-chars", "mixed-list",
         "empty-list", "17-keys", "inline-table", "nested-list"],
)
def test_an_impossible_key_is_refused_with_its_line_and_the_binding_keeps_its_default(tmp_path, value):
    path = tmp_path / "keys.toml"
    path.write_text(f'save = "s"\n\nedit = {value}\n', "utf-8")
    keymap, problems = load_keymap(path, KNOWN_IDS)
    assert keymap == {"save": "s"}
    assert len(problems) == 1 and problems[0].startswith(f"{path}:3:1: edit needs a key")


def test_a_table_instead_of_a_key_and_unknown_ids_name_their_lines(tmp_path):
    path = tmp_path / "keys.toml"
    path.write_text('quit = ["q", "ctrl+q"]\n"no\\nsuch" = "z"\n[edit]\nkey = "x"\n', "utf-8")
    keymap, problems = load_keymap(path, KNOWN_IDS)
    assert keymap == {"quit": "q,ctrl+q"}
    assert problems == [
        f"{path}:2:1: no binding 'no\\nsuch'; the ids are listed in the help screen (?)",
        f'{path}:3:1: edit needs a key such as "x" or "ctrl+q", or a list of at most 16 keys; it keeps its default',
    ]


def test_a_flood_of_bad_entries_is_a_few_messages(tmp_path):
    path = tmp_path / "keys.toml"
    path.write_text("".join(f'nothing{i} = "x"\n' for i in range(2000)), "utf-8")
    keymap, problems = load_keymap(path, KNOWN_IDS)
    assert keymap == {} and len(problems) == MAX_PROBLEMS
    assert problems[-1] == f"{path}: {2000 - MAX_PROBLEMS + 1} more entries ignored, as above"


def test_a_key_file_too_large_is_not_read(tmp_path):
    path = tmp_path / "keys.toml"
    with open(path, "wb") as handle:
        handle.truncate(10 * 1024 * 1024)
    keymap, problems = load_keymap(path, KNOWN_IDS)
    assert keymap == {} and problems == [f"{path}: is 10.0 MB, more than 64 KB; default keys are used (fix the file, or rename it)"]


# -- the lock file -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", NOT_PLAIN)
def test_a_lock_file_that_is_not_a_plain_file_opens_the_budget_read_only(changji_copy, victim, kind):
    lock_path = side_file(changji_copy, "lock")
    make(kind, lock_path, victim)
    with pytest.raises(LockRefused) as caught:
        within(EditLock(changji_copy).acquire)
    message = str(caught.value)
    assert message.startswith(f"{changji_copy}: its lock file {lock_path} is ") and "Remove that file" in message
    session = Session.open(changji_copy)
    held = within(session.take_lock)
    assert isinstance(held, LockRefused) and session.read_only and session.lock is None and session.holder is held
    assert victim.read_text("utf-8") == "precious\n"
    assert not (victim.parent / "created-through-the-link").exists()


def test_a_hard_link_to_another_file_is_not_written(changji_copy, victim):
    lock_path = side_file(changji_copy, "lock")
    os.link(victim, lock_path)
    with pytest.raises(LockRefused, match="has 2 names"):
        EditLock(changji_copy).acquire()
    assert victim.read_text("utf-8") == "precious\n"


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_lock_file_of_another_user_is_not_written_unless_they_own_the_budget(changji_copy):
    lock_path = side_file(changji_copy, "lock")
    lock_path.write_text("theirs", "utf-8")
    lock_path.chmod(0o666)
    os.chown(lock_path, 65534, 65534)
    with pytest.raises(LockRefused, match="belongs to user 65534, not to you"):
        EditLock(changji_copy).acquire()
    assert lock_path.read_text("utf-8") == "theirs"
    os.chown(changji_copy, 65534, 65534)  # the budget's owner's stale lock is fine to take over
    with EditLock(changji_copy) as lock:
        assert lock.held and json.loads(lock_path.read_text("utf-8"))["pid"] == os.getpid()


def test_the_lock_still_works_and_leaves_nothing_behind(changji_copy):
    lock_path = side_file(changji_copy, "lock")
    with EditLock(changji_copy) as lock:
        assert lock.held and stat.S_ISREG(os.lstat(lock_path).st_mode)
        with pytest.raises(LockHeld) as caught:
            EditLock(changji_copy).acquire()
        assert caught.value.holder is not None and caught.value.holder.pid == os.getpid()
        assert not isinstance(caught.value, LockRefused)
    assert not lock_path.exists()


HOLD = (
    "import fcntl, os, sys, time\n"
    "fd = os.open(sys.argv[1], os.O_RDWR)\n"
    "fcntl.flock(fd, fcntl.LOCK_EX)\n"
    "print('locked', flush=True)\n"
    "time.sleep(120)\n"
)

GOOD_HOLDER = {"user": "王", "host": "srv", "pid": 4242, "since": "2024-01-02T03:04:05"}


@pytest.fixture
def holding(changji_copy):
    """Another process holding the lock file of the copy, whatever the file says."""
    children = []

    def hold(content: bytes) -> Path:
        lock_path = side_file(changji_copy, "lock")
        lock_path.write_bytes(content)
        child = subprocess.Popen([sys.executable, "-c", HOLD, str(lock_path)], stdout=subprocess.PIPE, text=True)
        children.append(child)
        assert child.stdout.readline().strip() == "locked"
        return lock_path

    yield hold
    for child in children:
        child.kill()
        child.wait()


@pytest.mark.parametrize(
    "content",
    [
        b"[" * 4096,
        b'{"user": "a", "host": "b", "pid": Infinity, "since": "x"}',
        b'{"user": "a", "host": "b", "pid": 1e400, "since": "x"}',
        b'{"user": "a", "host": "b", "pid": 1.5, "since": "x"}',
        b'{"user": "a", "host": "b", "pid": -1, "since": "x"}',
        b'{"user": "a", "host": "b", "pid": true, "since": "x"}',
        b'{"user": "a", "host": "b", "pid": 99999999999999999999999, "since": "x"}',
        b'{"user": ["a"], "host": "b", "pid": 1, "since": "x"}',
        b'{"user": "", "host": "b", "pid": 1, "since": "x"}',
        b'{"user": "' + b"a" * 3000 + b'", "host": "b", "pid": 1, "since": "x"}',
        b'{"user": "a"}',
        b"[1, 2]",
        b'"text"',
        b"\xff\xfe",
        b"",
    ],
    ids=["deep-arrays", "pid-infinity", "pid-1e400", "pid-float", "pid-negative", "pid-bool", "pid-huge", "user-list",
         "user-empty", "user-3000", "incomplete", "list", "text", "not-utf8", "empty"],
)
def test_a_held_lock_file_that_says_nonsense_names_no_holder(changji_copy, holding, content):
    holding(content)
    with pytest.raises(LockHeld) as caught:
        EditLock(changji_copy).acquire()
    assert caught.value.holder is None and "another budget-tui" in str(caught.value)


def test_a_held_lock_file_that_is_well_formed_names_its_holder(changji_copy, holding):
    holding(json.dumps(GOOD_HOLDER, ensure_ascii=False).encode("utf-8"))
    with pytest.raises(LockHeld) as caught:
        EditLock(changji_copy).acquire()
    assert caught.value.holder.describe() == "王@srv (process 4242) since 2024-01-02T03:04:05"


# -- a second user ----------------------------------------------------------------------------------

SETPRIV = shutil.which("setpriv")
ATTACKER, VICTIM = 65534, 65533


def as_user(uid: int, *command: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [SETPRIV, f"--reuid={uid}", f"--regid={uid}", "--clear-groups", *command],
        capture_output=True, text=True, timeout=DEADLINE,
    )


def _second_user_missing() -> str | None:
    if SETPRIV is None:
        return "setpriv is not installed"
    if os.geteuid() != 0:
        return "only root can run a second user with setpriv"
    return None


needs_second_user = pytest.mark.skipif(_second_user_missing() is not None, reason=str(_second_user_missing()))


@pytest.fixture
def shared():
    """A folder every user may write (not sticky, as a team folder is), removed afterwards."""
    folder = Path(tempfile.mkdtemp(dir="/tmp", prefix="budget-tui-shared-"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@needs_second_user
def test_a_lock_link_planted_by_another_user_does_not_truncate_the_victims_file(shared, tmp_path):
    budget = shared / "b.toml"
    shutil.copy(CHANGJI, budget)
    secret = tmp_path / "secret.txt"
    secret.write_text("root's own notes\n", "utf-8")
    planted = as_user(ATTACKER, "ln", "-s", str(secret), str(side_file(budget, "lock")))
    assert planted.returncode == 0, planted.stderr
    session = Session.open(budget)
    held = session.take_lock()
    assert isinstance(held, LockRefused) and session.read_only and "is a symbolic link" in str(held)
    assert secret.read_text("utf-8") == "root's own notes\n"
    session.close()


@needs_second_user
def test_a_lock_file_planted_by_another_user_is_not_written(shared):
    budget = shared / "b.toml"
    shutil.copy(CHANGJI, budget)
    lock_path = side_file(budget, "lock")
    planted = as_user(ATTACKER, "sh", "-c", f"umask 0; echo theirs > '{lock_path}'")
    assert planted.returncode == 0, planted.stderr
    with pytest.raises(LockRefused, match=f"belongs to user {ATTACKER}"):
        EditLock(budget).acquire()
    assert lock_path.read_text("utf-8") == "theirs\n"


VICTIM_OPENS = (
    "import sys\n"
    "from budget_tui.session import Session\n"
    "session = Session.open(sys.argv[1])\n"
    "held = session.take_lock()\n"
    "print(type(held).__name__, session.read_only, session.lock is not None)\n"
    "print(held)\n"
)


@needs_second_user
@pytest.mark.parametrize("planted", ["symlink", "dangling-symlink"])
def test_two_users_without_root_the_victims_file_is_unchanged(shared, planted):
    """Both sides non-root: the attacker plants the link in the team folder, the victim opens the budget."""
    home = shared / "victim-home"
    home.mkdir()
    os.chown(home, VICTIM, VICTIM)
    home.chmod(0o700)
    notes = home / "notes.txt"
    notes.write_text("the victim's notes\n", "utf-8")
    os.chown(notes, VICTIM, VICTIM)
    budget = shared / "b.toml"
    shutil.copy(CHANGJI, budget)
    os.chown(budget, VICTIM, VICTIM)
    target = notes if planted == "symlink" else home / "created.txt"
    assert as_user(ATTACKER, "ln", "-s", str(target), str(side_file(budget, "lock"))).returncode == 0
    result = as_user(VICTIM, sys.executable, "-c", VICTIM_OPENS, str(budget))
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == "LockRefused True False"
    assert "is a symbolic link" in result.stdout and "Remove that file" in result.stdout
    assert notes.read_text("utf-8") == "the victim's notes\n"
    assert not (home / "created.txt").exists()


@needs_second_user
def test_a_review_file_the_user_may_not_read_is_a_message_not_a_traceback(shared):
    budget = shared / "b.toml"
    shutil.copy(CHANGJI, budget)
    budget.chmod(0o644)
    path = review_path(budget)
    path.write_text(VALID_REVIEW, "utf-8")
    path.chmod(0o600)
    result = as_user(ATTACKER, sys.executable, "-m", "budget_tui", "print", str(budget), "--review")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr == f"budget-tui: {path}: cannot be read: Permission denied; fix that file, or rename it to start a new review\n"


# -- whatever bytes the side files hold ------------------------------------------------------------------

_TOMLISH = st.lists(
    st.sampled_from(["[", "]", "{", "}", "=", ".", '"', "'", ",", "\n", "a", "1", "format", "note", "[[note]]",
                     "node", "true", "1e999", "-", ":", "#", "\\", "\x1b", "\u202e", " ", "f:201", "d:"]),
    max_size=60,
).map("".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.one_of(st.binary(max_size=300), _TOMLISH.map(lambda text: text.encode("utf-8"))))
def test_any_bytes_in_a_side_file_give_its_documented_error_or_a_result(tmp_path, data):
    path = tmp_path / "fuzz.review.toml"
    path.write_bytes(data)
    try:
        read_notes(path)
    except ReviewFileError as error:
        assert "\n" not in str(error)
    keymap, problems = load_keymap(path, KNOWN_IDS)
    assert all("\n" not in problem for problem in problems)
    fd = os.open(path, os.O_RDONLY)
    try:
        holder = _read_holder(fd)
    finally:
        os.close(fd)
    assert holder is None or holder.pid > 0
