"""The Textual app: `run_app(path)` loads the budget (errors surface before any screen appears) and runs it.

Layout by role: app.py (global keys, keymap), session.py (state, no Textual), screens/, widgets/, keys.py.
"""

from __future__ import annotations

from pathlib import Path


def run_app(path: Path) -> int:
    """Open the budget at path in the terminal; raises BudgetFileError before starting when it cannot be read."""
    from budget_tui.app.session import Session

    session = Session.open(path)
    from budget_tui.app.app import BudgetApp

    return BudgetApp(session).run() or 0
