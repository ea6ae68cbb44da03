"""The app's own messages are cleaned too (issue 12, item 14): notifications, dialogs, the footer and the help quote
file and folder names, key names from keys.toml, the lock holder and review ids, and none of them may split a
one-line message, carry a control character to the terminal, or act as markup.

What the terminal would get is read from the screen as composed (every strip's text), so a toast, a dialog and the
footer are all covered, whatever widget draws them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from budget_tui.app.app import BudgetApp
from budget_tui.app.screens.budget import BudgetScreen
from budget_tui.app.screens.dialogs import FormScreen, LockedScreen
from budget_tui.app.screens.help import HelpScreen
from budget_tui.core.safetext import one_line
from budget_tui.files.review import review_path
from budget_tui.session import Session
from tests.app.test_app import SIZE, search
from tests.conftest import CHANGJI
from tests.unit.test_message_injection import CASES, IDS, file_name, forbidden_in, hold_with_holder, toml_string


def screen_text(app: BudgetApp) -> str:
    """Every character the screen (with its toasts and the screens under a dialog) would send to the terminal."""
    return "\n".join("".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips())


def assert_clean_screen_and_notifications(app: BudgetApp, multi_line_ok: tuple[str, ...] = ()) -> None:
    assert forbidden_in(screen_text(app)) == []
    for notification in app.shown:
        assert notification.markup is False, notification.message
        assert forbidden_in(notification.message) == [], notification.message
        if not notification.message.startswith(multi_line_ok):
            assert "\n" not in notification.message, notification.message


async def wait_for(pilot, condition, what: str, seconds: float = 30.0) -> None:
    """Wait until condition() holds, with a generous deadline (a busy machine is slow, never wrong)."""
    import time

    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await pilot.pause(0.05)


@pytest.mark.parametrize("hostile", CASES, ids=IDS)
async def test_keys_toml_key_names_reach_the_footer_and_help_only_clean(changji_copy, tmp_path, monkeypatch, hostile):
    config = tmp_path / "config" / "budget-tui" / "keys.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        f'{toml_string("edit" + hostile)} = "x"\n'  # no such binding: named in a warning
        f'save = {toml_string("w" + hostile)}\n'  # a control in a key: refused; markup: not a key either (issue 14)
        f'add-line = ["A", {toml_string(hostile)}]\n',
        "utf-8",
    )
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    app = BudgetApp(Session.open(changji_copy))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: len(app.shown) >= 1, "the key file's warnings")
        assert_clean_screen_and_notifications(app)
        assert "save" not in app.keymap and "add-line" not in app.keymap
        if hostile.isprintable():  # e.g. [bold]x[/]: no key Textual knows, quoted as typed, never parsed as markup
            await wait_for(pilot, lambda: any(f"{f'w{hostile}'!r} is not one" in n.message for n in app.shown), "the warning")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), "the help")
        assert_clean_screen_and_notifications(app)
        await pilot.press("escape")
        assert app.is_running


@pytest.mark.parametrize("hostile", CASES, ids=IDS)
async def test_the_lock_holder_shows_as_one_clean_line(changji_copy, hostile):
    fd = hold_with_holder(changji_copy, f"王{hostile}", f"host{hostile}", f"2024-01-01T08:00{hostile}")
    try:
        app = BudgetApp(Session.open(changji_copy))
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, LockedScreen), "the locked dialog")
            assert "\n" not in app.screen.message and "(process 4242)" in app.screen.message
            assert_clean_screen_and_notifications(app)
            await pilot.press("r")  # read-only
            await wait_for(pilot, lambda: isinstance(app.screen, BudgetScreen), "the budget")
            await search(pilot, "30101")
            await pilot.press("e")
            await wait_for(pilot, lambda: any("Read-only" in n.message for n in app.shown), "the refusal")
            assert_clean_screen_and_notifications(app)
            assert app.is_running
    finally:
        import os

        os.close(fd)


@pytest.fixture
def hostile_folder(tmp_path):
    def make(hostile: str) -> tuple[Path, Path]:
        folder = tmp_path / f"州{file_name(hostile)}"
        budget = folder / f"县{file_name(hostile)}" / f"局{file_name(hostile)}.toml"
        budget.parent.mkdir(parents=True)
        shutil.copy(CHANGJI, budget)
        # A review file the app cannot use: the same (hostile) node id twice.
        node = toml_string(f"f:2010301{hostile}")
        review_path(folder).write_text(f"[[note]]\nnode = {node}\n[[note]]\nnode = {node}\n", "utf-8")
        return folder, budget

    return make


@pytest.mark.parametrize("hostile", CASES, ids=IDS)
async def test_folder_and_file_names_in_the_apps_messages_are_one_clean_line(hostile_folder, hostile):
    folder, budget = hostile_folder(hostile)
    app = BudgetApp(Session.open(folder))
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: any("review marks are off" in n.message for n in app.shown), "the review warning")
        assert_clean_screen_and_notifications(app)
        await search(pilot, "30101")
        await pilot.press("a")  # the form names the file the line goes to
        await wait_for(pilot, lambda: isinstance(app.screen, FormScreen), "the new-line form")
        assert budget.name in app.screen.title_text  # as given; the dialog shows it as one clean line
        assert_clean_screen_and_notifications(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, BudgetScreen), "the budget")
        await pilot.press("e", "1", "enter", "ctrl+s")
        await wait_for(pilot, lambda: any(n.message.startswith("Saved 1 file") for n in app.shown), "the save")
        saved = next(n.message for n in app.shown if n.message.startswith("Saved 1 file"))
        assert saved == one_line(f"Saved 1 file of {folder}: {budget.relative_to(folder)}")
        assert_clean_screen_and_notifications(app)
        await pilot.press("exclamation_mark")  # the problems panel names files by name
        await pilot.pause()
        assert_clean_screen_and_notifications(app)
    assert "30101 = 1.00" in budget.read_text("utf-8")
