"""The README's command table names every command and every option of the parser (issue 14: the command table is
regenerated; this test says what it lacks)."""

from __future__ import annotations

import re

from budget_tui.cli.parser import command_line
from tests.conftest import ROOT


def command_section() -> str:
    readme = (ROOT / "README.md").read_text("utf-8")
    return re.search(r"## Command line\n(.*?)\n## ", readme, re.S).group(1)


def test_the_readme_table_has_a_row_for_every_command_with_every_option():
    section = command_section()
    rows = [line for line in section.splitlines() if line.startswith("| `budget-tui")]
    for name, command in command_line().commands.items():
        own = [row for row in rows if f"`budget-tui {name}" in row or (name == "open" and "`budget-tui [PATH]" in row)]
        assert own, f"no row for budget-tui {name}"
        text = " ".join(own)
        for action in command.arguments:
            for option in action.option_strings:
                assert re.search(rf"(?<![\w-]){re.escape(option)}(?![\w-])", text), f"budget-tui {name} {option}"


def test_the_readme_says_how_standard_input_and_exit_statuses_work():
    section = command_section()
    assert "`-` to read a budget file from standard input" in section
    for status in ("status 2", "status 141", "130"):
        assert status in section
