"""What a command imports: `--version` and `--help` no reader, no writer and no Textual; printing in the default
format no tabulate; an unreadable budget is still one line (the reader's error is caught without importing it first)."""

import subprocess
import sys
from pathlib import Path

from budget_tui import __version__

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = """
import sys
from budget_tui.__main__ import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
sys.stdout.flush()
print("\\nMODULES", " ".join(sorted(sys.modules)), file=sys.stderr)
"""
HEAVY = {"budget_tui.files.fileformat", "budget_tui.files.atomic", "budget_tui.core.model", "tomli", "tomlkit",
         "textual", "tabulate"}


def imported(*argv: str) -> set[str]:
    done = subprocess.run([sys.executable, "-c", SCRIPT, *argv], capture_output=True, text=True, timeout=120)
    return set(done.stderr.rsplit("MODULES", 1)[1].split())


def test_version_and_help_import_no_reader_writer_or_textual():
    for argv in (["--help"], ["print", "--help"], ["--lang", "en", "--version"]):
        modules = imported(*argv)
        assert "budget_tui.cli" in modules
        assert not HEAVY & modules, (argv, HEAVY & modules)


def test_version_alone_is_answered_by_the_launcher_without_the_command_line():
    modules = imported("--version")
    assert "budget_tui.cli" not in modules and not HEAVY & modules
    done = subprocess.run([sys.executable, "-m", "budget_tui", "--version"], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout, done.stderr) == (0, f"budget-tui {__version__}\n", "")


def test_printing_tables_in_the_default_format_does_not_import_tabulate():
    sample = str(ROOT / "data" / "changji-2020.toml")
    assert "tabulate" not in imported("print", sample, "--table", "all")
    assert "tabulate" in imported("print", sample, "--table", "3", "--format", "grid")


def test_an_unreadable_budget_is_still_one_line_and_exit_2(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[department]\nname = \n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "budget_tui", "check", str(path)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith(f"budget-tui: {path}:2:") and done.stderr.count("\n") == 1


def test_an_output_that_cannot_be_written_is_still_one_line_and_exit_2(tmp_path):
    sample = str(ROOT / "data" / "changji-2020.toml")
    output = tmp_path / "missing" / "lines.csv"
    done = subprocess.run([sys.executable, "-m", "budget_tui", "export", sample, "--to", "csv", "-o", str(output)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.startswith("budget-tui: cannot write") and done.stderr.count("\n") == 1
