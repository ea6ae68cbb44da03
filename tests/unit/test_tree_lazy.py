"""A folder's tree by department grows a department's subtree only when something asks for it, and then it is the
very subtree the department's lines give on their own."""

from dataclasses import replace
from decimal import Decimal

import pytest

from budget_tui.core.ids import Level, NodeId
from budget_tui.core.model import Budget
from budget_tui.core.tree import ECONOMIC, FUNCTIONAL, Tree
from budget_tui.files.fileformat import load
from budget_tui.synth import write_budgets


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("lazy") / "folder"
    write_budgets(path, 6, 600, 7)
    return load(path)


def shape(node) -> list:
    """Every node below, in order: (id without the department prefix, code, name, level, total, line)."""
    return [(n.id.local if n.id.department_origin is not None else n.id, n.code, n.name, n.level, n.total, n.line) for n in node.walk()]


def alone(budget: Budget, origin: int, view: str) -> Tree:
    """The tree of one department's lines on their own, merged (no department level)."""
    lines = [line for line in budget.lines if line.origin == origin]
    return Tree(replace(budget, lines=lines), view, by_department=False)


@pytest.mark.parametrize("view", [FUNCTIONAL, ECONOMIC])
def test_only_the_department_rows_are_built_until_one_is_asked_for(folder, view):
    tree = Tree(folder, view)
    assert [node.level for node in tree.root.built] == [Level.DEPARTMENT] * 6
    assert all(node.grow is not None and not node.built for node in tree.root.built)
    assert len(tree.by_id) == 6 and len(tree.by_line) == 0
    assert tree.root.total == folder.total() == sum(node.total for node in tree.root.built)


@pytest.mark.parametrize("view", [FUNCTIONAL, ECONOMIC])
def test_a_grown_department_is_the_tree_of_its_lines_alone(folder, view):
    tree = Tree(folder, view)
    for origin, department in enumerate(tree.root.children):
        assert department.id == NodeId.department(origin)
        assert shape(department) == shape(alone(folder, origin, view).root)
        assert department.total == alone(folder, origin, view).root.total


def test_lookups_by_id_or_line_grow_the_department_they_name(folder):
    tree = Tree(folder)
    line = next(line for line in folder.lines if line.origin == 3)
    assert NodeId.line(line.key) in tree.by_id
    assert [node.grow is None for node in tree.root.built] == [False, False, False, True, False, False]
    other = next(line for line in folder.lines if line.origin == 4)
    assert tree.by_line[other.key].line == other
    assert tree.by_id.get(NodeId.functional("201", 5)) is not None
    assert tree.by_id.get(NodeId.functional("201", 9)) is None and NodeId.functional("201") not in tree.by_id
    with pytest.raises(KeyError):
        tree.by_line[replace(line, origin=9).key]


def test_an_edit_in_a_department_not_yet_grown_reaches_every_total(folder):
    tree = Tree(folder)
    line = next(line for line in folder.lines if line.origin == 2)
    before = tree.root.total
    changed = tree.update(line.key, line.amount + Decimal("1.25"))
    assert changed[0].line.amount == line.amount + Decimal("1.25") and changed[-1] is tree.root
    assert tree.root.total == before + Decimal("1.25")
    for node in tree.root.walk():
        if not node.is_leaf:
            assert node.total == sum((child.total for child in node.children), Decimal(0))


def test_the_whole_index_is_every_node_of_every_department(folder):
    lazy, merged = Tree(folder), Tree(folder, by_department=False)
    assert len(list(lazy.by_line.items())) == len(folder.lines) == len(merged.by_line)
    assert sum(node.line is None for node in lazy.by_id.values()) > len(folder.sources)
    assert set(lazy.by_line) == set(merged.by_line.keys())


def test_find_and_walk_see_every_department(folder):
    lazy, merged = Tree(folder), Tree(folder, by_department=False)
    assert len([node for node in lazy.root.walk() if node.is_leaf]) == len(folder.lines)
    assert {node.code for node in lazy.find("30101")} == {node.code for node in merged.find("30101")}
