"""The derived figures (budget_tui.core.figures): one largest-remainder allocation, changes and rates, the sample's figures."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budget_tui.core import adjust, figures
from budget_tui.core.figures import (
    allocate,
    category_total,
    change,
    class_amounts,
    has_operating_costs,
    operating_costs,
    rate,
    round_half_up,
    shares,
    three_public,
)
from budget_tui.core.model import Budget, Category, Department, Fund, Kind, Line
from budget_tui.files.fileformat import load
from tests.conftest import CHANGJI

D = Decimal
CENT = D("0.01")


# -- allocate ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("whole", "weights", "quantum", "expected"),
    [
        (D("1.00"), [D(1), D(1), D(1)], CENT, ["0.34", "0.33", "0.33"]),
        (D("2.00"), [D(1), D(1), D(1)], CENT, ["0.67", "0.67", "0.66"]),
        (100, [D(1), D(1), D(1)], D(1), ["34", "33", "33"]),
        (100, [D(1), D(2), D(3)], D("0.1"), ["16.7", "33.3", "50.0"]),
        (D("10.00"), [D("3"), D("0"), D("7")], CENT, ["3.00", "0.00", "7.00"]),
        (D("0.00"), [D("5"), D("6")], CENT, ["0.00", "0.00"]),
    ],
)
def test_allocate_examples_add_up_to_the_whole(whole, weights, quantum, expected):
    result = allocate(whole, weights, quantum)
    assert result == [D(text) for text in expected]
    assert [str(part) for part in result] == expected  # the quantum's exponent: 0.00, 50.0, 33
    assert sum(result) == whole


def test_the_left_over_quanta_go_to_the_largest_remainders_not_the_largest_parts():
    # exact shares of 100 in units of 1: 61.6, 23.3, 15.1 -> floors 61, 23, 15 leave 1 for the largest remainder (.6)
    assert allocate(100, [D("61.6"), D("23.3"), D("15.1")], D(1)) == [D(62), D(23), D(15)]
    # 10.4, 10.45, 79.15: floors 10, 10, 79 leave 1, which goes to .45 (the second), not to the largest part
    assert allocate(100, [D("10.4"), D("10.45"), D("79.15")], D(1)) == [D(10), D(11), D(79)]
    # two quanta left: they go to the two largest remainders (.9 and .8), in any position
    assert allocate(10, [D("1.8"), D("2.1"), D("1.2"), D("4.9")], D(1)) == [D(2), D(2), D(1), D(5)]


def test_ties_go_to_the_earlier_part_whatever_the_order_of_the_rest():
    assert allocate(100, [D(1)] * 6, D(1)) == [D(17)] * 4 + [D(16)] * 2
    # exact 1.2, 1.4, 1.4: the one unit left goes to the first of the two .4 remainders
    assert allocate(4, [D("1.2"), D("1.4"), D("1.4")], D(1)) == [D(1), D(2), D(1)]
    assert allocate(4, [D("1.4"), D("1.4"), D("1.2")], D(1)) == [D(2), D(1), D(1)]
    # the same weights give the same parts every time
    weights = [D("3.33"), D("3.33"), D("3.34"), D("0")]
    assert all(allocate(D("1.00"), weights, CENT) == allocate(D("1.00"), weights, CENT) for _ in range(5))


@pytest.mark.parametrize(
    ("whole", "weights", "quantum", "message"),
    [
        (D("1.005"), [D(1), D(2)], CENT, "not a multiple"),
        (D("1"), [D("0"), D("0")], CENT, "add up to 0"),
        (D("1"), [], CENT, "add up to 0"),
    ],
)
def test_allocate_refuses_what_cannot_be_split(whole, weights, quantum, message):
    with pytest.raises(ValueError, match=message):
        allocate(whole, weights, quantum)


weights = st.lists(st.decimals(min_value=0, max_value=10**9, places=2), min_size=1, max_size=25).filter(lambda w: sum(w) > 0)
quanta = st.sampled_from([D("0.01"), D("0.1"), D("1"), D("0.001")])


@given(weights, st.integers(min_value=0, max_value=10**7), quanta)
def test_allocate_sums_exactly_and_each_part_is_within_a_quantum_of_its_share(parts, units, quantum):
    whole = units * quantum
    result = allocate(whole, parts, quantum)
    assert len(result) == len(parts)
    assert sum(result) == whole
    weight_total = Fraction(sum(parts))
    exact = [Fraction(weight) * Fraction(whole) / weight_total for weight in parts]
    for part, share in zip(result, exact):
        assert Fraction(part) / Fraction(quantum) == int(Fraction(part) / Fraction(quantum))  # a whole number of quanta
        assert Fraction(part) - share < Fraction(quantum) and share - Fraction(part) < Fraction(quantum)
        assert part >= 0
    # largest remainder: a part rounded up never has a smaller remainder than a part rounded down
    up = [share - int(share / Fraction(quantum)) * Fraction(quantum) for share, part in zip(exact, result) if Fraction(part) > share]
    down = [share - Fraction(part) for share, part in zip(exact, result) if Fraction(part) <= share]
    if up and down:
        assert min(up) >= max(down)


# -- the one allocation serves report and adjust -------------------------------------------


def test_shares_and_the_adjust_tool_both_split_through_figures_allocate(monkeypatch):
    calls = []
    original = figures.allocate

    def spy(whole, weights, quantum):
        calls.append((whole, list(weights), quantum))
        return original(whole, weights, quantum)

    monkeypatch.setattr(figures, "allocate", spy)
    assert shares([D(1), D(1), D(1)]) == [D(34), D(33), D(33)]
    assert adjust.allocate([D(1), D(1), D(1)], D("1.00")) == [D("0.34"), D("0.33"), D("0.33")]
    assert calls == [(100, [D(1), D(1), D(1)], D(1)), (D("1.00"), [D(1), D(1), D(1)], CENT)]


def test_shares_of_nothing_are_all_zero_at_the_precision_asked():
    assert [str(part) for part in shares([D(0), D(0)], 2)] == ["0.00", "0.00"]
    assert shares([], 0) == []


# -- changes and rates ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "prior", "decimals", "expected_change", "expected_rate"),
    [
        (D("1695.33"), D("1781.38"), 0, D("-86.05"), D("-5")),
        (D("110"), D("100"), 1, D("10"), D("10.0")),
        (D("100.5"), D("100"), 0, D("0.5"), D("1")),  # 0.5% rounds half up, away from zero
        (D("99.5"), D("100"), 0, D("-0.5"), D("-1")),  # and -0.5% away from zero too
        (D("5"), D("0"), 1, D("5"), None),  # no rate from nothing
        (D("0"), D("0"), 1, D("0"), None),
        (D("5"), None, 1, None, None),  # last year not given
    ],
)
def test_change_and_rate(current, prior, decimals, expected_change, expected_rate):
    difference = change(current, prior)
    assert difference == expected_change
    assert rate(difference, prior, decimals) == expected_rate


def test_a_rate_without_a_change_is_none():
    assert rate(None, D("5"), 1) is None


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (Fraction(1, 2), 0, "1"),
        (Fraction(-1, 2), 0, "-1"),
        (Fraction(1, 3), 2, "0.33"),
        (Fraction(2, 3), 2, "0.67"),
        (Fraction(-5, 1000), 2, "-0.01"),
        (Fraction(0), 1, "0.0"),
    ],
)
def test_round_half_up_is_exact_and_away_from_zero(value, decimals, expected):
    assert str(round_half_up(value, decimals)) == expected


# -- figures of a budget -------------------------------------------------------------------


def test_the_samples_figures_match_its_published_changes():
    budget = load(CHANGJI)
    parts = three_public(budget)
    # the file's comments: 三公 51.22 last year, 比上年减少5.62; 机关运行经费 782.23, 减少55.44
    assert sum(parts.values()) == D("51.22") - D("5.62")
    assert parts == {"overseas": D(0), "vehicle_purchase": D(0), "vehicle_operation": D("42.00"), "reception": D("3.60")}
    assert has_operating_costs(budget) and operating_costs(budget) == D("782.23") - D("55.44")
    assert class_amounts(budget.lines) == {"201": D("1695.33")}


def test_operating_costs_are_the_appropriated_basic_operating_spending_of_an_administrative_unit():
    lines = [
        Line("2010301", "30201", D("10")),
        Line("2010301", "30201", D("4"), fund=Fund.GOVERNMENT_FUND),
        Line("2010301", "30201", D("100"), fund=Fund.BUSINESS),  # not 财政拨款
        Line("2010301", "30101", D("50")),  # 人员经费
        Line("2010301", "30217", D("2"), kind=Kind.PROJECT),  # not 基本支出, but 三公 (reception)
        Line("2010301", "30101", D("7"), category_override=Category.OPERATING),  # counted as 公用经费 by the file
    ]
    budget = Budget(Department("测试局", 2020), lines)
    assert operating_costs(budget) == D("21")
    assert category_total(lines, Category.PERSONNEL) == D("50")
    assert three_public(budget)["reception"] == D("2")
    institution = Budget(Department("测试中心", 2020, kind="事业单位"), lines)
    assert not has_operating_costs(institution)
