"""Two versions compared (budget_tui.core.versions, budget_tui.text.versions): lines matched by key, moved lines
paired 1:1 by the documented rule, subtotals in both classifications, departments of folders, the printed rows."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from budget_tui.core.model import Budget
from budget_tui.core.safetext import width
from budget_tui.core.tree import ECONOMIC, FUNCTIONAL
from budget_tui.core.versions import (
    ADDED,
    CHANGED,
    MOVED,
    REMOVED,
    VersionDiff,
    VersionError,
    compare_versions,
    department_files,
)
from budget_tui.files.fileformat import load, parse
from budget_tui.text.versions import EQUAL, line_label, render_versions
from tests.conftest import CHANGJI, SYNTHETIC

D = Decimal


def budget(body: str, name: str = "测试局", year: int = 2020, unit: str = "万元") -> Budget:
    text = f'[department]\nname = "{name}"\nyear = {year}\nunit = "{unit}"\n\n{body}'
    return parse(text.encode("utf-8"), f"{name}-{year}.toml")


def project(name: str, functional: str, lines: str, fund: str = "一般公共预算") -> str:
    return f'[[projects]]\nname = "{name}"\nfunctional = "{functional}"\nfund = "{fund}"\n{lines}\n'


def statuses(diff: VersionDiff) -> list[tuple]:
    """Each line change as (status, old 项 and 款, new 项 and 款)."""
    return [
        (
            change.status,
            change.old_line and (change.old_line.functional, change.old_line.economic),
            change.new_line and (change.new_line.functional, change.new_line.economic),
        )
        for change in diff.lines
    ]


def subtotals(diff: VersionDiff, view: str) -> list[tuple]:
    nodes = diff.functional if view == FUNCTIONAL else diff.economic
    return [(node.code or node.name, node.figures.old, node.figures.new) for node in nodes]


# -- moved lines -------------------------------------------------------------------------------


def test_a_recoded_line_is_one_moved_line_not_an_add_and_a_remove():
    old = budget("[basic.2010301]\n30101 = 10.00\n30201 = 2.00\n")
    new = budget("[basic.2010301]\n30101 = 10.00\n30215 = 2.00\n")
    diff = compare_versions(old, new)
    assert statuses(diff) == [(MOVED, ("2010301", "30201"), ("2010301", "30215"))]
    assert diff.lines[0].moved == ("economic",)
    assert line_label(diff.lines[0], old, new, False) == "2010301 30201→30215 会议费"
    assert subtotals(diff, FUNCTIONAL) == []  # 302 商品和服务支出 holds both codes: no functional subtotal moved
    assert subtotals(diff, ECONOMIC) == [("30201", D("2.00"), None), ("30215", None, D("2.00"))]
    assert not diff.equal


@pytest.mark.parametrize(
    "old_project, new_project, moved, label",
    [
        (("甲项目", "2010302"), ("乙项目", "2010302"), ("group",), "2010302 30227 委托业务费 · 甲项目→乙项目"),
        (("甲项目", "2010302"), ("乙项目", "2010350"), ("functional", "group"), "2010302→2010350 30227 委托业务费 · 甲项目→乙项目"),
        (("甲项目", "2010302"), ("甲项目", "2010350"), ("functional",), "2010302→2010350 30227 委托业务费 · 甲项目"),
    ],
)
def test_a_line_moved_to_another_project_or_functional_code_is_one_moved_line(old_project, new_project, moved, label):
    keep = "[basic.2010301]\n30101 = 10.00\n"
    old = budget(keep + project(*old_project, "30227 = 4.00"))
    new = budget(keep + project(*new_project, "30227 = 4.00"))
    diff = compare_versions(old, new)
    assert [change.status for change in diff.lines] == [MOVED]
    assert diff.lines[0].moved == moved
    assert line_label(diff.lines[0], old, new, False) == label
    assert diff.total.change == 0


def test_a_line_moved_from_basic_spending_to_a_project_and_to_another_fund():
    old = budget('[basic.2010301]\n30201 = 2.00\n30202 = 1.50\n')
    new = budget('[basic.2010301]\n[basic.2010301."事业收入"]\n30202 = 1.50\n' + project("甲项目", "2010301", "30201 = 2.00"))
    diff = compare_versions(old, new)
    assert [(change.status, change.moved) for change in diff.lines] == [(MOVED, ("group",)), (MOVED, ("fund",))]
    assert [line_label(change, old, new, False) for change in diff.lines] == [
        "2010301 30201 办公费 · 基本支出→甲项目",
        "2010301 30202 印刷费（一般公共预算→事业收入）",
    ]


@pytest.mark.parametrize(
    "old_body, new_body, why",
    [
        ("[basic.2010301]\n30201 = 2.00\n", "[basic.2010350]\n30215 = 2.00\n", "both the economic code and the place moved"),
        ("[basic.2010301]\n30201 = 2.00\n", "[basic.2010301]\n30215 = 2.01\n", "the amount differs"),
        ("[basic.2010301]\n30227 = 2.00\n", '[basic.2010301]\n30215 = { amount = 2.00, category = "人员经费" }\n', "the category differs"),
        (
            project("甲项目", "2010302", "30227 = 4.00"),
            project("乙项目", "2010302", "31002 = 4.00"),
            "recoded and moved to another project",
        ),
    ],
)
def test_lines_that_do_not_match_stay_a_remove_and_an_add(old_body, new_body, why):
    diff = compare_versions(budget(old_body), budget(new_body))
    assert sorted(change.status for change in diff.lines) == [ADDED, REMOVED], why


def test_pairing_is_one_to_one_fewest_differences_first_and_independent_of_file_order():
    # Removed: 30201 and 30202 (2.00 each); added: 30215 in the same 项 (recode of either) and 30201 in 2010350
    # (a move of 30201 only), and a project line that is both: it pairs with no one.
    old_lines = ["30201 = 2.00", "30202 = 2.00", "30101 = 5.00"]
    new_basic = {"2010301": ["30215 = 2.00", "30101 = 5.00"], "2010350": ["30201 = 2.00"]}
    old = budget("[basic.2010301]\n" + "\n".join(old_lines) + "\n")
    new = budget("".join(f"[basic.{item}]\n" + "\n".join(lines) + "\n" for item, lines in new_basic.items()))
    expected = [
        (MOVED, ("2010301", "30201"), ("2010301", "30215")),
        (REMOVED, ("2010301", "30202"), None),
        (ADDED, None, ("2010350", "30201")),
    ]
    assert statuses(compare_versions(old, new)) == expected
    shuffled_old = budget("[basic.2010301]\n" + "\n".join(reversed(old_lines)) + "\n")
    shuffled_new = budget("".join(f"[basic.{item}]\n" + "\n".join(reversed(lines)) + "\n" for item, lines in reversed(new_basic.items())))
    assert statuses(compare_versions(shuffled_old, shuffled_new)) == expected


def test_two_equal_lines_moved_pair_in_order_and_each_only_once():
    old = budget("[basic.2010301]\n30201 = 2.00\n30202 = 2.00\n")
    new = budget("[basic.2010301]\n30215 = 2.00\n30216 = 2.00\n")
    assert statuses(compare_versions(old, new)) == [
        (MOVED, ("2010301", "30201"), ("2010301", "30215")),
        (MOVED, ("2010301", "30202"), ("2010301", "30216")),
    ]


# -- changed lines and subtotals -----------------------------------------------------------------


def test_a_changed_amount_moves_its_subtotals_in_both_classifications():
    old, new = load(SYNTHETIC), load(SYNTHETIC)
    new.lines = [line.with_amount(D("130.50")) if line.economic == "30101" else line for line in new.lines]
    diff = compare_versions(old, new)
    assert statuses(diff) == [(CHANGED, ("2050101", "30101"), ("2050101", "30101"))]
    change = diff.lines[0].figures
    assert (change.old, change.new, change.change, change.rate) == (D("120.50"), D("130.50"), D("10.00"), D("8.3"))
    assert subtotals(diff, FUNCTIONAL) == [
        ("205", D("604.70"), D("614.70")),
        ("20501", D("296.80"), D("306.80")),
        ("2050101", D("296.80"), D("306.80")),
        ("301", D("225.15"), D("235.15")),
    ]
    assert [node.depth for node in diff.functional] == [0, 1, 2, 3]
    assert subtotals(diff, ECONOMIC) == [("301", D("301.13"), D("311.13")), ("30101", D("120.50"), D("130.50"))]
    assert (diff.total.old, diff.total.new) == (D("1025.68"), D("1035.68"))


def test_a_changed_category_is_a_changed_line_with_no_subtotal_moved():
    old = budget("[basic.2010301]\n30227 = 6.00\n")
    new = budget('[basic.2010301]\n30227 = { amount = 6.00, category = "人员经费" }\n')
    diff = compare_versions(old, new)
    assert [change.status for change in diff.lines] == [CHANGED] and diff.functional == diff.economic == ()
    assert line_label(diff.lines[0], old, new, False) == "2010301 30227 委托业务费 〔类别 未指定→人员经费〕"


def test_a_basic_group_that_appears_beside_a_project_is_compared_with_its_item():
    # Old: 2010301 has only 基本支出, so the tree shows no 基本支出 node; new: a project joins it.
    old = budget("[basic.2010301]\n30101 = 10.00\n")
    new = budget("[basic.2010301]\n30101 = 10.00\n" + project("甲项目", "2010301", "30201 = 1.00"))
    diff = compare_versions(old, new)
    assert ("基本支出", D("10.00"), D("10.00")) not in subtotals(diff, FUNCTIONAL)
    assert subtotals(diff, FUNCTIONAL) == [
        ("201", D("10.00"), D("11.00")),
        ("20103", D("10.00"), D("11.00")),
        ("2010301", D("10.00"), D("11.00")),
        ("甲项目", None, D("1.00")),
        ("302", None, D("1.00")),
    ]


def test_identical_budgets_are_equal_and_say_so():
    old, new = load(CHANGJI), load(CHANGJI)
    diff = compare_versions(old, new)
    assert diff.equal and diff.lines == diff.functional == diff.economic == diff.departments == ()
    assert render_versions(diff, old, new) == EQUAL + "\n"
    assert render_versions(diff, old, new, fmt="grid") == EQUAL + "\n"


def test_budgets_in_different_units_or_with_a_line_twice_are_refused():
    with pytest.raises(VersionError, match="counts in 万元 .* in 元"):
        compare_versions(budget("[basic.2010301]\n30101 = 1\n"), budget("[basic.2010301]\n30101 = 1\n", unit="元"))
    twice = budget(project("甲项目", "2010302", "30227 = 4.00") + project("甲项目", "2010302", "30227 = 1.00"))
    with pytest.raises(VersionError, match=r"测试局-2020.toml:\d+: the line 2010302 30227 .* is given twice \(first on line \d+\)"):
        compare_versions(budget(""), twice)


# -- folders ------------------------------------------------------------------------------------


def department(name: str, body: str) -> str:
    return f'[department]\nname = "{name}"\nyear = 2020\n\n{body}'


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    """OLD: a.toml (removed later), b.toml; NEW: b.toml with one change and a line moved from a.toml, sub/c.toml added."""
    old, new = tmp_path / "old", tmp_path / "new"
    (new / "sub").mkdir(parents=True)
    old.mkdir()
    (old / "a.toml").write_text(department("甲局", "[basic.2010301]\n30101 = 7.00\n30201 = 1.00\n"), "utf-8")
    (old / "b.toml").write_text(department("乙局", "[basic.2010301]\n30101 = 10.00\n30202 = 2.00\n"), "utf-8")
    (new / "b.toml").write_text(department("乙局", "[basic.2010301]\n30101 = 12.00\n30202 = 2.00\n30201 = 1.00\n"), "utf-8")
    (new / "sub" / "c.toml").write_text(department("丙局", "[basic.2010350]\n30101 = 3.00\n"), "utf-8")
    return old, new


def compare_folders(old_folder: Path, new_folder: Path) -> tuple[VersionDiff, Budget, Budget]:
    old, new = load(old_folder), load(new_folder)
    return compare_versions(old, new, department_files(old, old_folder), department_files(new, new_folder)), old, new


def test_a_folder_against_a_folder_shows_departments_added_and_removed_with_their_totals(folders):
    diff, old, new = compare_folders(*folders)
    assert [(d.status, d.file, d.name, d.figures.old, d.figures.new, d.lines) for d in diff.departments] == [
        (REMOVED, "a.toml", "甲局", D("8.00"), None, 2),
        (ADDED, "sub/c.toml", "丙局", None, D("3.00"), 1),
    ]
    # b.toml is origin 1 in the old folder and 0 in the new: matched by its file, only its own changes show;
    # the lines of a.toml and sub/c.toml are not listed one by one, and a line never moves between departments.
    assert statuses(diff) == [
        (CHANGED, ("2010301", "30101"), ("2010301", "30101")),
        (ADDED, None, ("2010301", "30201")),
    ]
    assert [line_label(change, old, new, True) for change in diff.lines] == [
        "b.toml: 2010301 30101 基本工资",
        "b.toml: 2010301 30201 办公费",
    ]
    assert subtotals(diff, FUNCTIONAL)[:2] == [("乙局", D("12.00"), D("15.00")), ("201", D("12.00"), D("15.00"))]
    assert {node.node_id[:2] for node in diff.functional + diff.economic} == {("d", "b.toml")}
    assert (diff.total.old, diff.total.new) == (D("20.00"), D("18.00"))
    text = render_versions(diff, old, new)
    assert "- a.toml 甲局（2 行）" in text and "+ sub/c.toml 丙局（1 行）" in text
    assert text.splitlines()[0].rstrip() == "2 lines differ: 1 added, 1 changed; 2 departments differ: 1 added, 1 removed"


def test_a_folder_compared_with_itself_is_equal(folders):
    diff, _, _ = compare_folders(folders[0], folders[0])
    assert diff.equal


# -- the printed rows -------------------------------------------------------------------------

SMALL_OLD = """[basic.2010301]
30101 = 10.00
30201 = 2.00
30202 = 1.50

