"""The Textual app: `run_app(path)` loads the budget (errors surface before any screen appears) and runs it.

Layout by role: app.py (help, quit, keymap), session.py (the state, no Textual: lock, journal, problems),
screens/budget.py (the main screen, its actions, opening with the lock and the journal), screens/dialogs.py and
help.py, widgets/ (tree, problems panel, status line, inputs), keys.py (keys.toml).

To add a key, give the class that owns the action (BudgetTree moves, BudgetScreen changes, BudgetApp
help/quit) a Binding with an id and a description; Footer (show=True), help and keys.toml pick it up.
"""

from __future__ import annotations

from pathlib import Path


def run_app(path: Path, force: bool = False) -> int:
    """Open the budget at path in the terminal (force: edit even when another budget-tui holds it); raises
    BudgetFileError before starting when it cannot be read."""
    from budget_tui.app.session import Session

    session = Session.open(path)
    from budget_tui.app.app import BudgetApp

    try:
        return BudgetApp(session, force).run() or 0
    finally:
        session.close()
