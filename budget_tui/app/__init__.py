"""The Textual app: `run_app(path)` loads the budget (errors surface before any screen appears) and runs it.

Layout by role: app.py (help, quit, keymap), session.py (the state, no Textual), screens/budget.py (the main
screen and its actions), screens/dialogs.py and help.py, widgets/ (tree, status line, inputs), keys.py (keys.toml).

To add a key, give the class that owns the action (BudgetTree moves, BudgetScreen changes, BudgetApp
help/quit) a Binding with an id and a description; Footer (show=True), help and keys.toml pick it up.
"""

from __future__ import annotations

from pathlib import Path


def run_app(path: Path) -> int:
    """Open the budget at path in the terminal; raises BudgetFileError before starting when it cannot be read."""
    from budget_tui.app.session import Session

    session = Session.open(path)
    from budget_tui.app.app import BudgetApp

    return BudgetApp(session).run() or 0
