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
from budget_tui.i18n import _, ngettext

# argparse's own words (usage:, options:, its error messages) come from our catalog: it calls the module-level
# gettext functions it imported, looked up when the text is shown, so they follow i18n.use().
argparse._ = _  # type: ignore[attr-defined]
argparse.ngettext = ngettext  # type: ignore[attr-defined]

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


def _path_help() -> str:
    return _("a budget file, or a folder of them (汇总); - reads a budget file from standard input")


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
        usage=_("{prog} [PATH] [--force]\n       {prog} COMMAND [OPTIONS]   (see {prog} COMMAND --help)").format(prog=PROG),
        description=textwrap.fill(
            _("Browse, edit, check and print a department budget (部门预算). "
              "With no command, {prog} [PATH] opens the app (the same as {prog} open [PATH]).").format(prog=PROG),
            78,
        ),
        formatter_class=_formatter,
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}", help=_("print the version and exit"))
    parser.add_argument(
        "--lang", choices=("zh", "en"), metavar="zh|en",
        help=_("the language of messages and the app (default: language in config.toml, else LANG)"),
    )
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
    return _("commands:") + "\n" + "\n".join(f"  {name.ljust(column - 2)}{command.summary}" for name, command in commands.items())


def _command(subparsers, name: str, summary: str, detail: str = "") -> Command:
    # TRANSLATORS: a command's summary as the first sentence of its --help (a full stop after it)
    description = _("{summary}.").format(summary=f"{summary[0].upper()}{summary[1:]}") + (f"\n\n{detail}" if detail else "")
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
        _("open the app on a budget ({prog} PATH is short for this)").format(prog=PROG),
        _("The app needs a terminal: with standard input or error redirected, or TERM=dumb, it says to use print."),
    )
    command.add(
        "path", nargs="?", type=budget_path,
        help=_("budget file or folder (default: your copy of the bundled sample, made on first use in ~/.local/share/budget-tui)"),
    )
    command.add("--force", action="store_true", help=_("edit even when another budget-tui has the file open"))
    _add_against(command, _("the tree's 上版 / 本版 / 增减 columns compare with it, in place of the file's [prior]"))
    command.add(
        "--watch", action="store_true",
        help=_("follow the file or folder: reload it when it changes on disk, the cursor kept, what changed marked "
               "(never over unsaved edits without asking)"),
    )
    return command


def _add_against(command: Command, what: str) -> None:
    command.add(
        "--against", type=Path, metavar="OLD",
        help=_("another version of the budget (a file, or a folder for a folder): {what}").format(what=what),
    )


def _add_print(new) -> Command:
    command = new(
        "print",
        _("the tree, disclosure tables or review marks as plain text"),
        _("The tree (the default) takes --depth, --economic and --merge; the tables (--table) take --format, --width and "
          "--compact; an option that does not apply to what is printed is an error."),
    )
    command.add("path", type=budget_path, help=_path_help())
    what = command.parser.add_mutually_exclusive_group()
    command.add("--tree", group=what, action="store_true", help=_("the drill-down tree with subtotals (the default)"))
    command.add("--table", group=what, metavar="N", help=_("disclosure tables: 1-9, a list such as 3,5,6, or all"))
    command.add("--review", group=what, action="store_true", help=_("review marks and comments (from NAME.review.toml beside the file)"))
    command.add("--depth", type=int, metavar="N", help=_("with the tree: show N levels (1 or more)"))
    command.add("--economic", action="store_true", help=_("with the tree: economic classification first"))
    command.add("--merge", action="store_true", help=_("with the tree of a folder: one tree for all departments"))
    command.add(
        "--format", metavar="F", words=TABLE_FORMATS,
        help=_("with --table: a tabulate format (simple, the default; grid, github, tsv, html, ...)"),
    )
    command.add("--width", type=int, metavar="N", help=_("with --table and an aligned format: fit N columns (long names wrap)"))
    command.add("--compact", action="store_true", help=_("with --table: drop columns empty throughout"))
    return command


def _add_check(new) -> Command:
    command = new(
        "check", _("check that the budget is consistent; exit 1 on an error"),
        _("One line per problem: PATH:LINE: error|warning [rule-id]: message."),
    )
    command.add("path", type=budget_path, help=_path_help())
    command.add("--format", choices=("text", "json"), default="text", help=_("text (the default) or json"))
    _add_against(command, _("warn where the file's [prior] figures differ from its figures"))
    return command


