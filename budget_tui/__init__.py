"""budget-tui: a department's annual budget (部门预算), browsed, edited, checked and printed in the terminal."""

__version__ = "0.1.0"
