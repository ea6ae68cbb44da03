"""The manual page, budget-tui(1), written as roff from the parser: `budget-tui manpage` or
`python -m budget_tui.cli.manpage`; read it with `budget-tui manpage | man -l -`."""

from __future__ import annotations

import re

from budget_tui import __version__
from budget_tui.cli.completion import Option, options
from budget_tui.cli.exitcode import MEANINGS
from budget_tui.cli.parser import PROG, Command, command_line

OPTION = re.compile(r"(?<![\w-])--?\w[\w-]*|(?<![\w-])-(?![\w-])")
"""An option (--percent-decimals, -o) or a lone - (standard input): its hyphens are minus signs, as man(7) asks."""


def roff(text: str) -> str:
    """Text as roff reads it literally: backslashes escaped, hyphens of options as minus signs, no line starting
    with a control character."""
    text = text.replace("\\", "\\e")
    text = OPTION.sub(lambda match: match.group().replace("-", "\\-"), text)
    return "\n".join("\\&" + line if line.startswith((".", "'")) else line for line in text.split("\n"))


def _synopsis(command: Command) -> str:
    usage = " ".join(command.parser.format_usage().split())
    return roff(usage.removeprefix("usage: "))


def _option(option: Option) -> str:
    if not option.names:
        return f".TP\n.I {roff(option.metavar.lower())}\n{roff(option.help)}"
    value = f" \\fI{roff(option.metavar)}\\fR" if option.takes_value else ""
    names = ", ".join(f"\\fB{roff(name)}\\fR{value}" for name in option.names)
    return f".TP\n{names}\n{roff(option.help)}"


def manpage() -> str:
    line = command_line()
    parts = [
        f'.TH BUDGET\\-TUI 1 "" "{PROG} {__version__}" "User Commands"',
        ".nh",
        ".ad l",
        ".SH NAME",
        f"{PROG} \\- browse, edit, check and print a department budget (部门预算)",
        ".SH SYNOPSIS",
        f".B {PROG}\n[\\fIPATH\\fR] [\\fB\\-\\-force\\fR]",
        ".br",
        f".B {PROG}\n\\fICOMMAND\\fR [\\fIOPTIONS\\fR]",
        ".SH DESCRIPTION",
        roff(
            "A terminal application for a government department's annual budget, kept in a TOML file: browse it as a "
            "tree, edit amounts, check it, print the nine disclosure tables, import and export it. "
            f"With no command, {PROG} [PATH] opens the app on PATH (the same as {PROG} open PATH)."
        ),
        ".PP",
        roff("Every command takes a budget file or a folder of them (汇总); print, check, report and export take - to read "
             "a budget from standard input. A file that is not a budget prints one line, PATH:LINE:COL: what is wrong "
             "and what to do, and exits with status 2."),
        ".SH COMMANDS",
    ]
    for name, command in line.commands.items():
        parts += [f".SS {name}", f".B {_synopsis(command)}", ".PP", roff(command.summary[0].upper() + command.summary[1:] + ".")]
        if command.detail:
            parts += [roff(command.detail)]
        parts += [_option(option) for option in options(command)]
    parts += [".SH \"EXIT STATUS\""]
    for code, meaning in MEANINGS.items():
        parts += [".TP", f".B {int(code)}", roff(meaning)]
    parts += [
        ".SH ENVIRONMENT",
        ".TP\n.B XDG_DATA_HOME",
        roff(f"where {PROG} with no path keeps your copy of the sample (default ~/.local/share/budget-tui)"),
        ".TP\n.B XDG_CONFIG_HOME",
        roff("where keys.toml remaps the app's keys (default ~/.config/budget-tui/keys.toml)"),
        ".SH FILES",
        ".TP\n.I NAME.review.toml",
        roff("the reviewers' marks and comments, beside the budget file"),
        ".SH \"SEE ALSO\"",
        roff(f"{PROG} COMMAND --help; {PROG} completion bash|zsh|fish; docs/format.md, the file format"),
    ]
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.write(manpage())
