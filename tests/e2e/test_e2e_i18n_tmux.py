"""End to end: the real `budget-tui` in tmux speaks the language of the environment (issue 17): Chinese footer and
help under LANG=zh_CN.UTF-8, English under LANG=C."""

from __future__ import annotations

import shlex
import shutil

import pytest

from tests.conftest import CHANGJI
from tests.e2e.test_e2e_tmux import COMMAND, Tmux, tmux  # noqa: F401  (tmux is the fixture)

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")


def start_in(tmux: Tmux, lang: str, budget, tmp_path) -> None:  # noqa: F811
    """budget-tui on budget with only LANG set of the locale variables (the tests' LANGUAGE=en is unset)."""
    env = f"env -u COLUMNS -u LINES -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG={lang} XDG_CONFIG_HOME={shlex.quote(str(tmp_path / 'config'))}"
    tmux.run("new-session", "-d", "-s", "budget", "-x", "80", "-y", "24", f"{env} {shlex.quote(str(COMMAND))} {shlex.quote(str(budget))}")


@pytest.mark.parametrize(
    ("lang", "footer", "help_text", "search_label"),
    [
        ("zh_CN.UTF-8", ("/ 搜索", "e 编辑", "^s 保存", "? 帮助", "q 退出"), ("按键", "折叠或到上级", "显示 3 层"), "esc 取消搜索"),
        ("C", ("/ Search", "e Edit", "^s Save", "? Help", "q Quit"), ("Keys", "Close or go to parent", "Show 3 levels"), "esc Cancel search"),
    ],
)
def test_footer_help_and_search_follow_lang(tmux, tmp_path, lang, footer, help_text, search_label):  # noqa: F811
    budget = tmp_path / "changji-2020.toml"
    shutil.copy(CHANGJI, budget)
    start_in(tmux, lang, budget, tmp_path)
    tmux.wait_for("201 一般公共服务支出", *footer)
    tmux.send("?")
    tmux.wait_for(*help_text)
    tmux.send("Escape")
    tmux.wait_for_absence(help_text[1])
    tmux.send("/")
    tmux.wait_for(search_label)
    tmux.send("Escape")
    tmux.wait_for_absence(search_label)
    tmux.send("q")
    tmux.wait_until_gone()
