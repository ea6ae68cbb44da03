"""The app starts whatever the side files are (issue 12, items 10 and 16), driven through Pilot.

A review file, keys.toml or lock file that is a FIFO, a folder, a link, malformed or nested thousands deep gives one
message naming it and a way on (marks off, default keys, read-only), never a hang or a traceback at start.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from budget_tui.app.app import BudgetApp, binding_ids
from budget_tui.app.keys import load_keymap
from budget_tui.app.screens.budget import BudgetScreen
from budget_tui.app.screens.dialogs import LockedScreen
from budget_tui.app.widgets.inputs import AmountInput
from budget_tui.files.lock import side_file
from budget_tui.files.review import review_path
from budget_tui.session import Session
from tests.app.test_app import SIZE, messages, search, status, type_text
from tests.unit.test_side_files import HOLD, make, within


@pytest.fixture(autouse=True)
def own_config(tmp_path, monkeypatch) -> Path:
    """A config folder of the test's own (no keys.toml unless a test writes one)."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return tmp_path / "config" / "budget-tui" / "keys.toml"


@pytest.fixture
def victim(tmp_path: Path) -> Path:
    path = tmp_path / "elsewhere" / "victim.txt"
    path.parent.mkdir()
    path.write_text("precious\n", "utf-8")
    return path


def open_app(path: Path, force: bool = False) -> BudgetApp:
    """The app on path, its session read with a deadline (a FIFO read would block for ever)."""
    return BudgetApp(within(Session.open, path), force)


async def try_to_edit(pilot) -> None:
    await search(pilot, "30101")
    await pilot.press("e")
    await pilot.pause()


# -- the review file ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "content", "expected"),
    [
        ("fifo", None, ": is a FIFO (named pipe), not a regular file"),
        ("folder", None, ": is a folder, not a regular file"),
        ("symlink", None, ": is a symbolic link"),
        (None, "format = 1\nnote = " + "[" * 100_000, ":2:1: not a review file: not valid TOML: lists or tables nested too deep"),
        (None, '[[note]]\nnode = "f:201"\nreviewed = "yes"\n', ":3:1: note 1: reviewed must be true or false"),
        (None, "format = " + "9" * 5000, ":1:1: not a review file: not valid TOML"),
    ],
    ids=["fifo", "folder", "symlink", "deep-arrays", "wrong-type", "5000-digits"],
)
async def test_the_app_starts_with_review_marks_off_and_says_which_file(changji_copy, victim, kind, content, expected):
    path = review_path(changji_copy)
    if kind is None:
        path.write_text(content, "utf-8")
    else:
        make(kind, path, victim)
    app = open_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BudgetScreen)
        said = [message for message in messages(app) if message.startswith("review marks are off: ")]
        assert len(said) == 1 and said[0].startswith(f"review marks are off: {path}{expected}")
        assert "rename it" in said[0] and "\n" not in said[0]
        await pilot.press("m")
        await pilot.pause()
        assert messages(app)[-1] == "Review marks are off: the review file could not be read."
        await try_to_edit(pilot)
        assert app.screen.query_one(AmountInput).display  # the budget itself is editable
        await pilot.press("escape", "q")
        await pilot.pause()
        assert not app.is_running
    assert victim.read_text("utf-8") == "precious\n"


async def test_a_link_put_in_place_of_the_review_file_is_not_written_on_quit(changji_copy, victim):
    app = open_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        await pilot.press("m")
        await pilot.pause()
        assert app.session.review.dirty
        review_path(changji_copy).symlink_to(victim)
        await pilot.press("q")
        await pilot.pause()
        assert app.is_running  # the marks are not lost silently
        assert messages(app)[-1].startswith(f"Review marks not saved: {review_path(changji_copy)}: is a symbolic link")
    assert victim.read_text("utf-8") == "precious\n"


