"""The preview of a bulk adjustment (%): every line below the node old → new and the subtotal, applied on y."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, ScrollableContainer, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from budget_tui.app.screens.dialogs import DIALOG_CSS, plain
from budget_tui.core.safetext import clean_lines
from budget_tui.i18n import N_, _


class AdjustScreen(ModalScreen[bool]):
    """The preview and a choice: apply as one undo step (y or Enter) or cancel (n or Esc)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="AdjustScreen") + """
    AdjustScreen > Vertical { width: auto; min-width: 50; max-width: 100%; max-height: 100%; }
    AdjustScreen ScrollableContainer { height: auto; max-height: 20; width: auto; margin: 1 0; }
    AdjustScreen #preview { width: auto; }
    """
    BINDINGS = [
        Binding("y,enter", "answer(True)", N_("Apply"), id="adjust-apply"),
        Binding("n,escape", "answer(False)", N_("Cancel"), id="adjust-cancel"),
    ]

    def __init__(self, title: str, preview: str) -> None:
        super().__init__()
        self.title_text = title
        """What is scaled and how, plain text."""
        self.preview = preview
        """One row per line old → new, then the subtotal, plain text."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.title_text))
            with ScrollableContainer():
                yield Static(Text(clean_lines(self.preview), no_wrap=True), id="preview")
            with Horizontal():
                yield Button(_("Apply (y)"), id="apply", variant="primary", compact=True)
                yield Button(_("Cancel (n)"), id="cancel", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "apply")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
