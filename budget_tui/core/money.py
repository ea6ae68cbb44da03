"""Exact money: amounts are `Decimal` with at most two decimals, from parsing to printing.

Every amount that enters budget-tui comes through `to_amount` (a TOML or JSON value, a cell) or
`parse_number` (text: a CSV or XLSX cell, the edit box, the journal): one rule everywhere, documented
in docs/format.md ("Amounts"). Whatever passes is finite, below AMOUNT_LIMIT and has at most
MAX_DECIMALS decimals, so every sum of a file's amounts is exact in the default Decimal context and
no Decimal signal (overflow, invalid operation) can come from an amount.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from budget_tui.i18n import _

CENT = Decimal("0.01")
ZERO = Decimal("0")
UNITS = ("万元", "元")

# The largest amount `check` takes for a budget figure, per unit (rule amount-absurd): larger
# figures are typing mistakes, not budgets (a whole province spends well under 10^8 万元 in a year).
# They still load, up to AMOUNT_LIMIT.
MAX_AMOUNT = {"万元": Decimal("100000000"), "元": Decimal("1000000000000")}


_LIMIT_DIGITS = 13
AMOUNT_LIMIT = Decimal(10) ** _LIMIT_DIGITS
"""Every amount is below this in absolute value, in its file's unit (so at most 9999999999999.99).

No department's budget comes near it (10^13 元, ten trillion yuan, is more than all central
government departments together spend in a year; the check `amount-absurd` flags far smaller
figures), and below it an amount with its cents has at most 15 significant digits: exactly what
a spreadsheet cell (a double) holds, so export and import are exact too. Larger is refused where
it enters: at load, at import, in the edit box and the journal."""
MAX_DECIMALS = 6
"""An amount has at most this many decimals (two is the rule, which `check` enforces; up to six load
so that `check` can name them). With AMOUNT_LIMIT this keeps an amount to 19 digits, so the sum of
millions of them stays exact within Decimal's default 28 digits."""
_DECIMAL_STEP = Decimal(1).scaleb(-MAX_DECIMALS)
SHOWN_TEXT = 40
"""A refused text is quoted in a message up to this many characters."""


class AmountError(ValueError):
    """A value that is not an exact, finite number."""


class NotANumber(AmountError):
    """A text that is not written as a number at all."""


def quoted(text: str) -> str:
    """A refused text as a message quotes it: repr (no control character gets through) and cut short."""
    return repr(text if len(text) <= SHOWN_TEXT else text[: SHOWN_TEXT - 1] + "…")


# The number of a text: optional sign, then either digits with commas between groups of three
# (1,234,567.89) or plain digits with an optional decimal point and exponent (1234.5, .5, 1e3).
_NUMBER_TEXT = re.compile(
    r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]*)?|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)",
    re.ASCII,
)


def parse_number(text: str) -> Decimal:
    """THE reading of an amount (or an edit-box factor) written as text; AmountError when it is anything else.

    Full-width forms count as their ASCII ones (NFKC: １２３．５ is 123.5, ＋ -, ，), spaces around
    and one leading ¥ are ignored. Then the text must be an optional sign and digits with at most one
    decimal point and an optional exponent (1e3), or digits whose commas separate groups of three
    (1,234.56). Anything else is refused, never guessed: 1,5 and 1_0.0_5, inner spaces, NaN,
    Infinity, hexadecimal and empty text. The value must then pass check_amount.
    """
    normal = unicodedata.normalize("NFKC", text).strip()
    if normal.startswith("¥"):
        normal = normal[1:].lstrip()
    if not normal:
        raise NotANumber(_("no amount"))
    if not _NUMBER_TEXT.fullmatch(normal):
        if "," in normal and re.fullmatch(r"[+-]?[0-9,]+(?:\.[0-9]*)?", normal, re.ASCII):
            raise AmountError(_("{text}: commas may only separate thousands, as in 1,234.56").format(text=quoted(text.strip())))
        raise NotANumber(_("{text} is not a number").format(text=quoted(text.strip())))
    try:
        number = Decimal(normal.replace(",", ""))
    except InvalidOperation:  # an exponent beyond what Decimal can hold: 1e99999999999999999999
        raise AmountError(_("{text} is too large or too small to be an amount").format(text=quoted(text.strip()))) from None
    number = check_amount(number, text.strip())
    return number.quantize(1) if _exponent(number) > 0 else number  # 1e3 is 1000, as it is written back


def _exponent(number: Decimal) -> int:
    """The exponent of a finite Decimal (the digits after the point, negated)."""
    exponent = number.as_tuple().exponent
    assert isinstance(exponent, int), "only finite amounts get here"
    return exponent


def check_amount(amount: Decimal, written: str | None = None) -> Decimal:
    """The amount when it is finite, below AMOUNT_LIMIT and has at most MAX_DECIMALS decimals; else AmountError.

    `written` is the text the amount was read from, to quote in the message.
    """

    def named() -> str:
        text = quoted(written) if written is not None else str(amount)
        return text if len(text) <= SHOWN_TEXT + 2 else _("the amount")

    if not amount.is_finite():
        raise AmountError(_("{amount} is not a finite amount").format(amount=named()))
    if not -AMOUNT_LIMIT < amount < AMOUNT_LIMIT:
        raise AmountError(_("{amount} is too large: amounts stay below {limit}").format(amount=named(), limit=f"{AMOUNT_LIMIT:,f}"))
    if _exponent(amount) < -MAX_DECIMALS and amount != amount.quantize(_DECIMAL_STEP):
        raise AmountError(_("{amount} has more than two decimals").format(amount=named()))  # and more than the MAX_DECIMALS a file may hold
    return amount


def is_amount(value: object) -> bool:
    """Fast test that a Decimal passes check_amount as it is (the loader's common path: 30101 = 335.04)."""
    return (
        type(value) is Decimal
        and value.is_finite()
        and value.adjusted() < _LIMIT_DIGITS
        and value == value.quantize(_DECIMAL_STEP)
    )


def to_amount(value: object) -> Decimal:
    """An exact amount from a parsed value: a TOML number (int or Decimal), or text read by parse_number.

    A float is refused (it cannot be trusted to be the number written); every amount passes check_amount.
    """
    if isinstance(value, bool):
        raise AmountError(_("expected an amount, found {found}").format(found=str(value).lower()))
    if isinstance(value, int):
        if not -AMOUNT_LIMIT < value < AMOUNT_LIMIT:
            named = value if abs(value) < 10**SHOWN_TEXT else _("the amount")
            raise AmountError(_("{amount} is too large: amounts stay below {limit}").format(amount=named, limit=f"{AMOUNT_LIMIT:,f}"))
        return Decimal(value)
    if isinstance(value, float):
        raise AmountError(_("amounts are read exactly; a float cannot be trusted"))
    if isinstance(value, Decimal):
        return check_amount(value)
    if isinstance(value, str):
        return parse_number(value)
    raise AmountError(_("expected an amount, found {found}").format(found=type(value).__name__))


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