# -- keys.toml ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "content", "expected"),
    [
        ("fifo", None, ": is a FIFO (named pipe), not a regular file"),
        ("folder", None, ": is a folder, not a regular file"),
        ("device", None, ": is a character device, not a regular file"),
        (None, 'save = "s"\nedit = ' + "[" * 60_000, ":2:"),
        (None, 'save = "s"\n' + "a." * 30_000 + "b = 1\n", ":2:"),
        (None, "edit = " + "[" * 100_000, ": is 98 KB, more than 64 KB"),
    ],
    ids=["fifo", "folder", "device", "deep-arrays", "deep-dotted-key", "100000-deep"],
)
async def test_the_app_starts_with_the_default_keys_and_says_why(changji_copy, victim, own_config, kind, content, expected):
    own_config.parent.mkdir(parents=True)
    if kind is None:
        own_config.write_text(content, "utf-8")
    else:
        make(kind, own_config, victim)
    within(load_keymap, own_config, binding_ids())  # what the app does at start: must not block
    app = open_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        said = [message for message in messages(app) if "default keys are used" in message]
        assert len(said) == 1 and said[0].startswith(f"{own_config}{expected}")
        await try_to_edit(pilot)
        assert app.screen.query_one(AmountInput).display


async def test_impossible_keys_keep_their_defaults_and_the_good_ones_apply(changji_copy, own_config):
    own_config.parent.mkdir(parents=True)
    own_config.write_text('edit = "x"\nquit = "\\u001b[2J"\nsave = "a,b"\n' + "".join(f'no{i} = "z"\n' for i in range(50)), "utf-8")
    app = open_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        warnings = [message for message in messages(app) if message.startswith(str(own_config))]
        assert len(warnings) == 5 and warnings[0].startswith(f"{own_config}:2:1: quit needs a key")
        assert all("\x1b" not in message for message in messages(app))
        await search(pilot, "30101")
        await pilot.press("x")
        await pilot.pause()
        assert app.screen.query_one(AmountInput).display
        await pilot.press("escape", "q")
        await pilot.pause()
        assert not app.is_running


# -- the lock file -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["symlink", "dangling-symlink", "fifo", "folder", "socket"])
async def test_a_lock_file_that_is_not_a_plain_file_opens_read_only_and_says_what_to_do(changji_copy, victim, kind):
    lock_path = side_file(changji_copy, "lock")
    make(kind, lock_path, victim)
    app = open_app(changji_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, BudgetScreen) and "read-only" in status(app)
        first = messages(app)[0]
        assert first.startswith(f"Read-only: {changji_copy}: its lock file {lock_path} is ")
        assert "Remove that file" in first and "--force" in first
        await try_to_edit(pilot)
        assert not app.screen.query_one(AmountInput).display
        assert messages(app)[-1].startswith(f"Read-only: {changji_copy}: its lock file {lock_path}")
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert victim.read_text("utf-8") == "precious\n"
    assert not (victim.parent / "created-through-the-link").exists()


async def test_force_edits_without_a_lock_or_journal_when_the_lock_file_is_refused(changji_copy, victim):
    lock_path = side_file(changji_copy, "lock")
    lock_path.symlink_to(victim)
    app = open_app(changji_copy, force=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert any("Editing anyway (--force), without a lock or a journal" in message for message in messages(app))
        await search(pilot, "30101")
        await pilot.press("e")
        await type_text(pilot, "+1")
        await pilot.press("enter")
        await pilot.pause()
        assert "unsaved" in status(app) and app.session.journal is None
    assert victim.read_text("utf-8") == "precious\n" and lock_path.is_symlink()


async def test_a_held_lock_file_with_nonsense_asks_as_for_any_other_holder(changji_copy):
    lock_path = side_file(changji_copy, "lock")
    lock_path.write_bytes(b'{"user": "a", "host": "b", "pid": Infinity, "since": "' + b"[" * 4000 + b'"}')
    child = subprocess.Popen([sys.executable, "-c", HOLD, str(lock_path)], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "locked"
        app = open_app(changji_copy)
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, LockedScreen)
            assert app.screen.message == f"{changji_copy} is being edited by another budget-tui."
    finally:
        child.kill()
        child.wait()


def test_the_cli_app_on_a_fifo_budget_exits_2_at_once(tmp_path):
    path = tmp_path / "b.toml"
    os.mkfifo(path)
    result = subprocess.run(
        [sys.executable, "-m", "budget_tui", str(path)], capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )
    assert result.returncode == 2
    assert result.stderr == (
        f"budget-tui: {path}: is a FIFO (named pipe), not a regular file, so it is not read; "
        "a budget is a regular .toml file (in a folder, move this one out)\n"
    )
