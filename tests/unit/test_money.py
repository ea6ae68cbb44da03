"""Amounts are exact Decimals from parsing to printing."""

from decimal import Decimal

import pytest

from budget_tui.core.money import AmountError, format_amount, has_cents_only, round_cent, to_amount, total
from budget_tui.files.fileformat import load
from tests.conftest import CHANGJI


def test_sum_that_float_gets_wrong_is_exact():
    amounts = [to_amount(Decimal("0.10"))] * 3
    assert sum([0.10] * 3) != 0.30  # float arithmetic drifts
    assert total(amounts) == Decimal("0.30")


def test_sample_lines_sum_exactly_to_published_total():
    budget = load(CHANGJI)
    assert budget.total() == Decimal("1695.33")
    assert format_amount(budget.total()) == "1695.33"
    personnel = total(line.amount for line in budget.lines if line.economic[:3] in ("301", "303"))
    assert personnel == Decimal("968.54")


def test_format_amount_two_decimals_without_float():
    assert format_amount(Decimal("16")) == "16.00"
    assert format_amount(Decimal("3.4")) == "3.40"
    assert format_amount(Decimal("0"), blank_zero=True) == ""
    assert format_amount(Decimal("12345678901234567.89")) == "12345678901234567.89"


def test_round_cent_is_half_up():
    assert round_cent(Decimal("0.125")) == Decimal("0.13")
    assert round_cent(Decimal("-0.125")) == Decimal("-0.13")


@pytest.mark.parametrize("value", ["abc", True, float("1.5"), Decimal("nan"), Decimal("inf"), None])
def test_to_amount_refuses_what_is_not_an_exact_number(value):
    with pytest.raises(AmountError):
        to_amount(value)


def test_to_amount_accepts_ints_decimals_and_typed_text():
    assert to_amount(16) == Decimal("16")
    assert to_amount(Decimal("335.04")) == Decimal("335.04")
    assert to_amount("1,234.50") == Decimal("1234.50")


def test_has_cents_only():
    assert has_cents_only(Decimal("1.23"))
    assert has_cents_only(Decimal("1.230"))
    assert not has_cents_only(Decimal("1.234"))
    assert has_cents_only(Decimal("1E+20"))