def _add_report(new) -> Command:
    command = new("report", _("the disclosure document (部门预算公开) as text or Markdown"))
    command.add("path", type=budget_path, help=_path_help())
    command.add("--format", choices=("text", "md"), default="text", help=_("text (the default) or md (Markdown with GFM tables)"))
    command.add("--percent-decimals", type=int, default=0, metavar="N", help=_("decimals of printed percents, 0 to 6 (default 0)"))
    command.add(
        "--template", metavar="NAME|PATH",
        help=_("the outline of the narrative: a shipped one (changji, the default; economic) or a Jinja2 template file"),
    )
    _add_against(command, _("its figures take the place of the file's [prior] in the changes and rates"))
    return command


def _add_import(new) -> Command:
    command = new(
        "import", _("a budget file from a CSV or XLSX line list"),
        _("Each skipped row is listed as SOURCE:ROW: skipped: why, and each negative amount as a warning; "
          "exit 1 when rows were skipped."),
    )
    command.add("source", type=Path, help=_("CSV or XLSX line list"))
    command.add("-o", "--output", type=Path, required=True, metavar="BUDGET.toml", help=_("the budget file to write"))
    command.add("--department", required=True, help=_("the department's name (a line list lacks it)"))
    command.add("--year", type=int, required=True, help=_("the budget year"))
    command.add("--unit", choices=("万元", "元"), help=_("unit of the amounts (default: the amount heading's, else 万元)"))
    command.add(
        "--map", action="append", metavar="FIELD=HEADING",
        help=_("read FIELD from the column HEADING, e.g. amount=本年预算 (repeatable)"),
    )
    command.add("--sheet", help=_("with XLSX: the sheet to read (default: the first with a heading row)"))
    command.add("--force", action="store_true", help=_("replace BUDGET.toml if it exists"))
    return command


def _add_export(new) -> Command:
    command = new("export", _("the lines and tables as XLSX, CSV, JSON or a data package"))
    command.add("path", type=budget_path, help=_path_help())
    command.add("--to", choices=("xlsx", "csv", "json", "fdp"), required=True, help=_("the format to write"))
    command.add(
        "-o", "--output", type=Path, metavar="OUT",
        help=_("default: beside PATH for xlsx and fdp (-o is needed with -), standard output for csv and json"),
    )
    command.add("--force", action="store_true", help=_("with an output file or folder: replace OUT if it exists"))
    return command


def _add_diff(new) -> Command:
    command = new(
        "diff", _("what changed between two versions; exit 1 when they differ"),
        _("Every line added, removed, changed or moved, and the subtotals that moved in both classifications."),
    )
    command.add("old", type=Path, help=_("the old version: a budget file, or a folder of them"))
    command.add("new", type=Path, help=_("the new version: a file if OLD is one, a folder if OLD is one"))
    command.add("--depth", type=int, metavar="N", help=_("show N levels of the subtotals (0 or more)"))
    command.add(
        "--format", default="text", metavar="F", words=("text", *TABLE_FORMATS),
        help=_("text (aligned, the default) or a tabulate format (simple, grid, github, tsv, ...)"),
    )
    return command


def _add_completion(new) -> Command:
    command = new(
        "completion", _("the shell completion script for bash, zsh or fish"),
        _('bash: eval "$({prog} completion bash)" in ~/.bashrc; zsh: {prog} completion zsh > _{prog} in a folder '
          "of $fpath; fish: {prog} completion fish > ~/.config/fish/completions/{prog}.fish").format(prog=PROG),
    )
    command.add("shell", choices=SHELLS, help=_("the shell: bash, zsh or fish"))
    return command


def _add_manpage(new) -> Command:
    return new("manpage", _("the manual page as roff: {prog} manpage | man -l -").format(prog=PROG))


def suggestion(word: str, commands: list[str]) -> str | None:
    """The command a mistyped word most likely meant, or None when it is no command's near miss or names a path."""
    if not word or word.startswith("-") or os.path.lexists(word):
        return None
    close = difflib.get_close_matches(word, commands, n=1, cutoff=0.6)
    return close[0] if close else None
