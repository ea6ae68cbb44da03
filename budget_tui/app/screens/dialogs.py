"""Small modal dialogs: confirm, quit with unsaved edits, choose after a refused or failed save (and which edits cannot
be re-applied to a file changed on disk), a file locked by another session, unsaved
edits to recover, a crash journal that cannot be read, and the forms for a new line, a new code or a file name.

Every text shown is a rich Text built from one clean line (plain): names from the file never become markup, and
no control or escape character in them reaches the terminal.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from budget_tui.core.safetext import one_line
from budget_tui.i18n import N_, _

DIALOG_CSS = """
{name} {{
    align: center middle;
    & > Vertical {{
        width: 70;
        max-width: 100%;
        height: auto;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }}
    & Horizontal {{ height: auto; align-horizontal: right; }}
    & Button {{ min-width: 10; height: 1; border: none; margin-left: 1; }}
    & Input, & Input:focus {{ border: none; height: 1; margin-bottom: 1; padding: 0 1; background: $boost; }}
    & Input:focus {{ background: $primary 30%; }}
    & .problem {{ color: $error; height: auto; }}
}}
"""


def plain(text: str) -> Text:
    """Text shown as itself: one clean line, never markup."""
    return Text(one_line(text))


class ConfirmScreen(ModalScreen[bool]):
    """Ask a yes/no question; y or Enter on Yes confirms, n or Esc declines."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ConfirmScreen")
    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes"), id="confirm-yes"),
        Binding("n,escape", "answer(False)", N_("No"), id="confirm-no"),
    ]

    def __init__(self, question: str, yes: str = N_("Yes"), no: str = N_("No")) -> None:
        super().__init__()
        self.question = question
        """The question, plain text."""
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.question))
            with Horizontal():
                yield Button(f"{_(self.yes)} (y)", id="yes", variant="error", compact=True)
                yield Button(f"{_(self.no)} (n)", id="no", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)


class ChoiceScreen(ModalScreen[str | None]):
    """A dialog answered by a button or its key: dismissed with the button's id (None for `cancel`)."""

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "cancel" else event.button.id)

    def action_choose(self, choice: str | None) -> None:
        self.dismiss(choice)


class QuitScreen(ChoiceScreen):
    """Unsaved edits at quit: save and quit, quit without saving, or stay (the default)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="QuitScreen")
    BINDINGS = [
        Binding("s", "choose('save')", "Save and quit", id="quit-save"),
        Binding("y", "choose('quit')", "Quit without saving", id="quit-discard"),
        Binding("n,escape", "choose(None)", "Stay", id="quit-stay"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question
        """How many edits are unsaved, plain text."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.question))
            with Horizontal():
                yield Button(_("Save and quit (s)"), id="save", variant="primary", compact=True)
                yield Button(_("Quit without saving (y)"), id="quit", variant="error", compact=True)
                yield Button(_("Stay (n)"), id="cancel", compact=True)


class ChangedOnDiskScreen(ChoiceScreen):
    """A save was refused because the file changed on disk: re-apply your edits to it, reload it, save under another
    name, or go back."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ChangedOnDiskScreen")
    BINDINGS = [
        Binding("a", "choose('reapply')", N_("Re-apply my edits to the file on disk"), id="disk-reapply"),
        Binding("r", "choose('reload')", N_("Reload"), id="disk-reload"),
        Binding("s", "choose('save-as')", N_("Save as"), id="disk-save-as"),
        Binding("escape", "choose(None)", N_("Cancel"), id="disk-cancel"),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message
        """Why the save was refused, plain text."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.message))
            yield Static(Text(_(
                "Re-apply puts your edits into the file as it is now where it left their lines alone, and lists those it "
                "changed; Reload drops your edits; Save as keeps the file on disk and writes yours beside it."
            )))
            with Horizontal():
                yield Button(_("Re-apply (a)"), id="reapply", variant="primary", compact=True)
                yield Button(_("Reload (r)"), id="reload", variant="warning", compact=True)
                yield Button(_("Save as… (s)"), id="save-as", compact=True)
                yield Button(_("Cancel (esc)"), id="cancel", compact=True)


