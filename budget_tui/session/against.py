"""Another version of the open budget to compare with (`budget-tui NEW --against OLD`, the `O` key, or `--watch`'s
last look): read once, its subtotals kept per view, and the session's tree set beside it (core/against.py).

A base of Session (budget_tui.session): the attributes declared here are Session's fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from budget_tui.core.against import VersionComparison, compare_with, node_totals
from budget_tui.core.ids import NodeId
from budget_tui.core.model import Budget
from budget_tui.core.safetext import one_line
from budget_tui.core.tree import Tree
from budget_tui.core.versions import VersionDiff, VersionError, compare_versions, department_files
from budget_tui.files.fileformat import load
from budget_tui.files.save import Fingerprint
from budget_tui.i18n import _, ngettext


@dataclass
class Other:
    """The version the open budget is compared with."""

    budget: Budget
    label: str
    """How messages and the status line name it: its path, or `last look` for --watch's previous version."""
    files: tuple[str, ...] | None = None
    """A folder's department files by origin (their paths below the folder); None for a single file."""
    path: Path | None = None
    """Where it was read from (None: the open budget as it was before --watch reloaded it)."""
    _totals: dict[tuple[str, bool], dict[NodeId, Decimal]] = field(default_factory=dict, repr=False)

    def totals(self, view: str, by_department: bool) -> dict[NodeId, Decimal]:
        """Its subtotals in a view (functional or economic, by department or merged), built once."""
        key = (view, by_department)
        if key not in self._totals:
            self._totals[key] = node_totals(Tree(self.budget, view, by_department), self.files)
        return self._totals[key]


def read_other(path: Path) -> Other:
    """Read another version, a file or a folder; raises BudgetFileError (PATH:LINE:COL) when it is not a budget."""
    path = Path(path)
    budget = load(path)
    files = department_files(budget, path) if path.is_dir() else None
    return Other(budget, str(path), files, path)


def snapshot(budget: Budget, files: tuple[str, ...] | None, label: str) -> Other:
    """The budget as it is now, as the other version (edits to the open budget never touch it)."""
    return Other(replace(budget, lines=list(budget.lines)), label, files)


class Comparing:
    """Set the open budget beside another version, and say what that shows."""

    path: Path
    budget: Budget
    tree: Tree
    fingerprint: Fingerprint | None
    comparing: bool
    against: Other | None

    @property
    def department_files(self) -> tuple[str, ...] | None:
        """The open folder's department files by origin (paths below it); None for a single file."""
        return department_files(self.budget, self.path) if self.fingerprint is None else None

    def compare_with(self, other: Other) -> VersionDiff:
        """Compare the tree with other from now on (the 上版 columns shown); returns the diff of the two versions for a
        summary. Raises VersionError (a file against a folder, another unit, a line given twice) and changes nothing."""
        mine = self.department_files
        if (mine is None) != (other.files is None):
            kinds = (_("a folder"), _("a file")) if mine is not None else (_("a file"), _("a folder"))
            raise VersionError(
                _("{path} is {kind} and {other} is {other_kind}; compare a file with a file or a folder with a folder").format(
                    path=self.path, kind=kinds[0], other=other.label, other_kind=kinds[1]
                )
            )
        diff = compare_versions(other.budget, self.budget, other.files, mine)
        self.against, self.comparing = other, True
        return diff

    def stop_comparing(self) -> None:
        """Back to the file's [prior] figures for the comparison columns (shown or not as they were)."""
        self.against = None

    def version_comparison(self, tree: Tree | None = None) -> VersionComparison | None:
        """The tree (default: the session's) beside the other version; None when there is no other version."""
        if self.against is None:
            return None
        tree = self.tree if tree is None else tree
        others = self.against.totals(tree.view, tree.by_department)
        return compare_with(tree, others, self.department_files)


def summary(diff: VersionDiff, label: str) -> str:
    """What the other version differs in, in one line: `Against OLD: 2 lines changed, 1 added, … · 1 department removed`."""
    counts: dict[str, int] = {}
    for change in diff.lines:
        counts[change.status] = counts.get(change.status, 0) + 1
    if diff.equal:
        return one_line(_("Against {other}: the lines are the same.").format(other=label))
    parts = [
        ngettext("{n} line changed", "{n} lines changed", counts.get("changed", 0)).format(n=counts.get("changed", 0)),
        _("{n} added").format(n=counts.get("added", 0)),
        _("{n} removed").format(n=counts.get("removed", 0)),
        _("{n} moved").format(n=counts.get("moved", 0)),
    ]
    for status, word in (("added", _("department added")), ("removed", _("department removed"))):
        names = [department.file for department in diff.departments if department.status == status]
        if names:
            parts.append(f"{word}: {', '.join(names)}")
    return one_line(_("Against {other}: {parts} (budget-tui diff lists them)").format(other=label, parts="; ".join(parts)))


__all__ = ["Comparing", "Other", "read_other", "snapshot", "summary"]
