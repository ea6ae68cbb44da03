"""Saving: byte-identical without edits, one line per edited amount, atomic, and refused when the file moved on."""

import os
import stat
from decimal import Decimal

import pytest
import tomlkit

from budget_tui.core.editing import Editor
from budget_tui.core.model import Fund, Kind, Line
from budget_tui.files.fileformat import load
from budget_tui.files.save import Fingerprint, SaveError, render, save
from tests.conftest import CHANGJI, MINIMAL, SYNTHETIC


def changed_lines(before: bytes, after: bytes) -> list[tuple[str, str]]:
    old, new = before.decode().splitlines(), after.decode().splitlines()
    assert len(old) == len(new)
    return [(a, b) for a, b in zip(old, new) if a != b]


@pytest.mark.parametrize("sample", [CHANGJI, SYNTHETIC])
def test_round_trip_without_edits_is_byte_identical(sample):
    budget = load(sample)
    data = sample.read_bytes()
    assert render(budget.sources[0], []) == data
    assert tomlkit.parse(data.decode()).as_string().encode() == data  # the writer's own round trip
    edited = Editor(budget)
    edited.set_amount(budget.lines[0].key, budget.lines[0].amount)  # same value: no change
    assert render(budget.sources[0], edited.changes()) == data


@pytest.mark.parametrize("sample", [CHANGJI, SYNTHETIC])
def test_one_amount_edit_changes_exactly_one_line(sample, tmp_path):
    path = tmp_path / sample.name
    path.write_bytes(sample.read_bytes())
    budget = load(path)
    editor = Editor(budget)
    line = budget.lines[-1]
    editor.set_amount(line.key, line.amount + Decimal("4.96"))
    before = path.read_bytes()
    save(budget, editor.changes(), Fingerprint.of(path, before))
    [(old, new)] = changed_lines(before, path.read_bytes())
    assert old.split("=")[0] == new.split("=")[0]
    assert f"{line.amount + Decimal('4.96'):.2f}" in new
    assert old.split("#")[1:] == new.split("#")[1:]  # the comment is kept
    assert load(path).total() == budget.total()


def test_the_changji_edit_writes_two_decimals_and_keeps_the_comment(changji_copy):
    budget = load(changji_copy)
    editor = Editor(budget)
    key = next(line.key for line in budget.lines if line.economic == "30101")
    editor.set_amount(key, Decimal("335.04") + Decimal("4.96"))
    before = changji_copy.read_bytes()
    save(budget, editor.changes(), Fingerprint.of(changji_copy, before))
    assert changed_lines(before, changji_copy.read_bytes()) == [
        ("30101 = 335.04  # 基本工资", "30101 = 340.00  # 基本工资")
    ]


def test_add_delete_and_recode_touch_only_their_lines(changji_copy):
    budget = load(changji_copy)
    editor = Editor(budget)
    editor.add_line(Line("2010301", "30215", Decimal("2.50")))
    editor.delete_line(next(l.key for l in budget.lines if l.economic == "30314"))
    save(budget, editor.changes())
    text = changji_copy.read_text("utf-8")
    assert "30213 = 3.40    # 维修（护）费\n30215 = 2.50  # 会议费\n30217 = 3.60" in text
    assert "30314 = 10.70" not in text
    reloaded = {(l.functional, l.economic): l.amount for l in load(changji_copy).lines}
    assert reloaded[("2010301", "30215")] == Decimal("2.50")
    assert ("2010301", "30314") not in reloaded


def test_lines_in_new_tables_projects_and_funds(synthetic_copy):
    budget = load(synthetic_copy)
    editor = Editor(budget)
    editor.add_line(Line("2010302", "30201", Decimal("1.00")))
    editor.add_line(Line("2050101", "30202", Decimal("0.50"), fund=Fund.BUSINESS))
    editor.add_line(Line("2050201", "30226", Decimal("3.00"), kind=Kind.PROJECT, project="学前教育生均公用经费补助"))
    project_line = next(l for l in budget.lines if l.economic == "30308")
    editor.set_amount(project_line.key, Decimal("50.00"))
    inline = next(l for l in budget.lines if l.economic == "30227")
    editor.set_amount(inline.key, Decimal("19.00"))
    save(budget, editor.changes())
    reloaded = load(synthetic_copy)
    assert {(l.key, l.amount) for l in reloaded.lines} == {(l.key, l.amount) for l in budget.lines}
    assert '30227 = { amount = 19.00, category = "人员经费" }' in synthetic_copy.read_text("utf-8")


def test_crlf_and_bom_are_kept(write_budget):
    path = write_budget(b"\xef\xbb\xbf" + MINIMAL.replace("\n", "\r\n").encode())
    budget = load(path)
    editor = Editor(budget)
    editor.set_amount(budget.lines[0].key, Decimal("11.00"))
    editor.add_line(Line("2010301", "30102", Decimal("1.00")))
    save(budget, editor.changes())
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert b"30101 = 11.00  # \xe5\x9f\xba\xe6\x9c\xac\xe5\xb7\xa5\xe8\xb5\x84\r\n" in data


def test_save_keeps_mode_and_writes_through_a_symlink(changji_copy, tmp_path):
    os.chmod(changji_copy, 0o640)
    link = tmp_path / "link.toml"
    link.symlink_to(changji_copy)
    budget = load(link)
    editor = Editor(budget)
    editor.set_amount(budget.lines[0].key, Decimal("1.00"))
    save(budget, editor.changes(), Fingerprint.of(link, link.read_bytes()))
    assert link.is_symlink()
    assert stat.S_IMODE(os.stat(changji_copy).st_mode) == 0o640
    assert "30101 = 1.00" in changji_copy.read_text("utf-8")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_save_refuses_when_the_file_changed_on_disk(changji_copy):
    data = changji_copy.read_bytes()
    budget = load(changji_copy)
    fingerprint = Fingerprint.of(changji_copy, data)
    editor = Editor(budget)
    editor.set_amount(budget.lines[0].key, Decimal("1.00"))
    changji_copy.write_bytes(data.replace(b"16.00", b"17.00"))
    with pytest.raises(SaveError, match="changed on disk since it was loaded"):
        save(budget, editor.changes(), fingerprint)
    assert b"30101 = 335.04" in changji_copy.read_bytes()


def test_save_as_writes_elsewhere_and_leaves_the_original(changji_copy, tmp_path):
    budget = load(changji_copy)
    editor = Editor(budget)
    editor.set_amount(budget.lines[0].key, Decimal("1.00"))
    other = tmp_path / "other.toml"
    save(budget, editor.changes(), path=other)
    assert b"30101 = 335.04" in changji_copy.read_bytes()
    assert "30101 = 1.00" in other.read_text("utf-8")
    assert budget.path == other


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write read-only files")
def test_read_only_folder_gives_a_clear_message(changji_copy):
    budget = load(changji_copy)
    editor = Editor(budget)
    editor.set_amount(budget.lines[0].key, Decimal("1.00"))
    os.chmod(changji_copy.parent, 0o500)
    try:
        with pytest.raises(SaveError, match="cannot write"):
            save(budget, editor.changes())
    finally:
        os.chmod(changji_copy.parent, 0o700)
    assert editor.dirty
