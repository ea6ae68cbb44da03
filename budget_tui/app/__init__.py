"""The Textual app: `run_app(path)` loads a budget file (errors surface before any screen appears) or a folder (read
by a worker behind screens/loading.py; its errors surface once the app is gone) and runs it.

Layout by role: app.py (help, quit, keymap, the messages shown), budget_tui/session (the state, no Textual: lock,
journal, problems, review marks, views), screens/budget/ (the main screen: screen.py with its bindings, views, marks and
problems panel; base.py, opening.py for the lock and the journal, editing.py, saving.py and search.py),
screens/tables.py (t), adjust.py (the % preview), diff.py (D), dialogs.py and help.py, widgets/ (tree, problems
panel, status line, inputs), keys.py (keys.toml).

A folder (汇总) is locked and journaled as a whole, by side files beside it (`.FOLDER.budget-tui.lock` and
`.journal`; journaled lines keep their file's index); each file keeps its own fingerprint, and a save rewrites only
the changed files. A budget-tui on one file of the folder takes that file's own lock, so it is not kept out: the
fingerprints still refuse a save over the other's. Review marks live in `FOLDER.review.toml`, keyed by file path.

To add a key, give the class that owns the action (BudgetTree moves, BudgetScreen changes, BudgetApp
help/quit) a Binding with an id and a description; Footer (show=True), help and keys.toml pick it up.
"""

from __future__ import annotations

from pathlib import Path

READ_AT_ONCE_BYTES = 256 * 1024
"""A file up to this size is read before the app starts (well under half a second); a larger one behind the loading
screen, which says what it reads once half a second has passed."""


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0  # Session.open will say what is wrong with it


def run_app(path: Path, force: bool = False, against: Path | None = None, watch: bool = False) -> int:
    """Open the budget at path in the terminal (force: edit even when another budget-tui holds it; against: another
    version to compare with, read first; watch: follow the file on disk); raises BudgetFileError (a small file: before
    starting; a folder or large file: once the loading screen is gone) when it cannot be read."""
    from budget_tui.app.app import BudgetApp
    from budget_tui.app.screens.budget.versions import VersionOptions
    from budget_tui.session import Session
    from budget_tui.session.against import read_other

    path = Path(path)
    options = VersionOptions(read_other(against) if against is not None else None, watch)
    if path.is_dir() or _size(path) > READ_AT_ONCE_BYTES:
        app = BudgetApp(None, force, path)  # read in a worker behind the loading screen
    else:
        app = BudgetApp(Session.open(path), force)
    app.versions = options
    try:
        result = app.run() or 0
    finally:
        if app.session is not None:
            app.session.close()
    if app.load_error is not None:
        raise app.load_error
    return result
