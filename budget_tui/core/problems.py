"""A finding of `check` (Problem: severity, rule, words, place in the file); how lines and facts are named and found.

Pure: the line numbers come from the budget's sources (`Source.locations`, read by budget_tui.files).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from budget_tui.core.ids import NodeId
from budget_tui.core.model import Budget, Fund, Line, LineKey, nearest
from budget_tui.core.money import plain_number
from budget_tui.core.safetext import clean, one_line


class Severity(Enum):
    """An error makes the published tables or text wrong; a warning asks for a look."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One finding: what rule, how serious, in plain words, and where in the file."""

    severity: Severity
    rule: str
    message: str
    line: int
    """1-based line of the file the problem concerns (1 when it concerns the file as a whole)."""
    key: LineKey | None = None
    """The budget line concerned, when there is one."""
    node: NodeId | None = None
    """Id of the node of the functional tree (budget_tui.core.tree) to jump to, when there is one."""
    source: int = 0
    """Index in Budget.sources of the file the line number refers to."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "message", one_line(self.message))  # it quotes names and keys from the file

    @property
    def is_error(self) -> bool:
        return self.severity is Severity.ERROR


# -- where things are ------------------------------------------------------------------------


def locations(budget: Budget, source: int = 0) -> dict[tuple[str, ...], int]:
    return budget.sources[source].locations if len(budget.sources) > source else {}


def fact_line(budget: Budget, path: tuple[str, ...]) -> int:
    """Line of a fact (or of its closest located table), 1 when nothing is located."""
    return nearest(locations(budget), path)


def line_number(budget: Budget, line: Line) -> int:
    """Line of a budget line; for one added in the app, the line of its 项's table."""
    if line.file_line:
        return line.file_line
    return nearest(locations(budget, line.origin), ("basic", line.functional))


def line_label(budget: Budget, line: Line) -> str:
    """How a line is named in a message: 2010301 行政运行 / 30101 基本工资 (项目 X, 政府性基金预算)."""
    parts = [
        f"{line.functional} {budget.functional_name(line.functional)}".strip(),
        f"{line.economic} {budget.economic_name(line.economic)}".strip(),
    ]
    extra = ([f"项目 {line.project}"] if line.project else []) + ([line.fund.value] if line.fund is not Fund.GENERAL else [])
    return " / ".join(parts) + (f" ({', '.join(extra)})" if extra else "")


def line_problem(budget: Budget, line: Line, severity: Severity, rule: str, message: str) -> Problem:
    return Problem(severity, rule, clean(message), line_number(budget, line), line.key, NodeId.line(line.key), line.origin)


def fact_problem(budget: Budget, path: tuple[str, ...], severity: Severity, rule: str, message: str) -> Problem:
    return Problem(severity, rule, clean(message), fact_line(budget, path))


def money(budget: Budget, amount: Decimal) -> str:
    return plain_number(amount) + budget.department.unit


__all__ = [
    "Problem",
    "Severity",
    "fact_line",
    "fact_problem",
    "line_label",
    "line_number",
    "line_problem",
    "locations",
    "money",
]
