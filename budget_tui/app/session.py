"""What the app shows and changes, kept apart from Textual: the budget, its editor, the tree and the file's fingerprint.

Like hledger-ui's state record, every change returns where the cursor should go afterwards. The session also holds
the edit lock (a second budget-tui opens read-only), journals every change while it holds the lock, and rechecks the
budget after every change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from budget_tui.checks import Problem, check_budget, line_label
from budget_tui.editing import Batch, Change, EditError, Editor, evaluate
from budget_tui.fileformat import load
from budget_tui.journal import Journal, Recovered
from budget_tui.lock import EditLock, LockHeld
from budget_tui.model import Budget, Line, LineKey
from budget_tui.money import format_amount
from budget_tui.safetext import clean
from budget_tui.save import Fingerprint, changed_on_disk, save
from budget_tui.tree import FUNCTIONAL, Node, Tree


@dataclass
class Outcome:
    """What a change did to the tree, so the view can repaint the least and put the cursor back."""

    targets: list[tuple]
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
    fingerprint: Fingerprint
    """The file as it was loaded or last saved: a save refuses to overwrite anything else."""
    base: bytes = b""
    """The bytes of the file as loaded or last saved: the journaled edits apply to these."""
    view: str = FUNCTIONAL
    search: str = ""
    """The last search typed, repeated by next/previous match."""
    problems: list[Problem] = field(default_factory=list)
    """The consistency problems of the budget as it is now, rechecked after every change."""
    read_only: bool = False
    """True when another budget-tui holds the lock and the user did not insist: every change is refused."""
    holder: LockHeld | None = None
    """Who held the lock when this session tried to take it (None when this session has it or never asked)."""
    lock: EditLock | None = None
    """The edit lock, while this session holds it."""
    journal: Journal | None = None
    """Where every change is recorded until saved; only the lock holder journals (the journal is per file)."""
    journal_trouble: str | None = None
    """Why the last change could not be journaled (a full disk), until the screen has said so."""

    def __post_init__(self) -> None:
        self.editor.listeners.append(self._record)
        self.recheck()

    @classmethod
    def open(cls, path: Path) -> Session:
        """Load a file; raises BudgetFileError (PATH:LINE:COL) when it is not a budget."""
        path = Path(path)
        budget, fingerprint, data = _read(path)
        return cls(path, budget, Editor(budget), Tree(budget), fingerprint, data)

    # -- queries -------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self.editor.dirty

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
        return changed_on_disk(self.path, self.fingerprint)

    def where(self, problem: Problem) -> str:
        """Where a problem is: `line 118`, or `NAME:118` when the budget comes from several files."""
        if len(self.budget.sources) > 1 and problem.source < len(self.budget.sources):
            return f"{self.budget.sources[problem.source].path.name}:{problem.line}"
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
        """Run every consistency rule on the budget as it is now."""
        self.problems = check_budget(self.budget)

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
            self.journal_trouble = f"edits are not journaled: cannot create the lock beside the file ({error})"
            return None
        self.lock = lock
        return None

    def edit_anyway(self) -> None:
        """Edit although another budget-tui holds the lock; the journal is the holder's, so this session keeps none."""
        self.read_only = False

    def recover(self) -> Recovered | None:
        """Unsaved changes an earlier session left in the journal, for the user to replay or discard.

        Until they choose (replay or start_journal), nothing is journaled and quitting leaves the journal in place.
        With no such changes, journaling starts at once.
        """
        if self.lock is None:
            return None
        recovered = Journal(self.path).recover(self.base)
        if recovered is None or not recovered.changes:
            self.start_journal()
            return None
        return recovered

    def start_journal(self) -> None:
        """Journal every change from now on, dropping whatever journal an earlier session left."""
        self.journal = Journal(self.path)
        self.journal.discard()

    def replay(self, changes: list[Change]) -> tuple[Outcome, list[tuple[Change, str]]]:
        """Apply recorded changes that still apply (journaled anew); the others come back with the reason."""
        self.start_journal()
        skipped: list[tuple[Change, str]] = []
        targets: list[tuple] = []
        for change in changes:
            try:
                applied = self.editor.replay(change)
            except EditError as error:
                skipped.append((change, str(error)))
                continue
            targets += [("line", applied.after.key)] if applied.after is not None else []
        self.tree = Tree(self.budget, self.view)
        self.recheck()
        return Outcome(targets), skipped

    def discard_journal(self) -> None:
        """Remove this session's journal: the edits are saved, or the user chose to drop them."""
        if self.journal is not None:
            self.journal.discard()

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

    def undo(self) -> Outcome | None:
        change = self.editor.undo()
        return None if change is None else self._reflect(change, forward=False)

    def redo(self) -> Outcome | None:
        change = self.editor.redo()
        return None if change is None else self._reflect(change, forward=True)

    def save(self, path: Path | None = None) -> Path:
        """Write the edits (to path for save-as); raises SaveError when the file changed on disk or cannot be written.

        A failed save keeps the edits in memory and in the journal; a successful one removes the journal.
        """
        source = save(self.budget, self.editor.changes(), self.fingerprint, path)
        self.editor.mark_saved()
        self.discard_journal()
        if source.path != self.path:
            self._move_to(source.path)
        self.base = source.data
        self.fingerprint = Fingerprint.of(source.path, source.data)
        return source.path

    def reload(self) -> None:
        """Read the file again, dropping the edits in memory and their journal; raises BudgetFileError and keeps
        everything as it was when the file is no longer a budget."""
        self.budget, self.fingerprint, self.base = _read(self.path)
        self.editor, self.tree = Editor(self.budget), Tree(self.budget, self.view)
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
            self.tree = Tree(self.budget, self.view)
            return Outcome([])
        previous, resulting = (change.before, change.after) if forward else (change.after, change.before)
        if previous is not None and resulting is not None and previous.key == resulting.key:
            changed = self.tree.update(resulting.key, resulting.amount)
            return Outcome([("line", resulting.key)], changed)
        targets = [] if resulting is None else [("line", resulting.key)]
        if previous is not None:
            targets += _neighbour_ids(self.tree.by_line[previous.key])
        self.tree = Tree(self.budget, self.view)
        return Outcome(targets)


def _read(path: Path) -> tuple[Budget, Fingerprint, bytes]:
    """The budget in a file, the file's fingerprint and its bytes; raises BudgetFileError."""
    budget = load(path)
    data = budget.sources[0].data
    return budget, Fingerprint.of(path, data), data


def _neighbour_ids(node: Node) -> list[tuple]:
    """Where the cursor may go when a node disappears: its next and previous siblings, then its ancestors."""
    siblings = node.parent.children if node.parent is not None else []
    index = siblings.index(node)
    nearby = siblings[index + 1 : index + 2] + siblings[max(index - 1, 0) : index]
    return [sibling.id for sibling in nearby] + [ancestor.id for ancestor in node.path()[1:]]


__all__ = ["EditError", "Outcome", "Session"]
