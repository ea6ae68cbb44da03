"""A budget beside another version (core/against.py, session/against.py, check and report --against): every node's
上版 / 本版, the changed nodes, folders with departments added and removed, and the other version as [prior]."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from budget_tui.cli import main
from budget_tui.core.against import COLUMNS, disagreements, prior_from, step, with_prior_of
from budget_tui.core.ids import ROOT, NodeId
from budget_tui.core.model import Fund, Kind, LineKey
from budget_tui.core.tree import ECONOMIC
from budget_tui.core.versions import VersionError
from budget_tui.files.fileformat import load
from budget_tui.session import Session
from budget_tui.session.against import read_other, summary
from tests.conftest import CHANGJI


def line_id(functional: str, economic: str, origin: int = 0) -> NodeId:
    return NodeId.line(LineKey(Kind.BASIC, None, Fund.GENERAL, functional, economic, origin))


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    """The sample (old) and a new version: 30101 up 4.96, 30103 recoded to 30109, and a new 项 2010302."""
    old = tmp_path / "old.toml"
    shutil.copy(CHANGJI, old)
    text = CHANGJI.read_text("utf-8")
    text = text.replace("30101 = 335.04", "30101 = 340.00").replace("30103 = 20.19   # 奖金", "30109 = 20.19   # 奖金")
    text = text.replace("[basic.2010350]", "[basic.2010302]\n30201 = 1.00\n\n[basic.2010350]")
    new = tmp_path / "new.toml"
    new.write_text(text, "utf-8")
    return old, new


def test_every_node_has_the_other_versions_figure_and_the_changed_ones_are_marked(versions):
    old, new = versions
    session = Session.open(new)
    session.compare_with(read_other(old))
    comparison = session.version_comparison()
    assert comparison is not None
    nodes = [session.tree.root, *session.tree.root.walk()]
    assert set(comparison.comparisons) == {node.id for node in nodes}  # every level, down to the lines
    assert comparison.comparisons[ROOT].cells() == ("1695.33", "1701.29", "+5.96", "+0.4%")
    assert comparison.comparisons[NodeId.functional("2010301")].cells() == ("1642.52", "1647.48", "+4.96", "+0.3%")
    assert comparison.comparisons[line_id("2010301", "30101")].cells() == ("335.04", "340.00", "+4.96", "+1.5%")
    assert comparison.comparisons[line_id("2010301", "30102")].cells() == ("144.28", "144.28", "0.00", "0.0%")
    # A node the other version does not have: 上版 0, no rate.
    assert comparison.comparisons[NodeId.functional("2010302")].cells() == ("0.00", "1.00", "+1.00", "")
    assert NodeId.functional("2010302") in comparison.new
    changed = {node.id for node in nodes if comparison.is_changed(node)}
    assert changed == {
        ROOT, NodeId.functional("201"), NodeId.functional("20103"), NodeId.functional("2010301"),
        NodeId.functional("2010301").group(Kind.BASIC).economic_class("301"),
        line_id("2010301", "30101"), line_id("2010301", "30109"),  # the recoded line is one of its new place
        NodeId.functional("2010302"), *[node.id for node in session.tree.by_id[NodeId.functional("2010302")].walk()],
    }
    assert COLUMNS == ("上版", "本版", "增减", "增减%")


def test_the_economic_view_is_compared_too(versions):
    old, new = versions
    session = Session.open(new)
    session.compare_with(read_other(old))
    session.toggle_view(None)
    assert session.tree.view == ECONOMIC
    comparison = session.version_comparison()
    assert comparison is not None
    assert comparison.comparisons[NodeId.economic("30109")].cells() == ("0.00", "20.19", "+20.19", "")
    assert comparison.comparisons[NodeId.economic("301")].cells() == ("939.31", "944.27", "+4.96", "+0.5%")


def test_the_same_version_changes_nothing(tmp_path):
    path = tmp_path / "b.toml"
    shutil.copy(CHANGJI, path)
    session = Session.open(path)
    diff = session.compare_with(read_other(CHANGJI))
    comparison = session.version_comparison()
    assert comparison is not None and not comparison.changed
    assert summary(diff, "x").endswith("the lines are the same.")


def write_department(folder: Path, name: str, amount: str, department: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(
        f'[department]\nname = "{department}"\nyear = 2020\n\n[basic.2010301]\n30101 = {amount}\n30201 = 2.00\n', "utf-8"
    )


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """Old: a.toml, b.toml (b removed in new); new: a.toml changed, c.toml added; read in another order."""
    old, new = tmp_path / "old", tmp_path / "new"
    write_department(old, "a.toml", "10.00", "甲局")
    write_department(old, "b.toml", "20.00", "乙局")
    write_department(new, "a.toml", "12.50", "甲局")
    write_department(new, "c.toml", "30.00", "丙局")
    return old, new


def test_a_folder_against_a_folder_with_a_department_added_and_one_removed(folders):
    old, new = folders
    session = Session.open(new)
    diff = session.compare_with(read_other(old))
    comparison = session.version_comparison()
    assert comparison is not None
    a, c = NodeId.department(0), NodeId.department(1)  # a.toml, c.toml in the new folder
    assert comparison.comparisons[a].cells() == ("12.00", "14.50", "+2.50", "+20.8%")
    assert comparison.comparisons[c].cells() == ("0.00", "32.00", "+32.00", "")  # added
    assert c in comparison.new and a not in comparison.new
    # The removed department b counts in the root's 上版: 12 + 22.
    assert comparison.comparisons[ROOT].cells() == ("34.00", "46.50", "+12.50", "+36.8%")
    # c.toml's lines are matched by file: its 30101 is not a.toml's, nor b.toml's (which was origin 1 in old).
    assert comparison.comparisons[line_id("2010301", "30101", 1)].cells()[0] == "0.00"
    assert comparison.comparisons[line_id("2010301", "30201", 0)].cells()[:3] == ("2.00", "2.00", "0.00")
    words = summary(diff, str(old))
    assert "department added: c.toml" in words and "department removed: b.toml" in words
    session.toggle_departments(None)  # merged: one tree, the lines still matched by file
    merged = session.version_comparison()
    assert merged is not None
    assert merged.comparisons[NodeId.functional("2010301")].cells() == ("34.00", "46.50", "+12.50", "+36.8%")


def test_a_file_against_a_folder_is_refused_and_changes_nothing(folders, tmp_path):
    old, _ = folders
    path = tmp_path / "b.toml"
    shutil.copy(CHANGJI, path)
    session = Session.open(path)
    with pytest.raises(VersionError, match="compare a file with a file or a folder with a folder"):
        session.compare_with(read_other(old))
    assert session.against is None and session.version_comparison() is None


def test_step_goes_round_the_order_both_ways():
    order = [NodeId(("f", code)) for code in "abcde"]
    changed = {order[1], order[3]}.__contains__
    assert step(order, changed, order[1], True) == order[3]
    assert step(order, changed, order[3], True) == order[1]
    assert step(order, changed, order[1], False) == order[3]
    assert step(order, changed, None, True) == order[1]
    assert step(order, lambda _: False, order[0], True) is None


# -- the other version as [prior] --------------------------------------------------------------


def test_the_other_versions_figures_as_prior():
    budget = load(CHANGJI)
    prior = prior_from(budget)
    assert prior.year == 2020 and prior.total == Decimal("1695.33") and prior.general_public == Decimal("1695.33")
    assert prior.personnel == Decimal("968.54") and prior.operating == Decimal("726.79")
    assert prior.operating_costs == Decimal("726.79")
    assert prior.functional == {"2010301": Decimal("1642.52"), "2010350": Decimal("52.81")}
    assert prior.three_public.reception == Decimal("3.60") and prior.three_public.vehicle_operation == Decimal("42.00")
    assert prior.staffing.in_service == 58
    assert with_prior_of(budget, budget).facts.prior == prior


def test_check_against_warns_where_prior_differs(versions, capsys):
    old, new = versions
    problems = disagreements(load(new), load(old))
    rules = {problem.rule for problem in problems}
    assert rules == {"prior-differs"}
    said = {problem.message.split(" is ")[0] for problem in problems}
    assert "prior.total" in said and "prior.year" in said  # 1781.38 and 2019 are last year's, not the sample's
    assert main(["check", str(new), "--against", str(old)]) == 0
    out = capsys.readouterr().out
    assert "warning [prior-differs]: prior.total is 1781.38, but the other version gives 1695.33" in out


def test_report_against_takes_the_other_version_in_place_of_prior(versions, capsys):
    old, new = versions
    assert main(["report", str(new)]) == 0
    plain = capsys.readouterr().out
    assert main(["report", str(new), "--against", str(old)]) == 0
    against = capsys.readouterr().out
    assert "比上年减少80.09万元" in plain  # against the file's [prior] total 1781.38
    assert "比上年增加5.96万元" in against  # 1701.29 against the sample's 1695.33
    assert "1781.38" not in against


def test_against_a_folder_for_a_file_is_a_usage_error(folders, versions, capsys):
    old_folder, _ = folders
    _, new = versions
    assert main(["check", str(new), "--against", str(old_folder)]) == 2
    assert "compare a file with a file or a folder with a folder" in capsys.readouterr().err
    assert main(["report", str(new), "--against", str(new.parent / "missing.toml")]) == 2
    assert "does not exist" in capsys.readouterr().err


# -- budget-tui NEW --against OLD --watch --------------------------------------------------------


def test_open_hands_against_and_watch_to_the_app(versions, folders, monkeypatch, capsys):
    import budget_tui.cli as cli

    monkeypatch.setattr(cli, "_no_terminal", lambda: "")
    calls = []

    def open_app(path, force, **options):
        calls.append((path, force, options))
        return 0

    old, new = versions
    assert main([str(new), "--against", str(old), "--watch"], open_app=open_app) == 0
    assert main([str(new)], open_app=open_app) == 0
    assert calls == [(new, False, {"against": old, "watch": True}), (new, False, {})]
    old_folder, _ = folders
    assert main([str(new), "--against", str(old_folder)], open_app=open_app) == 2
    assert "is a folder and" in capsys.readouterr().err and len(calls) == 2
