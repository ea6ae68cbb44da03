"""The tables view: one of the nine disclosure tables as `budget-tui print --table N` prints it, rebuilt from the budget
as it is each time it is shown; its heading stays on screen while the rows scroll, `c` drops the empty columns (as
`print --compact`), `w` fits the table to the screen's width (as `print --width`), and `p` writes it as plain text to
a file as it is shown."""

from __future__ import annotations

import re
from pathlib import Path

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Static

from budget_tui.app.screens.dialogs import ConfirmScreen, FormScreen
from budget_tui.app.widgets.sticky_table import StickyTable
from budget_tui.core.safetext import one_line
from budget_tui.core.tables import TABLE_NUMBERS, Table, build_table
from budget_tui.files.atomic import write_atomic
from budget_tui.i18n import N_, _
from budget_tui.session import Session
from budget_tui.text.printing import render_table

N_("Table {n}")  # the template of the keys 1-9's descriptions (keys.translated)

RULE = re.compile(r"-+(?:  -+)*")
"""The rule under the column headings of the printed table: a run of dashes per column."""
TITLE_LINES = 2
"""The title block has at least two lines (表N and its title; 编制部门 and 单位), above the column headings."""


def heading_lines(text: str, table: Table) -> int:
    """How many lines of a printed table are its heading: the title block, the column headings and the rule under
    them (the first line after the title block that is a run of dashes for each column); the title block alone when
    there is no such rule."""
    lines = text.splitlines()
    for index in range(TITLE_LINES, len(lines)):
        if RULE.fullmatch(lines[index].rstrip()) and len(lines[index].split()) == len(table.columns):
            return index + 1
    return TITLE_LINES


class TablesScreen(Screen):
    """One disclosure table at a time, scrollable both ways under its heading; 1–9 picks the table, c compacts it,
    w fits it to the screen, p prints it, Esc goes back."""

    DEFAULT_CSS = """
    TablesScreen #table { height: 1fr; padding: 0 1; }
    TablesScreen #table-title { height: 1; background: $panel; padding: 0 1; }
    """
    BINDINGS = [
        *(Binding(str(n), f"show_table({n})", f"Table {n}", id=f"table-{n}", show=False) for n in TABLE_NUMBERS),
        Binding("c", "toggle_compact", N_("Compact"), id="compact-table"),
        Binding("w", "toggle_fit", N_("Fit width"), id="fit-table"),
        Binding("p", "print_table", N_("Print to file"), id="print-table"),
        Binding("Y", "copy_table", N_("To the clipboard"), id="copy-table"),
        Binding("o", "other_version", N_("This / the other version"), id="other-version", show=False),
        Binding("escape,t", "close", N_("Back to the tree"), id="close-tables"),
    ]

    def __init__(self, session: Session, number: int = 1) -> None:
        super().__init__()
        self.session = session
        """The open budget the tables are built from."""
        self.number = number
        """The table shown (1–9)."""
        self.text = ""
        """The table as plain text, as shown and as `p` writes it."""
        self.other = False
        """True while the table shown is the other version's (budget-tui NEW --against OLD), not this one's."""
        self.compact = False
        """Columns empty in every row are left out (`print --compact`)."""
        self.fit = False
        """Long names wrap so that the table fits the screen's width (`print --width`), where it can."""

    def compose(self) -> ComposeResult:
        yield Static(id="table-title")
        yield StickyTable(id="table")
        yield Footer()

    def on_screen_resume(self) -> None:
        self.show_table(self.number)
        self.query_one(StickyTable).focus()

    def on_resize(self, event: events.Resize) -> None:
        if self.fit:
            self.call_after_refresh(self.show_table, self.number)

    def show_table(self, number: int) -> None:
        """Build table number from the budget as it is now and show it from the top."""
        self.number = number
        view = self.query_one(StickyTable)
        table = self.version_table()
        fit_width = max(1, view.scrollable_content_region.width) if self.fit else None
        self.text = render_table(table, max_width=fit_width, compact=self.compact)
        shown = table.compact() if self.compact else table
        lines = self.text.splitlines()
        heading = heading_lines(self.text, shown)
        view.show(lines[:heading], lines[heading:])
        title = _("Table {n} of {count} · 1–9 another table · p print to a file · Esc back to the tree").format(
            n=number, count=len(TABLE_NUMBERS))
        if self.session.against is not None:
            version = _("Other version {label}").format(label=self.session.against.label) if self.other else _("This version")
            title = _("{version} · o the other · {title}").format(version=one_line(version), title=title)
        modes = [_("compact") if self.compact else "", _("fit to width") if self.fit else ""]
        self.query_one("#table-title", Static).update(Text(" · ".join([title, *filter(None, modes)])))

    def action_show_table(self, number: int) -> None:
        self.show_table(number)

    def action_toggle_compact(self) -> None:
        self.compact = not self.compact
        self.show_table(self.number)

    def action_toggle_fit(self) -> None:
        self.fit = not self.fit
        self.show_table(self.number)

    def action_close(self) -> None:
        self.app.pop_screen()

    def default_file(self) -> Path:
        """`NAME-table6.txt` beside the budget file (or the folder)."""
        path = self.session.path
        return path.parent / f"{path.stem if path.is_file() else path.name}-table{self.number}.txt"

    def action_print_table(self) -> None:
        """Ask for a file name (default beside the budget) and write the table there, asking before replacing a file."""
        text, base = self.text, self.session.path.parent

        def check(values: list[str]) -> str | None:
            return None if values[0].strip() else _("Type a file name.")

        def chosen(values: list[str] | None) -> None:
            if values is None:
                return
            target = Path(values[0].strip()).expanduser()
            target = target if target.is_absolute() else base / target
            if target.exists():
                question = _("{path} exists. Replace it with table {n}?").format(path=target, n=self.number)

                def replace(yes: bool | None) -> None:
                    if yes:
                        self.write(target, text)

                self.app.push_screen(ConfirmScreen(question, yes=_("Replace"), no=_("Keep")), replace)
            else:
                self.write(target, text)

        title = _("Write table {n} as plain text to:").format(n=self.number)
        self.app.push_screen(FormScreen(title, [(_("File"), str(self.default_file()))], check), chosen)

    def write(self, target: Path, text: str) -> None:
        try:
            write_atomic(target, text.encode("utf-8"))
        except OSError as error:
            self.notify(one_line(_("Not written: {path}: {reason}").format(
                path=target, reason=error.strerror or error)), severity="error", markup=False)
            return
        self.notify(one_line(_("Wrote table {n} to {path}").format(n=self.number, path=target)), markup=False)

    def action_copy_table(self) -> None:
        """Copy the table shown as tab-separated text (print --format tsv) to the clipboard, through the terminal."""
        table = self.version_table()
        self.app.copy_to_clipboard(render_table(table, "tsv"))
        rows = len(table.rows)
        self.notify(one_line(_("Copied table {number} ({rows} rows, tab-separated) to the clipboard.").format(
            number=self.number, rows=rows)), markup=False)

    def version_table(self) -> Table:
        """The table shown: this version's, or the other version's while `o` shows it."""
        other = self.session.against if self.other else None
        return self.session.table(self.number) if other is None else build_table(other.budget, self.number)

    def action_other_version(self) -> None:
        """Show the other version's table (budget-tui NEW --against OLD, or O in the tree), or this one's again."""
        if self.session.against is None:
            self.notify(_("No other version: open with --against OLD, or press O in the tree."), severity="warning", markup=False)
            return
        self.other = not self.other
        self.show_table(self.number)
