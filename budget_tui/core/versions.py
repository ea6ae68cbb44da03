"""Two versions of a budget compared (`budget-tui diff OLD NEW`): every line added, removed, changed or
moved, the subtotals that moved in both classifications, and, for folders, the departments added or removed.

Pure: two budgets in, data out; budget_tui/text/versions.py writes it as text. (core/diff.py is another
thing: the edits of the current session.)

The matching rule (docs/diff.md):
1. A line's key is its department file (folders only: the file's path below the folder), functional
   code, economic code, kind, fund and project. Lines of the two versions with the same key are the same
   line; it is *changed* when its amount or its category (人员经费 / 公用经费 as the file says) differ.
2. Of the lines left without a partner, a removed line and an added line are one *moved* line when they
   are in the same department file, have the same amount and the same category, and differ either in the
   economic code only (recoded), or not in the economic code (another functional code, another project or
   基本支出, another fund, or several of these).
3. The pairing is 1:1 and deterministic: candidate pairs are taken fewest differing key parts first, then
   in the order of the removed line, then of the added line (both in display order); a pair whose lines
   are already taken is passed over.
4. The other lines are *removed* or *added*. The lines of a department file found in one folder only are
   not listed: the department is shown as added or removed, with its total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import NamedTuple

from budget_tui.core.against import node_totals, portable
from budget_tui.core.figures import rate
from budget_tui.core.ids import Level, NodeId
from budget_tui.core.model import Budget, Category, Fund, Kind, Line
from budget_tui.core.money import ZERO, total
from budget_tui.core.tree import ECONOMIC, FUNCTIONAL, Node, Tree
from budget_tui.i18n import _

ADDED, REMOVED, CHANGED, MOVED = "added", "removed", "changed", "moved"
RATE_DECIMALS = 1
"""Rates are percents with one decimal, rounded half up."""

# The key parts a moved line may differ in; the department file never differs.
FUNCTIONAL_PART, ECONOMIC_PART, GROUP_PART, FUND_PART = "functional", "economic", "group", "fund"
_FUNDS = list(Fund)


class VersionError(ValueError):
    """Two budgets that cannot be compared line by line; str() is a one-line message naming the file."""


class Place(NamedTuple):
    """What matches a line across versions: its key with the department file in place of the origin index."""

    department: str
    functional: str
    economic: str
    kind: Kind
    fund: Fund
    project: str | None

    def order(self) -> tuple:
        """Display order: by file, 项, 基本支出 before projects, project, economic code, fund."""
        return (self.department, self.functional, self.kind is Kind.PROJECT, self.project or "", self.economic, _FUNDS.index(self.fund))


@dataclass(frozen=True)
class Change:
    """A figure of the old version and of the new (None where it is not there), its change and rate."""

    old: Decimal | None
    new: Decimal | None

    @property
    def old_amount(self) -> Decimal:
        return ZERO if self.old is None else self.old

    @property
    def new_amount(self) -> Decimal:
        return ZERO if self.new is None else self.new

    @property
    def change(self) -> Decimal:
        return self.new_amount - self.old_amount

    @property
    def rate(self) -> Decimal | None:
        """The change in percent of the old figure (one decimal); None when the old figure is 0 or absent."""
        return rate(self.change, self.old_amount, RATE_DECIMALS)


@dataclass(frozen=True)
class LineChange:
    """One line as it was (None: added) and as it is (None: removed)."""

    status: str
    old_line: Line | None
    new_line: Line | None
    old_place: Place | None
    new_place: Place | None
    moved: tuple[str, ...] = ()
    """For a moved line, the key parts that differ (functional, economic, group, fund), in that order."""

    @property
    def figures(self) -> Change:
        return Change(_amount(self.old_line), _amount(self.new_line))

    @property
    def place(self) -> Place:
        """Where the line was (where it is, for an added line): its place in the display order."""
        place = self.old_place if self.old_place is not None else self.new_place
        assert place is not None, "a line change has an old or a new line"
        return place


@dataclass(frozen=True)
class NodeChange:
    """A subtotal of one classification whose total differs (old or new None where the node is not there)."""

    view: str
    node_id: NodeId
    code: str
    name: str
    level: str
    depth: int
    figures: Change
    order: tuple


@dataclass(frozen=True)
class DepartmentChange:
    """A department file found in one folder only, with its total and number of lines."""

    status: str
    file: str
    name: str
    figures: Change
    lines: int


@dataclass(frozen=True)
class VersionDiff:
    """Everything that differs between two versions, in display order."""

    folders: bool
    unit: str
    departments: tuple[DepartmentChange, ...]
    lines: tuple[LineChange, ...]
    functional: tuple[NodeChange, ...]
    economic: tuple[NodeChange, ...]
    total: Change

    @property
    def equal(self) -> bool:
        """No line added, removed, changed or moved, and no department added or removed."""
        return not self.lines and not self.departments


def department_files(budget: Budget, folder: PurePath) -> tuple[str, ...]:
    """Each source file's path below the folder it was read from, with / between parts (a department's identity)."""
    return tuple(PurePath(source.path).relative_to(folder).as_posix() for source in budget.sources)


def compare_versions(
    old: Budget,
    new: Budget,
    old_files: Sequence[str] | None = None,
    new_files: Sequence[str] | None = None,
) -> VersionDiff:
    """The diff from old to new. Folders give the department file of each source (see department_files);
    two single files give none. VersionError when the units differ or a version has a line twice."""
    folders = old_files is not None or new_files is not None
    if folders and (old_files is None or new_files is None):
        raise VersionError(_("compare a folder with a folder, or a file with a file"))
    if old.department.unit != new.department.unit:
        raise VersionError(
            _("{old} counts in {old_unit} and {new} in {new_unit}; convert one so both count in the same unit").format(
                old=_where(old), old_unit=old.department.unit, new=_where(new), new_unit=new.department.unit
            )
        )
    old_names = tuple(old_files) if old_files is not None else ("",) * max(len(old.sources), 1)
    new_names = tuple(new_files) if new_files is not None else ("",) * max(len(new.sources), 1)
    common = set(old_names) & set(new_names)
    old_lines = _by_place(old, old_names, common)
    new_lines = _by_place(new, new_names, common)
    changes = [
        LineChange(CHANGED, line, new_lines[place], place, place)
        for place, line in old_lines.items()
        if place in new_lines and _attributes(line) != _attributes(new_lines[place])
    ]
    removed = sorted((place for place in old_lines if place not in new_lines), key=Place.order)
    added = sorted((place for place in new_lines if place not in old_lines), key=Place.order)
    changes += _pair_moves(removed, added, old_lines, new_lines)
    changes.sort(key=lambda change: change.place.order())
    return VersionDiff(
        folders,
        new.department.unit,
        _departments(old, old_names, new, new_names, folders),
        tuple(changes),
        _subtotals(FUNCTIONAL, old, old_names, new, new_names, common, folders),
        _subtotals(ECONOMIC, old, old_names, new, new_names, common, folders),
        Change(old.total(), new.total()),
    )


def _where(budget: Budget) -> str:
    return str(budget.sources[0].path) if len(budget.sources) == 1 else budget.department.name


def _amount(line: Line | None) -> Decimal | None:
    return None if line is None else line.amount


def _attributes(line: Line) -> tuple[Decimal, Category | None]:
    """What must be equal for a line to be unchanged (or for two lines to be one moved line): amount and category."""
    return line.amount, line.category_override


def _by_place(budget: Budget, files: tuple[str, ...], common: set[str]) -> dict[Place, Line]:
    """The lines of the departments found in both versions, by place; VersionError on a line given twice."""
    lines: dict[Place, Line] = {}
    for line in budget.lines:
        department = files[line.origin]
        if department not in common:
            continue
        place = Place(department, line.functional, line.economic, line.kind, line.fund, line.project)
        first = lines.get(place)
        if first is not None:
            path = budget.sources[line.origin].path if budget.sources else "<budget>"
            where = f"{path}:{line.file_line}" if line.file_line else str(path)
            raise VersionError(
                f"{where}: "
                + _("the line {functional} {economic} ({group}) is given twice (first on line {first}); "
                    "a diff matches lines by that key: merge the two (budget-tui check lists such lines)").format(
                    functional=line.functional, economic=line.economic, first=first.file_line,
                    group=", ".join([line.kind.value, line.fund.value] + ([line.project] if line.project else [])),
                )
            )
        lines[place] = line
    return lines


def _differing_parts(old: Place, new: Place) -> tuple[str, ...]:
    parts = (
        (FUNCTIONAL_PART, old.functional != new.functional),
        (ECONOMIC_PART, old.economic != new.economic),
        (GROUP_PART, (old.kind, old.project) != (new.kind, new.project)),
        (FUND_PART, old.fund != new.fund),
    )
    return tuple(name for name, differs in parts if differs)


def is_move(old: Place, new: Place) -> bool:
    """Rule 2's key test: same department file, and the economic code changed alone or not at all."""
    if old.department != new.department or old == new:
        return False
    parts = _differing_parts(old, new)
    return parts == (ECONOMIC_PART,) or ECONOMIC_PART not in parts


