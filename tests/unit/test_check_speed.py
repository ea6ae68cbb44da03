"""The checks' cheaper passes (issue 15): the independent totals from one grouped pass give the totals the earlier
per-column passes gave, and the amount rule's quick test lets through exactly the amounts it let through before."""

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from budget_tui.core.catalogue import functional_path
from budget_tui.core.checks import independent_totals
from budget_tui.core.figures import amounts_by, three_public
from budget_tui.core.model import Fund, Kind
from budget_tui.core.money import CENT, MAX_AMOUNT, has_cents_only, total
from budget_tui.files.fileformat import load
from budget_tui.synth import write_budgets

ROOT = Path(__file__).resolve().parents[2]


def totals_line_by_line(budget) -> dict[str, Decimal]:
    """independent_totals as it was written before the grouped pass: a pass over the lines per column."""
    lines = budget.lines
    general = [line for line in lines if line.fund is Fund.GENERAL]
    appropriated = [line for line in lines if line.fund.is_appropriation]
    return {
        "income": total(total(l.amount for l in lines if l.fund is fund) for fund in Fund),
        "by_class": total(amounts_by(lines, lambda l: functional_path(l.functional)[0]).values()),
        "by_item": total(amounts_by(lines, lambda l: l.functional).values()),
        "by_kind": total(total(l.amount for l in lines if l.kind is kind) for kind in Kind),
        "appropriation": total(total(l.amount for l in lines if l.fund is fund) for fund in Fund if fund.is_appropriation),
        "appropriation_by_class": total(amounts_by(appropriated, lambda l: functional_path(l.functional)[0]).values()),
        "general": total(amounts_by(general, lambda l: l.functional).values()),
        "general_basic": total(l.amount for l in general if l.kind is Kind.BASIC),
        "government_fund": total(l.amount for l in lines if l.fund is Fund.GOVERNMENT_FUND),
        "three_public": total(three_public(budget).values()),
    }


@pytest.mark.parametrize("name", ["changji-2020.toml", "synthetic-2021.toml"])
def test_the_samples_total_as_before(name):
    budget = load(ROOT / "data" / name)
    assert independent_totals(budget) == totals_line_by_line(budget)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_synthetic_folders_total_as_before(tmp_path, seed):
    write_budgets(tmp_path, 4, 2_000, seed)
    budget = load(tmp_path)
    figures = independent_totals(budget)
    assert figures == totals_line_by_line(budget)
    assert figures["general"] != 0 and figures["government_fund"] != 0  # the groups were there to sum


@given(st.decimals(allow_nan=False, allow_infinity=False, min_value=-10, max_value=10**13, places=None),
       st.sampled_from(sorted(MAX_AMOUNT)))
def test_the_quick_amount_test_lets_through_what_has_cents_only_did(amount, unit):
    limit = MAX_AMOUNT[unit]
    before = 0 <= amount <= limit and has_cents_only(amount)
    assert (0 <= amount <= limit and amount.quantize(CENT) == amount) == before
