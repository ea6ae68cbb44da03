"""The three-way re-apply of your edits to a file changed on disk (core/reapply.py, issue 14 item 7)."""

from __future__ import annotations

from budget_tui.core.reapply import line_edits, reapply

BASE = """\
[basic.2010301]
30101 = 335.04  # 基本工资
30102 = 144.28  # 津贴补贴
30103 = 20.19   # 奖金

[basic.2010350]
30101 = 52.81
"""


def edited(text: str, old: str, new: str) -> str:
    assert old in text
    return text.replace(old, new, 1)


def test_an_amount_edit_on_a_line_unchanged_on_disk_is_applied_and_the_disk_change_kept():
    mine = edited(BASE, "30101 = 335.04", "30101 = 340.00")
    theirs = edited(BASE, "30103 = 20.19 ", "30103 = 25.00 ")
    result = reapply(BASE, mine, theirs)
    assert result.conflicts == ()
    assert result.text == edited(theirs, "30101 = 335.04", "30101 = 340.00")
    assert len(result.applied) == 1


def test_the_same_line_changed_on_disk_is_a_conflict_and_the_disk_wins():
    mine = edited(BASE, "30101 = 335.04", "30101 = 340.00")
    theirs = edited(BASE, "30101 = 335.04", "30101 = 350.00")
    result = reapply(BASE, mine, theirs)
    assert result.text == theirs and result.applied == ()
    (conflict,) = result.conflicts
    assert conflict.edit.start == 1
    assert conflict.describe() == (
        "line 2: 30101 = 335.04  # 基本工资 → 30101 = 340.00  # 基本工资: changed on disk to 30101 = 350.00  # 基本工资"
    )


def test_a_line_deleted_on_disk_is_a_conflict_the_others_apply():
    mine = edited(edited(BASE, "30102 = 144.28", "30102 = 150.00"), "30101 = 52.81", "30101 = 60.00")
    theirs = edited(BASE, "30102 = 144.28  # 津贴补贴\n", "")
    result = reapply(BASE, mine, theirs)
    (conflict,) = result.conflicts
    assert conflict.on_disk == () and "removed on disk" in conflict.describe() and "line 3:" in conflict.describe()
    assert result.text == edited(theirs, "30101 = 52.81", "30101 = 60.00")


def test_lines_added_on_disk_elsewhere_keep_theirs_and_yours_go_in():
    mine = edited(BASE, "30103 = 20.19   # 奖金\n", "30103 = 20.19   # 奖金\n30199 = 5.00\n")  # a line added
    theirs = "# checked by the finance office\n" + BASE + "\n[basic.2010399]\n30201 = 1.00\n"
    result = reapply(BASE, mine, theirs)
    assert result.conflicts == ()
    assert result.text == "# checked by the finance office\n" + mine + "\n[basic.2010399]\n30201 = 1.00\n"


def test_a_deleted_line_of_yours_applies_where_the_disk_left_it_alone():
    mine = edited(BASE, "30102 = 144.28  # 津贴补贴\n", "")
    theirs = edited(BASE, "30101 = 52.81", "30101 = 50.00")
    result = reapply(BASE, mine, theirs)
    assert result.conflicts == () and result.text == edited(mine, "30101 = 52.81", "30101 = 50.00")


def test_a_line_inserted_on_disk_inside_your_edit_is_a_conflict():
    mine = edited(BASE, "30101 = 335.04  # 基本工资\n30102 = 144.28", "30101 = 1.00  # 基本工资\n30102 = 2.00")
    theirs = edited(BASE, "30102 = 144.28  # 津贴补贴\n", "30102 = 144.28  # 津贴补贴\n")
    theirs = edited(theirs, "  # 基本工资\n", "  # 基本工资\n30109 = 9.00\n")
    result = reapply(BASE, mine, theirs)
    assert result.text == theirs and len(result.conflicts) == 1


def test_no_edits_give_the_disk_as_it_is_and_crlf_is_kept():
    crlf = BASE.replace("\n", "\r\n")
    theirs = crlf + "30199 = 1.00\r\n"
    assert reapply(crlf, crlf, theirs).text == theirs
    mine = edited(crlf, "30101 = 335.04", "30101 = 340.00")
    assert reapply(crlf, mine, theirs).text == edited(theirs, "30101 = 335.04", "30101 = 340.00")


def test_your_edits_are_the_line_changes_against_the_loaded_text():
    mine = edited(BASE, "30101 = 335.04", "30101 = 340.00")
    (edit,) = line_edits(BASE.splitlines(keepends=True), mine.splitlines(keepends=True))
    assert (edit.start, edit.end) == (1, 2) and edit.lines == ("30101 = 340.00  # 基本工资\n",)


def test_text_quoted_from_the_file_is_one_clean_line():
    base = "a = 1\n"
    mine = "a = 2\x1b[31m\n"
    theirs = "a = 3\x07\n"
    (conflict,) = reapply(base, mine, theirs).conflicts
    assert "\x1b" not in conflict.describe() and "\x07" not in conflict.describe()
