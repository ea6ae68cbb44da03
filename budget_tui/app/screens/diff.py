"""The diff (D): what changed since the file was loaded and since the last save, each line old → new, and the
subtotals moved."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from budget_tui.app.screens.dialogs import DIALOG_CSS
from budget_tui.app.widgets.scrolling import PagedScroll
from budget_tui.core.safetext import clean_lines
from budget_tui.i18n import N_, _


class DiffScreen(ModalScreen[None]):
    """Both diffs as plain text, scrolled with the tree's keys (j/k, g/G, ctrl+d/ctrl+u, h/l a screen sideways); Esc,
    q or D closes."""

    DEFAULT_CSS = DIALOG_CSS.format(name="DiffScreen") + """
    DiffScreen > Vertical { width: auto; min-width: 50; max-width: 100%; max-height: 100%; }
    DiffScreen PagedScroll { height: auto; max-height: 100%; width: auto; max-width: 100%; }
    DiffScreen #diff { width: auto; }
    """
    BINDINGS = [Binding("escape,q,D", "dismiss", N_("Close the diff"), id="close-diff")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text
        """The diffs as plain text."""

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_subtitle = _("Esc close")  # on the border: a long diff fills the box and would push a line out of it
            with PagedScroll():
                yield Static(Text(clean_lines(self.text), no_wrap=True), id="diff")
