"""Edits to a budget's lines, with undo and redo back to the loaded state.

The editor changes `budget.lines` in place; `changes()` says what differs from the last
saved state, which is all a save needs to rewrite.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from decimal import Decimal, localcontext

from budget_tui.core.model import Budget, Line, LineKey
from budget_tui.core.money import (
    AMOUNT_LIMIT,
    CENT,
    AmountError,
    NotANumber,
    check_amount,
    format_amount,
    has_cents_only,
    parse_number,
    quoted,
    round_cent,
)
from budget_tui.core.rowcomment import carried_comment, row_comment
from budget_tui.core.safetext import OneLineMessage
from budget_tui.i18n import _


class EditError(OneLineMessage, ValueError):
    """An edit that cannot be made; the message says why in plain words (one clean line: it may quote a journal)."""


@dataclass(frozen=True)
class Change:
    """One step of the undo history: the line before and after (None when added or deleted)."""

    before: Line | None
    after: Line | None
    label: str = ""
    position: int = -1
    """Where the line stood in budget.lines, so that undoing a delete puts it back in place."""


@dataclass(frozen=True)
class Batch:
    """Several changes made and undone as one step (a bulk adjustment)."""

    changes: tuple[Change, ...]
    label: str = ""


_INPUT = re.compile(r"\s*(?P<op>[+\-*]?)\s*(?P<num>[^%]*?)\s*(?P<pct>%?)\s*")


def evaluate(text: str, current: Decimal) -> Decimal:
    """The new amount an input asks for, from current: 340 sets it, +12.5 and -3 change it, *1.05 multiplies it,
    95% is 95 % of it, and +5% / -8% change it by that percent.

    The number is read by money.parse_number, as the import and the journal read amounts (full-width
    digits are fine, `5.` is 5, commas only between thousands so `1,2` is refused, at most money.AMOUNT_LIMIT).
    A result with more than two decimals from a factor or percent is rounded half up to the cent; a number
    typed with more than two decimals is refused, and so is a result beyond money.AMOUNT_LIMIT.
    """
    if not text.strip():
        raise EditError(_("type an amount, e.g. 340.00, +12.5, -3, *1.05, 95% or -8%"))
    match = _INPUT.fullmatch(unicodedata.normalize("NFKC", text))
    if not match or match.group("num")[:1] in ("+", "-"):
        raise EditError(_not_an_amount(text))
    op, pct = match.group("op"), match.group("pct")
    try:
        number = parse_number(match.group("num"))
    except NotANumber:
        raise EditError(_not_an_amount(text)) from None
    except AmountError as error:
        raise EditError(str(error)) from None
    if not pct and op != "*" and not has_cents_only(number):
        raise EditError(_("{number} has more than two decimals; amounts are kept to the cent").format(number=match.group("num")))
    if pct and op == "*":
        raise EditError(_("write a percent as +5% or -8% (a change) or 95% (of the amount), not *5%"))
    with localcontext() as exact:
        exact.prec = 80  # operands have at most 19 digits (and sums of them a few more): every step is exact
        if pct:
            share = current * number / 100
            result = round_cent(current + share if op == "+" else current - share if op == "-" else share)
        elif op == "*":
            result = round_cent(current * number)
        else:
            result = current + number if op == "+" else current - number if op == "-" else number
        try:
            return check_amount(result)
        except AmountError:
            raise EditError(
                _("the result, {result}, is too large: amounts stay below {limit}").format(
                    result=format_amount(result), limit=f"{AMOUNT_LIMIT:,f}"
                )
            ) from None


def _not_an_amount(text: str) -> str:
    return _("{text} is not an amount; type e.g. 340.00, +12.5, -3, *1.05, 95% or -8%").format(text=quoted(text.strip()))


def preview(text: str, current: Decimal) -> str:
    """What typed input would do, shown while it is typed: `100.00 → 95.00`, or `100.00 → ?: why` when it cannot."""
    if not text.strip():
        return _("{current} → ?").format(current=format_amount(current))
    try:
        return f"{format_amount(current)} → {format_amount(evaluate(text, current))}"
    except EditError as error:
        return _("{current} → ?: {why}").format(current=format_amount(current), why=error)


def is_noop(change: Change) -> bool:
    """True when a change leaves its line exactly as it was (the same amount, code and attributes): not an edit."""
    before, after = change.before, change.after
    return before is not None and after is not None and before.key == after.key and before.content == after.content


class Editor:
    """Applies changes to a budget, keeps the undo/redo history and the last saved state."""

    def __init__(self, budget: Budget):
        self.budget = budget
        self.undo_stack: list[Change | Batch] = []
        self.redo_stack: list[Change | Batch] = []
        self.saved: dict[LineKey, Line] = {line.key: line for line in budget.lines}
        """The lines as last loaded or saved."""
        self.loaded: dict[LineKey, Line] = dict(self.saved)
        """The lines as loaded: the diff view compares with these too."""
        self.listeners: list = []
        """Called with every change as applied (an undo as the inverse change): the journal listens."""
        self._touched: set[LineKey] = set()
        """Keys of every line changed, added or deleted since loading: the only ones a diff can name."""
        self._index: dict[LineKey, int] | None = None
        """Position of each line in budget.lines; rebuilt after a line is added or deleted."""
        self._loaded_sources = list(budget.sources)
        """The files as loaded: a line's file_line (and so its comment) points into these, even after a save."""
        self._loaded_rows: dict[int, list[str]] = {}

    # -- queries -------------------------------------------------------------------------

    def _positions(self) -> dict[LineKey, int]:
        if self._index is None:
            self._index = {line.key: i for i, line in enumerate(self.budget.lines)}
        return self._index

    def line(self, key: LineKey) -> Line:
        return self.budget.lines[self._positions()[key]]

    def has_line(self, key: LineKey) -> bool:
        return key in self._positions()

    @property
    def dirty(self) -> bool:
        """True when the lines differ from the last saved state."""
        return bool(self.changes())

    def changes(self, since: dict[LineKey, Line] | None = None) -> list[tuple[Line | None, Line | None]]:
        """(old, new) for every line that differs from `since` (default: the last save)."""
        base = self.saved if since is None else since
        positions, lines = self._positions(), self.budget.lines
        diff: list[tuple[Line | None, Line | None]] = []
        for key in sorted(self._touched, key=lambda k: (k.origin, k.functional, k.economic, k.kind.value, k.project or "", k.fund.value)):
            old = base.get(key)
            new = lines[positions[key]] if key in positions else None
            if old is None and new is None:
                continue
            if new is not None and new.file_line and (old is None or not old.file_line):
                # A loaded line back where the saved file has none, or has one this session wrote (an undo after a
                # save): it goes back with its own comment.
                diff.append((old, replace(new, comment=self._comment_of(new))))
            elif old is None or new is None or new.content != old.content:
                diff.append((old, new))
        return diff

    # -- changes -------------------------------------------------------------------------

    def set_amount(self, key: LineKey, amount: Decimal) -> Change | None:
        """Give a line a new amount; None, with nothing recorded (no undo step, no journal entry), when it has it."""
        _within_limit(amount)
        if not has_cents_only(amount):
            raise EditError(_("{amount} has more than two decimals").format(amount=amount))
        if amount < 0:
            raise EditError(_("{amount} is negative; a budget line cannot be").format(amount=amount))
        old = self.line(key)
        return self._do_unless_noop(Change(old, old.with_amount(amount), f"{old.economic} {old.amount} → {amount}"))

    def add_line(self, line: Line) -> Change:
        if self.has_line(line.key):
            raise EditError(
                _("{functional} already has a line {economic}; edit that one").format(functional=line.functional, economic=line.economic)
            )
        _within_limit(line.amount)
        if not has_cents_only(line.amount) or line.amount < 0:
            raise EditError(_("{amount} is not an amount to the cent").format(amount=line.amount))
        return self._do(Change(None, line, f"add {line.functional} {line.economic}"))

    def delete_line(self, key: LineKey) -> Change:
        return self._do(Change(self.line(key), None, f"delete {key.functional} {key.economic}"))

    def change_economic(self, key: LineKey, economic: str) -> Change | None:
        """Move a line to another economic code (it moves in the tree), with its attributes and comment; None, with
        nothing recorded, when it has that code already."""
        old = self.line(key)
        if economic == old.economic:
            return None
        economic_name = self.budget.economic_name
        comment = carried_comment(self._comment_of(old), economic_name(old.economic), economic_name(economic))
        new = replace(old, economic=economic, file_line=0, comment=comment)
        if self.has_line(new.key):
            raise EditError(
                _("{functional} already has a line {economic}; edit that one").format(functional=old.functional, economic=economic)
            )
        return self._do(Change(old, new, f"{old.economic} → {economic}"))

    def apply_batch(self, changes: list[Change], label: str) -> Batch | None:
        """Apply changes as one undo step, all or none; listeners hear each change.

        Changes that leave their line as it is are dropped; None, with nothing recorded, when every change is one.
        """
        _check_batch({line.key: line for line in self.budget.lines}, changes)
        changes = [change for change in changes if not is_noop(change)]
        if not changes:
            return None
        done = []
        for change in changes:
            if change.before is not None:
                change = replace(change, position=self._positions()[change.before.key])
            self._apply(change.before, change.after)
            done.append(change)
        batch = Batch(tuple(done), label)
        self.undo_stack.append(batch)
        self.redo_stack.clear()
        for change in done:
            self._notify(change)
        return batch

    def undo(self) -> Change | Batch | None:
        if not self.undo_stack:
            return None
        step = self.undo_stack.pop()
        for change in reversed(_changes_of(step)):
            self._apply(change.after, change.before, change.position)
        self.redo_stack.append(step)
        for change in reversed(_changes_of(step)):
            self._notify(Change(change.after, change.before, f"undo {change.label}"))
        return step

    def redo(self) -> Change | Batch | None:
        if not self.redo_stack:
            return None
        step = self.redo_stack.pop()
        for change in _changes_of(step):
            self._apply(change.before, change.after)
        self.undo_stack.append(step)
        for change in _changes_of(step):
            self._notify(change)
        return step

    def replay(self, change: Change) -> Change:
        """Apply a change recorded by an earlier session (lines matched by key), as one undo step."""
        before = self._replayed_line(change.before) if change.before is not None else None
        if before is not None and change.before is not None and before.amount != change.before.amount:
            raise EditError(
                _("{functional} {economic} is no longer {amount}").format(
                    functional=before.functional, economic=before.economic, amount=change.before.amount
                )
            )
        if before is None and change.after is not None and self.has_line(change.after.key):
            raise EditError(
                _("{functional} already has a line {economic}").format(functional=change.after.functional, economic=change.after.economic)
            )
        after = change.after
        if after is not None and before is not None and after.name is None:
            after = replace(after, name=before.name)  # a journal written before lines had names did not record them
        if after is not None and before is not None and after.key == before.key:
            after = replace(after, file_line=before.file_line, origin=before.origin)
        return self._do(Change(before, after, change.label or "replayed"))

    def _replayed_line(self, recorded: Line) -> Line:
        """The line a recorded change applies to; EditError when the file no longer has it."""
        try:
            return self.line(recorded.key)
        except KeyError:
            raise EditError(
                _("{functional} has no line {economic} any more").format(functional=recorded.functional, economic=recorded.economic)
            ) from None

    def _comment_of(self, line: Line) -> str | None:
        """The comment of the line's row in the file as loaded ("" for none); None when it was not read from a file."""
        if line.comment is not None or not line.file_line or line.origin >= len(self._loaded_sources):
            return line.comment
        rows = self._loaded_rows.get(line.origin)
        if rows is None:
            source = self._loaded_sources[line.origin]
            rows = self._loaded_rows[line.origin] = source.text().splitlines()
        return row_comment(rows[line.file_line - 1]) if line.file_line <= len(rows) else None

    def mark_saved(self) -> None:
        self.saved = {line.key: line for line in self.budget.lines}

    def _do_unless_noop(self, change: Change) -> Change | None:
        return None if is_noop(change) else self._do(change)

    def _do(self, change: Change) -> Change:
        if change.before is not None:
            change = replace(change, position=self._positions()[change.before.key])
        self._apply(change.before, change.after)
        self.undo_stack.append(change)
        self.redo_stack.clear()
        self._notify(change)
        return change

    def _notify(self, change: Change) -> None:
        for listener in self.listeners:
            listener(change)

    def _apply(self, before: Line | None, after: Line | None, position: int = -1) -> None:
        lines = self.budget.lines
        for line in (before, after):
            if line is not None:
                self._touched.add(line.key)
        if before is not None:
            positions = self._positions()
            index = positions[before.key]
            if after is None:
                del lines[index]
                self._index = None
            else:
                lines[index] = after
                del positions[before.key]
                positions[after.key] = index
        elif after is not None:
            if 0 <= position <= len(lines):
                lines.insert(position, after)
                self._index = None
            else:
                lines.append(after)
                if self._index is not None:
                    self._index[after.key] = len(lines) - 1