class ReapplyScreen(ChoiceScreen):
    """Some of your edits conflict with changes on disk: apply the others and save (the conflicting ones are left out,
    listed), or go back with every edit kept."""

    DEFAULT_CSS = DIALOG_CSS.format(name="ReapplyScreen") + """
    ReapplyScreen VerticalScroll { height: auto; max-height: 10; margin: 1 0; }
    """
    BINDINGS = [
        Binding("a", "choose('apply')", "Apply the others and save", id="reapply-apply"),
        Binding("escape", "choose(None)", "Cancel", id="reapply-cancel"),
    ]

    def __init__(self, title: str, conflicts: list[str]) -> None:
        super().__init__()
        self.title_text = title
        """What applies and what does not, plain text."""
        self.conflicts = conflicts
        """One line per conflicting edit, plain text."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.title_text))
            with VerticalScroll():
                yield Static(Text("\n".join(f"✗ {one_line(conflict)}" for conflict in self.conflicts)), classes="problem")
            with Horizontal():
                yield Button(_("Apply the others and save (a)"), id="apply", variant="warning", compact=True)
                yield Button(_("Cancel (esc)"), id="cancel", compact=True)


class SaveFailedScreen(ChoiceScreen):
    """A save failed (read-only folder or file, full disk): save the edits somewhere else, or go back and keep them."""

    DEFAULT_CSS = DIALOG_CSS.format(name="SaveFailedScreen")
    BINDINGS = [
        Binding("s", "choose('save-as')", N_("Save as"), id="failed-save-as"),
        Binding("escape", "choose(None)", N_("Cancel"), id="failed-cancel"),
    ]

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message
        """Why the save failed, plain text."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.message))
            yield Static(Text(_("Your edits are still here. Save as writes them to a place you can write; Cancel keeps them unsaved.")))
            with Horizontal():
                yield Button(_("Save as… (s)"), id="save-as", variant="primary", compact=True)
                yield Button(_("Cancel (esc)"), id="cancel", compact=True)


class FormScreen(ModalScreen[list[str] | None]):
    """A title and one input per field; Enter goes to the next empty field, or submits when none is left after the
    focused one (a prefilled field, such as the fund, needs no Enter of its own); Tab moves between fields; Esc
    cancels."""

    DEFAULT_CSS = DIALOG_CSS.format(name="FormScreen")
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="form-cancel")]

    def __init__(self, title: str, fields: list[tuple[str, str]], submit=None) -> None:
        super().__init__()
        self.title_text = title
        """What the form is for, plain text."""
        self.fields = fields
        """(label, initial value) of each input."""
        self.submit = submit
        """Called with the values; returns a message to show when they are refused, or None to close."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.title_text))
            for index, (label, value) in enumerate(self.fields):
                yield Label(plain(label))
                field = Input(one_line(value), id=f"field-{index}")
                field.cursor_blink = False
                yield field
            yield Static(Text(""), classes="problem")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        index = inputs.index(event.input)
        empty = next((field for field in inputs[index + 1 :] if not field.value.strip()), None)
        if empty is not None:  # Enter goes on to the next empty field; with none left after it, it submits
            empty.focus()
            return
        values = [field.value for field in inputs]
        problem = self.submit(values) if self.submit is not None else None
        if problem:
            self.query_one(".problem", Static).update(plain(problem))
        else:
            self.dismiss(values)

    def action_cancel(self) -> None:
        self.dismiss(None)


class MessageChoiceScreen(ChoiceScreen):
    """A message from the file system (one clean line), what the choices mean, and a button for each choice."""

    EXPLANATION = ""
    """What the choices mean, plain text."""
    CHOICES: tuple[tuple[str, str, str], ...] = ()
    """(button id, label with its key, variant) for each button, in order."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.message = message
        """What happened (a holder, a journal that cannot be read), plain text."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.message))
            yield Static(Text(_(self.EXPLANATION)))
            with Horizontal():
                for button_id, label, variant in self.CHOICES:
                    yield Button(_(label), id=button_id, variant=variant, compact=True)  # type: ignore[arg-type]


class AddChoiceScreen(ChoiceScreen):
    """`a` on a 款: add a new 项 (a 基本支出 line under a new 7-digit code) or a new project."""

    DEFAULT_CSS = DIALOG_CSS.format(name="AddChoiceScreen")
    BINDINGS = [
        Binding("i", "choose('item')", N_("A new 项"), id="add-item"),
        Binding("p", "choose('project')", N_("A new project"), id="add-project"),
        Binding("escape", "choose(None)", N_("Cancel"), id="add-cancel"),
    ]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.title_text = title
        """Where the addition goes, plain text."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.title_text))
            yield Static(Text(_("A 项 is a 7-digit code under this 款 with its first 基本支出 line; a project (项目支出) is a "
                                "name under a 项 with its first line.")))
            with Horizontal():
                yield Button(_("New 项 (i)"), id="item", variant="primary", compact=True)
                yield Button(_("New project (p)"), id="project", variant="primary", compact=True)
                yield Button(_("Cancel (esc)"), id="cancel", compact=True)


