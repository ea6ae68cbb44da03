"""The Textual application: global keys (help, quit), the user's keymap and settings fit for SSH."""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.notifications import Notification, SeverityLevel

from budget_tui.app.keys import Bound, binding_defaults, config_path, load_keymap, translate_bindings
from budget_tui.app.screens.budget import BudgetScreen
from budget_tui.app.screens.budget.versions import VersionOptions
from budget_tui.app.screens.dialogs import QuitScreen
from budget_tui.app.screens.help import HelpScreen, help_rows
from budget_tui.app.screens.loading import LoadingScreen
from budget_tui.app.widgets.budget_tree import BudgetTree
from budget_tui.app.widgets.inputs import AmountInput, SearchBar
from budget_tui.app.widgets.problems_panel import ProblemsPanel
from budget_tui.core.safetext import clean, clean_lines, one_line
from budget_tui.files.fileformat import BudgetFileError
from budget_tui.files.review import ReviewFileError
from budget_tui.i18n import N_, _, ngettext
from budget_tui.session import Session

REMAPPABLE = (BudgetTree, BudgetScreen, AmountInput, SearchBar, ProblemsPanel)
"""Classes whose bindings a user may remap, besides the app's own."""
SHOWN_KEPT = 500
"""How many of the latest messages BudgetApp.shown keeps."""


