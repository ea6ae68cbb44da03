"""The loading screen: a folder is read in a worker thread while this says what is being read; the worker posts a
message with the session (or the error) and never touches a widget."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, cast

from rich.text import Text
from textual.app import ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import LoadingIndicator, Static

from budget_tui.core.safetext import one_line
from budget_tui.files.fileformat import BudgetFileError, budget_files
from budget_tui.i18n import _, ngettext
from budget_tui.session import Session

if TYPE_CHECKING:
    from budget_tui.app.app import BudgetApp

PROGRESS_AFTER = 0.5
"""Seconds a load may take before the screen says what it is reading."""


class LoadingScreen(Screen):
    """`Reading N department files below FOLDER…` with a spinner and the seconds so far."""

    DEFAULT_CSS = """
    LoadingScreen {
        align: center middle;
        & Static { width: auto; height: auto; }
        & LoadingIndicator { height: 1; }
    }
    """

    clock = staticmethod(time.monotonic)
    """Where the seconds come from (a test gives its own)."""

    class Loaded(Message):
        """The worker read the budget: here is its session."""

        def __init__(self, session: Session) -> None:
            super().__init__()
            self.session = session

    class Failed(Message):
        """The worker could not read the budget."""

        def __init__(self, error: BudgetFileError) -> None:
            super().__init__()
            self.error = error

    def __init__(self, path: Path) -> None:
        super().__init__()
        self.path = path
        """The folder (or file) to read."""
        self.started = self.clock()

    def compose(self) -> ComposeResult:
        # Nothing shows for a load under half a second: a flash of "Reading…" would only be noise.
        yield Static(Text(self.describe()), id="loading-message").set_styles("display: none;")
        yield LoadingIndicator().set_styles("display: none;")
        yield Static(Text(""), id="loading-elapsed").set_styles("display: none;")

    def describe(self) -> str:
        if self.path.is_dir():
            try:
                count = len(budget_files(self.path))
            except BudgetFileError:  # the load says what is wrong
                return one_line(_("Reading {path}…").format(path=self.path))
            said = ngettext("Reading {n} department file below {path}…", "Reading {n} department files below {path}…", count)
            return one_line(said.format(
                n=count, path=self.path))
        return one_line(_("Reading {path}…").format(path=self.path))

    def on_mount(self) -> None:
        self.timer = self.set_interval(0.25, self.tick)
        self.run_worker(self.load, thread=True)

    def tick(self) -> None:
        elapsed = self.clock() - self.started
        if elapsed < PROGRESS_AFTER:
            return
        for widget in self.children:
            widget.display = True
        self.query_one("#loading-elapsed", Static).update(Text(_("{seconds} s").format(seconds=f"{elapsed:.1f}")))

    def load(self) -> None:
        """In the worker thread: read the budget and post the outcome."""
        try:
            self.post_message(self.Loaded(Session.open(self.path)))
        except BudgetFileError as error:
            self.post_message(self.Failed(error))

    def on_loading_screen_loaded(self, message: Loaded) -> None:
        self.stop_animating()
        self.budget_app.open_session(message.session)

    @property
    def budget_app(self) -> BudgetApp:
        """The app, as the budget-tui app it is (the loading screen is only ever shown by it)."""
        return cast("BudgetApp", self.app)

    def stop_animating(self) -> None:
        """Stop the clock and the spinner: under the budget screen they would keep repainting the terminal."""
        self.timer.stop()
        self.query_one(LoadingIndicator).remove()

    def on_loading_screen_failed(self, message: Failed) -> None:
        self.stop_animating()
        self.budget_app.load_failed(message.error)