def _pair_moves(
    removed: list[Place], added: list[Place], old_lines: dict[Place, Line], new_lines: dict[Place, Line]
) -> list[LineChange]:
    """Rules 2-4: removed and added lines (each list in display order) paired 1:1 as moved, the rest left as they are."""
    by_attributes: dict[tuple, list[int]] = {}
    for j, place in enumerate(added):
        by_attributes.setdefault((place.department, *_attributes(new_lines[place])), []).append(j)
    candidates = []
    for i, place in enumerate(removed):
        for j in by_attributes.get((place.department, *_attributes(old_lines[place])), ()):
            if is_move(place, added[j]):
                candidates.append((len(_differing_parts(place, added[j])), i, j))
    candidates.sort()
    partner_of: dict[int, int] = {}
    taken: set[int] = set()
    for _score, i, j in candidates:
        if i not in partner_of and j not in taken:
            partner_of[i] = j
            taken.add(j)
    changes = []
    for i, place in enumerate(removed):
        if i in partner_of:
            other = added[partner_of[i]]
            changes.append(LineChange(MOVED, old_lines[place], new_lines[other], place, other, _differing_parts(place, other)))
        else:
            changes.append(LineChange(REMOVED, old_lines[place], None, place, None))
    changes += [LineChange(ADDED, None, new_lines[place], None, place) for j, place in enumerate(added) if j not in taken]
    return changes


