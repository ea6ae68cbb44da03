"""The tables view: one of the nine disclosure tables as `budget-tui print --table N` prints it, rebuilt from the budget
as it is each time it is shown; `p` writes it as plain text to a file."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer
from textual.screen import Screen
from textual.widgets import Footer, Static

from budget_tui.app.screens.dialogs import ConfirmScreen, FormScreen
from budget_tui.core.safetext import one_line
from budget_tui.core.tables import TABLE_NUMBERS, Table, build_table
from budget_tui.files.atomic import write_atomic
from budget_tui.i18n import N_, _
from budget_tui.session import Session
from budget_tui.text.printing import render_table

N_("Table {n}")  # the template of the keys 1-9's descriptions (keys.translated)


class TablesScreen(Screen):
    """One disclosure table at a time, scrollable both ways; 1–9 picks the table, p prints it, Esc goes back."""

    DEFAULT_CSS = """
    TablesScreen #table-scroll { height: 1fr; }
    TablesScreen #table { width: auto; padding: 0 1; }
    TablesScreen #table-title { height: 1; background: $panel; padding: 0 1; }
    """
    BINDINGS = [
        *(Binding(str(n), f"show_table({n})", f"Table {n}", id=f"table-{n}", show=False) for n in TABLE_NUMBERS),
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

    def compose(self) -> ComposeResult:
        yield Static(id="table-title")
        with ScrollableContainer(id="table-scroll"):
            yield Static(id="table")
        yield Footer()

    def on_screen_resume(self) -> None:
        self.show_table(self.number)

    def show_table(self, number: int) -> None:
        """Build table number from the budget as it is now and show it from the top."""
        self.number = number
        self.text = render_table(self.version_table())
        self.query_one("#table", Static).update(Text(self.text, no_wrap=True))
        title = _("Table {n} of {count} · 1–9 another table · p print to a file · Esc back to the tree").format(
            n=number, count=len(TABLE_NUMBERS))
        if self.session.against is not None:
            version = _("Other version {label}").format(label=self.session.against.label) if self.other else _("This version")
            title = _("{version} · o the other · {title}").format(version=one_line(version), title=title)
        self.query_one("#table-title", Static).update(Text(title))
        self.query_one("#table-scroll", ScrollableContainer).scroll_home(animate=False)

    def action_show_table(self, number: int) -> None:
        self.show_table(number)

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
