"""What the app shows and changes, kept apart from Textual: the budget, its editor, the tree and the file's fingerprint.

Like hledger-ui's state record, every change returns where the cursor should go afterwards. The session also holds
the edit lock (a second budget-tui opens read-only), journals every change while it holds the lock, rechecks the
budget after every change, and keeps the review marks and comments (saved with the budget and on quit).

A folder opens as one consolidated budget: each file keeps its own fingerprint (a save checks and rewrites only the
files that changed), and the lock and journal are the folder's, beside it (`.FOLDER.budget-tui.lock`).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field, replace
from pathlib import Path

from budget_tui.core import adjust
from budget_tui.core.checks import Problem, check_budget, line_label
from budget_tui.core.compare import next_sort
from budget_tui.core.diff import Diff, since_loaded, since_saved
from budget_tui.core.editing import Batch, Change, EditError, Editor, evaluate
from budget_tui.core.ids import NodeId
from budget_tui.core.model import Budget, Line, LineKey
from budget_tui.core.money import format_amount
from budget_tui.core.safetext import clean, one_line
from budget_tui.core.tables import Table, build_table
from budget_tui.core.tree import ECONOMIC, FUNCTIONAL, Node, Tree
from budget_tui.files.fileformat import load
from budget_tui.files.journal import Journal, Recovered
from budget_tui.files.lock import EditLock, LockHeld
from budget_tui.files.review import Review, ReviewFileError, departments
from budget_tui.files.save import Fingerprint, SaveError, changed_on_disk, save, write_atomic

SYNC_CHECK_LINES = 2000
"""Up to this many lines the checks run at once after a change (tens of ms); above, in a worker after it shows."""

@dataclass
class Outcome:
    """What a change did to the tree, so the view can repaint the least and put the cursor back."""

    targets: list[NodeId]
    """Node ids for the cursor, best first: the changed line, then its neighbours and ancestors."""
    changed: list[Node] | None = None
    """The nodes whose totals changed in place; None when the tree was rebuilt."""

    @property
    def rebuilt(self) -> bool:
        return self.changed is None


@dataclass
class Session:
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
        budget, fingerprint, data = _read(path)
        return cls(path, budget, Editor(budget), Tree(budget), fingerprint, data)

    # -- queries -------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self.editor.dirty

    @property
    def is_folder(self) -> bool:
        return self.fingerprint is None

    def changed_files(self) -> list[Path]:
        """The files a save would rewrite: those with unsaved changes."""
        origins = {(new if new is not None else old).origin for old, new in self.editor.changes()}
        return [self.budget.sources[origin].path for origin in sorted(origins)]

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
        """Nodes matching the query by code prefix or name, in display order."""
        return self.tree.find(query) if query.strip() else []

    def changed_on_disk(self) -> bool:
        """True when the file (or any file of the folder) is no longer the one loaded or last saved."""
        if self.fingerprint is not None:
            return changed_on_disk(self.path, self.fingerprint)
        return any(
            isinstance(source.fingerprint, Fingerprint) and changed_on_disk(source.path, source.fingerprint)
            for source in self.budget.sources
        )

    def where(self, problem: Problem) -> str:
        """Where a problem is: `line 118`, or `NAME:118` when the budget comes from several files."""
        if len(self.budget.sources) > 1 and problem.source < len(self.budget.sources):
            return one_line(f"{self.budget.sources[problem.source].path.name}:{problem.line}")
        return f"line {problem.line}"

    def describe(self, change: Change) -> str:
        """A recorded change in plain words: `2010301 行政运行 / 30101 基本工资: 335.04 → 340.00`."""
        before, after = change.before, change.after
        label = clean(line_label(self.budget, before if before is not None else after))
        if before is None:
            return f"{label}: new line {format_amount(after.amount)}"
        if after is None:
            return f"{label}: {format_amount(before.amount)} → deleted"
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

    def checked(self, generation: int, problems: list[Problem]) -> bool:
        """Take a background check's problems, unless the budget changed since it started."""
        if generation != self.checks_generation:
            return False
        self.problems, self.problems_stale = problems, False
        return True

    # -- the lock and the journal ----------------------------------------------------------

    def take_lock(self) -> LockHeld | None:
        """Take the edit lock; when another budget-tui holds it, go read-only and say who (see edit_anyway)."""
        lock = EditLock(self.path)
        try:
            lock.acquire()
        except LockHeld as held:
            self.holder, self.read_only = held, True
            return held
        except OSError as error:  # a folder we cannot write to: no lock, no journal, and saves will say why
            where = lock.lock_path.parent
            self.journal_trouble = (
                f"No crash journal: {clean(str(where))} cannot be written ({clean(error.strerror or str(error))}), "
                "so there is no edit lock either and edits are lost if this session ends without saving. "
                "If a save fails, Save as writes the edits to a place you can write."
            )
            return None
        self.lock = lock
        return None

    def edit_anyway(self) -> None:
        """Edit although another budget-tui holds the lock; the journal is the holder's, so this session keeps none."""
        self.read_only = False

    def recover(self) -> Recovered | None:
        """Unsaved changes an earlier session left in the journal, for the user to replay or discard.

        Each entry goes to the file it names, and only while that file has the bytes the edit was made to; the others
        come back refused (Recovered.refused), to be shown. Until the user chooses (replay or start_journal), nothing
        is journaled and quitting leaves the journal in place. With no journal, journaling starts at once.
        Raises JournalError when the journal cannot be read at all (see set_aside_journal and read_only_why).
        """
        if self.lock is None:
            return None
        recovered = Journal(self.path).recover(self.journal_files())
        if recovered is None or not (recovered.changes or recovered.refused):
            self.start_journal()
            return None
        return recovered

    def journal_files(self) -> list[tuple[str, bytes]]:
        """How journal entries name each file (in origin order), and its bytes as loaded or last saved."""
        if not self.is_folder:
            return [(Journal(self.path).name, self.base)]
        return [(source.path.relative_to(self.path).as_posix(), source.data) for source in self.budget.sources]

    def start_journal(self) -> None:
        """Journal every change from now on, dropping whatever journal an earlier session left."""
        self.journal = Journal(self.path)
        try:
            self.journal.discard()
        except OSError as error:  # something that is not a journal is in its place (a folder)
            self.journal = None
            self.journal_trouble = f"edits are not journaled: cannot remove {clean(str(Journal(self.path).path))} ({clean(error.strerror or str(error))})"

    def set_aside_journal(self) -> Path:
        """Rename the journal an earlier session left (unreadable, or with edits refused) out of the way; its new name.

        Raises OSError when it cannot be renamed.
        """
        return Journal(self.path).set_aside()

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
        self.tree = self.build_tree()
        self.recheck()
        return Outcome(targets), skipped

    def discard_journal(self) -> None:
        """Remove this session's journal: the edits are saved, or the user chose to drop them."""
        if self.journal is not None:
            try:
                self.journal.discard()
            except OSError as error:  # harmless once the edits are saved: its entries no longer match the files
                self.journal_trouble = f"the journal {clean(str(self.journal.path))} could not be removed ({clean(error.strerror or str(error))})"

    def close(self) -> None:
        """Let go of the lock (the journal stays unless a save or a quit removed it)."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def _record(self, change: Change) -> None:
        """Journal a change as it is applied; a journal that cannot be written (full disk) is reported, not fatal."""
        if self.journal is None:
            return
        try:
            if self.is_folder:
                source = self.budget.sources[(change.after or change.before).origin]
                self.journal.record(change, source.data, source.path.relative_to(self.path).as_posix())
            else:
                self.journal.record(change, self.base)
        except OSError as error:
            self.journal_trouble = f"the change is made but not journaled ({error}); save soon"

    # -- changes -------------------------------------------------------------------------

    def set_amount(self, key: LineKey, typed: str) -> Outcome:
        """Apply typed input (340, +12.5, *1.05, -8%) to a line; raises EditError and changes nothing when invalid."""
        current = self.editor.line(key).amount
        amount = evaluate(typed, current)
        return self._reflect(self.editor.set_amount(key, amount), forward=True)

    def add_line(self, line: Line) -> Outcome:
        return self._reflect(self.editor.add_line(line), forward=True)

    def delete_line(self, key: LineKey) -> Outcome:
        return self._reflect(self.editor.delete_line(key), forward=True)

    def change_economic(self, key: LineKey, economic: str) -> Outcome:
        economic = economic.strip()
        if not (len(economic) == 5 and economic.isdigit() and economic.startswith("3")):
            raise EditError(f"{economic!r} is not an economic 款 code; type five digits such as 30201")
        return self._reflect(self.editor.change_economic(key, economic), forward=True)

    def adjustment(self, node: Node, typed: str) -> adjust.Adjustment:
        """The preview of scaling every line below node as typed (-8%, *0.9, -50 or a new total); raises EditError."""
        return adjust.plan(node, typed)

    def adjust(self, adjustment: adjust.Adjustment) -> Outcome:
        """Apply a previewed bulk adjustment as one undo step; raises EditError when no line moves or one changed since."""
        self._reflect(adjust.apply(self.editor, adjustment), forward=True)
        return Outcome([adjustment.node_id])

    # -- views ---------------------------------------------------------------------------

    def build_tree(self) -> Tree:
        return Tree(self.budget, self.view, self.by_department)

    def toggle_view(self, current: Node | None) -> Outcome:
        """Switch between the functional and the economic view; a line keeps the cursor (it has one id in both)."""
        self.view = ECONOMIC if self.view == FUNCTIONAL else FUNCTIONAL
        self.tree = self.build_tree()
        return Outcome([current.id] if current is not None and current.is_leaf else [])

    def toggle_departments(self, current: Node | None) -> Outcome:
        """A folder's tree: merge the departments into one tree, or put them back on top; the cursor keeps its codes."""
        merging = self.tree.by_department
        self.by_department = not merging
        self.tree = self.build_tree()
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

    # -- review marks and comments -------------------------------------------------------

    def save_review(self) -> Path | None:
        """Write the marks and comments changed here to the side file (merged with others'); None when none changed.

        Raises OSError when the side file cannot be written.
        """
        if self.review is None or not self.review.dirty:
            return None
        self.review.save()
        return self.review.path

    def undo(self) -> Outcome | None:
        change = self.editor.undo()
        return None if change is None else self._reflect(change, forward=False)

    def redo(self) -> Outcome | None:
        change = self.editor.redo()
        return None if change is None else self._reflect(change, forward=True)

    def save(self, path: Path | None = None) -> Path:
        """Write the edits (to path for save-as); raises SaveError when the file changed on disk or cannot be written.

        A folder rewrites only its changed files, each checked against its own fingerprint. A failed save keeps the
        edits in memory and in the journal; a successful one removes the journal.
        """
        if self.is_folder and path is not None:
            raise SaveError("save under another name works on a single department file, not a folder")
        self.save_notes = []
        source = save(self.budget, self.editor.changes(), self.fingerprint, path, self.save_notes)
        self.editor.mark_saved()
        self.discard_journal()
        if self.is_folder:
            self.base = _joined(self.budget)
            return self.path
        if source.path != self.path:
            self._move_to(source.path)
        self.base = source.data
        self.fingerprint = source.fingerprint  # taken under the save lock, before anybody else could save
        return source.path

    def save_folder_as(self, target: Path) -> Path:
        """Write the folder with its edits to a new folder (created here; it must not exist yet): every file, the
        edited ones with their edits, then edit the new folder. The folder itself is left as it is.

        Raises SaveError and leaves nothing behind when it cannot be done; the edits stay in memory and in the journal.
        """
        target = Path(target)
        if not self.is_folder:
            raise SaveError("save a folder as works on a folder; this is a single file")
        if os.path.lexists(target):
            raise SaveError(f"{target} already exists; choose a new folder")
        if Path(os.path.realpath(target.parent)).is_relative_to(os.path.realpath(self.path)):
            raise SaveError(f"{target} is inside {self.path}; choose a folder outside it")
        try:
            os.mkdir(target)
        except OSError as error:
            raise SaveError(f"cannot create {target}: {error.strerror or error}; the edits are kept") from None
        sources = list(self.budget.sources)
        try:
            for origin, source in enumerate(sources):
                copy = target / source.path.relative_to(self.path)
                copy.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(copy, source.data)
                self.budget.sources[origin] = replace(source, path=copy, fingerprint=Fingerprint.of(copy, source.data))
            save(self.budget, self.editor.changes())
        except (OSError, SaveError) as error:
            self.budget.sources[:] = sources
            shutil.rmtree(target, ignore_errors=True)
            if isinstance(error, SaveError):
                raise
            raise SaveError(f"cannot write {target}: {error.strerror or error}; the edits are kept") from None
        self.editor.mark_saved()
        self.discard_journal()
        self.base = _joined(self.budget)
        self._move_to(target)
        return target

    def reload(self) -> None:
        """Read the file again, dropping the edits in memory and their journal; raises BudgetFileError and keeps
        everything as it was when the file is no longer a budget."""
        self.budget, self.fingerprint, self.base = _read(self.path)
        self.editor, self.tree = Editor(self.budget), self.build_tree()
        self.editor.listeners.append(self._record)
        self.discard_journal()
        self.recheck()

    def _move_to(self, path: Path) -> None:
        """After a save-as, edit the new file: its lock and journal replace those of the old one."""
        had_lock = self.lock is not None
        self.close()
        self.path, self.journal = path, None
        if had_lock and self.take_lock() is None and self.lock is not None:
            self.start_journal()

    def _reflect(self, change: Change | Batch, forward: bool) -> Outcome:
        """Bring the tree in line with a change just applied (or undone), recheck, and say where the cursor goes."""
        self.recheck()
        if isinstance(change, Batch):
            self.tree = self.build_tree()
            return Outcome([])
        previous, resulting = (change.before, change.after) if forward else (change.after, change.before)
        if previous is not None and resulting is not None and previous.key == resulting.key:
            changed = self.tree.update(resulting.key, resulting.amount)
            return Outcome([NodeId.line(resulting.key)], changed)
        targets = [] if resulting is None else [NodeId.line(resulting.key)]
        if previous is not None:
            targets += _neighbour_ids(self.tree.by_line[previous.key])
        self.tree = self.build_tree()
        return Outcome(targets)


def _read(path: Path) -> tuple[Budget, Fingerprint | None, bytes]:
    """The budget in a file or folder, the file's fingerprint (None for a folder) and its bytes; raises BudgetFileError."""
    budget = load(path)
    if path.is_dir():
        return budget, None, _joined(budget)
    data = budget.sources[0].data
    return budget, Fingerprint.of(path, data), data


def _joined(budget: Budget) -> bytes:
    """A folder's files' bytes one after another: what its journal's edits apply to."""
    return b"".join(source.data for source in budget.sources)


def _neighbour_ids(node: Node) -> list[NodeId]:
    """Where the cursor may go when a node disappears: its next and previous siblings, then its ancestors."""
    siblings = node.parent.children if node.parent is not None else []
    index = siblings.index(node)
    nearby = siblings[index + 1 : index + 2] + siblings[max(index - 1, 0) : index]
    return [sibling.id for sibling in nearby] + [ancestor.id for ancestor in node.path()[1:]]


__all__ = ["EditError", "Outcome", "Session"]