def _departments(
    old: Budget, old_files: tuple[str, ...], new: Budget, new_files: tuple[str, ...], folders: bool
) -> tuple[DepartmentChange, ...]:
    """The department files of one folder only: removed (in old only) and added (in new only), by file."""
    if not folders:
        return ()
    rows = []
    for status, budget, files, others in ((REMOVED, old, old_files, new_files), (ADDED, new, new_files, old_files)):
        for origin, file in enumerate(files):
            if file in others:
                continue
            lines = [line for line in budget.lines if line.origin == origin]
            department = budget.sources[origin].department
            amount = total(line.amount for line in lines)
            figures = Change(amount, None) if status == REMOVED else Change(None, amount)
            rows.append(DepartmentChange(status, file, department.name if department else "", figures, len(lines)))
    return tuple(sorted(rows, key=lambda row: row.file))


def _subtotals(
    view: str, old: Budget, old_files: tuple[str, ...], new: Budget, new_files: tuple[str, ...], common: set[str], folders: bool
) -> tuple[NodeChange, ...]:
    """The inner nodes of one classification whose totals differ, in display order (departments in both folders only)."""
    old_tree, new_tree = Tree(old, view, by_department=folders), Tree(new, view, by_department=folders)
    old_nodes, new_nodes = _inner_nodes(old_tree, old_files), _inner_nodes(new_tree, new_files)
    old_totals = node_totals(old_tree, old_files if folders else None)
    new_totals = node_totals(new_tree, new_files if folders else None)
    rows = []
    for node_id in old_nodes.keys() | new_nodes.keys():
        if folders and node_id.department_origin not in common:
            continue
        before, after = old_totals.get(node_id), new_totals.get(node_id)  # None: the version has no such node
        if before == after:
            continue
        node, files = (new_nodes[node_id], new_files) if node_id in new_nodes else (old_nodes[node_id], old_files)
        figures = Change(before, after)
        rows.append(NodeChange(view, node_id, node.code, node.name, node.level, node.depth, figures, _order(node, files)))
    return tuple(sorted(rows, key=lambda row: (row.order, row.node_id)))


def _inner_nodes(tree: Tree, files: tuple[str, ...]) -> dict[NodeId, Node]:
    """The tree's nodes above the lines, by an id that names the department by its file (origins differ between folders)."""
    named = files if tree.by_department else None
    return {portable(node_id, named): node for node_id, node in tree.by_id.items() if node.line is None}


def _origin(node_id: NodeId) -> int:
    """The department file (its index) of a node of a tree by department."""
    origin = node_id.department_origin
    assert isinstance(origin, int), node_id
    return origin


def _order(node: Node, files: tuple[str, ...]) -> tuple:
    """Display order: parents before children; departments by file, then by code, 基本支出 before projects."""
    steps = []
    for step in reversed(node.path()):
        if step.level is Level.DEPARTMENT:
            steps.append((False, files[_origin(step.id)], ""))
        else:
            steps.append((step.level is Level.GROUP and step.id.is_project_group, step.code, step.name))
    return tuple(steps)


__all__ = [
    "ADDED",
    "CHANGED",
    "Change",
    "DepartmentChange",
    "LineChange",
    "MOVED",
    "NodeChange",
    "Place",
    "REMOVED",
    "VersionDiff",
    "VersionError",
    "compare_versions",
    "department_files",
    "is_move",
]
