"""The main screen (screen.py's BudgetScreen) and its parts: base.py, opening.py, editing.py, saving.py, search.py."""

from budget_tui.app.screens.budget.base import CHECK_DELAY, PROBLEMS, TROUBLE_TIMEOUT, ProblemsChecked
from budget_tui.app.screens.budget.editing import AMOUNT_INPUT_MIN_WIDTH
from budget_tui.app.screens.budget.screen import BudgetScreen

__all__ = ["AMOUNT_INPUT_MIN_WIDTH", "BudgetScreen", "CHECK_DELAY", "PROBLEMS", "ProblemsChecked", "TROUBLE_TIMEOUT"]
