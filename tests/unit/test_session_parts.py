"""The session's decisions that used to live in the main screen, tested without Textual: where an added line goes,
the economic-code check, what read-only forbids, save-as (the name offered and the name typed), background checks."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest

from budget_tui import session as session_module
from budget_tui.core.editing import EditError
from budget_tui.core.ids import Level, NodeId
from budget_tui.core.model import Fund, Kind
from budget_tui.files.lock import Holder, LockHeld, LockRefused
from budget_tui.files.safeopen import UnsafeFileError
from budget_tui.files.save import SaveError
from budget_tui.session import Place, Session, economic_code


def node(session: Session, node_id: tuple):
    return session.tree.by_id[NodeId(node_id)]


def test_a_line_added_at_the_cursor_goes_under_its_xiang_in_the_cursors_group(synthetic_copy):
    session = Session.open(synthetic_copy)
    item = node(session, ("f", "2050201"))
    project = node(session, ("f", "2050201", "project", "学前教育生均公用经费补助"))
    assert project.level is Level.GROUP and project.id.is_project_group
    # On the project (or below it): a project line of that project, with the fund of its lines.
    assert session.place_for_line(project) == Place(item, Kind.PROJECT, "学前教育生均公用经费补助", Fund.GENERAL, 0)
    fund_project = node(session, ("f", "2120803", "project", "城区学校配套建设"))
    place = session.place_for_line(fund_project.children[0])
    assert (place.kind, place.project, place.fund) == (Kind.PROJECT, "城区学校配套建设", Fund.GOVERNMENT_FUND)
    # On a line: that line's kind, project and fund.
    line = next(leaf for leaf in session.tree.root.walk() if leaf.line is not None and leaf.line.fund is Fund.BUSINESS)
    place = session.place_for_line(line)
    assert (place.item.code, place.kind, place.fund) == (line.line.functional, Kind.BASIC, Fund.BUSINESS)
    # On a 项 itself: 基本支出 from 一般公共预算; above any 项 (or nowhere): no place.
    assert session.place_for_line(item) == Place(item, Kind.BASIC, None, Fund.GENERAL, 0)
    assert session.place_for_line(node(session, ("f", "205"))) is None
    assert session.place_for_line(None) is None


def test_a_line_added_in_a_folder_goes_to_the_department_file_of_its_xiang(tmp_path, changji_copy):
    folder = tmp_path / "prefecture"
    folder.mkdir()
    (folder / "a.toml").write_text('[department]\nname = "甲"\nyear = 2020\n\n[basic.2010301]\n30101 = 1.00\n', "utf-8")
    (folder / "b.toml").write_bytes(changji_copy.read_bytes())
    session = Session.open(folder)
    in_b = node(session, ("d", 1, "f", "2010301"))
    assert session.place_for_line(in_b).origin == 1
    session.by_department = False
    session.tree = session.build_tree()
    merged = node(session, ("f", "2010350"))  # only b.toml has this 项: its lines' file
    assert session.place_for_line(merged).origin == 1


@pytest.mark.parametrize("typed", ["", "3020", "302011", "40201", "3O201", "３0201"])
def test_an_economic_code_is_five_digits_starting_with_3(typed, changji_copy):
    with pytest.raises(EditError, match="is not an economic 款 code; type five digits such as 30201"):
        economic_code(typed)
    session = Session.open(changji_copy)
    place = session.place_for_line(node(session, ("f", "2010301")))
    with pytest.raises(EditError, match="is not an economic 款 code"):
        session.new_line(place, typed, "1")
    key = next(iter(session.tree.by_line))
    with pytest.raises(EditError, match="is not an economic 款 code"):
        session.change_economic(key, typed)
    assert not session.dirty


def test_the_new_line_is_built_from_the_place_the_code_and_the_amount(changji_copy):
    session = Session.open(changji_copy)
    place = session.place_for_line(node(session, ("f", "2010301")))
    line = session.new_line(place, " 30299 ", "12.5")
    assert (line.functional, line.economic, line.amount, line.kind, line.fund, line.origin) == (
        "2010301", "30299", Decimal("12.5"), Kind.BASIC, Fund.GENERAL, 0,
    )
    with pytest.raises(EditError):
        session.new_line(place, "30299", "twelve")
    assert economic_code(" 30201\t") == "30201"


def test_read_only_says_why_nothing_can_be_changed(changji_copy):
    session = Session.open(changji_copy)
    assert session.refusal() is None
    session.read_only, session.holder = True, LockHeld(changji_copy, Holder("王", "host", 42, "2024-01-01T08:00"))
    assert session.refusal() == "Read-only: changji-2020.toml is being edited by 王@host (process 42) since 2024-01-01T08:00. Nothing can be changed here."
    session.holder = None
    assert session.refusal() == "Read-only: changji-2020.toml is being edited by another budget-tui. Nothing can be changed here."
    session.holder = LockRefused(changji_copy, UnsafeFileError(changji_copy.with_name("lock"), "is a symbolic link"))
    assert session.refusal() == f"Read-only: {session.holder}."
    session.journal_unreadable()
    assert session.refusal().startswith(f"Read-only: the crash journal {session.journal_path} cannot be read; set it aside")


def test_save_as_offers_a_name_beside_the_original_else_home_else_temp(changji_copy, monkeypatch):
    session = Session.open(changji_copy)
    assert session.save_as_suggestion() == changji_copy.with_name("changji-2020-edited.toml")
    writable = {Path.home()}
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) in writable)
    assert session.save_as_suggestion() == Path.home() / "changji-2020-edited.toml"
    writable.clear()
    assert session.save_as_suggestion() == changji_copy.with_name("changji-2020-edited.toml")  # nowhere: beside it


def test_save_as_refuses_an_empty_or_taken_name_and_writes_a_relative_one_beside_the_original(changji_copy):
    session = Session.open(changji_copy)
    session.set_amount(next(iter(session.tree.by_line)), "+1")
    with pytest.raises(SaveError, match="^Type a file name.$"):
        session.save_as("  ")
    with pytest.raises(SaveError, match="already exists; choose another name."):
        session.save_as(changji_copy.name)
    assert session.dirty
    written = session.save_as(" copy.toml ")
    assert written == changji_copy.with_name("copy.toml") and session.path == written and not session.dirty
    session.close()


def test_a_background_check_starts_once_per_change(changji_copy, monkeypatch):
    monkeypatch.setattr(session_module, "SYNC_CHECK_LINES", 10)  # changji's lines count as a large budget
    session = Session.open(changji_copy)
    assert session.problems_stale
    generation, snapshot = session.check_to_start()
    assert snapshot.lines == session.budget.lines and snapshot.lines is not session.budget.lines
    assert session.check_to_start() is None  # the same budget: no second check
    session.set_amount(next(iter(session.tree.by_line)), "+1")
    assert session.check_to_start()[0] == generation + 1
    assert not session.checked(generation, []) and session.problems_stale  # an outdated result is dropped
