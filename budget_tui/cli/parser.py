"""The one argparse parser: `budget-tui COMMAND ...`, and `budget-tui [PATH]`, short for `budget-tui open [PATH]`.

Every option has its help here; `--help`, the shell completions and the man page are all read from it (each command
keeps the arguments it was given, so nothing reads argparse's private fields).
"""

from __future__ import annotations

import argparse
import difflib
import os
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from budget_tui import __version__
from budget_tui.cli.exitcode import status_table

PROG = "budget-tui"
STDIN = "-"
"""The path that reads a budget from standard input (print, check, report, export)."""
SHELLS = ("bash", "zsh", "fish")
TABLE_FORMATS = (
    "simple", "plain", "grid", "simple_grid", "rounded_grid", "fancy_grid", "pipe", "github", "orgtbl", "rst",
    "psql", "tsv", "html", "unsafehtml", "latex", "mediawiki", "jira",
)
"""The tabulate formats a shell offers for --format (any of tabulate's is accepted)."""

def budget_path(text: str) -> Path | str:
    """A budget's path as given; `-` stays the text "-" (standard input), so ./- still names a file called -."""
    return text if text == STDIN else Path(text)


def _path_help(what: str = "a budget file, or a folder of them (汇总)") -> str:
    return f"{what}; - reads a budget file from standard input"


