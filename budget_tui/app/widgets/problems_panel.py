"""The problems panel under the tree: every consistency problem of the budget; Enter jumps to the node concerned."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from budget_tui.app.widgets.status_line import problem_count
from budget_tui.core.checks import Problem
from budget_tui.core.safetext import clean
from budget_tui.i18n import N_, _

SEVERITY_STYLE = {True: "bold red", False: "yellow"}
"""Style of the severity word, by Problem.is_error."""


class ProblemsPanel(OptionList, inherit_bindings=False):
    """One row per problem (severity, rule id, line, message), built from plain strings so file text is never markup."""

    DEFAULT_CSS = """
    ProblemsPanel, ProblemsPanel:focus {
        display: none;
        height: auto;
        max-height: 12;
        border: round $accent;
        border-title-align: left;
        padding: 0 1;
    }
    """

    BINDINGS = [
        Binding("down,j", "cursor_down", N_("Next problem"), id="problem-down", show=False),
        Binding("up,k", "cursor_up", N_("Previous problem"), id="problem-up", show=False),
        Binding("home,g", "first", N_("First problem"), id="problem-first", show=False),
        Binding("end,G", "last", N_("Last problem"), id="problem-last", show=False),
        Binding("pagedown", "page_down", N_("Page down"), id="problem-page-down", show=False),
        Binding("pageup", "page_up", N_("Page up"), id="problem-page-up", show=False),
        Binding("enter", "select", N_("Go to problem"), id="problem-go"),
        Binding("escape", "close", N_("Close problems"), id="problem-close"),
    ]

    class Chosen(Message):
        """The user chose a problem to go to."""

        def __init__(self, problem: Problem) -> None:
            super().__init__()
            self.problem = problem
            """The problem chosen."""

    class Closed(Message):
        """The user closed the panel with Esc."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(markup=False, id=id)
        self.problems: list[Problem] = []
        """The problems listed, in the order of the rows."""

    def show_problems(self, problems: list[Problem], where: list[str]) -> None:
        """List the problems (where[i] names the file line of problems[i]), keeping the highlight on the same row."""
        keep = self.highlighted or 0
        self.problems = problems
        rows = [Option(problem_row(problem, place)) for problem, place in zip(problems, where)]
        self.set_options(rows or [Option(Text(_("No problems: every check passes.")), disabled=True)])
        self.highlighted = min(keep, len(problems) - 1) if problems else None
        errors = sum(problem.is_error for problem in problems)
        self.border_title = _("Problems: {count} · Enter go to · Esc close").format(count=problem_count(errors, len(problems) - errors))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self.problems):
            self.post_message(self.Chosen(self.problems[event.option_index]))

    def action_close(self) -> None:
        self.post_message(self.Closed())


def problem_row(problem: Problem, where: str) -> Text:
    """`error  stated-mismatch  line 118  message`, as plain text."""
    severity = _("error") if problem.is_error else _("warning")
    return Text.assemble(
        (severity + " " * max(8 - cell_len(severity), 1), SEVERITY_STYLE[problem.is_error]),
        (problem.rule, "bold"),
        f"  {where}  ",
        clean(problem.message),
    )
