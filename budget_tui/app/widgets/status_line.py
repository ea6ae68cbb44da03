"""The status line: which file (or folder and its departments), the view, the grand total, unsaved edits or
read-only, and the problem count.

It keeps one blank cell at its right edge: a terminal may drop the last cell of a line after wide (CJK) characters.
"""

from __future__ import annotations

from decimal import Decimal

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from budget_tui.core.money import format_amount
from budget_tui.core.safetext import clean, truncate, width
from budget_tui.i18n import _, ngettext


class StatusLine(Widget):
    """One line under the tree, rebuilt from plain strings so file text never becomes markup."""

    DEFAULT_CSS = """
    StatusLine {
        height: 1;
        padding-right: 1;
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
    read_only: reactive[bool] = reactive(False)
    """True when another budget-tui holds the file and this one only shows it."""
    errors: reactive[int] = reactive(0)
    """Count of consistency errors (wrong tables or figures)."""
    warnings: reactive[int] = reactive(0)
    """Count of consistency warnings (missing facts, suspicious texts)."""
    checking: reactive[bool] = reactive(False)
    """True while the consistency checks of a large budget run in the background after a change."""
    mode: reactive[str] = reactive("")
    """What the tree shows besides the default, e.g. `economic · by amount` (empty for the functional tree by code)."""
    problems_key: reactive[str] = reactive("")
    note: reactive[str] = reactive("")
    """Shown instead of the file and department while set: the edit box's preview (`100.00 → 95.00`), `match 2 of 7`."""
    """The key that opens the problems panel, shown beside the count (the footer has no room for it at 80 columns)."""

    def render(self) -> Text:
        hint = f" ({self.problems_key})" if self.problems_key and (self.errors or self.warnings) else ""
        count = _("checking…") if self.checking else problem_count(self.errors, self.warnings)
        right = f" {count}{hint} │ 合计 {format_amount(self.grand_total)} {clean(self.unit)} "
        marker = _("● unsaved") + " │ " if self.unsaved else _("read-only") + " │ " if self.read_only else ""
        mode = f"{self.mode} │ " if self.mode else ""
        left = f" {marker}{mode}{clean(self.file_name)} │ {clean(self.department)} │ {self.year}"
        left = f" {marker}{clean(self.note)}" if self.note else left
        room = max(self.size.width - width(right), 0)
        left = truncate(left, room)
        status = Text(left + " " * max(room - width(left), 0))
        status.append(right, style="bold")
        if marker:
            status.stylize("bold", 0, 1 + len(marker))
        return status


def problem_count(errors: int, warnings: int) -> str:
    """`2 errors, 1 warning`, one part left out when zero, `no problems` when both are."""
    parts = [
        ngettext("{n} error", "{n} errors", errors).format(n=errors) if errors else "",
        ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings) if warnings else "",
    ]
    return _(", ").join(part for part in parts if part) or _("no problems")
