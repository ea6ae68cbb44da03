"""Snapshots of the main screen, the help and each form in Chinese and in English at 80×24 (issue 17): Chinese labels
are two cells a character, so the footer, the dialogs and the status line are checked in both languages.

Regenerate with `pytest tests/app/test_app_i18n_snapshots.py --snapshot-update` and look at tests/app/__snapshots__/.
"""

from __future__ import annotations

import pytest

from budget_tui import i18n
from budget_tui.app.app import BudgetApp
from budget_tui.app.keys import translate_bindings
from budget_tui.session import Session

SIZE = (80, 24)
SCREENS = {
    "main": ["3"],
    "help": ["question_mark"],
    "problems": ["3", "exclamation_mark"],
    "search": ["slash", *"301"],
    "edit": ["slash", *"30101", "enter", "e", *"+4.96"],
    "add-line": ["slash", *"30101", "enter", "a", *"30199"],
    "recode": ["slash", *"30101", "enter", "r"],
    "delete": ["slash", *"30101", "enter", "d"],
    "comment": ["slash", *"30101", "enter", "c", *"why"],
    "bulk-adjust": ["slash", *"302", "enter", "percent_sign", *"-8%"],
    "bulk-adjust-preview": ["slash", *"302", "enter", "percent_sign", *"-8%", "enter"],
    "tables": ["t", "6"],
    "print-table": ["t", "6", "p", "ctrl+a", "ctrl+k", *"table6.txt"],  # a fixed name: the default holds tmp_path
    "quit-unsaved": ["slash", *"30101", "enter", "e", *"+4.96", "enter", "q"],
    "filter": ["f", *"302", "space", *">10"],
    "add-choice": ["slash", *"20103", "enter", "a"],
    "add-item": ["slash", *"20103", "enter", "a", "i", *"2010302", "enter", *"30201"],
    "add-project": ["slash", *"20103", "enter", "a", "p", *"信息化建设", "enter", *"2010302"],
    "compare": ["O", *"changji-2019.toml"],
}


@pytest.fixture(params=["zh", "en"])
def language(request):
    """The app in this language; English again afterwards, bindings too (they are translated per app)."""
    i18n.use(request.param)
    yield request.param
    i18n.use("en")
    translate_bindings()


@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen_in_both_languages_at_80x24(snap_compare, changji_copy, language, screen):
    assert snap_compare(BudgetApp(Session.open(changji_copy)), press=SCREENS[screen], terminal_size=SIZE)