def _within_limit(amount: Decimal) -> None:
    """EditError unless the amount passes money.check_amount (finite, below AMOUNT_LIMIT)."""
    try:
        check_amount(amount)
    except AmountError as error:
        raise EditError(str(error)) from None


def _changes_of(step: Change | Batch) -> tuple[Change, ...]:
    """The changes of one undo step, in the order they were made."""
    return step.changes if isinstance(step, Batch) else (step,)


def _check_batch(current: dict[LineKey, Line], changes: list[Change]) -> None:
    """Raise EditError unless every change applies in turn to the current lines; changes nothing."""
    if not changes:
        raise EditError(_("the batch changes no line"))
    lines = dict(current)
    for change in changes:
        before, after = change.before, change.after
        if before is not None:
            if lines.get(before.key) != before:
                raise EditError(
                    _("{functional} {economic} is no longer {amount}; preview again").format(
                        functional=before.functional, economic=before.economic, amount=before.amount
                    )
                )
            del lines[before.key]
        if after is not None:
            if after.key in lines:
                raise EditError(
                    _("{functional} already has a line {economic}").format(functional=after.functional, economic=after.economic)
                )
            _within_limit(after.amount)
            if not has_cents_only(after.amount) or after.amount < 0:
                raise EditError(_("{amount} is not an amount to the cent").format(amount=after.amount))
            lines[after.key] = after


__all__ = [
    "Batch",
    "CENT",
    "Change",
    "EditError",
    "Editor",
    "evaluate",
    "is_noop",
    "preview",
]
