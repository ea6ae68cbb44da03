"""Last year beside this year: prior figures per node, change and rate, headline figures, sort keys."""

from decimal import Decimal

import pytest

from budget_tui.core.compare import (
    COLUMNS,
    Comparison,
    compare_tree,
    headline,
    next_sort,
    prior_figures,
    sorted_children,
)
from budget_tui.core.tree import ECONOMIC, Tree
from budget_tui.files.fileformat import load
from tests.conftest import CHANGJI, MINIMAL, SYNTHETIC


def test_the_sources_items_and_their_derived_sums():
    comparisons = compare_tree(Tree(load(CHANGJI)), decimals=2)
    assert COLUMNS == ("上年", "本年", "增减", "增减%")
    assert comparisons[("root",)].cells() == ("1781.38", "1695.33", "-86.05", "-4.83%")  # 比上年减少86.05万元
    assert comparisons[("f", "2010301")].cells() == ("1728.57", "1642.52", "-86.05", "-4.98%")
    assert comparisons[("f", "2010350")].cells() == ("52.81", "52.81", "0.00", "0.00%")  # 比上年执行数减少0万元
    assert comparisons[("f", "201")].prior == comparisons[("f", "20103")].prior == Decimal("1781.38")


@pytest.mark.parametrize(("decimals", "rate"), [(0, "-5"), (1, "-4.8"), (2, "-4.83")])
def test_the_rate_follows_the_decimals_setting(decimals, rate):
    assert compare_tree(Tree(load(CHANGJI)), decimals)[("root",)].rate == Decimal(rate)


@pytest.mark.parametrize(
    ("prior", "current", "rate"),
    [("8", "9", "13"), ("8", "7", "-13"), ("0", "5", None), (None, "5", None)],
)
def test_the_rate_rounds_half_up_and_is_none_without_a_prior(prior, current, rate):
    comparison = Comparison(None if prior is None else Decimal(prior), Decimal(current), decimals=0)
    assert comparison.rate == (None if rate is None else Decimal(rate))


def test_missing_prior_leaves_blank_cells():
    assert Comparison(None, Decimal("5")).cells() == ("", "5.00", "", "")
    assert Comparison(Decimal("2"), Decimal("5")).cells() == ("2.00", "5.00", "+3.00", "+150.0%")


def test_class_sums_are_derived_only_when_the_items_are_complete(write_budget):
    complete = MINIMAL + "\n[prior]\ntotal = 9.00\n\n[prior.functional]\n2010301 = 9.00\n"
    partial = MINIMAL + "\n[prior]\ntotal = 12.00\n\n[prior.functional]\n2010301 = 9.00\n"
    assert set(prior_figures(load(write_budget(complete)))) == {("root",), ("f", "201"), ("f", "20103"), ("f", "2010301")}
    assert set(prior_figures(load(write_budget(partial, "partial.toml")))) == {("root",), ("f", "2010301")}


def test_three_public_items_in_the_economic_view():
    comparisons = compare_tree(Tree(load(CHANGJI), ECONOMIC))
    assert comparisons[("e", "30231")].cells() == ("47.52", "42.00", "-5.52", "-11.6%")  # 减少5.52万元
    assert comparisons[("e", "30217")].cells() == ("3.70", "3.60", "-0.10", "-2.7%")  # 减少0.1万元


def test_headline_figures_of_the_narrative():
    rows = dict(headline(load(CHANGJI), decimals=0))
    assert rows["收支总预算"].cells() == ("1781.38", "1695.33", "-86.05", "-5%")
    assert rows["机关运行经费"].cells() == ("782.23", "726.79", "-55.44", "-7%")  # 减少55.44万元 (7%)
    assert rows["“三公”经费"].change == Decimal("-5.62")
    assert rows["公用经费"].prior is None and rows["公用经费"].current == Decimal("726.79")


def test_children_sort_by_code_amount_or_change():
    tree = Tree(load(SYNTHETIC))
    comparisons = compare_tree(tree)
    by_code = [child.code for child in sorted_children(tree.root, "code", comparisons)]
    assert by_code == sorted(by_code)
    amounts = [child.total for child in sorted_children(tree.root, "amount", comparisons)]
    assert amounts == sorted(amounts, reverse=True)
    changes = [abs(comparisons[child.id].change) for child in sorted_children(tree.root, "change", comparisons)]
    assert changes == sorted(changes, reverse=True)
    assert [next_sort(key) for key in ("code", "amount", "change")] == ["amount", "change", "code"]
    with pytest.raises(ValueError, match="sort by one of"):
        sorted_children(tree.root, "name", comparisons)


def test_nodes_without_a_prior_sort_last_by_change():
    tree = Tree(load(CHANGJI))
    item = tree.by_id[("f", "2010301")]
    order = sorted_children(item, "change", compare_tree(tree))
    assert [child.code for child in order] == [child.code for child in item.children]
