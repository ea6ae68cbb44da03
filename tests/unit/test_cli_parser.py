"""One parser (issue 13 item 1, issue 14 item 12): one --help listing every command on a line, each command's --help
describing every option, a mistyped command named with the command it most likely meant, one ExitCode, and a command
line that does not import the app (the launcher, budget_tui.__main__, opens it)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from budget_tui.cli import ExitCode, main
from budget_tui.cli.parser import command_line
from tests.conftest import CHANGJI, ROOT

COMMANDS = ["open", "print", "check", "report", "import", "export", "diff", "completion", "manpage"]
ENV = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "80"}


def run(*args: str, cwd: Path | None = None, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "budget_tui", *args], capture_output=True, text=True, encoding="utf-8", timeout=120,
        env=ENV, cwd=cwd, **options,
    )


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_one_help_lists_every_command_on_a_line_of_its_own():
    result = run("--help")
    assert result.returncode == 0 and result.stderr == ""
    lines = result.stdout.splitlines()
    listed = [line.split()[0] for line in lines[lines.index("commands:") + 1 :] if line.startswith("  ") and line.strip()]
    assert listed[: len(COMMANDS)] == COMMANDS
    for name, command in command_line().commands.items():
        row = next(line for line in lines if line.startswith(f"  {name} "))
        assert flat(row) == f"{name} {command.summary}"  # name and summary on one line
        assert len(row) <= 80, row
    assert "budget-tui [PATH]" in result.stdout and "exit status:" in result.stdout


@pytest.mark.parametrize("name", COMMANDS)
def test_each_command_help_describes_every_option(name):
    result = run(name, "--help")
    assert result.returncode == 0 and result.stderr == ""
    text = flat(result.stdout)
    command = command_line().commands[name]
    assert flat(command.summary[0].upper() + command.summary[1:]) in text
    for action in command.arguments:
        assert action.help, f"{name} {action.option_strings or action.dest} has no help"
        assert flat(action.help) in text
        for option in action.option_strings:
            assert option in text


def test_every_command_runs_through_the_one_parser(capsys):
    # budget-tui PATH and budget-tui open PATH are the same: a bad file is named the same way by both.
    for args in (["open", "nope.toml"], ["nope.toml"]):
        assert main(args) == 2
        assert capsys.readouterr().err == "budget-tui: nope.toml: no such file; give the path of a budget .toml file\n"


@pytest.mark.parametrize(
    "word, meant", [("prnt", "print"), ("chek", "check"), ("reprot", "report"), ("exprot", "export"), ("dif", "diff")]
)
def test_a_mistyped_command_says_what_it_probably_meant(tmp_path, word, meant):
    result = run(word, "x", cwd=tmp_path)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith(f"budget-tui: unknown command '{word}' (did you mean {meant}?)")
    assert result.stderr.count("\n") == 1


def test_a_word_that_names_a_file_is_the_file_not_a_mistyped_command(tmp_path):
    # `prnt` is a budget file here: no did-you-mean; the app's path (and without a terminal, the usual message).
    (tmp_path / "prnt").write_bytes(CHANGJI.read_bytes())
    result = run("prnt", cwd=tmp_path, stdin=subprocess.DEVNULL)
    assert result.returncode == 2
    assert "did you mean" not in result.stderr and "the app needs a terminal" in result.stderr


def test_a_word_that_is_no_near_miss_is_a_path():
    result = run("zzzzzz.toml", stdin=subprocess.DEVNULL)
    assert result.returncode == 2 and result.stderr == "budget-tui: zzzzzz.toml: no such file; give the path of a budget .toml file\n"


def test_exit_codes_are_one_enum():
    assert [ExitCode.OK, ExitCode.FINDINGS, ExitCode.DIFFERENT, ExitCode.SKIPPED] == [0, 1, 1, 1]
    assert (ExitCode.BAD_INPUT, ExitCode.INTERRUPTED, ExitCode.BROKEN_PIPE) == (2, 130, 141)
    # No module keeps exit status constants of its own any more.
    for path in (ROOT / "budget_tui").rglob("*.py"):
        assert not re.search(r"^EXIT_\w+(\s*,\s*EXIT_\w+)*\s*=\s*\d", path.read_text("utf-8"), re.M), path


def test_the_command_line_does_not_import_the_app_and_says_so_without_a_launcher():
    code = (
        "import sys\nfrom budget_tui.cli import main\n"
        f"status = main([{str(CHANGJI)!r}])\n"
        "assert status == 2, status\n"
        "assert 'budget_tui.app' not in sys.modules and 'textual' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=ENV)
    assert result.returncode == 0, result.stderr
    assert result.stderr.startswith("budget-tui: the app is not available here") and result.stderr.count("\n") == 1


def test_the_launcher_is_the_console_script_and_opens_the_app_lazily(monkeypatch, tmp_path):
    import tomllib

    import budget_tui.app as app_package
    from budget_tui import __main__ as launcher
    from budget_tui import cli

    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    assert project["project"]["scripts"]["budget-tui"] == "budget_tui.__main__:main"
    opened = []
    monkeypatch.setattr(cli, "_no_terminal", lambda: "")
    monkeypatch.setattr(app_package, "run_app", lambda path, force=False: opened.append((path, force)) or 0)
    assert launcher.main([str(CHANGJI), "--force"]) == 0
    assert launcher.main(["open", str(CHANGJI)]) == 0
    assert opened == [(CHANGJI, True), (CHANGJI, False)]


def test_the_import_contract_keeps_the_command_line_below_the_app():
    linter = Path(sys.executable).with_name("lint-imports")
    if not linter.exists():
        pytest.skip("import-linter is not installed in this environment")
    result = subprocess.run([str(linter)], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert "budget_tui.cli is not allowed to import budget_tui.app" not in result.stdout
    assert "budget_tui.files is not allowed to import budget_tui.cli" not in result.stdout
