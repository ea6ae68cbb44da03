"""What the app shows and changes, kept apart from Textual: the budget, its editor, the tree and the file's fingerprint.

Like hledger-ui's state record, every change returns where the cursor should go afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from budget_tui.editing import Change, EditError, Editor, evaluate
from budget_tui.fileformat import load
from budget_tui.model import Budget, Line, LineKey
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
    view: str = FUNCTIONAL
    search: str = ""
    """The last search typed, repeated by next/previous match."""
    problems: int | None = field(default=None)
    """Count of consistency problems, once checks run in the app (None: not checked)."""

    @classmethod
    def open(cls, path: Path) -> Session:
        """Load a file; raises BudgetFileError (PATH:LINE:COL) when it is not a budget."""
        path = Path(path)
        budget = load(path)
        return cls(path, budget, Editor(budget), Tree(budget), Fingerprint.of(path, budget.sources[0].data))

    # -- queries -------------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self.editor.dirty

    def find(self, query: str) -> list[Node]:
        """Nodes matching the query by code prefix or name, in display order."""
        return self.tree.find(query) if query.strip() else []

    def changed_on_disk(self) -> bool:
        return changed_on_disk(self.path, self.fingerprint)

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
        """Write the edits (to path for save-as); raises SaveError when the file changed on disk or cannot be written."""
        source = save(self.budget, self.editor.changes(), self.fingerprint, path)
        self.editor.mark_saved()
        self.path = source.path
        self.fingerprint = Fingerprint.of(source.path, source.data)
        return source.path

    def reload(self) -> None:
        """Read the file again, dropping the edits in memory."""
        fresh = Session.open(self.path)
        self.budget, self.editor, self.tree, self.fingerprint = fresh.budget, fresh.editor, Tree(fresh.budget, self.view), fresh.fingerprint

    def _reflect(self, change: Change, forward: bool) -> Outcome:
        """Bring the tree in line with a change just applied (or undone) and say where the cursor goes."""
        previous, resulting = (change.before, change.after) if forward else (change.after, change.before)
        if previous is not None and resulting is not None and previous.key == resulting.key:
            changed = self.tree.update(resulting.key, resulting.amount)
            return Outcome([("line", resulting.key)], changed)
        targets = [] if resulting is None else [("line", resulting.key)]
        if previous is not None:
            targets += _neighbour_ids(self.tree.by_line[previous.key])
        self.tree = Tree(self.budget, self.view)
        return Outcome(targets)


def _neighbour_ids(node: Node) -> list[tuple]:
    """Where the cursor may go when a node disappears: its next and previous siblings, then its ancestors."""
    siblings = node.parent.children if node.parent is not None else []
    index = siblings.index(node)
    nearby = siblings[index + 1 : index + 2] + siblings[max(index - 1, 0) : index]
    return [sibling.id for sibling in nearby] + [ancestor.id for ancestor in node.path()[1:]]


__all__ = ["EditError", "Outcome", "Session"]