class BudgetApp(App[int]):
    """Browse and edit one budget file, or a folder of them read behind a loading screen."""

    TITLE = "budget-tui"
    ENABLE_COMMAND_PALETTE = False
    """The footer's room at 80 columns goes to the budget's own keys."""
    BINDINGS = [
        Binding("question_mark", "help", N_("Help"), id="help"),
        Binding("q", "quit", N_("Quit"), id="quit"),
        Binding("ctrl+z", "suspend_process", N_("Suspend to the shell (fg resumes)"), id="suspend", show=False),
    ]

    def __init__(self, session: Session | None, force: bool = False, path: Path | None = None) -> None:
        translate_bindings()  # before any widget copies its class's bindings: the footer and help in the language in use
        super().__init__()
        self.session = session
        """The open budget file (None while the budget at path is being read)."""
        self.path = path
        """What to read behind the loading screen when no session is given."""
        self.load_error: BudgetFileError | None = None
        """Why the budget at path could not be read (the app then exits and run_app raises it)."""
        self.force = force
        """Edit even when another budget-tui holds the file's lock (budget-tui PATH --force)."""
        self.versions = VersionOptions()
        """Another version to compare with and following the file on disk (budget-tui PATH --against OLD --watch)."""
        self.keymap, self.keymap_problems = load_keymap(config_path(), binding_table())
        """The user's keys by binding id (keys.toml), and why entries of it were ignored."""
        self.shown: list[Notification] = []
        """The latest messages shown (SHOWN_KEPT of them), oldest first, as shown: also those gone from the screen."""
        self.latest: tuple[str, str, SeverityLevel, float | None] | None = None
        """The message to show as the toast once this turn of the event loop is over (those before it are replaced)."""
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            self.animation_level = "none"  # redraws cost over SSH; TEXTUAL_ANIMATIONS=full brings them back

    def repaint_all(self, _app: object = None) -> None:
        """After `fg` the terminal shows the shell's lines: draw every cell again, not only what changed."""
        self.screen.refresh(repaint=True, layout=True)
        for widget in self.screen.walk_children():
            widget.refresh()

    def get_default_screen(self) -> BudgetScreen | LoadingScreen:
        if self.session is not None:
            return BudgetScreen(self.session, self.force)
        assert self.path is not None  # run_app gives a session or a path to read
        return LoadingScreen(self.path)

    def open_session(self, session: Session) -> None:
        """The budget was read in the background: show it (over the loading screen, which stays at the bottom)."""
        self.session = session
        self.push_screen(BudgetScreen(session, self.force))

    def load_failed(self, error: BudgetFileError) -> None:
        self.load_error = error
        self.exit(2)

    def on_mount(self) -> None:
        self.app_resume_signal.subscribe(self, self.repaint_all)
        if self.keymap:
            self.set_keymap(self.keymap)
        for problem in self.keymap_problems:
            self.notify(one_line(problem), severity="warning", markup=False, timeout=10)

    def notify(self, message: str, *, title: str = "", severity: SeverityLevel = "information", timeout: float | None = None,
               markup: bool = True) -> None:
        """Every notification is plain text, never markup, and shows no control or escape character: messages quote
        file names, keys and names from files (a message meant as one line is made so where it is built).

        Each is also kept in `shown`, so what the app said can be read back after its toast is gone. One toast is on
        screen at a time (the latest), and the main screen keeps it off the status line and the row being edited.
        """
        message, title = clean_lines(message), clean_lines(title)
        self.remember(message, title=title, severity=severity, timeout=timeout)
        if self.latest is None:
            self.call_later(self.show_latest)
        self.latest = (message, title, severity, timeout)

    def show_latest(self) -> None:
        """One toast at a time: the latest message replaces the one on screen, so a burst never stacks over the tree."""
        if self.latest is None:
            return
        message, title, severity, timeout = self.latest
        self.latest = None
        self.clear_notifications()
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)

    def remember(self, message: str, *, title: str = "", severity: SeverityLevel = "information", timeout: float | None = None) -> None:
        """Keep a message in `shown` without a toast: one shown elsewhere (beside the amount editor), still read back."""
        kept = Notification(clean_lines(message), clean_lines(title), severity,
                            self.NOTIFICATION_TIMEOUT if timeout is None else timeout, markup=False)
        self.shown.append(kept)
        del self.shown[:-SHOWN_KEPT]

    @property
    def shown_messages(self) -> list[str]:
        """The texts of the latest messages shown, oldest first."""
        return [notification.message for notification in self.shown]

    def get_key_display(self, binding: Binding) -> str:
        """A key as the footer and the help show it: keys.toml may name any text, only a clean one is shown."""
        return clean(super().get_key_display(binding))

    def key_display(self, binding: Binding) -> str:
        """The first key of a binding as the footer shows it, remapped by keys.toml or not."""
        keys = self.keymap.get(binding.id, binding.key) if binding.id else binding.key
        return self.get_key_display(replace(binding, key=keys.split(",")[0]))

    def action_help(self) -> None:
        """Show every live binding, taken from the bindings themselves."""
        if isinstance(self.screen, HelpScreen):
            return
        rows = help_rows(self.screen.active_bindings, self.get_key_display)
        self.push_screen(HelpScreen(rows, str(config_path())))

    def on_unmount(self) -> None:
        """Let go of the edit lock however the app ends (a killed process loses it to the kernel)."""
        if self.session is not None:
            self.session.close()

    async def action_quit(self) -> None:
        """Quit, asking first when there are unsaved edits; the journal goes with edits saved or given up.

        Review marks and comments are saved first; if they cannot be, the app stays open and says why.
        """
        if self.session is None:
            self.exit(0)
            return
        try:
            self.session.save_review()
        except (OSError, ReviewFileError) as error:
            self.notify(one_line(_("Review marks not saved: {error}; quitting would lose them.").format(
                error=error)), severity="error", markup=False)
            return
        if not self.session.dirty:
            self.quit_dropping_journal()
            return
        count = len(self.session.editor.changes())
        question = ngettext("{n} unsaved change. Quit without saving?", "{n} unsaved changes. Quit without saving?", count).format(n=count)

        def answer(choice: str | None) -> None:
            if choice == "quit":
                self.quit_dropping_journal()
            elif choice == "save":
                self.call_next(self.save_and_quit)

        self.push_screen(QuitScreen(question), answer)

    async def save_and_quit(self) -> None:
        """Save as ctrl+s does, then quit; when the save is refused or fails, its dialog shows and the app stays."""
        screen = next((screen for screen in reversed(self.screen_stack) if isinstance(screen, BudgetScreen)), None)
        if screen is None or self.session is None:
            return
        await screen.action_save()
        if not self.session.dirty:
            self.quit_dropping_journal()

    def quit_dropping_journal(self) -> None:
        if self.session is not None:
            self.session.discard_journal()
        self.exit(0)


def binding_ids() -> set[str]:
    """Every binding id a keys.toml may remap."""
    return {binding.id for cls in (BudgetApp, *REMAPPABLE) for binding in cls.BINDINGS if isinstance(binding, Binding) and binding.id}


def binding_table() -> dict[str, Bound]:
    """Every binding a keys.toml may remap, with its default keys and where it is live (a key file may not take a key
    from another binding live at the same time)."""
    return binding_defaults((BudgetApp, BudgetScreen), tuple(cls for cls in REMAPPABLE if cls is not BudgetScreen))
