"""Why a typed amount was refused, shown beside the amount editor (on the row under it, or above it on the last row):
the editor stays visible and nothing covers what was typed."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from budget_tui.core.safetext import one_line, truncate, width


class EditProblem(Static):
    """One line over the tree, right-aligned with the amount editor; hidden until an amount is refused."""

    DEFAULT_CSS = """
    EditProblem {
        display: none;
        overlay: screen;
        position: absolute;
        height: 1;
        padding: 0 1;
        background: $error;
        color: $text;
    }
    """

    def show_problem(self, problem: str, right: int, row: int, room: int) -> None:
        """Show one clean line ending at column right on the given row, at most room columns wide."""
        text = one_line(problem)
        shown = truncate(text, max(room - 2, 1))
        self.styles.width = width(shown) + 2
        self.styles.offset = (max(right - width(shown) - 2, 0), row)
        self.update(Text(shown))
        self.display = True

    def hide(self) -> None:
        self.display = False


__all__ = ["EditProblem"]
