"""Shell completion and the man page, written from the parser (issue 14 item 17): `budget-tui completion
bash|zsh|fish` prints a script the shell accepts and that completes commands, options and their values;
`budget-tui manpage` prints roff that man renders, with every command and option."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from budget_tui.cli import main
from budget_tui.cli.completion import options, script
from budget_tui.cli.manpage import manpage
from budget_tui.cli.parser import command_line
from tests.conftest import ROOT

COMMANDS = command_line().commands


def every_option() -> list[tuple[str, str]]:
    return [(name, option) for name, command in COMMANDS.items() for action in command.arguments for option in action.option_strings]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_command_prints_the_script(capsys, shell):
    assert main(["completion", shell]) == 0
    out = capsys.readouterr().out
    assert out == script(shell)
    for name in COMMANDS:
        assert name in out
    for _, option in every_option():
        assert (option.lstrip("-") if shell == "fish" else option) in out


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_the_shell_accepts_the_script(tmp_path, shell):
    if shutil.which(shell) is None:
        pytest.skip(f"{shell} is not installed")
    path = tmp_path / f"completion.{shell}"
    path.write_text(script(shell), "utf-8")
    result = subprocess.run([shell, "-n", str(path)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def bash_complete(line: str, cwd: Path) -> list[str]:
    """What the bash completion offers for the words typed so far (COMP_WORDS and COMP_CWORD as bash sets them)."""
    program = (
        'source "$1"; read -ra COMP_WORDS <<< "$2"; [[ $2 == *" " ]] && COMP_WORDS+=("")\n'
        'COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); _budget_tui; printf "%s\\n" "${COMPREPLY[@]}"\n'
    )
    completion = cwd / "budget-tui.bash"
    completion.write_text(script("bash"), "utf-8")
    result = subprocess.run(["bash", "-c", program, "bash", str(completion), line], capture_output=True, text=True, timeout=60, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return [word for word in result.stdout.splitlines() if word]


@pytest.mark.parametrize(
    "line, offered",
    [
        ("budget-tui pr", ["print"]),
        ("budget-tui c", ["check", "completion"]),
        ("budget-tui --v", ["--version"]),
        ("budget-tui print b.toml --e", ["--economic"]),
        ("budget-tui print b.toml --format gi", ["github"]),
        ("budget-tui check b.toml --format ", ["text", "json"]),
        ("budget-tui export b.toml --to ", ["xlsx", "csv", "json", "fdp"]),
        ("budget-tui import lines.csv --unit ", ["万元", "元"]),
        ("budget-tui completion ", ["bash", "zsh", "fish"]),
        ("budget-tui report b.toml --percent-decimals ", []),
        ("budget-tui print ot", ["other.toml"]),
        ("budget-tui import lines.csv -o ot", ["other.toml"]),
        ("budget-tui ot", ["other.toml"]),
    ],
)
def test_bash_completes_commands_options_and_values(tmp_path, line, offered):
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    (tmp_path / "other.toml").write_text("", "utf-8")
    assert sorted(bash_complete(line, tmp_path)) == sorted(offered)


def test_bash_offers_every_option_of_every_command(tmp_path):
    if shutil.which("bash") is None:
        pytest.skip("bash is not installed")
    for name, command in COMMANDS.items():
        offered = set(bash_complete(f"budget-tui {name} -", tmp_path))
        assert offered == {option for item in options(command) for option in item.names}, name


def test_fish_completes_commands_and_values(tmp_path):
    if shutil.which("fish") is None:
        pytest.skip("fish is not installed")
    path = tmp_path / "budget-tui.fish"
    path.write_text(script("fish"), "utf-8")
    program = f'source {path}; complete -C "budget-tui pr"; complete -C "budget-tui export x --to "'
    result = subprocess.run(["fish", "-c", program], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    words = [line.split("\t")[0] for line in result.stdout.splitlines()]
    assert words == ["print", "csv", "fdp", "json", "xlsx"], result.stderr


# The man page.


def test_the_man_page_has_every_command_and_option(capsys):
    assert main(["manpage"]) == 0
    text = capsys.readouterr().out
    assert text == manpage() and text.startswith(".TH BUDGET\\-TUI 1 ")
    for name in COMMANDS:
        assert f".SS {name}\n" in text
    for _, option in every_option():
        assert "\\fB" + option.replace("-", "\\-") + "\\fR" in text
    assert not [line for line in text.splitlines() if line.startswith(".") and line.split()[0] not in MACROS]


MACROS = {".TH", ".SH", ".SS", ".B", ".I", ".PP", ".TP", ".br", ".nh", ".ad"}


def test_the_man_page_module_prints_it_too():
    result = subprocess.run(
        [sys.executable, "-m", "budget_tui.cli.manpage"], capture_output=True, text=True, encoding="utf-8", timeout=60,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert result.returncode == 0 and result.stdout == manpage()


def test_man_renders_the_page(tmp_path):
    if shutil.which("man") is None or shutil.which("groff") is None and shutil.which("nroff") is None:
        pytest.skip("man (with groff) is not installed")
    page = tmp_path / "budget-tui.1"
    page.write_text(manpage(), "utf-8")
    result = subprocess.run(
        ["man", "-l", str(page)], capture_output=True, text=True, encoding="utf-8", timeout=60,
        env={**os.environ, "MANPAGER": "cat", "PAGER": "cat", "MANWIDTH": "80", "LC_ALL": "C.UTF-8"},
    )
    assert result.returncode == 0, result.stderr
    shown = " ".join(result.stdout.replace("\u2010", "-").replace("\u2212", "-").split())
    assert "BUDGET-TUI(1)" in result.stdout and "EXIT STATUS" in result.stdout
    for name, command in COMMANDS.items():
        assert f"budget-tui {name}" in shown and " ".join(command.summary.split()[:3]).lower() in shown.lower()
    for _, option in every_option():
        assert option in shown
    assert "warning:" not in result.stderr
