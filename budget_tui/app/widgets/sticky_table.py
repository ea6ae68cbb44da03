"""A table printed as text whose heading (title block, column headings and their rule) stays on screen while the
rows scroll up and down; sideways, heading and rows move together, a screen at a time (budget_tui.app.widgets.scrolling).
"""

from __future__ import annotations

from rich.segment import Segment
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from budget_tui.app.widgets.scrolling import PagedScroll
from budget_tui.core.safetext import width


class StickyTable(ScrollView, PagedScroll):
    """Lines of text: the first `heading` lines stay at the top, the rest scroll below them."""

    DEFAULT_CSS = """
    StickyTable { height: 1fr; width: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.heading: list[str] = []
        """The lines that stay at the top."""
        self.body: list[str] = []
        """The lines that scroll under them."""

    def show(self, heading: list[str], body: list[str]) -> None:
        """Show new lines from the top left (the text must be clean: budget_tui.core.safetext)."""
        self.heading, self.body = heading, body
        columns = max((width(line) for line in heading + body), default=0)
        self.virtual_size = Size(columns, len(heading) + len(body))
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    @property
    def page_height(self) -> int:
        """The rows the body scrolls in: the rows shown less the heading."""
        return max(1, self.scrollable_content_region.height - len(self.heading))

    def render_line(self, y: int) -> Strip:
        scroll_x, scroll_y = self.scroll_offset
        if y < len(self.heading):
            text = self.heading[y]
        else:
            row = scroll_y + y - len(self.heading)
            text = self.body[row] if 0 <= row < len(self.body) else ""
        shown = self.scrollable_content_region.width
        return Strip([Segment(text, self.rich_style)]).crop(scroll_x, scroll_x + shown).extend_cell_length(shown, self.rich_style)
