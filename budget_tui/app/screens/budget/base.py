"""What every part of the main screen uses: the session and the tree, the status line (with the checks it counts,
run in the background for a large budget), repainting after a change, messages, and refusing changes when read-only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.binding import Binding
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from budget_tui.app.widgets.budget_tree import BudgetTree
from budget_tui.app.widgets.problems_panel import ProblemsPanel
from budget_tui.app.widgets.status_line import StatusLine
from budget_tui.core.checks import Problem
from budget_tui.core.safetext import one_line
from budget_tui.core.search import QueryError, with_ancestors
from budget_tui.core.tree import ECONOMIC, Node
from budget_tui.i18n import N_, _, ngettext
from budget_tui.session import Outcome, Session, check_apart

if TYPE_CHECKING:
    from budget_tui.app.app import BudgetApp

PROBLEMS = Binding("exclamation_mark", "problems", N_("Problems"), id="problems", show=False)
"""The problems panel's key: out of the footer (no room at 80 columns), shown beside the count in the status line."""

TROUBLE_TIMEOUT = 30.0
"""Seconds a warning that edits are not journaled (or review marks are off) stays on screen: long enough to be read."""

CHECK_DELAY = 0.4
"""Seconds after the last change of a large budget before its checks start in the background."""


class ProblemsChecked(Message):
    """A background check of a large budget finished: its problems, for the change it started after."""

    def __init__(self, generation: int, problems: list[Problem]) -> None:
        super().__init__()
        self.generation = generation
        self.problems = problems


