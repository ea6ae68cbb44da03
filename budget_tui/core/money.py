"""Exact money: amounts are `Decimal` with at most two decimals, from parsing to printing."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation, ROUND_HALF_UP

CENT = Decimal("0.01")
ZERO = Decimal("0")
UNITS = ("万元", "元")

# The largest amount accepted in a file, per unit: larger figures are typing mistakes,
# not budgets (a whole province spends well under 10^8 万元 in a year).
MAX_AMOUNT = {"万元": Decimal("100000000"), "元": Decimal("1000000000000")}


class AmountError(ValueError):
    """A value that is not an exact, finite number."""


def to_amount(value: object) -> Decimal:
    """Turn a parsed TOML number (int or Decimal) or a typed string into an exact amount."""
    if isinstance(value, bool):
        raise AmountError(f"expected an amount, found {str(value).lower()}")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        raise AmountError("amounts are read exactly; a float cannot be trusted")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        text = value.strip().replace(",", "").replace("_", "")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise AmountError(f"{value!r} is not a number") from None
    else:
        raise AmountError(f"expected an amount, found {type(value).__name__}")
    if not amount.is_finite():
        raise AmountError(f"{value} is not a finite amount")
    return amount


def has_cents_only(amount: Decimal) -> bool:
    """True when the amount has at most two decimals (the precision of a published budget)."""
    exponent = amount.as_tuple().exponent
    return isinstance(exponent, int) and (exponent >= -2 or amount == amount.quantize(CENT))


def format_amount(amount: Decimal, blank_zero: bool = False) -> str:
    """Two decimals, no float on the way: 335.04, 16.00, -3.40."""
    if blank_zero and amount == 0:
        return ""
    return f"{amount.quantize(CENT, rounding=ROUND_HALF_UP):.2f}"


def plain_number(value: Decimal) -> str:
    """An exact number without trailing zeros or exponent (the report's and messages' way): 1695.33, 42, 3.6, 0."""
    if value == 0:
        return "0"
    return format(value.normalize(), "f")


def round_cent(amount: Decimal) -> Decimal:
    """Round half up to the cent, the rule of published budget tables."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def total(amounts) -> Decimal:
    """Exact sum of amounts (Decimal addition is exact at this precision)."""
    return sum(amounts, ZERO)
