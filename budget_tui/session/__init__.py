"""What the app shows and changes, kept apart from Textual: the budget, its editor, the tree and the file's fingerprint.

Like hledger-ui's state record, every change returns where the cursor should go afterwards. The session also holds
the edit lock (a second budget-tui opens read-only), journals every change while it holds the lock, rechecks the
budget after every change, and keeps the review marks and comments (saved with the budget and on quit).

A folder opens as one consolidated budget: each file keeps its own fingerprint (a save checks and rewrites only the
files that changed), and the lock and journal are the folder's, beside it (`.FOLDER.budget-tui.lock`).

Session's bases each keep one part: guard.py the lock, read-only and the journal; saving.py save, save-as and the
review file. This module keeps the state, the queries, the changes, the views and the checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from budget_tui.core import adjust
from budget_tui.core import search as matching
from budget_tui.core.additions import economic_code
from budget_tui.core.checks import Problem, check_budget, line_label
from budget_tui.core.compare import next_sort
from budget_tui.core.diff import Diff, since_loaded, since_saved
from budget_tui.core.editing import Batch, Change, EditError, Editor, evaluate, preview
from budget_tui.core.gcpause import frozen_when_built, refreeze, thaw
from budget_tui.core.ids import Level, NodeId
from budget_tui.core.model import Budget, Fund, Kind, Line, LineKey
from budget_tui.core.money import ZERO, format_amount
from budget_tui.core.safetext import clean, one_line
from budget_tui.core.tables import Table, build_table
from budget_tui.core.tree import ECONOMIC, FUNCTIONAL, Node, Tree
from budget_tui.files.journal import Journal
from budget_tui.files.lock import EditLock, LockHeld
from budget_tui.files.review import Review, ReviewFileError, departments
from budget_tui.files.save import Fingerprint
from budget_tui.i18n import _
from budget_tui.session.against import Comparing, Other
from budget_tui.session.apart import check_apart
from budget_tui.session.guard import holder_words
from budget_tui.session.outcome import Outcome, Place, neighbour_ids
from budget_tui.session.saving import Saving, read

SYNC_CHECK_LINES = 2000
"""Up to this many lines the checks run at once after a change (tens of ms); above, in a worker after it shows."""

@dataclass
class Session(Comparing, Saving):
    """One open budget file and everything derived from it."""

    path: Path
    budget: Budget
    editor: Editor
    tree: Tree
    fingerprint: Fingerprint | None
    """The file as it was loaded or last saved: a save refuses to overwrite anything else (None for a folder, whose
    files each keep theirs in budget.sources)."""
    base: bytes = b""
    """The bytes of the file (a folder's files one after another) as loaded or last saved: journaled edits apply to these."""
    view: str = FUNCTIONAL
    by_department: bool | None = None
    """A folder's tree: departments on top (True), merged into one tree (False), or the tree's default (None)."""
    comparing: bool = False
    """True while the tree shows 上年 / 本年 / 增减 / 增减% beside each node that has a prior figure."""
    against: Other | None = None
    """Another version the comparison columns show beside this one (上版 / 本版) in place of the file's [prior]."""
    sort_by: str = "code"
    """How the tree orders children: code, amount or change."""
    review: Review | None = None
    """The reviewers' marks and comments (None when the side file cannot be read: review_trouble says why)."""
    review_trouble: str | None = None
    search: str = ""
    """The last search typed, repeated by next/previous match."""
    problems: list[Problem] = field(default_factory=list)
    """The consistency problems of the budget as it is now, rechecked after every change."""
    problems_stale: bool = False
    """True when a large budget changed and its checks are still to run (in the background)."""
    checks_generation: int = 0
    """Counts the changes of a large budget, so that the result of an outdated check is dropped."""
    checks_started: int = -1
    """The change (checks_generation) whose background check was started last."""
    read_only: bool = False
    """True when another budget-tui holds the lock and the user did not insist: every change is refused."""
    read_only_why: str | None = None
    """Why the session is read-only when it is not another budget-tui's lock (a journal that cannot be read)."""
    holder: LockHeld | None = None
    """Who held the lock when this session tried to take it (None when this session has it or never asked)."""
    lock: EditLock | None = None
    """The edit lock, while this session holds it."""
    journal: Journal | None = None
    """Where every change is recorded until saved; only the lock holder journals (the journal is per file)."""
    journal_trouble: str | None = None
    """Why the last change could not be journaled (a full disk), until the screen has said so."""
    save_notes: list[str] = field(default_factory=list)
    """What the last save changed beyond the text, for the user to know: hard links split, the file's owner."""
    thawed: bool = False
    """True when the frozen objects were given back to the collector (a tree replaced) and are to be frozen again
    (see budget_tui.core.gcpause): after the next background check, when the old tree's rows are long gone."""

    def __post_init__(self) -> None:
        self.editor.listeners.append(self._record)
        self.recheck()
        try:
            self.review = Review.open(self.path, departments(self.budget, self.path))
        except (ReviewFileError, OSError) as error:
            self.review_trouble = (
                f"review marks are off: {error}. The budget is not affected; to mark and comment, fix that file or "
                "rename it (a new one is started) and open the budget again."
            )

    @classmethod
    def open(cls, path: Path) -> Session:
        """Load a file or a folder of them; raises BudgetFileError (PATH:LINE:COL) when it is not a budget."""
        path = Path(path)
        with frozen_when_built():  # the lines, the editor's copies and the tree live as long as the session
            budget, fingerprint, data = read(path)
            return cls(path, budget, Editor(budget), Tree(budget), fingerprint, data)

    # -- queries -------------------------------------------------------------------------

    def table(self, number: int) -> Table:
        """Disclosure table number (1–9) of the budget as it is now."""
        return build_table(self.budget, number)

    def diffs(self) -> tuple[Diff, Diff]:
        """What changed since the file was loaded, and since it was last saved."""
        return since_loaded(self.editor), since_saved(self.editor)

    @property
    def errors(self) -> int:
        return sum(problem.is_error for problem in self.problems)

    @property
    def warnings(self) -> int:
        return len(self.problems) - self.errors

    def find(self, query: str) -> list[Node]:
        """Nodes matching the query by code prefix or name, in display order (see search_matches)."""
        return self.search_matches(query)

    def search_matches(self, typed: str) -> list[Node]:
        """Nodes matching a typed query (core/search.py: text normalised with NFKC and case folding, and the filters
        is:changed since loaded, is:unreviewed, >N), in display order; raises QueryError when a filter cannot be read."""
        query = matching.parse_query(typed)
        if query.is_empty:
            return []
        changed = matching.changed_keys(self.editor.changes(self.editor.loaded)) if query.changed else set()
        reviewed = self.review.is_reviewed if self.review is not None else None
        return matching.find(self.tree.root.walk(), matching.predicate(query, changed, reviewed))

    def nothing_flagged(self) -> bool:
        """True when no node of the tree is reviewed or commented yet: `]` (next unreviewed or commented) would only
        step to the next node, so it says so instead."""
        review = self.review
        if review is None:
            return False
        noted = (review.note(node.id) for node in self.tree.root.walk())
        return not any(note is not None and (note.reviewed or note.comment) for note in noted)

    def where(self, problem: Problem) -> str:
        """Where a problem is: `line 118`, or `NAME:118` when the budget comes from several files."""
        if len(self.budget.sources) > 1 and problem.source < len(self.budget.sources):
            return one_line(f"{self.budget.sources[problem.source].path.name}:{problem.line}")
        return _("line {n}").format(n=problem.line)

    def describe(self, change: Change) -> str:
        """A recorded change in plain words: `2010301 行政运行 / 30101 基本工资: 335.04 → 340.00`."""
        before, after = change.before, change.after
        line = before if before is not None else after
        assert line is not None  # a change has a line before it, after it, or both
        label = clean(line_label(self.budget, line))
        if before is None:
            assert after is not None
            return _("{line}: new line {amount}").format(line=label, amount=format_amount(after.amount))
        if after is None:
            return _("{line}: {amount} → deleted").format(line=label, amount=format_amount(before.amount))
        if before.key != after.key:
            return f"{label} → {after.economic}: {format_amount(after.amount)}"
        return f"{label}: {format_amount(before.amount)} → {format_amount(after.amount)}"

    def recheck(self) -> None:
        """Run every consistency rule on the budget as it is now; a large budget's run is left to a worker."""
        if len(self.budget.lines) <= SYNC_CHECK_LINES:
            self.problems, self.problems_stale = check_budget(self.budget), False
        else:
            self.problems_stale = True
            self.checks_generation += 1

    def checks_snapshot(self) -> tuple[int, Budget]:
        """What a background check works on: the lines as they are now, in a list no edit will touch."""
        return self.checks_generation, replace(self.budget, lines=list(self.budget.lines))

    def check_to_start(self) -> tuple[int, Budget] | None:
        """What a background check is to work on now (see checks_snapshot); None when one for the budget as it is has
        already started: the user paused again without changing anything."""
        if self.checks_started == self.checks_generation:
            return None
        self.checks_started = self.checks_generation
        return self.checks_snapshot()

    def checked(self, generation: int, problems: list[Problem]) -> bool:
        """Take a background check's problems, unless the budget changed since it started."""
        if generation != self.checks_generation:
            return False
        self.problems, self.problems_stale = problems, False
        if self.thawed:
            self.thawed = False
            refreeze()
        return True

    def replay(self, changes: list[Change]) -> tuple[Outcome, list[tuple[Change, str]]]:
        """Apply recorded changes that still apply (journaled anew); the others come back with the reason."""
        self.start_journal()
        skipped: list[tuple[Change, str]] = []
        targets: list[NodeId] = []
        for change in changes:
            try:
                applied = self.editor.replay(change)
            except EditError as error:
                skipped.append((change, str(error)))
                continue
            targets += [NodeId.line(applied.after.key)] if applied.after is not None else []
        self._replace_tree()
        self.recheck()
        return Outcome(targets), skipped

    # -- changes -------------------------------------------------------------------------

    def set_amount(self, key: LineKey, typed: str) -> Outcome:
        """Apply typed input (340, +12.5, *1.05, 95%, -8%) to a line; raises EditError and changes nothing when invalid.

        Input that leaves the amount as it is is not an edit: Outcome.unchanged, and nothing is recorded.
        """
        current = self.editor.line(key).amount
        amount = evaluate(typed, current)
        return self._reflect_unless_noop(self.editor.set_amount(key, amount), NodeId.line(key))

    def amount_preview(self, key: LineKey, typed: str) -> str:
        """What the typed input would make of the line's amount, for the edit box to show: `100.00 → 95.00`."""
        return preview(typed, self.editor.line(key).amount)

    def add_line(self, line: Line) -> Outcome:
        return self._reflect(self.editor.add_line(line), forward=True)

    def delete_line(self, key: LineKey) -> Outcome:
        return self._reflect(self.editor.delete_line(key), forward=True)

    def change_economic(self, key: LineKey, economic: str) -> Outcome:
        """Move a line to another economic code; to the code it has, Outcome.unchanged and nothing is recorded."""
        economic = economic_code(economic)
        return self._reflect_unless_noop(self.editor.change_economic(key, economic), NodeId.line(key))

    def place_for_line(self, node: Node | None) -> Place | None:
        """Where a line added with the cursor on node goes: its 项, with the kind, project and fund of the line or
        project under the cursor and the department file of the 项's lines; None when the cursor is above any 项."""
        item = next((ancestor for ancestor in (node.path() if node else []) if ancestor.level is Level.ITEM), None)
        if node is None or item is None:
            return None
        if node.line is not None:
            line = node.line
            return Place(item, line.kind, line.project, line.fund, line.origin)
        kind, project, fund = Kind.BASIC, None, Fund.GENERAL
        group = next((ancestor for ancestor in node.path() if ancestor.level is Level.GROUP), None)
        if group is not None and group.id.is_project_group:
            first = next((leaf.line for leaf in group.walk() if leaf.line is not None), None)
            kind, project, fund = Kind.PROJECT, group.id.project, first.fund if first else Fund.GENERAL
        origin = item.id.department_origin
        if not isinstance(origin, int):
            origin = next((leaf.line.origin for leaf in item.walk() if leaf.line is not None), 0)
        return Place(item, kind, project, fund, origin)

    def new_line(self, place: Place, economic: str, typed: str) -> Line:
        """The line to add at place from the economic code and amount typed; raises EditError when either is wrong."""
        code, amount = economic_code(economic), evaluate(typed, ZERO)
        return Line(place.item.code, code, amount, place.kind, place.fund, place.project, origin=place.origin)

    def adjustment(self, node: Node, typed: str) -> adjust.Adjustment:
        """The preview of scaling every line below node as typed (-8%, *0.9, -50 or a new total); raises EditError."""
        return adjust.plan(node, typed)

    def adjust(self, adjustment: adjust.Adjustment) -> Outcome:
        """Apply a previewed bulk adjustment as one undo step; raises EditError when no line moves or one changed since."""
        batch = adjust.apply(self.editor, adjustment)
        if batch is None:
            return Outcome([NodeId(adjustment.node_id)], [], unchanged=True)
        self._reflect(batch, forward=True)
        return Outcome([NodeId(adjustment.node_id)])

    # -- views ---------------------------------------------------------------------------

    def build_tree(self) -> Tree:
        return Tree(self.budget, self.view, self.by_department)

    def _replace_tree(self) -> None:
        """A new tree from the lines; the objects frozen at opening go back to the collector, the old tree among them."""
        self.tree = self.build_tree()
        thaw()
        self.thawed = True

    def toggle_view(self, current: Node | None) -> Outcome:
        """Switch between the functional and the economic view; a line keeps the cursor (it has one id in both)."""
        self.view = ECONOMIC if self.view == FUNCTIONAL else FUNCTIONAL
        self._replace_tree()
        return Outcome([current.id] if current is not None and current.is_leaf else [])

    def toggle_departments(self, current: Node | None) -> Outcome:
        """A folder's tree: merge the departments into one tree, or put them back on top; the cursor keeps its codes."""
        merging = self.tree.by_department
        self.by_department = not merging
        self._replace_tree()
        if current is None:
            return Outcome([])
        if merging:
            return Outcome([node.id.local for node in current.path()])
        line = current.line or next((leaf.line for leaf in current.walk() if leaf.line is not None), None)
        department = line.origin if line is not None else None
        return Outcome([node.id.in_department(department) for node in current.path()])

    def next_sort(self) -> str:
        self.sort_by = next_sort(self.sort_by)
        return self.sort_by

    def undo(self) -> Outcome | None:
        change = self.editor.undo()
        return None if change is None else self._reflect(change, forward=False)

    def redo(self) -> Outcome | None:
        change = self.editor.redo()
        return None if change is None else self._reflect(change, forward=True)

    def reload(self, loaded: tuple[Budget, Fingerprint | None, bytes] | None = None) -> None:
        """Read the file again (or take what a watch read), dropping the edits in memory and their journal; raises
        BudgetFileError and keeps everything as it was when the file is no longer a budget."""
        self.budget, self.fingerprint, self.base = read(self.path) if loaded is None else loaded
        self.editor = Editor(self.budget)
        self._replace_tree()
        self.editor.listeners.append(self._record)
        if self.review is not None:  # a folder may have gained or lost a file: marks follow their file's path
            self.review.departments = departments(self.budget, self.path)
        self.discard_journal()
        self.recheck()

    def _reflect_unless_noop(self, change: Change | None, target: tuple) -> Outcome:
        """The outcome of a change just applied, or of one that was not made because it changed nothing (the cursor
        stays on target, nothing is repainted)."""
        return Outcome([NodeId(target)], [], unchanged=True) if change is None else self._reflect(change, forward=True)

    def _reflect(self, change: Change | Batch, forward: bool) -> Outcome:
        """Bring the tree in line with a change just applied (or undone), recheck, and say where the cursor goes."""
        self.recheck()
        if isinstance(change, Batch):
            self._replace_tree()
            return Outcome([])
        previous, resulting = (change.before, change.after) if forward else (change.after, change.before)
        if previous is not None and resulting is not None and previous.key == resulting.key:
            changed = self.tree.update(resulting.key, resulting.amount)
            return Outcome([NodeId.line(resulting.key)], changed)
        targets = [] if resulting is None else [NodeId.line(resulting.key)]
        if previous is not None:
            targets += neighbour_ids(self.tree.by_line[previous.key])
        self._replace_tree()
        return Outcome(targets)


__all__ = ["EditError", "Outcome", "Place", "Session", "check_apart", "economic_code", "holder_words"]
