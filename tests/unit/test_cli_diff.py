"""`budget-tui diff OLD NEW`: exit 0 when equal, 1 when different, 2 on bad input (like diff(1)); formats, depth,
and no text from a file reaching the terminal as anything but text."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from budget_tui.cli import main
from budget_tui.core.safetext import width
from tests.conftest import CHANGJI, SYNTHETIC

FORBIDDEN = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def run(*args: object) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "budget_tui", "diff", *map(str, args)], capture_output=True, text=True, encoding="utf-8", timeout=120
    )


def diff(capsys, *args: object) -> tuple[int, str, str]:
    code = main(["diff", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def edited(tmp_path: Path, source: Path, *replacements: tuple[str, str], name: str | None = None) -> Path:
    text = source.read_text("utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    target = tmp_path / (name or f"edited-{source.name}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, "utf-8")
    return target


def test_equal_budgets_exit_0_and_say_so(capsys, tmp_path):
    copy = tmp_path / "copy.toml"
    shutil.copy(CHANGJI, copy)
    assert diff(capsys, CHANGJI, copy) == (0, "No line added, removed or changed.\n", "")


def test_different_budgets_exit_1_with_every_change(capsys, tmp_path):
    new = edited(tmp_path, SYNTHETIC, ("30101 = 120.50", "30101 = 125.00"), ("30211 = 9.80", "30215 = 9.80"))
    code, out, err = diff(capsys, SYNTHETIC, new)
    assert (code, err) == (1, "")
    rows = [line.split() for line in out.splitlines()]
    assert rows[0] == ["2", "lines", "differ:", "1", "changed,", "1", "moved"]
    assert ["~", "2050101", "30101", "基本工资", "120.50", "→", "125.00", "+4.50", "+3.7%"] in rows
    assert [">", "2050101", "30211→30215", "会议费", "9.80", "→", "9.80", "0.00", "0.0%"] in rows
    assert rows[-1] == ["合计（万元）", "1025.68", "→", "1030.18", "+4.50", "+0.4%"]


def test_the_real_command_exits_0_1_and_2(tmp_path):
    new = edited(tmp_path, CHANGJI, ("30101 = 335.04", "30101 = 340.00"))
    assert run(CHANGJI, CHANGJI).returncode == 0
    differ = run(CHANGJI, new)
    assert differ.returncode == 1 and "335.04" in differ.stdout and "340.00" in differ.stdout
    missing = run(CHANGJI, tmp_path / "missing.toml")
    assert missing.returncode == 2 and "missing.toml" in missing.stderr and "Traceback" not in missing.stderr
    assert run(CHANGJI).returncode == 2  # NEW is missing: argparse's usage error


# A second entry for a project already in the file, with a line of the same economic code: loads, but has one key twice.
PROJECT_TWICE = '[[projects]]\nname = "农村校舍维修改造"\nfunctional = "2050202"\n31002 = 1.00\n\n'


@pytest.mark.parametrize(
    "make_args, message",
    [
        (lambda tmp: [CHANGJI, CHANGJI, "--format", "nope"], "--format: unknown format 'nope'"),
        (lambda tmp: [CHANGJI, CHANGJI, "--depth", "-1"], "--depth: -1 is not a number of levels"),
        (lambda tmp: [CHANGJI, tmp / "missing.toml"], "no such file"),
        (lambda tmp: [CHANGJI, edited(tmp, CHANGJI, ("[department]", "[department"))], "not valid TOML"),
        (lambda tmp: [CHANGJI, tmp], "is a file and"),
        (lambda tmp: [CHANGJI, edited(tmp, CHANGJI, ('unit = "万元"', 'unit = "元"'))], "counts in 万元"),
        (lambda tmp: [SYNTHETIC, edited(tmp, SYNTHETIC, ("[[projects]]", PROJECT_TWICE + "[[projects]]"))], "is given twice"),
    ],
    ids=["format", "depth", "missing", "not-toml", "file-and-folder", "units", "twice"],
)
def test_bad_input_exits_2_with_one_line(capsys, tmp_path, make_args, message):
    (tmp_path / "a.toml").write_bytes(CHANGJI.read_bytes())
    code, out, err = diff(capsys, *make_args(tmp_path))
    assert code == 2 and out == ""
    assert message in err and err.count("\n") == 1 and err.startswith("budget-tui: ")


def test_a_line_given_twice_is_named_by_file_and_line(capsys, tmp_path):
    twice = edited(tmp_path, SYNTHETIC, ("[[projects]]", PROJECT_TWICE + "[[projects]]"))
    for old, new in ((SYNTHETIC, twice), (twice, SYNTHETIC)):
        code, _, err = diff(capsys, old, new)
        assert code == 2
        assert f"{twice}:84: the line 2050202 31002 (项目支出, 一般公共预算, 农村校舍维修改造) is given twice (first on line 69)" in err


def test_a_missing_argument_is_a_usage_error():
    with pytest.raises(SystemExit) as exit_:
        main(["diff", str(CHANGJI)])
    assert exit_.value.code == 2


def test_folders_against_folders(capsys, tmp_path):
    old, new = tmp_path / "old", tmp_path / "new"
    old.mkdir(), new.mkdir()
    edited(old, CHANGJI, ("year = 2020", "year = 2021"), name="changji.toml")  # a folder is one year
    shutil.copy(SYNTHETIC, old / "edu.toml")
    edited(new, SYNTHETIC, ("30101 = 120.50", "30101 = 125.00"), name="edu.toml")
    edited(new, SYNTHETIC, ('name = "示例县教育局（虚构）"', 'name = "示例县卫生局（虚构）"'), name="health/health.toml")
    code, out, _ = diff(capsys, old, new)
    assert code == 1
    rows = [line.split() for line in out.splitlines()]
    assert ["-", "changji.toml", "昌吉回族自治州人民政府办公室（34", "行）", "1695.33", "→", "—", "-1695.33", "-100.0%"] in rows
    assert ["+", "health/health.toml", "示例县卫生局（虚构）（25", "行）", "—", "→", "1025.68", "+1025.68", "新增"] in rows
    assert ["~", "edu.toml:", "2050101", "30101", "基本工资", "120.50", "→", "125.00", "+4.50", "+3.7%"] in rows
    assert len({width(line) for line in out.splitlines()}) == 1
    assert diff(capsys, old, old)[0] == 0


def test_depth_and_formats(capsys, tmp_path):
    new = edited(tmp_path, SYNTHETIC, ("30101 = 120.50", "30101 = 125.00"))
    _, out, _ = diff(capsys, SYNTHETIC, new, "--depth", "1")
    labels = [line[2:].split()[0] for line in out.splitlines() if line.startswith("~ ")]
    assert labels == ["2050101", "205", "301"]  # the line, then one level of each classification
    code, grid, _ = diff(capsys, SYNTHETIC, new, "--format", "grid")
    assert code == 1 and len({width(line) for line in grid.splitlines()}) == 1 and grid.startswith("+---")
    _, tsv, _ = diff(capsys, SYNTHETIC, new, "--format", "tsv")
    cells = [cell.strip() for cell in tsv.splitlines()[2].split("\t")]
    assert cells == ["~", "2050101 30101 基本工资", "120.50", "125.00", "+4.50", "+3.7%"]


HOSTILE_NAME = r"\u001b[31m红\u001b[0m\u001b]0;pwned\u0007\u202e反\u0085<b>粗</b>"


def hostile(folder: Path, file_name: str, amount: str) -> None:
    (folder / file_name).parent.mkdir(parents=True, exist_ok=True)
    (folder / file_name).write_text(
        f'[department]\nname = "局{HOSTILE_NAME}"\nyear = 2020\n\n[names]\n30201 = "办公{HOSTILE_NAME}"\n\n'
        f'[basic.2010301]\n30201 = {amount}\n\n[[projects]]\nname = "项目{HOSTILE_NAME}"\nfunctional = "2010302"\n30227 = {amount}\n',
        "utf-8",
    )


@pytest.mark.parametrize("fmt", ["text", "grid", "tsv", "html", "unsafehtml"])
def test_hostile_names_never_reach_the_terminal(capsys, tmp_path, fmt):
    evil_file = "\x1b[31mevil\x07.toml"
    hostile(tmp_path / "old", "a.toml", "1.00")
    hostile(tmp_path / "old", evil_file, "2.00")
    hostile(tmp_path / "new", "a.toml", "3.00")
    hostile(tmp_path / "new", f"sub\x1b]0;x\x07/{evil_file}", "2.00")
    code, out, err = diff(capsys, tmp_path / "old", tmp_path / "new", "--format", fmt)
    assert code == 1 and "红" in out and "办公" in out and "evil.toml" in out
    assert FORBIDDEN.findall(out) == [] and FORBIDDEN.findall(err) == []
    assert ("<b>" in out) == (fmt not in ("html", "unsafehtml"))  # markup is escaped in HTML, printed as itself elsewhere
    twice = tmp_path / "twice"
    hostile(twice, "a.toml", "1.00")
    with (twice / "a.toml").open("a", encoding="utf-8") as file:
        file.write(f'\n[[projects]]\nname = "项目{HOSTILE_NAME}"\nfunctional = "2010302"\n30227 = 1.00\n')
    code, _, err = diff(capsys, tmp_path / "old", twice)
    assert code == 2 and "given twice" in err and FORBIDDEN.findall(err) == []


def test_diff_runs_without_textual(tmp_path):
    code = (
        "import sys\nfrom budget_tui.cli import main\n"
        f"assert main(['diff', {str(CHANGJI)!r}, {str(SYNTHETIC)!r}]) == 1\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('textual', 'rich')]\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