@dataclass
class Command:
    """A command: its parser, its one-line summary, and every argument it takes, in order (for completion and man)."""

    name: str
    summary: str
    parser: argparse.ArgumentParser
    detail: str = ""
    """More about the command than its summary (its --help and the man page show it)."""
    arguments: list[argparse.Action] = field(default_factory=list)
    words: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Words a shell completes an option with, beyond its choices (by option string)."""

    def add(self, *names: str, group=None, words: tuple[str, ...] = (), **options) -> argparse.Action:
        action = (group or self.parser).add_argument(*names, **options)
        self.arguments.append(action)
        for name in names:
            if words:
                self.words[name] = words
        return action


@dataclass
class CommandLine:
    """The parser and its commands by name, in the order --help lists them."""

    parser: argparse.ArgumentParser
    commands: dict[str, Command]


def _formatter(prog: str) -> argparse.HelpFormatter:
    """Descriptions and epilogs kept as written (the command list, the exit status table)."""
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=18)


def build_parser() -> argparse.ArgumentParser:
    return command_line().parser


def command_line() -> CommandLine:
    parser = argparse.ArgumentParser(
        prog=PROG,
        usage=f"{PROG} [PATH] [--force]\n       {PROG} COMMAND [OPTIONS]   (see {PROG} COMMAND --help)",
        description=textwrap.fill(
            "Browse, edit, check and print a department budget (部门预算). "
            f"With no command, {PROG} [PATH] opens the app (the same as {PROG} open [PATH]).",
            78,
        ),
        formatter_class=_formatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}", help="print the version and exit")
    # The commands are listed by _listing (one line each, whatever their names' length), not by argparse.
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True, prog=PROG, help=argparse.SUPPRESS)
    commands: dict[str, Command] = {}
    for add in (_add_open, _add_print, _add_check, _add_report, _add_import, _add_export, _add_diff, _add_completion, _add_manpage):
        command = add(lambda name, summary, description="": _command(subparsers, name, summary, description))
        commands[command.name] = command
    parser.epilog = f"{_listing(commands)}\n\n{status_table()}"
    return CommandLine(parser, commands)


def _listing(commands: dict[str, Command]) -> str:
    column = max(len(name) for name in commands) + 4
    return "commands:\n" + "\n".join(f"  {name.ljust(column - 2)}{command.summary}" for name, command in commands.items())


def _command(subparsers, name: str, summary: str, detail: str = "") -> Command:
    description = f"{summary[0].upper()}{summary[1:]}." + (f"\n\n{detail}" if detail else "")
    parser = subparsers.add_parser(
        name,
        help=summary,
        description="\n".join(textwrap.fill(paragraph, 88) for paragraph in description.split("\n")),
        epilog=status_table(),
        formatter_class=_formatter,
    )
    return Command(name, summary, parser, detail)


def _add_open(new) -> Command:
    command = new(
        "open",
        f"open the app on a budget ({PROG} PATH is short for this)",
        "The app needs a terminal: with standard input or error redirected, or TERM=dumb, it says to use print.",
    )
    command.add(
        "path", nargs="?", type=budget_path,
        help="budget file or folder (default: your copy of the bundled sample, made on first use in ~/.local/share/budget-tui)",
    )
    command.add("--force", action="store_true", help="edit even when another budget-tui has the file open")
    return command


def _add_print(new) -> Command:
    command = new(
        "print",
        "the tree, disclosure tables or review marks as plain text",
        "The tree (the default) takes --depth, --economic and --merge; the tables (--table) take --format, --width and "
        "--compact; an option that does not apply to what is printed is an error.",
    )
    command.add("path", type=budget_path, help=_path_help())
    what = command.parser.add_mutually_exclusive_group()
    command.add("--tree", group=what, action="store_true", help="the drill-down tree with subtotals (the default)")
    command.add("--table", group=what, metavar="N", help="disclosure tables: 1-9, a list such as 3,5,6, or all")
    command.add("--review", group=what, action="store_true", help="review marks and comments (from NAME.review.toml beside the file)")
    command.add("--depth", type=int, metavar="N", help="with the tree: show N levels (1 or more)")
    command.add("--economic", action="store_true", help="with the tree: economic classification first")
    command.add("--merge", action="store_true", help="with the tree of a folder: one tree for all departments")
    command.add(
        "--format", metavar="F", words=TABLE_FORMATS,
        help="with --table: a tabulate format (simple, the default; grid, github, tsv, html, ...)",
    )
    command.add("--width", type=int, metavar="N", help="with --table and an aligned format: fit N columns (long names wrap)")
    command.add("--compact", action="store_true", help="with --table: drop columns empty throughout")
    return command


def _add_check(new) -> Command:
    command = new(
        "check", "check that the budget is consistent; exit 1 on an error",
        "One line per problem: PATH:LINE: error|warning [rule-id]: message.",
    )
    command.add("path", type=budget_path, help=_path_help())
    command.add("--format", choices=("text", "json"), default="text", help="text (the default) or json")
    return command


def _add_report(new) -> Command:
    command = new("report", "the disclosure document (部门预算公开) as text or Markdown")
    command.add("path", type=budget_path, help=_path_help())
    command.add("--format", choices=("text", "md"), default="text", help="text (the default) or md (Markdown with GFM tables)")
    command.add("--percent-decimals", type=int, default=0, metavar="N", help="decimals of printed percents, 0 to 6 (default 0)")
    command.add(
        "--template", metavar="NAME|PATH",
        help="the outline of the narrative: a shipped one (changji, the default; economic) or a Jinja2 template file",
    )
    return command


def _add_import(new) -> Command:
    command = new(
        "import", "a budget file from a CSV or XLSX line list",
        "Each skipped row is listed as SOURCE:ROW: skipped: why, and each negative amount as a warning; "
        "exit 1 when rows were skipped.",
    )
    command.add("source", type=Path, help="CSV or XLSX line list")
    command.add("-o", "--output", type=Path, required=True, metavar="BUDGET.toml", help="the budget file to write")
    command.add("--department", required=True, help="the department's name (a line list lacks it)")
    command.add("--year", type=int, required=True, help="the budget year")
    command.add("--unit", choices=("万元", "元"), help="unit of the amounts (default: the amount heading's, else 万元)")
    command.add(
        "--map", action="append", metavar="FIELD=HEADING",
        help="read FIELD from the column HEADING, e.g. amount=本年预算 (repeatable)",
    )
    command.add("--sheet", help="with XLSX: the sheet to read (default: the first with a heading row)")
    command.add("--force", action="store_true", help="replace BUDGET.toml if it exists")
    return command


def _add_export(new) -> Command:
    command = new("export", "the lines and tables as XLSX, CSV, JSON or a data package")
    command.add("path", type=budget_path, help=_path_help())
    command.add("--to", choices=("xlsx", "csv", "json", "fdp"), required=True, help="the format to write")
    command.add(
        "-o", "--output", type=Path, metavar="OUT",
        help="default: beside PATH for xlsx and fdp (-o is needed with -), standard output for csv and json",
    )
    command.add("--force", action="store_true", help="with an output file or folder: replace OUT if it exists")
    return command


def _add_diff(new) -> Command:
    command = new(
        "diff", "what changed between two versions; exit 1 when they differ",
        "Every line added, removed, changed or moved, and the subtotals that moved in both classifications.",
    )
    command.add("old", type=Path, help="the old version: a budget file, or a folder of them")
    command.add("new", type=Path, help="the new version: a file if OLD is one, a folder if OLD is one")
    command.add("--depth", type=int, metavar="N", help="show N levels of the subtotals (0 or more)")
    command.add(
        "--format", default="text", metavar="F", words=("text", *TABLE_FORMATS),
        help="text (aligned, the default) or a tabulate format (simple, grid, github, tsv, ...)",
    )
    return command


def _add_completion(new) -> Command:
    command = new(
        "completion", "the shell completion script for bash, zsh or fish",
        f'bash: eval "$({PROG} completion bash)" in ~/.bashrc; zsh: {PROG} completion zsh > _{PROG} in a folder '
        f"of $fpath; fish: {PROG} completion fish > ~/.config/fish/completions/{PROG}.fish",
    )
    command.add("shell", choices=SHELLS, help="the shell: bash, zsh or fish")
    return command


def _add_manpage(new) -> Command:
    return new("manpage", f"the manual page as roff: {PROG} manpage | man -l -")


def suggestion(word: str, commands: list[str]) -> str | None:
    """The command a mistyped word most likely meant, or None when it is no command's near miss or names a path."""
    if not word or word.startswith("-") or os.path.lexists(word):
        return None
    close = difflib.get_close_matches(word, commands, n=1, cutoff=0.6)
    return close[0] if close else None
