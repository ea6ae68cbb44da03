"""The main screen: the tree, the problems panel, the status line and the footer, and the actions that change the budget
or what the tree shows (views, prior-year columns, sorting, review marks, tables, bulk adjustment, diff).

On mount it takes the edit lock (read-only when another budget-tui holds it) and offers to replay the unsaved edits
an earlier session left in its journal.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Static

from budget_tui.app.screens.adjust import AdjustScreen
from budget_tui.app.screens.dialogs import (
    BadJournalScreen,
    ChangedOnDiskScreen,
    ConfirmScreen,
    FormScreen,
    LockedScreen,
    RecoverScreen,
    SaveFailedScreen,
)
from budget_tui.app.screens.diff import DiffScreen
from budget_tui.app.screens.tables import TablesScreen
from budget_tui.app.widgets.budget_tree import BudgetTree
from budget_tui.app.widgets.inputs import AmountInput, SearchBar
from budget_tui.app.widgets.problems_panel import ProblemsPanel
from budget_tui.app.widgets.status_line import StatusLine
from budget_tui.core.adjust import render_preview
from budget_tui.core.checks import Problem, check_budget
from budget_tui.core.diff import render_diff
from budget_tui.core.editing import Change, EditError, evaluate
from budget_tui.core.model import Fund, Kind, Line
from budget_tui.core.money import ZERO, format_amount
from budget_tui.core.safetext import clean, one_line
from budget_tui.core.search import QueryError, position
from budget_tui.core.tree import ECONOMIC, Node
from budget_tui.files.fileformat import BudgetFileError
from budget_tui.files.journal import JournalError, Recovered, Refused
from budget_tui.files.lock import LockHeld, LockRefused, side_file
from budget_tui.files.review import ReviewFileError
from budget_tui.files.save import SaveError
from budget_tui.session import Outcome, Session

PROBLEMS = Binding("exclamation_mark", "problems", "Problems", id="problems", show=False)
"""The problems panel's key: out of the footer (no room at 80 columns), shown beside the count in the status line."""
AMOUNT_INPUT_MIN_WIDTH = 12
"""Columns of the amount editor, enough for `*1.05` or `-8%` beside a large amount."""


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


