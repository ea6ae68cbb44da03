"""The status line: which file and department, the grand total, unsaved edits and (later) the problem count."""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from budget_tui.money import format_amount
from budget_tui.safetext import clean, truncate, width


class StatusLine(Widget):
    """One line under the tree, rebuilt from plain strings so file text never becomes markup."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        background: $panel;
        color: $foreground;
    }
    """

    file_name: reactive[str] = reactive("")
    """Name of the open file."""
    department: reactive[str] = reactive("")
    """The department the budget is for."""
    year: reactive[int] = reactive(0)
    """The budget year."""
    unit: reactive[str] = reactive("")
    """Unit of every amount, e.g. 万元."""
    grand_total: reactive[Decimal] = reactive(Decimal(0))
    """Total of every line, from the tree's root."""
    unsaved: reactive[bool] = reactive(False)
    """True when the lines differ from the file."""
    problems: reactive[int | None] = reactive(None)
    """Count of consistency problems; None until checks run in the app."""

    def render(self) -> Text:
        right = f" 合计 {format_amount(self.grand_total)} {clean(self.unit)} "
        if self.problems is not None:
            right = f" {self.problems} problem{'s' if self.problems != 1 else ''} │" + right
        marker = "● unsaved │ " if self.unsaved else ""
        left = f" {marker}{clean(self.file_name)} │ {clean(self.department)} │ {self.year}"
        room = max(self.size.width - width(right), 0)
        left = truncate(left, room)
        status = Text(left + " " * max(room - width(left), 0))
        status.append(right, style="bold")
        if self.unsaved:
            status.stylize("bold", 0, 1 + len(marker))
        return status
