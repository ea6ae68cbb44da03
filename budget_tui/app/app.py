"""The Textual application: global keys (help, quit), the user's keymap and settings fit for SSH."""

from __future__ import annotations

import os

from textual.app import App
from textual.binding import Binding

from budget_tui.app.keys import config_path, load_keymap
from budget_tui.app.screens.budget import BudgetScreen
from budget_tui.app.screens.dialogs import ConfirmScreen
from budget_tui.app.screens.help import HelpScreen, help_rows
from budget_tui.app.session import Session
from budget_tui.app.widgets.budget_tree import BudgetTree
from budget_tui.app.widgets.inputs import AmountInput, SearchBar

REMAPPABLE = (BudgetTree, BudgetScreen, AmountInput, SearchBar)
"""Classes whose bindings a user may remap, besides the app's own."""


class BudgetApp(App[int]):
    """Browse and edit one budget file."""

    TITLE = "budget-tui"
    ENABLE_COMMAND_PALETTE = False
    """The footer's room at 80 columns goes to the budget's own keys."""
    BINDINGS = [
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
    ]

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        """The open budget file."""
        if "TEXTUAL_ANIMATIONS" not in os.environ:
            self.animation_level = "none"  # redraws cost over SSH; TEXTUAL_ANIMATIONS=full brings them back

    def get_default_screen(self) -> BudgetScreen:
        return BudgetScreen(self.session)

    def on_mount(self) -> None:
        keymap, problems = load_keymap(config_path(), binding_ids())
        if keymap:
            self.set_keymap(keymap)
        for problem in problems:
            self.notify(problem, severity="warning", markup=False, timeout=10)

    def action_help(self) -> None:
        """Show every live binding, taken from the bindings themselves."""
        if isinstance(self.screen, HelpScreen):
            return
        rows = help_rows(self.screen.active_bindings, self.get_key_display)
        self.push_screen(HelpScreen(rows, str(config_path())))

    async def action_quit(self) -> None:
        """Quit, asking first when there are unsaved edits."""
        if not self.session.dirty:
            self.exit(0)
            return
        count = len(self.session.editor.changes())
        question = f"{count} unsaved change{'s' if count != 1 else ''}. Quit without saving?"

        def answer(confirmed: bool | None) -> None:
            if confirmed:
                self.exit(0)

        self.push_screen(ConfirmScreen(question, yes="Quit", no="Stay"), answer)


def binding_ids() -> set[str]:
    """Every binding id a keys.toml may remap."""
    return {binding.id for cls in (BudgetApp, *REMAPPABLE) for binding in cls.BINDINGS if binding.id}
