"""End to end: a whole review in the real `budget-tui` in tmux, in the language of the environment (issue 17's "done
when"): under LANG=zh_CN.UTF-8 every step (open, browse, search, edit, tables, check, save, quit) shows Chinese and
none of the English labels; under LANG=C the same steps show English. The budget is a copy in a tmp folder, and
afterwards only the edited amount differs on disk."""

from __future__ import annotations

import difflib
import re
import shlex
import shutil

import pytest

from tests.conftest import CHANGJI
from tests.e2e.test_e2e_tmux import COMMAND, Tmux, tmux  # noqa: F401  (tmux is the fixture)

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")

ENGLISH_LABELS = (
    "Search", "Cancel", "Edit", "Add", "Delete", "Undo", "Redo", "Save", "Saved", "Help", "Quit", "Keys", "Open",
    "unsaved", "Tables", "Table", "Back", "Print", "Problems", "problems", "warning", "warnings", "error", "errors",
    "checking", "match", "Nothing", "lines", "changed", "read-only", "Reading",
)
"""English words of the app's labels, status line and messages: none may be on the Chinese screen (the rule ids of the
problems panel, such as prior-missing, stay English on purpose and are not in this list)."""
ENGLISH_WORD = re.compile(r"(?<![\w:-])(?:" + "|".join(ENGLISH_LABELS) + r")(?![\w-])")
"""A label as a word of its own: not part of a binding id such as next-match, which the help lists, or of a search filter
such as is:changed (ids and filters stay English: keys.toml remaps keys by them, queries are typed)."""
CJK = re.compile(r"[\u4e00-\u9fff]")


def start_in(tmux: Tmux, lang: str, budget, tmp_path) -> None:  # noqa: F811
    """budget-tui on budget at 80x24 with only LANG set of the locale variables (the tests' LANGUAGE=en is unset)."""
    env = f"env -u COLUMNS -u LINES -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG={lang} XDG_CONFIG_HOME={shlex.quote(str(tmp_path / 'config'))}"
    tmux.run("new-session", "-d", "-s", "budget", "-x", "80", "-y", "24", f"{env} {shlex.quote(str(COMMAND))} {shlex.quote(str(budget))}")


def in_chinese(tmux: Tmux, *texts: str) -> str:  # noqa: F811
    """Wait until every text is on the screen, then require that no English label is on it."""
    screen = tmux.wait_for(*texts)
    english = sorted(set(ENGLISH_WORD.findall(screen)))
    assert not english, f"English on the Chinese screen: {english}\n{screen}"
    return screen


def only_the_edit_changed(budget) -> None:
    diff = difflib.unified_diff(CHANGJI.read_text("utf-8").splitlines(), budget.read_text("utf-8").splitlines(), n=0, lineterm="")
    changed = [line for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---"))]
    assert changed == ["-30101 = 335.04  # 基本工资", "+30101 = 340.00  # 基本工资"]


def test_the_whole_review_reads_in_chinese(tmux, tmp_path):  # noqa: F811
    budget = tmp_path / "changji-2020.toml"
    shutil.copy(CHANGJI, budget)
    start_in(tmux, "zh_CN.UTF-8", budget, tmp_path)

    # open
    in_chinese(tmux, "201 一般公共服务支出", "合计 1695.33 万元", "/ 搜索", "e 编辑", "q 退出")
    # browse: open the first 类 and step into it
    tmux.send("Right")
    in_chinese(tmux, "20103 政府办公厅")
    tmux.send("Down")
    tmux.send("Right")
    in_chinese(tmux, "2010301 行政运行")
    # help
    tmux.send("?")
    in_chinese(tmux, "按键", "折叠或到上级")
    tmux.send("Escape")
    tmux.wait_for_absence("折叠或到上级")
    # search
    tmux.send("/")
    in_chinese(tmux, "esc 取消搜索")
    tmux.type("30101")
    tmux.send("Enter")
    in_chinese(tmux, "30101 基本工资")
    tmux.send("n")
    in_chinese(tmux, "匹配 1 / 1")
    # edit an amount: the edit box must be on the screen before anything is typed into it
    tmux.send("e")
    in_chinese(tmux, "esc 取消编辑")
    tmux.type("+4.96")
    tmux.wait_for("+4.96")
    tmux.send("Enter")
    in_chinese(tmux, "合计 1700.29 万元", "未保存")
    # the disclosure tables: table 1, then table 6, then back
    tmux.send("t")
    in_chinese(tmux, "部门收支总体情况表", "表 1 / 共 9", "Esc 返回树")
    tmux.send("6")
    in_chinese(tmux, "一般公共预算基本支出情况表", "表 6 / 共 9")
    tmux.send("Escape")
    in_chinese(tmux, "合计 1700.29 万元", "/ 搜索")
    # check: the problems panel
    tmux.send("!")
    in_chinese(tmux, "问题：", "个警告", "Enter 转到", "Esc 关闭")
    tmux.send("Escape")
    tmux.wait_for_absence("Enter 转到")
    # save, then quit
    tmux.send("C-s")
    screen = in_chinese(tmux, "已保存")
    assert "未保存" not in screen
    tmux.send("q")
    tmux.wait_until_gone()

    only_the_edit_changed(budget)


def test_the_same_review_reads_in_english_under_lang_c(tmux, tmp_path):  # noqa: F811
    budget = tmp_path / "changji-2020.toml"
    shutil.copy(CHANGJI, budget)
    start_in(tmux, "C", budget, tmp_path)

    tmux.wait_for("201 一般公共服务支出", "合计 1695.33 万元", "/ Search", "e Edit", "q Quit")
    tmux.send("/")
    tmux.wait_for("esc Cancel search")
    tmux.type("30101")
    tmux.send("Enter")
    tmux.wait_for("30101 基本工资")
    tmux.send("n")
    tmux.wait_for("match 1 of 1")
    tmux.send("e")
    tmux.wait_for("esc Cancel edit")
    tmux.type("+4.96")
    tmux.wait_for("+4.96")
    tmux.send("Enter")
    tmux.wait_for("合计 1700.29 万元", "unsaved")
    tmux.send("t")
    tmux.wait_for("部门收支总体情况表", "Table 1 of 9", "Esc back to the tree")
    tmux.send("Escape")
    tmux.wait_for("合计 1700.29 万元", "/ Search")
    tmux.send("!")
    tmux.wait_for("Problems:", "warning", "Enter go to")
    tmux.send("Escape")
    tmux.wait_for_absence("Enter go to")
    tmux.send("C-s")
    screen = tmux.wait_for("Saved")
    assert not CJK.search(screen.splitlines()[-1]), f"the footer is not English:\n{screen}"
    tmux.send("q")
    tmux.wait_until_gone()

    only_the_edit_changed(budget)
