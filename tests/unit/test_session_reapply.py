"""The session's re-apply of edits to a file changed on disk (issue 14, item 7): planned, then written only while the
file on disk is still the one planned from."""

from __future__ import annotations

import pytest

from budget_tui.core.model import Fund, Kind, LineKey
from budget_tui.files.save import SaveError
from budget_tui.session import Session

L30101 = LineKey(Kind.BASIC, None, Fund.GENERAL, "2010301", "30101")


def test_the_plan_is_written_and_the_session_reloads_from_it(changji_copy):
    session = Session.open(changji_copy)
    session.set_amount(L30101, "340")
    changji_copy.write_text(changji_copy.read_text("utf-8").replace("30102 = 144.28", "30102 = 150.00"), "utf-8")
    plan = session.reapply_plan()
    assert len(plan.result.applied) == 1 and plan.result.conflicts == ()
    session.reapply_and_save(plan)
    text = changji_copy.read_text("utf-8")
    assert "30101 = 340.00" in text and "30102 = 150.00" in text
    assert not session.dirty and not session.changed_on_disk()


def test_a_file_changed_again_after_the_plan_is_not_written(changji_copy):
    session = Session.open(changji_copy)
    session.set_amount(L30101, "340")
    changji_copy.write_text(changji_copy.read_text("utf-8").replace("30102 = 144.28", "30102 = 150.00"), "utf-8")
    plan = session.reapply_plan()
    again = changji_copy.read_text("utf-8").replace("30103 = 20.19", "30103 = 21.00")
    changji_copy.write_text(again, "utf-8")
    with pytest.raises(SaveError, match="changed on disk.*your edits are kept"):
        session.reapply_and_save(plan)
    assert changji_copy.read_text("utf-8") == again and session.dirty


def test_a_file_that_is_no_longer_a_budget_is_not_merged(changji_copy):
    session = Session.open(changji_copy)
    session.set_amount(L30101, "340")
    changji_copy.write_text("[department\n", "utf-8")
    with pytest.raises(SaveError, match="your edits are kept"):
        session.reapply_plan()
    assert session.dirty