[[projects]]
name = "甲项目"
functional = "2010302"
30227 = 4.00
"""
SMALL_NEW = """[basic.2010301]
30101 = 11.00
30215 = 2.00

[basic.2010350]
30101 = 3.00

[[projects]]
name = "乙项目"
functional = "2010302"
30227 = 4.00
"""

# Every figure checked by hand: 201 holds 10 + 2 + 1.50 + 4 = 17.50 before and 11 + 2 + 3 + 4 = 20.00 after
# (+2.50, +14.3%); 2010301 13.50 → 13.00 (-3.7%); its 302 3.50 → 2.00 (-42.9%); economic 302 7.50 → 6.00 (-20.0%).
SMALL_TEXT = """\
5 lines differ: 1 added, 1 removed, 1 changed, 2 moved
  科目                                       上版    本版   增减    增减%
明细
~ 2010301 30101 基本工资                    10.00 → 11.00  +1.00   +10.0%
> 2010301 30201→30215 会议费                 2.00 →  2.00   0.00     0.0%
- 2010301 30202 印刷费                       1.50 →     —  -1.50  -100.0%
> 2010302 30227 委托业务费 · 甲项目→乙项目   4.00 →  4.00   0.00     0.0%
+ 2010350 30101 基本工资                        — →  3.00  +3.00     新增
按功能分类
~ 201 一般公共服务支出                      17.50 → 20.00  +2.50   +14.3%
~   20103 政府办公厅（室）及相关机构事务    17.50 → 20.00  +2.50   +14.3%
~     2010301 行政运行                      13.50 → 13.00  -0.50    -3.7%
~       301 工资福利支出                    10.00 → 11.00  +1.00   +10.0%
~       302 商品和服务支出                   3.50 →  2.00  -1.50   -42.9%
+       乙项目                                  — →  4.00  +4.00     新增
+         302 商品和服务支出                    — →  4.00  +4.00     新增
-       甲项目                               4.00 →     —  -4.00  -100.0%
-         302 商品和服务支出                 4.00 →     —  -4.00  -100.0%
+     2010350 事业运行                          — →  3.00  +3.00     新增
+       301 工资福利支出                        — →  3.00  +3.00     新增
按经济分类
~ 301 工资福利支出                          10.00 → 14.00  +4.00   +40.0%
~   30101 基本工资                          10.00 → 14.00  +4.00   +40.0%
~ 302 商品和服务支出                         7.50 →  6.00  -1.50   -20.0%
-   30201 办公费                             2.00 →     —  -2.00  -100.0%
-   30202 印刷费                             1.50 →     —  -1.50  -100.0%
+   30215 会议费                                — →  2.00  +2.00     新增
-------------------------------------------------------------------------
  合计（万元）                              17.50 → 20.00  +2.50   +14.3%
