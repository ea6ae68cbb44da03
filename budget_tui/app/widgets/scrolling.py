"""Keys that scroll a view (the help, the tables, the diff) as they move in the tree: j/k a line, g/G top and bottom,
ctrl+d/ctrl+u half a screen, PgDn/PgUp a screen, and h/l (or the arrows) a whole screen sideways, never a column.

The motions the tree has too keep the tree's binding ids (cursor-down, top, page-down, ...): a keys.toml entry that
remaps one moves the views as well. Every jump is immediate (no animation): over SSH a scroll is one redraw.
"""

from __future__ import annotations

from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer

from budget_tui.i18n import N_

SCROLL_BINDINGS: list[BindingType] = [
    Binding("down,j", "scroll_lines(1)", N_("Down"), id="cursor-down", show=False),
    Binding("up,k", "scroll_lines(-1)", N_("Up"), id="cursor-up", show=False),
    Binding("g,home", "scroll_top", N_("Top"), id="top", show=False),
    Binding("G,end", "scroll_bottom", N_("Bottom"), id="bottom", show=False),
    Binding("ctrl+d", "scroll_pages(0.5)", N_("Half a screen down"), id="half-page-down", show=False),
    Binding("ctrl+u", "scroll_pages(-0.5)", N_("Half a screen up"), id="half-page-up", show=False),
    Binding("pageup", "scroll_pages(-1)", N_("Page up"), id="page-up", show=False),
    Binding("pagedown", "scroll_pages(1)", N_("Page down"), id="page-down", show=False),
    Binding("right,l", "scroll_across(1)", N_("A screen right"), id="screen-right", show=False),
    Binding("left,h", "scroll_across(-1)", N_("A screen left"), id="screen-left", show=False),
]
"""The scrolling keys of every view, in the order the help and the README list them."""


class PagedScroll(ScrollableContainer, can_focus=True, inherit_bindings=False):
    """A scrolling container with the tree's motions (SCROLL_BINDINGS) instead of Textual's own scroll keys."""

    BINDINGS = SCROLL_BINDINGS

    @property
    def page_height(self) -> int:
        """Rows a screen of scrolling moves: the rows shown (a subclass leaves out what does not scroll)."""
        return max(1, self.scrollable_content_region.height)

    @property
    def page_width(self) -> int:
        """Columns a screen of sideways scrolling moves: the columns shown."""
        return max(1, self.scrollable_content_region.width)

    def action_scroll_lines(self, lines: int) -> None:
        self.scroll_to(y=self.scroll_y + lines, animate=False)

    def action_scroll_pages(self, pages: float) -> None:
        step = max(1, int(self.page_height * abs(pages)))
        self.scroll_to(y=self.scroll_y + (step if pages > 0 else -step), animate=False)

    def action_scroll_top(self) -> None:
        self.scroll_to(y=0, animate=False)

    def action_scroll_bottom(self) -> None:
        self.scroll_to(y=self.max_scroll_y, animate=False)

    def action_scroll_across(self, screens: int) -> None:
        self.scroll_to(x=self.scroll_x + screens * self.page_width, animate=False)
