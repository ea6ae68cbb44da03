"""Every output of the command line that cannot be written (a full or closed standard output, a broken pipe, a
missing or wrong -o) ends with one line naming it and exit 2, never a traceback (issue 12, item 12)."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from budget_tui.cli import ExitCode, main
from budget_tui.files.exchange import files
from tests.conftest import SYNTHETIC

COMMAND = [sys.executable, "-m", "budget_tui"]
FULL = "budget-tui: cannot write standard output: No space left on device\n"
CLOSED = "budget-tui: cannot write standard output: it is closed\n"

# Every command that writes to standard output, with enough output to matter.
STANDARD_OUTPUT_COMMANDS = {
    "tree": ["print", "{budget}"],
    "tables": ["print", "{budget}", "--table", "all"],
    "review": ["print", "{budget}", "--review"],
    "report": ["report", "{budget}"],
    "check-text": ["check", "{budget}"],
    "check-json": ["check", "{budget}", "--format", "json"],
    "export-csv": ["export", "{budget}", "--to", "csv"],
    "export-json": ["export", "{budget}", "--to", "json"],
    "help": ["print", "--help"],
    "app-help": ["--help"],
    "version": ["--version"],
}


def arguments(name: str, budget: Path) -> list[str]:
    return [part.format(budget=budget) for part in STANDARD_OUTPUT_COMMANDS[name]]


def run(args: list[str], cwd: Path | None = None, **options) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*COMMAND, *args], text=True, encoding="utf-8", stderr=subprocess.PIPE, timeout=120, cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}, **options,
    )


def one_line(stderr: str) -> str:
    assert "Traceback" not in stderr and "Exception ignored" not in stderr, stderr
    assert stderr.count("\n") == 1, stderr
    return stderr


@pytest.fixture
def budget(tmp_path: Path) -> Path:
    """A copy of the synthetic sample: every command prints something for it (check has findings)."""
    return Path(shutil.copy(SYNTHETIC, tmp_path / "budget.toml"))


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("name", STANDARD_OUTPUT_COMMANDS)
def test_a_full_standard_output_is_one_line_and_exit_2(budget, name):
    with open("/dev/full", "w") as full:
        result = run(arguments(name, budget), stdout=full)
    assert one_line(result.stderr) == FULL
    assert result.returncode == 2


@pytest.mark.parametrize("name", ["tree", "tables", "report", "export-json"])
def test_a_standard_output_that_cannot_show_the_text_is_one_line_and_exit_2(budget, name):
    result = subprocess.run(
        [*COMMAND, *arguments(name, budget)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2]), "PYTHONIOENCODING": "ascii"},
    )
    assert one_line(result.stderr).startswith("budget-tui: cannot write standard output: its encoding (ascii) cannot show ")
    assert result.stderr.endswith("; use a UTF-8 locale or set PYTHONIOENCODING=utf-8\n")
    assert result.returncode == 2


@pytest.mark.parametrize("name", ["tree", "tables", "check-json", "export-json", "version"])
def test_a_closed_standard_output_is_one_line_and_exit_2(budget, name):
    # The shell closes descriptor 1 before Python starts, as `budget-tui print x >&-` does.
    result = subprocess.run(
        ["sh", "-c", 'exec "$@" >&-', "sh", *COMMAND, *arguments(name, budget)],
        text=True, stderr=subprocess.PIPE, timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert one_line(result.stderr) == CLOSED
    assert result.returncode == 2


@pytest.mark.parametrize("name", ["tree", "tables", "report", "check-json", "export-csv"])
def test_a_broken_pipe_ends_quietly_as_a_unix_tool_does(budget, name):
    # The reader is gone before anything is written (`| head -1` that has already read its line): no message,
    # and the status a shell shows for a Unix tool killed by SIGPIPE.
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = run(arguments(name, budget), stdout=write_end)
    finally:
        os.close(write_end)
    assert result.stderr == ""
    assert result.returncode == ExitCode.BROKEN_PIPE == 141


def test_messages_to_a_closed_standard_error_are_dropped_not_printed_to_standard_output(budget, tmp_path):
    output = tmp_path / "lines.csv"
    result = subprocess.run(
        ["sh", "-c", 'exec "$@" 2>&-', "sh", *COMMAND, "export", str(budget), "--to", "csv", "-o", str(output)],
        capture_output=True, text=True, timeout=120,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert result.returncode == 0 and result.stdout == ""
    assert output.read_text("utf-8-sig").startswith("功能分类科目编码")


# File outputs: export -o, import -o.


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.rglob(".*.tmp"))


@pytest.fixture
def line_list(tmp_path: Path) -> Path:
    path = tmp_path / "lines.csv"
    path.write_text("功能分类科目编码,经济分类科目编码,金额\n2010301,30101,5\n", "utf-8")
    return path


def import_args(source: Path, output: Path, *options: str) -> list[str]:
    return ["import", str(source), "-o", str(output), "--department", "测试局", "--year", "2021", *options]


CASES = ["missing-folder", "folder", "folder-forced", "not-a-folder", "fifo-forced", "the-input"]


@pytest.mark.parametrize(
    "command, case",
    [("export", case) for case in [*CASES, "fdp-onto-a-file"]] + [("import", case) for case in CASES],  # import writes no folder
)
def test_an_output_that_cannot_be_written_is_one_line_naming_it_and_exit_2(tmp_path, budget, line_list, command, case):
    (tmp_path / "a-file").write_text("keep", "utf-8")
    os.mkfifo(tmp_path / "a-fifo")  # never a device such as /dev/null: the old code replaced it with a file
    source = budget if command == "export" else line_list
    output, options, expected = {
        "missing-folder": (tmp_path / "no" / "such" / "out.csv", [], "the folder"),
        "folder": (tmp_path, [], "is a folder; give the name of a file with -o"),
        "folder-forced": (tmp_path, ["--force"], "is a folder; give the name of a file with -o"),
        "not-a-folder": (tmp_path / "a-file" / "out.csv", [], "Not a directory"),
        "fifo-forced": (tmp_path / "a-fifo", ["--force"], "is not a regular file"),
        "fdp-onto-a-file": (tmp_path / "a-file", ["--force"], "is a file, not a folder"),
        "the-input": (source, ["--force"], "is the file being read"),
    }[case]
    if command == "export":
        args = ["export", str(budget), "--to", "fdp" if case == "fdp-onto-a-file" else "csv", "-o", str(output), *options]
    else:
        args = import_args(line_list, output, *options)
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    result = run(args, stdout=subprocess.DEVNULL)
    message = one_line(result.stderr)
    assert result.returncode == 2
    assert message.startswith("budget-tui: ") and str(output) in message and expected in message
    assert {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()} == before
    assert leftovers(tmp_path) == []
    assert (tmp_path / "a-fifo").is_fifo()


@pytest.mark.parametrize("to, made", [("fdp", "F-fdp"), ("xlsx", "F.xlsx")])
def test_export_of_a_folder_from_inside_it_goes_beside_the_folder(tmp_path, to, made):
    folder = tmp_path / "F"
    folder.mkdir()
    shutil.copy(SYNTHETIC, folder / "a.toml")
    result = run(["export", ".", "--to", to], cwd=folder, stdout=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / made).exists()
    assert f"25 lines written to {tmp_path / made}" in result.stderr


@pytest.mark.parametrize("path", ["..", "F/..", "F/."])
def test_export_of_a_path_without_a_name_of_its_own(tmp_path, path):
    # "..", "F/.." and "F/." name a folder by a relative step; the output takes the folder's real name.
    folder = tmp_path / "G" / "F"
    folder.mkdir(parents=True)
    shutil.copy(SYNTHETIC, folder / "a.toml")
    cwd = folder if path == ".." else folder.parent
    result = run(["export", path, "--to", "xlsx"], cwd=cwd, stdout=subprocess.DEVNULL)
    assert result.returncode == 0, result.stderr
    named = (folder if path == "F/." else folder.parent) if path != ".." else folder.parent
    assert Path(str(named) + ".xlsx").exists()


@pytest.mark.parametrize("failing", ["write", "fsync", "replace"])
def test_a_full_disk_for_a_file_output_is_one_line_and_the_old_file_stays(tmp_path, monkeypatch, capsys, failing):
    # A full disk cannot be made without mounting one; the system calls of the writer fail as a full disk does.
    output = tmp_path / "out.csv"
    output.write_text("old", "utf-8")

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if failing == "write":
        monkeypatch.setattr(files.os, "fdopen", lambda descriptor, mode: _FullFile(descriptor))
    else:
        monkeypatch.setattr(files.os, failing, full)
    assert main(["export", str(SYNTHETIC), "--to", "csv", "-o", str(output), "--force"]) == 2
    err = capsys.readouterr().err
    assert err == f"budget-tui: cannot write {output}: No space left on device\n"
    assert output.read_text("utf-8") == "old"
    assert leftovers(tmp_path) == []


class _FullFile:
    def __init__(self, descriptor: int):
        self.descriptor = descriptor

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        os.close(self.descriptor)

    def write(self, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
