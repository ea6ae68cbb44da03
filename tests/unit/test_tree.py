"""The drill-down tree: the code hierarchy, derived subtotals, path-only recomputation, and the inverse view."""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from budget_tui.core.catalogue import functional_path
from budget_tui.core.tree import ECONOMIC, Tree, render_tree
from budget_tui.files.fileformat import load
from tests.conftest import CHANGJI, SYNTHETIC


def totals(tree: Tree) -> dict[str, Decimal]:
    return {f"{node.level}:{node.code}" if node.line is None else node.code: node.total for node in tree.root.walk()}


def test_functional_hierarchy_of_the_sample():
    tree = Tree(load(CHANGJI))
    [cls] = tree.root.children
    assert (cls.code, cls.name, cls.total) == ("201", "一般公共服务支出", Decimal("1695.33"))
    [kuan] = cls.children
    assert (kuan.code, kuan.name, kuan.total) == ("20103", "政府办公厅及相关机构事务", Decimal("1695.33"))
    items = {node.code: node for node in kuan.children}
    assert items["2010301"].total == Decimal("1642.52")
    assert items["2010350"].total == Decimal("52.81")
    economic = {node.code: node.total for node in items["2010301"].children}
    assert economic == {"301": Decimal("886.50"), "302": Decimal("726.79"), "303": Decimal("29.23")}
    assert [node.code for node in items["2010350"].children] == ["301"]
    assert tree.root.total == Decimal("1695.33")


def test_every_inner_total_is_the_sum_of_its_children():
    for path in (CHANGJI, SYNTHETIC):
        tree = Tree(load(path))
        for node in tree.root.walk():
            if node.children:
                assert node.total == sum(child.total for child in node.children)


def test_projects_are_grouped_under_their_name():
    tree = Tree(load(SYNTHETIC))
    item = tree.by_id[("f", "2050202")]
    [group] = item.children
    assert (group.level, group.name) == ("支出类型", "农村校舍维修改造")
    assert group.total == Decimal("230.40")


def test_economic_view_matches_table_6_totals():
    tree = Tree(load(CHANGJI), ECONOMIC)
    assert {node.code: node.total for node in tree.root.children} == {
        "301": Decimal("939.31"),
        "302": Decimal("726.79"),
        "303": Decimal("29.23"),
    }
    basic_wage = tree.by_id[("e", "30101")]
    assert basic_wage.total == Decimal("335.04")
    assert [leaf.code for leaf in basic_wage.children] == ["2010301"]


def test_update_recomputes_only_the_path_to_the_root():
    budget = load(CHANGJI)
    tree = Tree(budget)
    line = next(l for l in budget.lines if l.economic == "30101")
    untouched = tree.by_id[("f", "2010350")]
    changed = tree.update(line.key, Decimal("340.00"))
    assert [node.code for node in changed] == ["30101", "301", "2010301", "20103", "201", ""]
    assert tree.by_id[("f", "2010301")].total == Decimal("1647.48")
    assert tree.root.total == Decimal("1700.29")
    assert untouched.total == Decimal("52.81")


def test_find_by_code_prefix_or_name():
    tree = Tree(load(CHANGJI))
    assert [node.code for node in tree.find("30101")] == ["30101"]
    assert {node.code for node in tree.find("住房公积金")} == {"30113"}


def test_render_tree_is_aligned_and_shows_required_totals():
    text = render_tree(Tree(load(CHANGJI)), depth=4, unit="万元")
    for expected in ("201 一般公共服务支出", "1695.33", "2010301 行政运行", "1642.52", "2010350 事业运行", "52.81"):
        assert expected in text
    from budget_tui.core.safetext import width

    lines = text.splitlines()
    assert len({width(line) for line in lines}) == 1


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["2010301", "2010350", "2050101", "2080505"]),
            st.sampled_from(["30101", "30102", "30201", "30302", "31002"]),
            st.decimals(min_value=0, max_value=10**6, places=2),
        ),
        min_size=1,
        max_size=30,
        unique_by=lambda t: (t[0], t[1]),
    ),
    st.data(),
)
def test_any_edit_keeps_every_subtotal_equal_to_its_children(rows, data):
    from budget_tui.core.model import Budget, Department, Line

    budget = Budget(Department("测试", 2020), [Line(f, e, a) for f, e, a in rows])
    tree = Tree(budget)
    line = data.draw(st.sampled_from(budget.lines))
    tree.update(line.key, data.draw(st.decimals(min_value=0, max_value=10**6, places=2)))
    for node in [tree.root, *tree.root.walk()]:
        if node.children:
            assert node.total == sum(child.total for child in node.children)
    for cls in tree.root.children:
        assert all(functional_path(leaf.line.functional)[0] == cls.code for leaf in cls.walk() if leaf.line)
