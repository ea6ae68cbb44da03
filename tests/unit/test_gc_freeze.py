"""A session's long-lived objects are frozen out of the cyclic collector's passes, and a replaced tree is reclaimed."""

import gc
import shutil
import weakref
from pathlib import Path

import pytest

from budget_tui.session import Session

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def session(tmp_path):
    path = tmp_path / "b.toml"
    shutil.copy(ROOT / "data" / "synthetic-2021.toml", path)
    opened = Session.open(path)
    yield opened
    opened.close()
    gc.unfreeze()


def test_opening_freezes_the_lines_and_the_tree(session):
    assert gc.get_freeze_count() > len(session.budget.lines) + len(session.tree.by_id)


def test_a_replaced_tree_is_thawed_reclaimed_and_the_rest_frozen_again(session):
    old = weakref.ref(session.tree)
    for change in (lambda: session.toggle_view(None), lambda: session.delete_line(session.budget.lines[0].key)):
        change()
        assert session.thawed and gc.get_freeze_count() == 0
        assert session.checked(session.checks_generation, session.problems)
        assert not session.thawed and gc.get_freeze_count() > len(session.budget.lines)
    assert old() is None


def test_an_outdated_check_does_not_refreeze(session):
    session.toggle_view(None)
    assert not session.checked(session.checks_generation - 1, [])
    assert session.thawed and gc.get_freeze_count() == 0