class ScreenBase(Screen):
    """The main screen's shared state and ways; BudgetScreen puts its parts (opening, editing, saving, search) on it."""

    session: Session
    """The open budget, its editor and its tree."""
    editing: Node | None
    """The line whose amount is being typed, while the amount input is open."""
    searching: bool
    """True while the search bar is open."""
    saving: bool = False
    """True while a save runs in its thread: no change may start until it is written and marked saved."""
    check_timer: Timer | None = None
    """The pending start of a background check, pushed back by each further change."""
    filter_query: str = ""
    """What the tree is filtered to (f): only the nodes it matches and their parents are shown; empty shows all."""

    @property
    def tree(self) -> BudgetTree:  # type: ignore[override]  # Textual's DOMNode.tree is a debugging view; here, the budget's tree
        return self.query_one(BudgetTree)

    @property
    def budget_app(self) -> BudgetApp:
        return cast("BudgetApp", self.app)

    # -- the status line and the checks it counts -------------------------------------------

    def refresh_status(self) -> None:
        """Show the file, department, grand total and unsaved marker as they are now."""
        status = self.query_one(StatusLine)
        department = self.session.budget.department
        status.file_name = self.session.path.name + ("/" if self.session.is_folder else "")
        status.department = department.name
        status.year = department.year
        status.unit = department.unit
        status.grand_total = self.session.tree.root.total
        status.unsaved = self.session.dirty
        status.read_only = self.session.read_only
        status.errors, status.warnings = self.session.errors, self.session.warnings
        status.checking = self.session.problems_stale
        if self.session.problems_stale:
            self.schedule_check()
        status.problems_key = self.budget_app.key_display(PROBLEMS)
        status.mode = self.mode()
        panel = self.query_one(ProblemsPanel)
        if panel.display:
            panel.show_problems(self.session.problems, [self.session.where(problem) for problem in self.session.problems])
        if self.session.journal_trouble:
            self.say(self.session.journal_trouble, "warning", TROUBLE_TIMEOUT)
            self.session.journal_trouble = None
        if self.session.review_trouble:
            self.say(self.session.review_trouble, "warning", TROUBLE_TIMEOUT)
            self.session.review_trouble = None

    def mode(self) -> str:
        """What the tree shows besides the functional tree by code, for the status line."""
        parts = ["economic" if self.session.view == ECONOMIC else ""]
        parts.append("merged" if self.session.is_folder and not self.session.tree.by_department else "")
        parts.append(f"by {self.session.sort_by}" if self.session.sort_by != "code" else "")
        if self.filter_query:
            count = self.filter_count
            matches = ngettext("{count} match", "{count} matches", count).format(count=count)
            parts.insert(0, _("filter {query}: {matches} (esc clears)").format(query=self.filter_query, matches=matches))
        return " · ".join(part for part in parts if part)

    filter_count: int = 0
    """How many nodes the filter matches (its parents, shown too, are not counted)."""

    def kept_nodes(self) -> set | None:
        """Ids of the nodes the tree shows (None: every node): the filter's (f); under C the Versions part narrows
        them to the nodes changed against the other version."""
        return self.kept_by_filter()

    def kept_by_filter(self) -> set | None:
        """Ids of the nodes the filter keeps in the tree as it is now (matches and their parents); None without one.

        A filter that no longer reads (never, once accepted) keeps everything."""
        if not self.filter_query:
            return None
        try:
            matches = self.session.search_matches(self.filter_query)
        except QueryError:
            return None
        self.filter_count = len(matches)
        return with_ancestors(matches)

    def schedule_check(self) -> None:
        """Check once the user pauses: a burst of keys, or the first paint, is not slowed by a check thread."""
        if self.check_timer is None:
            self.check_timer = self.set_timer(CHECK_DELAY, self.check_in_background)
        else:
            self.check_timer.reset()

    def check_in_background(self) -> None:
        """Run the checks on a snapshot in a thread, once per change; an outdated result is dropped."""
        self.check_timer = None
        started = self.session.check_to_start()
        if started is None:
            return
        generation, snapshot = started

        def work() -> None:
            problems = check_apart(snapshot)
            if problems is not None:  # None: a newer check stopped this one
                self.post_message(ProblemsChecked(generation, problems))

        self.run_worker(work, thread=True, exclusive=True, group="checks", name="checks")

    def on_problems_checked(self, message: ProblemsChecked) -> None:
        if self.session.checked(message.generation, message.problems):
            self.refresh_status()

    # -- after a change ----------------------------------------------------------------------

    def show(self, outcome: Outcome) -> None:
        """Repaint what a change touched and put the cursor on the changed line (or where it was, or its parent)."""
        current = self.tree.cursor_model_node
        targets = outcome.targets + ([node.id for node in current.path()] if current is not None else [])
        if outcome.changed is None or self.session.sort_by != "code" or self.filter_query:
            self.tree.kept = self.kept_nodes()  # a change may add or remove matches
            self.tree.show_model(self.session.tree, targets)
        else:
            self.tree.repaint(outcome.changed)
            self.tree.reveal(outcome.targets[0])
        self.show_columns()
        self.refresh_status()

    def show_columns(self) -> None:
        """The titles over the prior-year columns, while they are shown."""
        columns = self.query_one("#columns", Static)
        columns.display = self.tree.comparing
        if self.tree.comparing:
            columns.update(self.tree.header())

    # -- messages and refusals ---------------------------------------------------------------

    def say(self, message: str, severity: SeverityLevel = "information", timeout: float | None = None) -> None:
        """Notify one clean line without markup: messages often quote file text (a file or folder name, a key)."""
        self.notify(one_line(message), severity=severity, markup=False, timeout=timeout)

    def say_lines(self, lines: list[str], severity: SeverityLevel = "information") -> None:
        """Notify several lines, each one clean line, without markup."""
        self.notify("\n".join(one_line(line) for line in lines), severity=severity, markup=False)

    def refused(self) -> bool:
        """True (with a message) when no change may be made: the file is open read-only, or a save is running."""
        if self.saving:
            self.say(_("Saving… a moment."), "warning")
            return True
        refusal = self.session.refusal()
        if refusal is not None:
            self.say(refusal, "error")
        return refusal is not None

    def current_line(self) -> Node | None:
        """The line under the cursor, or None (with a hint) on a subtotal."""
        node = self.tree.cursor_model_node
        if node is None or not node.is_leaf:
            self.say(_("Move the cursor to a line (an economic 款 with an amount) first."), "warning")
            return None
        return node


__all__ = ["CHECK_DELAY", "PROBLEMS", "ProblemsChecked", "ScreenBase", "TROUBLE_TIMEOUT"]
