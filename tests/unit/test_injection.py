"""Text from a budget file is data: no escape sequence, control or bidi character reaches printed output."""

import json
import re

import pytest

from budget_tui.cli import main

# TOML escapes let a file carry any character; these are the dangerous ones.
HOSTILE = {
    "ansi": r"\u001b[31m红\u001b[0m",
    "osc-link": r"\u001b]8;;https://evil.example\u0007点我\u001b]8;;\u0007",
    "osc-title": r"\u001b]0;pwned\u0007",
    "c0": r"a\u0000b\u0008c\u000dd",
    "c1": r"x\u0085y\u009bz",
    "bidi": r"\u202e反转\u202c\u2066隔离\u2069",
    "markup": "[bold red]粗[/] [@click=app.quit]退出[/] 金额 [/] 结束",
}
FORBIDDEN = re.compile("[\x00-\x08\x0b-\x0c\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def hostile_budget(write_budget):
    names = "\n".join(f'30{101 + i} = "{text} {key}"' for i, (key, text) in enumerate(HOSTILE.items()))
    lines = "\n".join(f"30{101 + i} = {i + 1}.00" for i in range(len(HOSTILE)))
    return write_budget(
        f'''[department]
name = "{HOSTILE["ansi"]}局{HOSTILE["osc-title"]}"
year = 2020

[names]
{names}

[basic.2010301]
{lines}

[[projects]]
name = "{HOSTILE["osc-link"]}项目{HOSTILE["bidi"]}"
functional = "2010302"
30201 = 5.00

[reasons]
income = "{HOSTILE["c1"]}{HOSTILE["markup"]}"

[stated]
total = 1.00
'''
    )


def forbidden_in(text: str) -> list[str]:
    return sorted({repr(ch) for ch in FORBIDDEN.findall(text.replace("\f", ""))})


@pytest.mark.parametrize(
    "args",
    [
        ["print", "{path}"],
        ["print", "{path}", "--economic"],
        ["print", "{path}", "--table", "all"],
        ["print", "{path}", "--table", "all", "--format", "grid"],
        ["print", "{path}", "--table", "all", "--format", "html"],
        ["print", "{path}", "--table", "all", "--format", "tsv"],
        ["report", "{path}"],
        ["report", "{path}", "--format", "md"],
        ["check", "{path}"],
        ["check", "{path}", "--format", "json"],
    ],
)
def test_printed_output_carries_no_control_characters(write_budget, capsys, args):
    path = hostile_budget(write_budget)
    main([arg.format(path=path) for arg in args])
    captured = capsys.readouterr()
    assert captured.out, captured.err
    assert forbidden_in(captured.out) == []
    assert forbidden_in(captured.err) == []


def test_markup_is_printed_literally(write_budget, capsys):
    path = hostile_budget(write_budget)
    assert main(["print", str(path)]) == 0
    out = capsys.readouterr().out
    assert "[bold red]粗[/] [@click=app.quit]退出[/] 金额 [/] 结束 markup" in out
    assert "红 ansi" in out  # the escape sequence is gone, the text stays


def test_html_output_escapes_names(write_budget, capsys):
    path = write_budget('[department]\nname = "<b>局</b>"\nyear = 2020\n[names]\n30101 = "<script>alert(1)</script>"\n[basic.2010301]\n30101 = 1.00\n')
    main(["print", str(path), "--table", "6", "--format", "html"])
    out = capsys.readouterr().out
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<b>局" not in out


def test_check_json_is_valid_and_clean(write_budget, capsys):
    path = hostile_budget(write_budget)
    main(["check", str(path), "--format", "json"])
    problems = json.loads(capsys.readouterr().out)
    assert problems and all(not forbidden_in(json.dumps(p, ensure_ascii=False)) for p in problems)
