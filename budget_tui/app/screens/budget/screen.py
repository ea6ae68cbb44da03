"""The main screen: the tree, the problems panel, the status line and the footer, and the keys that act on them.

Its parts each keep one job: base.py (the session, the status line and its background checks, repainting, messages),
opening.py (the lock and the journal on mount), editing.py (amounts, lines, undo, bulk adjustment), saving.py (save,
save-as, a file changed on disk) and search.py; this class adds the bindings, the views, the review marks, the diff
and the problems panel.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, Static

from budget_tui.app.screens.budget.base import PROBLEMS
from budget_tui.app.screens.budget.editing import Editing
from budget_tui.app.screens.budget.opening import Opening
from budget_tui.app.screens.budget.saving import Saving
from budget_tui.app.screens.budget.search import Searching
from budget_tui.app.screens.budget.versions import VERSION_BINDINGS, Versions
from budget_tui.app.screens.dialogs import FormScreen
from budget_tui.app.screens.diff import DiffScreen
from budget_tui.app.screens.tables import TablesScreen
from budget_tui.app.widgets.budget_tree import BudgetTree
from budget_tui.app.widgets.edit_problem import EditProblem
from budget_tui.app.widgets.footer import KeysFooter
from budget_tui.app.widgets.inputs import AmountInput, SearchBar
from budget_tui.app.widgets.problems_panel import ProblemsPanel
from budget_tui.app.widgets.status_line import StatusLine
from budget_tui.core.checks import Problem
from budget_tui.core.diff import render_diff
from budget_tui.core.ids import NodeId
from budget_tui.core.safetext import clean
from budget_tui.core.tree import Node, label
from budget_tui.i18n import N_, _
from budget_tui.session import Session


class BudgetScreen(Versions, Opening, Editing, Saving, Searching):
    """Browse the tree and change lines: edit, add, delete, recode, undo, redo, search and save."""

    BINDINGS = [
        Binding("slash", "search", N_("Search"), id="search"),
        Binding("n", "next_match(1)", N_("Next match"), id="next-match", show=False),
        Binding("N", "next_match(-1)", N_("Previous match"), id="previous-match", show=False),
        Binding("f", "filter", N_("Filter the tree to matches"), id="filter", show=False),
        Binding("escape", "clear_filter", N_("Clear filter"), id="clear-filter"),
        Binding("enter", "open_or_edit", N_("Open/edit"), id="open-or-edit", show=False),
        Binding("e", "edit", N_("Edit"), id="edit"),
        Binding("a", "add_line", N_("Add"), id="add-line"),
        Binding("d", "delete_line", N_("Delete"), id="delete-line"),
        Binding("r", "recode", N_("Recode"), id="recode", show=False),
        Binding("u", "undo", N_("Undo"), id="undo"),
        Binding("ctrl+r", "redo", N_("Redo"), id="redo"),
        Binding("ctrl+s", "save", N_("Save"), id="save"),
        PROBLEMS,
        Binding("t", "tables", N_("Tables (then 1–9)"), id="tables", show=False),
        Binding("v", "toggle_view", N_("Economic / functional view"), id="toggle-view", show=False),
        Binding("y", "toggle_prior", N_("Last year beside this year"), id="prior-year", show=False),
        Binding("s", "sort", N_("Sort children by code, amount, change"), id="sort", show=False),
        Binding("m", "mark", N_("Mark reviewed (again: unmark)"), id="mark-reviewed", show=False),
        Binding("c", "comment", N_("Comment on the node"), id="comment", show=False),
        Binding("right_square_bracket", "next_flagged(1)", N_("Next unreviewed or commented"), id="next-flagged", show=False),
        Binding("left_square_bracket", "next_flagged(-1)", N_("Previous unreviewed or commented"), id="previous-flagged", show=False),
        Binding("percent_sign", "adjust", N_("Scale the lines below (bulk adjust)"), id="bulk-adjust", show=False),
        Binding("D", "diff", N_("Changes since loaded and since saved"), id="diff", show=False),
        Binding("M", "merge_departments", N_("Merge departments / by department (folder)"), id="merge-departments", show=False),
        *VERSION_BINDINGS,
    ]

    DEFAULT_CSS = """
    BudgetScreen BudgetTree { height: 1fr; }
    BudgetScreen #columns { display: none; height: 1; }
    BudgetScreen ToastRack { margin-bottom: 2; }
    BudgetScreen.-searching ToastRack { margin-bottom: 3; }
    BudgetScreen.-toasts-top ToastRack { dock: top; align: right top; margin-bottom: 0; }
    """
    """A toast sits above the status line and the footer (and the search bar when open), or at the top while the row
    being edited is in the lower half: it never covers them."""

    def __init__(self, session: Session, force: bool = False) -> None:
        super().__init__()
        self.session = session
        """The open budget, its editor and its tree."""
        self.force = force
        """Edit even when another budget-tui holds the lock, without asking (budget-tui PATH --force)."""
        self.editing: Node | None = None
        """The line whose amount is being typed, while the amount input is open."""
        self.searching = False
        """True while the search bar is open."""

    def compose(self) -> ComposeResult:
        yield Static(id="columns")
        yield BudgetTree(self.session.tree, self.session.review, id="tree")
        yield ProblemsPanel(id="problems")
        yield StatusLine(id="status")
        yield SearchBar(id="search")
        yield AmountInput(id="amount")
        yield EditProblem(id="edit-problem")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.tree.focus()
        self.tree.reveal(None)
        self.refresh_status()
        self.take_lock()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While an amount or a search is being typed, only that input's keys are live (Esc cancels it)."""
        typing = self.editing is not None or self.searching
        if action == "clear_filter" and not self.filter_query:
            return False  # Esc clears a filter, and only shows in the footer while there is one
        return not (typing and action in {binding.action.split("(")[0] for binding in self.BINDINGS if isinstance(binding, Binding)})

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if isinstance(event.input, AmountInput):
            event.stop()
            self.commit_amount(event.value)
        elif isinstance(event.input, SearchBar):
            event.stop()
            self.finish_search(event.value)

    # -- views ---------------------------------------------------------------------------

    def action_tables(self) -> None:
        """Show the disclosure tables (1–9), built from the budget as it is now."""
        self.app.push_screen(TablesScreen(self.session))

    def action_toggle_view(self) -> None:
        """Switch between the functional tree and the economic one (economic 类 → 款 → the 项 lines)."""
        self.show(self.session.toggle_view(self.tree.cursor_model_node))

    def action_merge_departments(self) -> None:
        """A folder: merge the departments into one functional tree, or put them back on top."""
        if not self.session.budget.is_consolidated:
            self.say(_("Merging departments works on a folder of department files (budget-tui FOLDER)."))
            return
        self.show(self.session.toggle_departments(self.tree.cursor_model_node))

    def action_toggle_prior(self) -> None:
        """Show 上年 / 本年 / 增减 / 增减% beside each node that has a prior-year figure, or one amount again."""
        self.session.comparing = not self.session.comparing
        self.tree.show_columns(self.session.comparing, self.session.sort_by)
        self.show_columns()
        if self.session.comparing and not self.tree.comparisons:
            self.say(_("The file gives no prior-year figures ([prior]) to compare with."), "warning")

    def action_sort(self) -> None:
        """Order children by code, then by amount (largest first), then by change (largest either way first)."""
        self.tree.show_columns(self.session.comparing, self.session.next_sort())
        self.refresh_status()

    # -- review marks and comments -------------------------------------------------------

    def reviewable(self) -> Node | None:
        """The node under the cursor when review marks can be kept, else None with a message."""
        if self.session.review is None:
            self.say(_("Review marks are off: the review file could not be read."), "error")
            return None
        return self.tree.cursor_model_node

    def action_mark(self) -> None:
        """Mark the node under the cursor reviewed, or unmark it."""
        node, review = self.reviewable(), self.session.review
        if node is None or review is None:
            return
        review.toggle(node)
        self.tree.refresh_node(node.id)

    def action_comment(self) -> None:
        """Attach a comment to the node under the cursor (an empty one removes it)."""
        node, review = self.reviewable(), self.session.review
        if node is None or review is None:
            return
        note = review.note(node.id)
        current = note.comment.replace("\n", " ") if note is not None else ""

        def comment(values: list[str]) -> str | None:
            review.comment(node, values[0])
            self.tree.refresh_node(node.id)
            return None

        title = _("Comment on {node}").format(node=clean(label(node)))
        self.app.push_screen(FormScreen(title, [(_("Comment (empty: none)"), current)], comment))

    def action_next_flagged(self, step: int) -> None:
        """Go to the next (step 1) or previous (step -1) node that is not reviewed yet or has a comment."""
        if self.session.review is None:
            self.reviewable()
            return
        order = [node.id for node in self.tree.walk()]
        current = self.tree.cursor_model_node
        if self.session.nothing_flagged():
            self.say(_("Nothing flagged: no node is reviewed or commented yet (m marks one reviewed, c comments)."))
            return
        target = self.session.review.next_flagged(order, current.id if current else None, step > 0)
        if target is None:
            self.say(_("Every node is reviewed and none has a comment."))
            return
        self.tree.reveal(target)

    # -- the diff ----------------------------------------------------------------------

    def action_diff(self) -> None:
        """Show what changed since the file was loaded and since the last save."""
        loaded, saved = self.session.diffs()
        budget = self.session.budget
        self.app.push_screen(DiffScreen(render_diff(loaded, budget) + "\n" + render_diff(saved, budget)))

    # -- problems ------------------------------------------------------------------------

    def action_problems(self) -> None:
        """Open the problems panel (focused) or close it."""
        panel = self.query_one(ProblemsPanel)
        if panel.display:
            self.close_problems()
            return
        panel.display = True
        self.refresh_status()
        panel.focus()

    def close_problems(self) -> None:
        self.query_one(ProblemsPanel).display = False
        self.tree.focus()

    def on_problems_panel_closed(self, _: ProblemsPanel.Closed) -> None:
        self.close_problems()

    def on_problems_panel_chosen(self, event: ProblemsPanel.Chosen) -> None:
        """Go to the node a problem concerns, opening the way; a problem about the file's facts names its line."""
        self.close_problems()
        self.go_to(event.problem)

    def go_to(self, problem: Problem) -> None:
        candidates = [problem.node] + ([NodeId.line(problem.key)] if problem.key is not None else [])
        node_id = next((candidate for candidate in candidates if candidate in self.session.tree.by_id), None)
        if node_id is not None:
            self.tree.reveal(node_id)
            return
        self.say(_("{rule} concerns {where} of {file}, not a line of the tree: fix it in the file.").format(
            rule=problem.rule, where=self.session.where(problem), file=self.session.path.name))


__all__ = ["PROBLEMS", "BudgetScreen"]
