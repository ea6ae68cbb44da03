"""The command line: one parser with subcommands (parser.py), every command's handler (commands.py), one ExitCode.

`budget-tui [PATH]` opens the app through the open_app function the launcher (budget_tui.__main__) gives main: the
command line never imports the app (layers: __main__ > app > cli), and nothing here imports Textual. Called without
open_app (tests, other programs), main runs every command but says the app is not available here.

Nor is the reader (or any writer) imported until a budget is read: `--version` and `--help` start in the time of
Python and argparse.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from budget_tui.cli.commands import HANDLERS, UsageError, is_stdin, read_budget
from budget_tui.cli.exitcode import ExitCode
from budget_tui.cli.output import StandardOutputError, discard_standard_output, outputs, say
from budget_tui.cli.parser import command_line, suggestion

OpenApp = Callable[[Path, bool], int]
"""Opens the app on a budget (path, force) and returns its exit status: budget_tui.__main__ gives it."""

__all__ = ["ExitCode", "OpenApp", "main", "read_budget"]


def main(argv: list[str] | None = None, open_app: OpenApp | None = None) -> int:
    """Run `budget-tui ARGV` and return its exit status (an ExitCode's value, or the app's)."""
    return int(_main(list(sys.argv[1:] if argv is None else argv), open_app))


def _main(argv: list[str], open_app: OpenApp | None) -> int:
    try:
        with outputs():
            args = _parse(argv)
            if args is None:
                return ExitCode.BAD_INPUT
            if args.command != "open":
                return _run(args)
        return _open(args, open_app)
    except StandardOutputError as error:
        discard_standard_output()
        say(f"budget-tui: {error}")
        return ExitCode.BAD_INPUT
    except _read_or_write_errors() as error:
        say(f"budget-tui: {error}")
        return ExitCode.BAD_INPUT
    except KeyboardInterrupt:
        return ExitCode.INTERRUPTED
    except BrokenPipeError:
        discard_standard_output()
        return ExitCode.BROKEN_PIPE


def _read_or_write_errors() -> tuple[type[Exception], ...]:
    """What main() says in one line as an unreadable budget or an unwritable output: the classes are imported with
    the reader and the writers only while an exception is handled; argparse's exit (--version, --help, a usage
    error) matches nothing here and imports nothing."""
    if isinstance(sys.exception(), SystemExit):
        return ()
    from budget_tui.files.exchange.files import OutputError
    from budget_tui.files.fileformat import BudgetFileError

    return (BudgetFileError, OutputError)


def _parse(argv: list[str]) -> argparse.Namespace | None:
    """The arguments, read by the one parser: a command, or the app's PATH (`open` is implied); None when the first
    word is a mistyped command (said on standard error). --help and a usage error exit as argparse does."""
    line = command_line()
    if argv and (argv[0] in line.commands or argv[0] in ("-h", "--help", "--version")):
        return line.parser.parse_args(argv)
    guess = suggestion(argv[0], list(line.commands)) if argv else None
    if guess is not None:
        say(f"budget-tui: unknown command {argv[0]!r} (did you mean {guess}?); see budget-tui --help")
        return None
    return line.parser.parse_args(["open", *argv])


def _run(args: argparse.Namespace) -> int:
    from budget_tui.text.printing import UsageError as PrintingUsageError

    try:
        return HANDLERS[args.command](args)
    except (UsageError, PrintingUsageError) as error:
        say(f"budget-tui: {error}")
        return ExitCode.BAD_INPUT


def _open(args: argparse.Namespace, open_app: OpenApp | None) -> int:
    """`budget-tui [PATH]`: the app, where there is a terminal to draw on and a launcher that can open it."""
    if is_stdin(args.path):
        say("budget-tui: the app cannot read a budget from standard input (it reads your keys there); give its path")
        return ExitCode.BAD_INPUT
    problem = _no_terminal()
    if problem or open_app is None:
        if args.path is not None:
            read_budget(args.path)  # a file that is not a budget says where first: that is the more useful news
        if open_app is None:
            say("budget-tui: the app is not available here (budget_tui.cli.main was given no open_app; the budget-tui "
                "command opens it). To print, use: budget-tui print PATH")
        else:
            say(f"budget-tui: {problem}; the app needs a terminal. To print, use: budget-tui print PATH")
        return ExitCode.BAD_INPUT
    return open_app(args.path if args.path is not None else _sample_copy(), args.force)


def _no_terminal() -> str:
    """Why the full-screen app cannot draw here (empty when it can): it reads keys from standard input and draws on
    standard error, so either redirected (a pipe, cron) or TERM=dumb means no app; standard output alone may be."""
    if not sys.stdin or not sys.stdin.isatty():
        return "standard input is not a terminal"
    if not sys.stderr or not sys.stderr.isatty():
        return "standard error is not a terminal"
    if os.environ.get("TERM", "") in ("", "dumb"):
        return f"TERM={os.environ.get('TERM', '')!s} cannot show the app"
    return ""


def _sample_copy() -> Path:
    """The user's copy of the bundled sample (the package's own is never edited), said on standard error."""
    from budget_tui.files.fileformat import BudgetFileError
    from budget_tui.files.samples import user_copy

    try:
        path, made = user_copy()
    except OSError as error:
        reason = f"cannot make your copy of the sample ({error.strerror}); give the path of a budget file"
        raise BudgetFileError(error.filename or "", 0, 0, reason) from error
    say(f"budget-tui: {'made' if made else 'opening'} your copy of the sample: {path}")
    return path