class LockedScreen(MessageChoiceScreen):
    """Another budget-tui holds the file: open it read-only (the default) or edit anyway."""

    DEFAULT_CSS = DIALOG_CSS.format(name="LockedScreen")
    BINDINGS = [
        Binding("r,escape", "choose('read-only')", N_("Open read-only"), id="locked-read-only"),
        Binding("e", "choose('edit')", N_("Edit anyway"), id="locked-edit"),
    ]
    EXPLANATION = N_(
        "Read-only shows the budget and refuses every change. Edit anyway if the other session is gone "
        "for good: a save is still refused if the other one saved first, and this session keeps no journal."
    )
    CHOICES = (("read-only", N_("Open read-only (r)"), "primary"), ("edit", N_("Edit anyway (e)"), "warning"))


class RecoverScreen(ChoiceScreen):
    """An earlier session died with unsaved edits: replay them (the default) or discard them."""

    DEFAULT_CSS = DIALOG_CSS.format(name="RecoverScreen") + """
    RecoverScreen VerticalScroll { height: auto; max-height: 12; margin: 1 0; }
    """
    BINDINGS = [
        Binding("r", "choose('replay')", N_("Replay the edits"), id="recover-replay"),
        Binding("d", "choose('discard')", N_("Discard the edits"), id="recover-discard"),
    ]

    def __init__(self, title: str, edits: list[str], warning: str = "", refused: list[str] | None = None) -> None:
        super().__init__()
        self.title_text = title
        """What was found, plain text."""
        self.edits = edits
        """One line per unsaved edit that may be replayed, plain text."""
        self.warning = warning
        """Why some edits are not replayed, plain text; empty when all are."""
        self.refused = refused or []
        """One line per edit that is refused, never replayed, with the reason, plain text."""

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.title_text))
            with VerticalScroll():
                yield Static(Text("\n".join(f"• {one_line(edit)}" for edit in self.edits)))
                if self.refused:
                    yield Static(Text("\n".join(f"✗ {one_line(edit)}" for edit in self.refused)), classes="problem")
            if self.warning:
                yield Static(plain(self.warning), classes="problem")
            with Horizontal():
                yield Button(_("Replay (r)"), id="replay", variant="primary", compact=True)
                yield Button(_("Discard (d)"), id="discard", variant="error", compact=True)


class BadJournalScreen(MessageChoiceScreen):
    """The crash journal beside the file cannot be read: set it aside and edit, or open read-only (the default)."""

    DEFAULT_CSS = DIALOG_CSS.format(name="BadJournalScreen")
    BINDINGS = [
        Binding("s", "choose('set-aside')", N_("Set the journal aside and edit"), id="journal-set-aside"),
        Binding("r,escape", "choose('read-only')", N_("Open read-only"), id="journal-read-only"),
    ]
    EXPLANATION = N_(
        "Set aside renames it (nothing is deleted) and starts a new journal; read-only shows the budget and "
        "refuses every change, leaving the journal where it is."
    )
    CHOICES = (("set-aside", N_("Set aside and edit (s)"), "warning"), ("read-only", N_("Open read-only (r)"), "primary"))
