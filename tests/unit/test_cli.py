"""The command line: print --tree, --version, and one clear line (exit 2) for a file that is not a budget."""

import subprocess
import sys

import pytest

from budget_tui import __version__, cli
from budget_tui.cli import main
from tests.conftest import CHANGJI, MINIMAL


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "budget_tui", *args], capture_output=True, text=True, encoding="utf-8", timeout=60
    )


def test_print_tree_shows_the_published_subtotals():
    result = run("print", str(CHANGJI), "--tree")
    assert result.returncode == 0, result.stderr
    rows = {" ".join(line.split()[:-1]): line.split()[-1] for line in result.stdout.splitlines() if line.strip("-")}
    assert rows["201 一般公共服务支出"] == "1695.33"
    assert rows["20103 政府办公厅及相关机构事务"] == "1695.33"
    assert rows["2010301 行政运行"] == "1642.52"
    assert rows["2010350 事业运行"] == "52.81"
    lines = result.stdout.splitlines()
    under_301 = lines[lines.index(next(l for l in lines if "2010301 行政运行" in l)) + 1 :]
    assert [l.split()[:2] for l in under_301 if l.startswith("      3") and len(l.split()[0]) == 3][:3] == [
        ["301", "工资福利支出"],
        ["302", "商品和服务支出"],
        ["303", "对个人和家庭的补助"],
    ]
    assert "301 工资福利支出 52.81" in " ".join(result.stdout.split())


def test_print_tree_depth_and_economic_view(capsys):
    assert main(["print", str(CHANGJI), "--depth", "2"]) == 0
    out = capsys.readouterr().out
    assert "20103" in out and "2010301" not in out
    assert main(["print", str(CHANGJI), "--economic", "--depth", "1"]) == 0
    out = capsys.readouterr().out
    assert out.split("\n")[0].split() == ["301", "工资福利支出", "939.31"]


def test_version():
    result = run("--version")
    assert result.stdout.strip() == f"budget-tui {__version__}"


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('[department]\nname = "测试局"\nyear = 2020\n'.encode("gbk"), ":2:9: is not UTF-8 text; it looks like GBK"),
        (b"[department\n", ":1:12: not valid TOML"),
        (b'[department]\nname = "x"\nyear = "2020"\n', ":3:1: [department] needs year"),
        (MINIMAL.encode() + b'30102 = "abc"\n', ":7:1: the amount of 30102: 'abc' is not a number"),
    ],
)
def test_bad_files_print_one_line_and_exit_2(write_budget, content, expected):
    path = write_budget(content)
    result = run("print", str(path), "--tree")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"budget-tui: {path}{expected}")
    assert "Traceback" not in result.stderr


def test_missing_file_exits_2(tmp_path):
    result = run("print", str(tmp_path / "nope.toml"))
    assert result.returncode == 2
    assert result.stderr == f"budget-tui: {tmp_path / 'nope.toml'}: no such file; give the path of a budget .toml file\n"


def test_unknown_option_exits_2():
    assert run("print", str(CHANGJI), "--frobnicate").returncode == 2


def test_no_argument_opens_a_copy_of_the_main_sample_in_the_data_folder(monkeypatch, tmp_path, capsys):
    # The launcher (budget_tui.__main__, the console script) opens the app through budget_tui.app.run_app.
    import budget_tui.app as app_package
    from budget_tui.__main__ import main
    from budget_tui.files.samples import MAIN_SAMPLE, sample_names, sample_path

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setattr(cli, "_no_terminal", lambda: "")
    opened = []
    monkeypatch.setattr(app_package, "run_app", lambda path, force=False: opened.append(path) or 0)
    assert main([]) == 0
    copy = tmp_path / "data" / "budget-tui" / MAIN_SAMPLE
    assert opened == [copy] and copy.read_bytes() == sample_path().read_bytes()
    assert capsys.readouterr().err == f"budget-tui: made your copy of the sample: {copy}\n"
    # The copy is the user's: edits survive, and the next start opens it again instead of the package's sample.
    copy.write_text(copy.read_text("utf-8").replace("335.04", "340.00"), "utf-8")
    assert main([]) == 0
    assert opened == [copy, copy] and "340.00" in copy.read_text("utf-8")
    assert capsys.readouterr().err == f"budget-tui: opening your copy of the sample: {copy}\n"
    assert "335.04" in sample_path().read_text("utf-8")
    assert sample_names() == ["changji-2020.toml", "synthetic-2021.toml"]


def test_a_data_folder_that_cannot_be_made_is_a_clear_error(monkeypatch, tmp_path, capsys):
    import budget_tui.app as app_package
    from budget_tui.__main__ import main

    (tmp_path / "file").write_text("not a folder")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "file"))
    monkeypatch.setattr(cli, "_no_terminal", lambda: "")
    monkeypatch.setattr(app_package, "run_app", lambda path, force=False: pytest.fail("opened"))
    assert main([]) == 2
    err = capsys.readouterr().err
    assert err.startswith("budget-tui: ") and "cannot make your copy of the sample" in err and err.count("\n") == 1


def test_samples_are_package_data():
    import tomllib
    from importlib.resources import files
    from pathlib import Path

    assert files("budget_tui").joinpath("data", "changji-2020.toml").is_file()
    project = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text("utf-8"))
    assert "data/*.toml" in project["tool"]["setuptools"]["package-data"]["budget_tui"]
    assert (Path(__file__).resolve().parents[2] / "data").resolve() == Path(files("budget_tui").joinpath("data"))


def test_without_a_terminal_the_app_does_not_start_and_says_to_use_print(tmp_path):
    # Standard input from a pipe or /dev/null (cron, a script): no escape codes, no hang, exit 2.
    for stdin in (subprocess.DEVNULL, subprocess.PIPE):
        result = subprocess.run(
            [sys.executable, "-m", "budget_tui", str(CHANGJI)], stdin=stdin, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 2 and result.stdout == ""
        assert result.stderr == (
            "budget-tui: standard input is not a terminal; the app needs a terminal. To print, use: budget-tui print PATH\n"
        )


def test_standard_error_redirected_or_a_dumb_terminal_does_not_start_the_app(tmp_path):
    import os
    import pty
    import select

    for term, stderr_is_tty, why in (
        ("xterm-256color", False, "standard error is not a terminal"),
        ("dumb", True, "TERM=dumb cannot show the app"),
    ):
        leader, follower = pty.openpty()
        try:
            log = tmp_path / "stderr.txt"
            with open(log, "w") as errors:
                result = subprocess.run(
                    [sys.executable, "-m", "budget_tui", str(CHANGJI)],
                    stdin=follower,
                    stdout=follower,
                    stderr=follower if stderr_is_tty else errors,
                    env={**os.environ, "TERM": term},
                    timeout=60,
                )
            os.close(follower)
            shown = b""
            while select.select([leader], [], [], 0)[0]:
                try:
                    chunk = os.read(leader, 4096)
                except OSError:  # the terminal's other end is closed: all was read
                    break
                if not chunk:
                    break
                shown += chunk
        finally:
            os.close(leader)
        assert result.returncode == 2
        said = shown.decode() if stderr_is_tty else log.read_text()
        assert said.replace("\r\n", "\n") == f"budget-tui: {why}; the app needs a terminal. To print, use: budget-tui print PATH\n"
        assert "\x1b" not in said
