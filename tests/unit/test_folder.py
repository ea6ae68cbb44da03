"""A folder of department files as one consolidated budget (汇总): load, tree, tables, and per-file saves."""

import shutil
from decimal import Decimal

import pytest

from budget_tui.cli import main
from budget_tui.core.editing import Editor
from budget_tui.core.tables import build_table
from budget_tui.core.tree import Tree
from budget_tui.files.fileformat import BudgetFileError, budget_files, load
from budget_tui.files.save import save
from budget_tui.synth import department_text, write_budgets
from tests.conftest import CHANGJI, SYNTHETIC


@pytest.fixture
def folder(tmp_path):
    target = tmp_path / "州本级"
    (target / "教育").mkdir(parents=True)
    shutil.copy(CHANGJI, target / CHANGJI.name)
    shutil.copy(SYNTHETIC, target / "教育" / SYNTHETIC.name)
    # Synthetic is 2021: give it the changji year so the two can be consolidated.
    path = target / "教育" / SYNTHETIC.name
    path.write_text(path.read_text("utf-8").replace("year = 2021", "year = 2020", 1), "utf-8")
    (target / ".changji-2020.toml.budget-tui.lock").write_text("{}")
    (target / "changji-2020.review.toml").write_text("")
    return target


def test_budget_files_skip_hidden_and_review_files(folder):
    assert [p.relative_to(folder).as_posix() for p in budget_files(folder)] == [
        "changji-2020.toml",
        "教育/synthetic-2021.toml",
    ]


def test_folder_loads_as_one_budget_with_origins(folder):
    budget = load(folder)
    assert budget.is_consolidated and len(budget.sources) == 2
    assert budget.total() == load(CHANGJI).total() + load(SYNTHETIC).total()
    assert {line.origin for line in budget.lines} == {0, 1}
    assert budget.department.name == "州本级（汇总，2个部门）"
    assert len({line.key for line in budget.lines}) == len(budget.lines)


def test_department_level_on_top_and_merged_tree(folder):
    budget = load(folder)
    tree = Tree(budget)
    assert [(n.level, n.name, n.total) for n in tree.root.children] == [
        ("部门", "昌吉回族自治州人民政府办公室", Decimal("1695.33")),
        ("部门", "示例县教育局（虚构）", load(SYNTHETIC).total()),
    ]
    merged = Tree(budget, by_department=False)
    assert [n.code for n in merged.root.children] == ["201", "205", "208", "210", "212", "221", "229"]
    assert merged.root.total == tree.root.total


def test_consolidated_tables_add_up(folder):
    budget = load(folder)
    table3 = build_table(budget, 3)
    total_row = table3.totals[0].cells
    assert budget.total() in total_row


def test_an_edit_rewrites_only_its_own_file(folder):
    budget = load(folder)
    editor = Editor(budget)
    line = next(l for l in budget.lines if l.origin == 1 and l.economic == "30101")
    other = (folder / CHANGJI.name).read_bytes()
    editor.set_amount(line.key, Decimal("121.00"))
    save(budget, editor.changes())
    assert (folder / CHANGJI.name).read_bytes() == other
    assert "30101 = 121.00  # 基本工资" in (folder / "教育" / SYNTHETIC.name).read_text("utf-8")
    assert load(folder).total() == budget.total()


def test_mixed_years_are_refused_with_the_file_and_line(folder):
    path = folder / "教育" / SYNTHETIC.name
    path.write_text(path.read_text("utf-8").replace("year = 2020", "year = 2021", 1), "utf-8")
    with pytest.raises(BudgetFileError) as caught:
        load(folder)
    assert caught.value.path == path and caught.value.line == 12
    assert "its year 2021 differs from 2020" in caught.value.message


def test_a_bad_file_in_a_folder_names_that_file(folder):
    (folder / "坏.toml").write_text("[department\n", "utf-8")
    with pytest.raises(BudgetFileError) as caught:
        load(folder)
    assert caught.value.path.name == "坏.toml"


def test_cli_prints_a_folder_by_department_or_merged(folder, capsys):
    assert main(["print", str(folder), "--depth", "1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split()[0] == "昌吉回族自治州人民政府办公室"
    assert main(["print", str(folder), "--depth", "1", "--merge"]) == 0
    assert capsys.readouterr().out.split()[:2] == ["201", "一般公共服务支出"]


def test_synth_is_deterministic_and_loads(tmp_path):
    assert department_text(3, 50, seed=7) == department_text(3, 50, seed=7)
    assert department_text(3, 50, seed=7) != department_text(3, 50, seed=8)
    write_budgets(tmp_path / "a", departments=4, lines=400, seed=1)
    budget = load(tmp_path / "a")
    assert len(budget.sources) == 4 and len(budget.lines) == 400
    assert {line.fund.value for line in budget.lines} >= {"一般公共预算", "政府性基金预算"}
    assert any(line.project for line in budget.lines)


def test_check_on_a_folder_checks_each_department_against_its_own_facts(folder, capsys):
    assert main(["check", str(folder)]) == 0
    out = capsys.readouterr().out.splitlines()
    # changji's one known gap is reported against changji's own file and line
    assert f"{folder / CHANGJI.name}:116: warning [prior-missing]: prior.staffing.retired (上年退休人数) is not given; the report will say it was not provided" in out
    synthetic = str(folder / "教育" / SYNTHETIC.name)
    assert all(line.startswith((str(folder / CHANGJI.name), synthetic)) for line in out)
    assert any(line.startswith(synthetic) and "prior-missing" in line for line in out)


def test_report_on_a_folder_lists_departments_and_prints_the_consolidated_tables(folder, capsys):
    assert main(["report", str(folder)]) == 0
    out = capsys.readouterr().out
    total = load(CHANGJI).total() + load(SYNTHETIC).total()
    assert f"汇总范围（2个部门，合计{total}万元）" in out
    assert "1. 昌吉回族自治州人民政府办公室：1695.33万元" in out
    assert out.count("表一：部门收支总体情况表") == 1 and "表九：" in out
    assert "第三部分" not in out  # narratives belong to each department's own report


def test_check_sees_a_departments_edited_lines(folder):
    from budget_tui.core.checks import check_budget

    path = folder / CHANGJI.name
    path.write_text(path.read_text("utf-8").replace("[procurement]", "[stated]\nthree_public = 45.60\n\n[procurement]"), "utf-8")
    budget = load(folder)
    assert not [p for p in check_budget(budget) if p.rule == "stated-mismatch"]
    editor = Editor(budget)
    reception = next(l for l in budget.lines if l.origin == 0 and l.economic == "30217")
    editor.set_amount(reception.key, Decimal("4.00"))
    [mismatch] = [p for p in check_budget(budget) if p.rule == "stated-mismatch"]
    assert mismatch.source == 0