"""


def test_the_printed_rows_of_a_small_pair_exactly():
    old, new = budget(SMALL_OLD), budget(SMALL_NEW, year=2021)
    output = render_versions(compare_versions(old, new), old, new)
    # SMALL_TEXT is written without the blanks that pad the heading lines out to the common width of 73.
    assert output == "".join(line + " " * (73 - width(line)) + "\n" for line in SMALL_TEXT.splitlines())


def test_depth_keeps_the_lines_and_cuts_the_subtotals_like_print():
    old, new = budget(SMALL_OLD), budget(SMALL_NEW, year=2021)
    diff = compare_versions(old, new)
    rows = render_versions(diff, old, new, depth=2).splitlines()
    assert [row.split()[1] for row in rows if row.startswith("~ ") and "→" in row] == ["2010301", "201", "20103", "301", "30101", "302"]
    assert sum(row.startswith(("+ ", "- ", "> ", "~ ")) for row in rows) == 5 + 2 + 6
    no_subtotals = render_versions(diff, old, new, depth=0)
    assert "按功能分类" not in no_subtotals and "按经济分类" not in no_subtotals and "合计" in no_subtotals


def edited_synthetic() -> tuple[Budget, Budget]:
    old, new = load(SYNTHETIC), load(SYNTHETIC)
    changes = {"30101": D("130.50"), "30211": None, "31002": D("0")}
    new.lines = [line.with_amount(changes[line.economic]) if changes.get(line.economic) is not None else line
                 for line in new.lines if not (line.economic in changes and changes[line.economic] is None)]
    return old, new


@pytest.mark.parametrize("depth", [None, 0, 1, 3])
@pytest.mark.parametrize("pair", ["small", "synthetic", "changji-synthetic"])
def test_every_line_of_the_default_format_has_the_same_display_width(pair, depth):
    if pair == "small":
        old, new = budget(SMALL_OLD), budget(SMALL_NEW)
    elif pair == "synthetic":
        old, new = edited_synthetic()
    else:
        old, new = load(CHANGJI), load(SYNTHETIC)
    lines = render_versions(compare_versions(old, new), old, new, depth).splitlines()
    assert len(lines) > 3
    assert len({width(line) for line in lines}) == 1, lines


def test_every_line_is_as_wide_as_a_long_summary(folders):
    diff, old, new = compare_folders(*folders)
    lines = render_versions(diff, old, new, depth=0).splitlines()
    assert len({width(line) for line in lines}) == 1 and width(lines[0].rstrip()) == width(lines[0])


@pytest.mark.parametrize("fmt", ["simple", "grid", "github"])
def test_every_line_of_an_aligned_format_has_the_same_display_width(fmt):
    old, new = edited_synthetic()
    lines = render_versions(compare_versions(old, new), old, new, fmt=fmt).splitlines()
    assert len({width(line) for line in lines}) == 1, lines


def test_tsv_reads_back_cell_for_cell():
    old, new = budget(SMALL_OLD), budget(SMALL_NEW)
    text = render_versions(compare_versions(old, new), old, new, fmt="tsv")
    rows = [[cell.strip() for cell in line.split("\t")] for line in text.splitlines()]
    rows = [row + [""] * (6 - len(row)) for row in rows]  # tabulate leaves out the blank cells at the end of a row
    assert rows[0] == ["", "科目", "上版", "本版", "增减", "增减%"]
    assert rows[1] == ["", "明细", "", "", "", ""]
    assert rows[2] == ["~", "2010301 30101 基本工资", "10.00", "11.00", "+1.00", "+10.0%"]
    assert rows[-1] == ["", "合计（万元）", "17.50", "20.00", "+2.50", "+14.3%"]
    assert all(len(row) == 6 for row in rows) and len(rows) == len(SMALL_TEXT.splitlines()) - 2  # no summary, no rule


def test_the_example_of_docs_diff_md_is_the_real_output():
    text = (Path(__file__).resolve().parents[2] / "docs" / "diff.md").read_text("utf-8")
    old_toml, new_toml = re.findall(r"`20\d\d\.toml`:\n\n```toml\n(.*?)```", text, re.S)
    shown = re.search(r"--depth 3` \(exit status 1.*?\n\n```\n(.*?)```", text, re.S).group(1)
    old, new = parse(old_toml.encode("utf-8"), "2020.toml"), parse(new_toml.encode("utf-8"), "2021.toml")
    output = render_versions(compare_versions(old, new), old, new, depth=3)
    assert [line.rstrip() for line in output.splitlines()] == shown.splitlines()