class BudgetScreen(Screen):
    """Browse the tree and change lines: edit, add, delete, recode, undo, redo, search and save."""

    BINDINGS = [
        Binding("slash", "search", "Search", id="search"),
        Binding("n", "next_match(1)", "Next match", id="next-match", show=False),
        Binding("N", "next_match(-1)", "Previous match", id="previous-match", show=False),
        Binding("enter", "open_or_edit", "Open/edit", id="open-or-edit", show=False),
        Binding("e", "edit", "Edit", id="edit"),
        Binding("a", "add_line", "Add", id="add-line"),
        Binding("d", "delete_line", "Delete", id="delete-line"),
        Binding("r", "recode", "Recode", id="recode", show=False),
        Binding("u", "undo", "Undo", id="undo"),
        Binding("ctrl+r", "redo", "Redo", id="redo"),
        Binding("ctrl+s", "save", "Save", id="save"),
        PROBLEMS,
        Binding("t", "tables", "Tables (then 1–9)", id="tables", show=False),
        Binding("v", "toggle_view", "Economic / functional view", id="toggle-view", show=False),
        Binding("y", "toggle_prior", "Last year beside this year", id="prior-year", show=False),
        Binding("s", "sort", "Sort children by code, amount, change", id="sort", show=False),
        Binding("m", "mark", "Mark reviewed (again: unmark)", id="mark-reviewed", show=False),
        Binding("c", "comment", "Comment on the node", id="comment", show=False),
        Binding("right_square_bracket", "next_flagged(1)", "Next unreviewed or commented", id="next-flagged", show=False),
        Binding("left_square_bracket", "next_flagged(-1)", "Previous unreviewed or commented", id="previous-flagged", show=False),
        Binding("percent_sign", "adjust", "Scale the lines below (bulk adjust)", id="bulk-adjust", show=False),
        Binding("D", "diff", "Changes since loaded and since saved", id="diff", show=False),
        Binding("M", "merge_departments", "Merge departments / by department (folder)", id="merge-departments", show=False),
    ]

    DEFAULT_CSS = """
    BudgetScreen BudgetTree { height: 1fr; }
    BudgetScreen #columns { display: none; height: 1; }
    """

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
        yield Footer()

    def on_mount(self) -> None:
        self.tree.focus()
        self.tree.reveal(None)
        self.refresh_status()
        self.take_lock()

    # -- checks of a large budget, off the keystroke's path ---------------------------------

    def schedule_check(self) -> None:
        """Check once the user pauses: a burst of keys, or the first paint, is not slowed by a check thread."""
        if self.check_timer is None:
            self.check_timer = self.set_timer(CHECK_DELAY, self.check_in_background)
        else:
            self.check_timer.reset()

    def check_in_background(self) -> None:
        """Run the checks on a snapshot in a thread, once per change; an outdated result is dropped."""
        self.check_timer = None
        if self.checking_generation == self.session.checks_generation:
            return
        generation, snapshot = self.session.checks_snapshot()
        self.checking_generation = generation

        def work() -> None:
            self.post_message(ProblemsChecked(generation, check_budget(snapshot)))

        self.run_worker(work, thread=True, exclusive=True, group="checks", name="checks")

    checking_generation: int = -1
    """The change whose background check is running (or ran last)."""
    check_timer: Timer | None = None
    """The pending start of a background check, pushed back by each further change."""

    def on_problems_checked(self, message: ProblemsChecked) -> None:
        if self.session.checked(message.generation, message.problems):
            self.refresh_status()

    # -- opening: the lock and the journal -----------------------------------------------

    def take_lock(self) -> None:
        """Take the edit lock; when another budget-tui holds it, ask (or with --force, edit anyway)."""
        held = self.session.take_lock()
        if held is None:
            self.offer_recovery()
        elif isinstance(held, LockRefused) and self.force:
            self.session.edit_anyway()
            self.say(f"{held}. Editing anyway (--force), without a lock or a journal.", "warning")
        elif isinstance(held, LockRefused):
            self.say(f"Read-only: {held}.", "error")
        elif self.force:
            self.session.edit_anyway()
            self.say(f"{held.path} is being edited by {_holder(held)}; editing anyway (--force).", "warning")
        else:
            message = f"{held.path} is being edited by {_holder(held)}."
            self.app.push_screen(LockedScreen(message), self.after_lock_choice)
        self.refresh_status()

    def after_lock_choice(self, choice: str | None) -> None:
        if choice == "edit":
            self.session.edit_anyway()
        self.refresh_status()

    def offer_recovery(self) -> None:
        """Show the unsaved edits an earlier session left, to replay or discard; those whose file is gone or changed
        since (or that are not valid edits) are shown as refused and never replayed."""
        try:
            recovered = self.session.recover()
        except JournalError as error:
            self.app.push_screen(BadJournalScreen(clean(str(error))), self.after_bad_journal_choice)
            return
        if recovered is None:
            return
        count = len(recovered.changes) + len(recovered.refused)
        title = f"{clean(self.session.path.name)}: {count} unsaved edit{'s' if count != 1 else ''} from an earlier session that ended without saving:"
        warning = "" if not recovered.refused else (
            f"{len(recovered.refused)} of them (✗) cannot be replayed: their file is gone or changed since, or the "
            "journal entry is not a valid edit. Replay applies the others and keeps the journal aside for you."
        )
        edits = [self.session.describe(change) for change in recovered.changes]
        refused = [self.describe_refused(entry) for entry in recovered.refused]

        def answer(choice: str | None) -> None:
            self.after_recovery_choice(choice, recovered)

        self.app.push_screen(RecoverScreen(title, edits, warning, refused), answer)

    def describe_refused(self, entry: Refused) -> str:
        """A refused journal entry in plain words: the edit (or the journal's line) and why it is refused."""
        what = self.session.describe(entry.change) if entry.change is not None else f"journal line {entry.row}"
        return f"{what}: {clean(entry.reason)}"

    def after_recovery_choice(self, choice: str | None, recovered: Recovered) -> None:
        if choice == "replay":
            if recovered.refused:  # the refused edits stay readable in the journal, renamed out of the way
                try:
                    aside = self.session.set_aside_journal()
                except OSError as error:
                    self.say(f"The journal could not be set aside ({clean(error.strerror or str(error))}); it is replaced.", "warning")
                else:
                    self.say(f"The journal with the refused edits is kept as {clean(str(aside))}.", "warning")
            self.replay(recovered.changes, recovered.refused)
        else:
            self.session.start_journal()
            self.say("The unsaved edits of the earlier session were discarded.")
            self.refresh_status()

    def after_bad_journal_choice(self, choice: str | None) -> None:
        """Set the unreadable journal aside and edit, or open read-only and leave it where it is."""
        journal = clean(str(side_file(self.session.path, "journal")))
        if choice == "set-aside":
            try:
                aside = self.session.set_aside_journal()
            except OSError as error:
                choice = None
                self.say(f"{journal} could not be set aside ({clean(error.strerror or str(error))}).", "error")
            else:
                self.session.start_journal()
                self.say(f"The journal that could not be read is set aside as {clean(str(aside))}; edits are journaled anew.")
        if choice != "set-aside":
            self.session.read_only = True
            self.session.read_only_why = f"the crash journal {journal} cannot be read; set it aside or remove it, then open again"
        self.refresh_status()

    def replay(self, changes: list[Change], refused: list[Refused] = ()) -> None:
        """Apply the recorded edits that still apply and say which did not."""
        described = [self.session.describe(change) for change in changes]
        outcome, skipped = self.session.replay(changes)
        self.show(outcome)
        replayed, count = len(changes) - len(skipped), len(changes) + len(refused)
        self.say(f"Replayed {replayed} of {count} unsaved edit{'s' if count != 1 else ''}; save to keep them.")
        if refused:
            lines = [self.describe_refused(entry) for entry in refused]
            self.say_lines(["Refused, never replayed:", *lines], "warning")
        if skipped:
            lines = [f"{described[changes.index(change)]}: {reason}" for change, reason in skipped]
            self.say_lines(["Not replayed, the file no longer matches:", *lines], "warning")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While an amount or a search is being typed, only that input's keys are live (Esc cancels it)."""
        typing = self.editing is not None or self.searching
        return not (typing and action in {binding.action.split("(")[0] for binding in self.BINDINGS})

    @property
    def tree(self) -> BudgetTree:
        return self.query_one(BudgetTree)

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
        status.problems_key = self.app.key_display(PROBLEMS)
        status.mode = self.mode()
        panel = self.query_one(ProblemsPanel)
        if panel.display:
            panel.show_problems(self.session.problems, [self.session.where(problem) for problem in self.session.problems])
        for trouble in ("journal_trouble", "review_trouble"):
            if getattr(self.session, trouble):
                self.say(getattr(self.session, trouble), "warning", TROUBLE_TIMEOUT)
                setattr(self.session, trouble, None)

    def mode(self) -> str:
        """What the tree shows besides the functional tree by code, for the status line."""
        parts = ["economic" if self.session.view == ECONOMIC else ""]
        parts.append("merged" if self.session.is_folder and not self.session.tree.by_department else "")
        parts.append(f"by {self.session.sort_by}" if self.session.sort_by != "code" else "")
        return " · ".join(part for part in parts if part)

    def show(self, outcome: Outcome) -> None:
        """Repaint what a change touched and put the cursor on the changed line (or where it was, or its parent)."""
        current = self.tree.cursor_model_node
        targets = outcome.targets + ([node.id for node in current.path()] if current is not None else [])
        if outcome.rebuilt or self.session.sort_by != "code":
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

    def say(self, message: str, severity: str = "information", timeout: float | None = None) -> None:
        """Notify one clean line without markup: messages often quote file text (a file or folder name, a key)."""
        self.notify(one_line(message), severity=severity, markup=False, timeout=timeout)

    def say_lines(self, lines: list[str], severity: str = "information") -> None:
        """Notify several lines, each one clean line, without markup."""
        self.notify("\n".join(one_line(line) for line in lines), severity=severity, markup=False)

    saving: bool = False
    """True while a save runs in its thread: no change may start until it is written and marked saved."""

    def refused(self) -> bool:
        """True (with a message) when no change may be made: the file is open read-only, or a save is running."""
        if self.saving:
            self.say("Saving… a moment.", "warning")
            return True
        if self.session.read_only and self.session.read_only_why:
            self.say(f"Read-only: {self.session.read_only_why}. Nothing can be changed here.", "error")
        elif isinstance(self.session.holder, LockRefused) and self.session.read_only:
            self.say(f"Read-only: {self.session.holder}.", "error")
        elif self.session.read_only:
            who = _holder(self.session.holder) if self.session.holder else "another budget-tui"
            self.say(f"Read-only: {self.session.path.name} is being edited by {who}. Nothing can be changed here.", "error")
        return self.session.read_only

    def current_line(self) -> Node | None:
        """The line under the cursor, or None (with a hint) on a subtotal."""
        node = self.tree.cursor_model_node
        if node is None or not node.is_leaf:
            self.say("Move the cursor to a line (an economic 款 with an amount) first.", "warning")
            return None
        return node

    # -- editing an amount ---------------------------------------------------------------

    def action_open_or_edit(self) -> None:
        node = self.tree.cursor_model_node
        if node is not None and node.is_leaf:
            self.action_edit()
        else:
            self.tree.action_toggle_node()

    def action_edit(self) -> None:
        """Open the amount input over the amount cell of the line under the cursor."""
        if self.refused():
            return
        node = self.current_line()
        if node is None:
            return
        self.editing = node
        tree, amount_input = self.tree, self.query_one(AmountInput)
        input_width = max(tree.amount_width + 2, AMOUNT_INPUT_MIN_WIDTH)
        area = tree.content_region
        row = tree.cursor_line - round(tree.scroll_offset.y)
        amount_input.styles.width = input_width
        amount_input.styles.offset = (area.x + tree.amount_offset() + tree.amount_width - input_width, area.y + row)
        amount_input.value = format_amount(node.total)
        amount_input.display = True
        amount_input.focus()
        self.refresh_bindings()

    def on_input_changed(self, event: AmountInput.Changed) -> None:
        """Show what the typed amount would be (`100.00 → 95.00`) in the status line, before it is committed."""
        line = self.editing.line if self.editing is not None else None
        if isinstance(event.input, AmountInput) and line is not None:
            self.query_one(StatusLine).note = self.session.amount_preview(line.key, event.value)

    def on_input_submitted(self, event: AmountInput.Submitted) -> None:
        if isinstance(event.input, AmountInput):
            event.stop()
            self.commit_amount(event.value)
        elif isinstance(event.input, SearchBar):
            event.stop()
            self.finish_search(event.value)

    def commit_amount(self, typed: str) -> None:
        """Apply the typed amount; invalid input is refused with a message and the input stays open."""
        if self.editing is None:
            return
        try:
            outcome = self.session.set_amount(self.editing.line.key, typed)
        except EditError as error:
            self.say(str(error), "error")
            return
        self.close_amount_input()
        self.show(outcome)

    def on_amount_input_cancelled(self, _: AmountInput.Cancelled) -> None:
        self.close_amount_input()

    def close_amount_input(self) -> None:
        self.editing = None
        self.query_one(StatusLine).note = ""
        amount_input = self.query_one(AmountInput)
        amount_input.display = False
        self.tree.focus()
        self.refresh_bindings()

    # -- lines ---------------------------------------------------------------------------

    def action_add_line(self) -> None:
        """Ask for an economic code and an amount, and add the line under the 项 of the cursor."""
        if self.refused():
            return
        node = self.tree.cursor_model_node
        xiang = next((ancestor for ancestor in (node.path() if node else []) if ancestor.level == "项"), None)
        if xiang is None:
            self.say("Move the cursor to a 项 (7-digit code) or below it to add a line there.", "warning")
            return
        kind, project, fund = _group_of(node)
        where = f"{xiang.code} {clean(xiang.name)}" + (f" · {clean(project)}" if project else "")
        origin = _origin_of(node, xiang)
        if self.session.is_folder:
            where += f" in {self.session.budget.sources[origin].path.name}"

        def add(values: list[str]) -> str | None:
            economic, typed = (value.strip() for value in values)
            if not (len(economic) == 5 and economic.isdigit() and economic.startswith("3")):
                return f"{economic!r} is not an economic 款 code; type five digits such as 30201"
            try:
                amount = evaluate(typed, ZERO)
                line = Line(xiang.code, economic, amount, kind, fund, project, origin=origin)
                outcome = self.session.add_line(line)
            except EditError as error:
                return str(error)
            if not self.session.budget.economic_name(economic):
                self.say(f"{economic} is not in the catalogue; give it a name under [names] in the file.", "warning")
            self.show(outcome)
            return None

        self.app.push_screen(FormScreen(f"New line under {where}", [("Economic 款 code", ""), ("Amount", "")], add))

    def action_delete_line(self) -> None:
        """Delete the line under the cursor once the user confirms."""
        if self.refused():
            return
        node = self.current_line()
        if node is None:
            return
        key = node.line.key
        question = f"Delete line {node.code} {clean(node.name)} ({format_amount(node.total)}) from {key.functional}?"

        def delete(confirmed: bool | None) -> None:
            if confirmed:
                self.show(self.session.delete_line(key))

        self.app.push_screen(ConfirmScreen(question, yes="Delete", no="Keep"), delete)

    def action_recode(self) -> None:
        """Move the line under the cursor to another economic code; it moves in the tree and the cursor follows."""
        if self.refused():
            return
        node = self.current_line()
        if node is None:
            return
        key = node.line.key

        def recode(values: list[str]) -> str | None:
            try:
                self.show(self.session.change_economic(key, values[0]))
            except EditError as error:
                return str(error)
            return None

        title = f"Move {node.code} {clean(node.name)} of {key.functional} to another economic code"
        self.app.push_screen(FormScreen(title, [("Economic 款 code", node.code)], recode))

    def action_undo(self) -> None:
        self.step(self.session.undo, "Nothing to undo: this is the budget as loaded.")

    def action_redo(self) -> None:
        self.step(self.session.redo, "Nothing to redo.")

    def step(self, move, nothing: str) -> None:
        """Undo or redo one step and show it, or say there is none."""
        if self.refused():
            return
        outcome = move()
        if outcome is None:
            self.say(nothing)
        else:
            self.show(outcome)

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
            self.say("Merging departments works on a folder of department files (budget-tui FOLDER).")
            return
        self.show(self.session.toggle_departments(self.tree.cursor_model_node))

    def action_toggle_prior(self) -> None:
        """Show 上年 / 本年 / 增减 / 增减% beside each node that has a prior-year figure, or one amount again."""
        self.session.comparing = not self.session.comparing
        self.tree.show_columns(self.session.comparing, self.session.sort_by)
        self.show_columns()
        if self.session.comparing and not self.tree.comparisons:
            self.say("The file gives no prior-year figures ([prior]) to compare with.", "warning")

    def action_sort(self) -> None:
        """Order children by code, then by amount (largest first), then by change (largest either way first)."""
        self.tree.show_columns(self.session.comparing, self.session.next_sort())
        self.refresh_status()

    # -- review marks and comments -------------------------------------------------------

    def reviewable(self) -> Node | None:
        """The node under the cursor when review marks can be kept, else None with a message."""
        if self.session.review is None:
            self.say("Review marks are off: the review file could not be read.", "error")
            return None
        return self.tree.cursor_model_node

    def action_mark(self) -> None:
        """Mark the node under the cursor reviewed, or unmark it."""
        node = self.reviewable()
        if node is None:
            return
        self.session.review.toggle(node)
        self.tree.refresh_node(node.id)

    def action_comment(self) -> None:
        """Attach a comment to the node under the cursor (an empty one removes it)."""
        node = self.reviewable()
        if node is None:
            return
        note = self.session.review.note(node.id)
        current = note.comment.replace("\n", " ") if note is not None else ""

        def comment(values: list[str]) -> str | None:
            self.session.review.comment(node, values[0])
            self.tree.refresh_node(node.id)
            return None

        title = f"Comment on {node.code} {clean(node.name)}".replace("  ", " ")
        self.app.push_screen(FormScreen(title, [("Comment (empty: none)", current)], comment))

    def action_next_flagged(self, step: int) -> None:
        """Go to the next (step 1) or previous (step -1) node that is not reviewed yet or has a comment."""
        if self.session.review is None:
            self.reviewable()
            return
        order = [node.id for node in self.tree.walk()]
        current = self.tree.cursor_model_node
        if self.session.nothing_flagged():
            self.say("Nothing flagged: no node is reviewed or commented yet (m marks one reviewed, c comments).")
            return
        target = self.session.review.next_flagged(order, current.id if current else None, step > 0)
        if target is None:
            self.say("Every node is reviewed and none has a comment.")
            return
        self.tree.reveal(target)

    # -- bulk adjustment and the diff ----------------------------------------------------

    def action_adjust(self) -> None:
        """Ask how to scale the lines below the node under the cursor, preview every line, apply as one undo step."""
        if self.refused():
            return
        node = self.tree.cursor_model_node
        if node is None:
            return
        label = f"{node.code} {clean(node.name)}".strip()

        planned = []

        def plan(values: list[str]) -> str | None:
            try:
                planned.append(self.session.adjustment(node, values[0]))
            except EditError as error:
                return str(error)
            return None

        def chosen(values: list[str] | None) -> None:
            if values is not None:  # the preview opens once the form is gone
                self.preview(label, values[0].strip(), planned[-1])

        title = f"Scale the lines below {label} ({format_amount(node.total)}): -8%, +5%, *0.9, -50 or a new total"
        self.app.push_screen(FormScreen(title, [("Scale by", "")], plan), chosen)

    def preview(self, label: str, typed: str, adjustment) -> None:
        """Show every line old → new and the subtotal; apply on confirmation."""
        count = len(adjustment.lines)
        title = (
            f"{label} {typed}: {count} line{'s' if count != 1 else ''}, "
            f"{format_amount(adjustment.old_total)} → {format_amount(adjustment.new_total)}. Apply as one undo step?"
        )

        def answer(confirmed: bool | None) -> None:
            if not confirmed:
                return
            try:
                self.show(self.session.adjust(adjustment))
            except EditError as error:
                self.say(str(error), "error")
                return
            self.say(f"{label} {typed}: {format_amount(adjustment.new_total)} (u undoes it)")

        self.app.push_screen(AdjustScreen(title, render_preview(adjustment, self.session.budget)), answer)

    def action_diff(self) -> None:
        """Show what changed since the file was loaded and since the last save."""
        loaded, saved = self.session.diffs()
        budget = self.session.budget
        self.app.push_screen(DiffScreen(render_diff(loaded, budget) + "\n" + render_diff(saved, budget)))

    # -- search --------------------------------------------------------------------------

    def action_search(self) -> None:
        search = self.query_one(SearchBar)
        search.value = self.session.search
        search.display = True
        search.focus()
        self.searching = True
        self.refresh_bindings()

    def finish_search(self, query: str) -> None:
        """Remember the query and jump to its first match, opening closed nodes on the way."""
        self.close_search()
        self.session.search = query.strip()
        try:
            matches = self.session.find(query)
        except QueryError as error:
            self.say(str(error), "warning")
            return
        if not matches:
            self.say(f"No code or name matches {query.strip()!r}.", "warning")
            return
        self.tree.reveal(matches[0].id)

    def show_match(self, matches: list[Node], target: Node) -> None:
        """Put the cursor on a match and say which it is (`match 2 of 7`) in the status line until the cursor leaves it
        (n and N; the first jump of a search leaves the status line as it is)."""
        self.tree.reveal(target.id)
        self.match_at = target.id
        order = {node.id: index for index, node in enumerate(self.tree.walk())}
        self.query_one(StatusLine).note = position(sorted(matches, key=lambda node: order.get(node.id, -1)), target.id)

    match_at: tuple | None = None
    """The match that the status line's `match 2 of 7` is about."""

    def on_tree_node_highlighted(self, event: BudgetTree.NodeHighlighted) -> None:
        """The cursor left the match: the status line shows the file again."""
        if self.match_at is not None and (event.node.data is None or event.node.data.id != self.match_at):
            self.match_at = None
            self.query_one(StatusLine).note = ""

    def on_search_bar_cancelled(self, _: SearchBar.Cancelled) -> None:
        self.close_search()

    def close_search(self) -> None:
        self.query_one(SearchBar).display = False
        self.searching = False
        self.tree.focus()
        self.refresh_bindings()

    def action_next_match(self, step: int) -> None:
        """Jump to the next (step 1) or previous (step -1) match after the cursor, wrapping around."""
        if not self.session.search:
            self.say("Search first with /.")
            return
        try:
            matches = self.session.find(self.session.search)
        except QueryError as error:
            self.say(str(error), "warning")
            return
        if not matches:
            self.say(f"No code or name matches {self.session.search!r}.", "warning")
            return
        order = {node.id: index for index, node in enumerate(self.tree.walk())}
        matches = sorted(matches, key=lambda node: order[node.id])
        current = self.tree.cursor_model_node
        here = order.get(current.id, -1) if current is not None else -1
        if step > 0:
            target = next((node for node in matches if order[node.id] > here), matches[0])
        else:
            target = next((node for node in reversed(matches) if order[node.id] < here), matches[-1])
        self.show_match(matches, target)

    # -- the file ------------------------------------------------------------------------

    async def action_save(self) -> None:
        """Write the edits (a folder: only its changed files) and the review marks; if a file changed on disk since it
        was loaded, offer reload or save-as.

        The writing (tomlkit, the re-read check, fsync) runs in a thread, so the terminal keeps painting; until it is
        done every change is refused (see refused), so nothing typed meanwhile can be marked saved unwritten. Any other failure (read-only file, full disk) is shown; the edits stay
        in memory and in the journal.
        """
        if self.save_review() and not self.session.dirty:
            return
        if self.refused():
            return
        if not self.session.dirty:
            self.say("No changes to save.")
            return
        files = self.session.changed_files()
        self.saving = True
        try:
            path = await asyncio.to_thread(self.session.save)
        except SaveError as error:
            if self.session.changed_on_disk():
                self.app.push_screen(ChangedOnDiskScreen(str(error)), self.after_refused_save)
            else:  # a read-only folder or file, a full disk: the edits are kept, and may be saved elsewhere
                self.say(str(error), "error")
                self.app.push_screen(SaveFailedScreen(clean(str(error))), self.after_failed_save)
            return
        finally:
            self.saving = False
        if self.session.is_folder:
            names = ", ".join(str(file.relative_to(path)) for file in files)
            self.say(f"Saved {len(files)} file{'s' if len(files) != 1 else ''} of {path}: {names}")
        else:
            self.say(f"Saved {path}")
        for note in self.session.save_notes:
            self.say(note, "warning")
        self.refresh_status()

    def save_review(self) -> bool:
        """Write the review marks and comments changed in this session; True when there were any."""
        try:
            written = self.session.save_review()
        except (OSError, ReviewFileError) as error:
            self.say(f"Review marks not saved: {error}", "error")
            return True
        if written is not None:
            self.say(f"Saved the review marks to {written}")
        return written is not None

    def after_refused_save(self, choice: str | None) -> None:
        if choice == "reload":
            self.reload()
        elif choice == "save-as":
            self.ask_save_as(f"{self.session.path} changed on disk.")

    def after_failed_save(self, choice: str | None) -> None:
        if choice == "save-as":
            self.ask_save_as("The save failed.")
        else:
            self.say("Not saved: the edits are kept in this session (ctrl+s tries again).", "warning")

    def reload(self) -> None:
        """Read the file again (edits are dropped); open nodes and the cursor stay on the same codes.

        A file that is no longer a budget is not loaded: its error is shown and everything stays as it was.
        """
        current = self.tree.cursor_model_node
        targets = [node.id for node in current.path()] if current is not None else []
        try:
            self.session.reload()
        except BudgetFileError as error:
            self.say(f"Not reloaded, your edits are kept: {error}", "error")
            return
        self.tree.show_model(self.session.tree, targets)
        self.refresh_status()
        self.say(f"Reloaded {self.session.path}")

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
        candidates = [problem.node] + ([("line", problem.key)] if problem.key is not None else [])
        node_id = next((candidate for candidate in candidates if candidate in self.session.tree.by_id), None)
        if node_id is not None:
            self.tree.reveal(node_id)
            return
        self.say(f"{problem.rule} concerns {self.session.where(problem)} of {self.session.path.name}, "
                 "not a line of the tree: fix it in the file.")

    def ask_save_as(self, why: str) -> None:
        """Ask for another file name (a new folder, for a folder) and write the budget with its edits there.

        The name offered is beside the original when that folder can be written, else in the home or temp folder.
        """
        original = self.session.path
        folder = self.session.is_folder
        suggestion = _writable_place(original, f"{original.stem}-edited{original.suffix}" if not folder else f"{original.name}-edited")

        def save_as(values: list[str]) -> str | None:
            target = Path(values[0].strip()).expanduser()
            if not values[0].strip():
                return "Type a folder name." if folder else "Type a file name."
            if not target.is_absolute():
                target = original.parent / target
            if os.path.lexists(target):
                return f"{clean(str(target))} already exists; choose another name."
            try:
                path = self.session.save_folder_as(target) if folder else self.session.save(target)
            except SaveError as error:
                return clean(str(error))
            self.say(f"Saved as {path}")
            for note in self.session.save_notes:
                self.say(note, "warning")
            self.refresh_status()
            return None

        title = f"{clean(why)} Save your edits as{' a new folder' if folder else ''}:"
        self.app.push_screen(FormScreen(title, [("Folder" if folder else "File", str(suggestion))], save_as))


