"""Inputs that appear over the tree: the amount editor on a line's amount cell and the search bar."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input

from budget_tui.i18n import N_, _


class AmountInput(Input):
    """An input over a line's amount: a number, a delta (+12.5, -3), a factor (*1.05), a percent of it (95%) or a
    percent change (+5%, -8%)."""

    DEFAULT_CSS = """
    AmountInput {
        display: none;
        overlay: screen;
        position: absolute;
        height: 1;
        border: none;
        padding: 0 0;
        background: $accent;
        color: $text;
        &:focus { border: none; }
    }
    """

    BINDINGS = [Binding("escape", "cancel", N_("Cancel edit"), id="cancel-edit")]

    class Cancelled(Message):
        """The user left the input with Esc: the amount stays as it was."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder="340, +5, *1.05, 95%, -8%", id=id, select_on_focus=True)
        self.cursor_blink = False

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled())


class SearchBar(Input):
    """The search input under the status line: a code prefix or part of a name."""

    DEFAULT_CSS = """
    SearchBar {
        display: none;
        height: 1;
        border: none;
        padding: 0 1;
        &:focus { border: none; }
    }
    """

    BINDINGS = [Binding("escape", "cancel", N_("Cancel search"), id="cancel-search")]

    class Cancelled(Message):
        """The user left the search with Esc."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(placeholder=_("/ code or name; filters: >N is:changed is:unreviewed"), id=id)
        self.cursor_blink = False

    def action_cancel(self) -> None:
        self.post_message(self.Cancelled())