def _group_of(node: Node) -> tuple[Kind, str | None, Fund]:
    """Kind, project and fund for a line added at this node: those of the line or project under the cursor."""
    if node.line is not None:
        return node.line.kind, node.line.project, node.line.fund
    group = next((ancestor for ancestor in node.path() if ancestor.level == "支出类型"), None)
    if group is not None and group.id[-2] == "project":
        first = next((leaf.line for leaf in group.walk() if leaf.line is not None), None)
        return Kind.PROJECT, group.id[-1], first.fund if first else Fund.GENERAL
    return Kind.BASIC, None, Fund.GENERAL


def _origin_of(node: Node, xiang: Node) -> int:
    """The department file a line added here goes to: that of the line under the cursor, else of the 项's lines."""
    if node.line is not None:
        return node.line.origin
    if xiang.id[0] == "d":
        return xiang.id[1]
    return next((leaf.line.origin for leaf in xiang.walk() if leaf.line is not None), 0)


def _writable_place(original: Path, name: str) -> Path:
    """Where a save-as may go: beside the original when its folder can be written, else home, else the temp folder."""
    for folder in (original.parent, Path.home(), Path(tempfile.gettempdir())):
        if os.access(folder, os.W_OK | os.X_OK):
            return folder / name
    return original.parent / name


def _holder(held: LockHeld) -> str:
    """`user@host (process N) since TIME`, or `another budget-tui` when the lock file says nothing."""
    return held.holder.describe() if held.holder is not None else "another budget-tui"
