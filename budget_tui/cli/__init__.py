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

from budget_tui import i18n
from budget_tui.cli.commands import HANDLERS, UsageError, is_stdin, read_budget
from budget_tui.cli.exitcode import ExitCode
from budget_tui.cli.output import StandardOutputError, discard_standard_output, outputs, say
from budget_tui.cli.parser import command_line, suggestion
from budget_tui.files.config import configured_language
from budget_tui.i18n import _

OpenApp = Callable[..., int]
"""Opens the app on a budget (path, force, and against=PATH and watch=True when asked) and returns its exit status:
budget_tui.__main__ gives it."""

__all__ = ["ExitCode", "OpenApp", "main", "read_budget"]


def main(argv: list[str] | None = None, open_app: OpenApp | None = None) -> int:
    """Run `budget-tui ARGV` and return its exit status (an ExitCode's value, or the app's)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        argv = choose_language(argv)
    except UsageError as error:
        say(f"budget-tui: {error}")
        return int(ExitCode.BAD_INPUT)
    return int(_main(argv, open_app))


def choose_language(argv: list[str]) -> list[str]:
    """Choose the language before the parser is built (so --help is in it) and return argv without `--lang X`.

    `--lang zh|en` (anywhere before `--`) wins, then `language` in config.toml, then LANGUAGE, LC_ALL, LC_MESSAGES
    and LANG; English is the fallback. A config.toml that cannot be used is said, and the environment's language used.
    """
    asked, rest = _lang_option(argv)
    if asked is not None:
        i18n.use(asked)
        return rest
    i18n.use()
    configured, problem = configured_language()
    if problem:
        say(f"budget-tui: {problem}")
    if configured is not None:
        i18n.use(configured)
    return rest


def _lang_option(argv: list[str]) -> tuple[str | None, list[str]]:
    """The language --lang asks for (None without it) and argv without it; a UsageError for a language we lack."""
    asked: str | None = None
    rest: list[str] = []
    words = iter(argv)
    for word in words:
        if word == "--":
            rest.append(word)
            rest.extend(words)
            break
        if word == "--lang" or word.startswith("--lang="):
            value = word.partition("=")[2] if "=" in word else next(words, "")
            if value not in i18n.LANGUAGES:
                raise UsageError(_("--lang: {value!r} is not a language of budget-tui; use zh or en").format(value=value))
            asked = value
            continue
        rest.append(word)
    return asked, rest


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
        say("budget-tui: " + _("unknown command {word!r} (did you mean {guess}?); see budget-tui --help").format(word=argv[0], guess=guess))
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
        say("budget-tui: " + _("the app cannot read a budget from standard input (it reads your keys there); give its path"))
        return ExitCode.BAD_INPUT
    problem = _no_terminal()
    if problem or open_app is None:
        if args.path is not None:
            read_budget(args.path)  # a file that is not a budget says where first: that is the more useful news
        if open_app is None:
            say("budget-tui: " + _("the app is not available here (budget_tui.cli.main was given no open_app; the budget-tui "
                "command opens it). To print, use: budget-tui print PATH"))
        else:
            say("budget-tui: " + _("{problem}; the app needs a terminal. To print, use: budget-tui print PATH").format(problem=problem))
        return ExitCode.BAD_INPUT
    from budget_tui.cli.commands import against_problem

    path = args.path if args.path is not None else _sample_copy()
    problem = against_problem(path, args.against)
    if problem:
        say(f"budget-tui: {problem}")
        return ExitCode.BAD_INPUT
    options = {"against": args.against} if args.against is not None else {}
    return open_app(path, args.force, **options, **({"watch": True} if args.watch else {}))


def _no_terminal() -> str:
    """Why the full-screen app cannot draw here (empty when it can): it reads keys from standard input and draws on
    standard error, so either redirected (a pipe, cron) or TERM=dumb means no app; standard output alone may be."""
    if not sys.stdin or not sys.stdin.isatty():
        return _("standard input is not a terminal")
    if not sys.stderr or not sys.stderr.isatty():
        return _("standard error is not a terminal")
    if os.environ.get("TERM", "") in ("", "dumb"):
        return _("TERM={term} cannot show the app").format(term=os.environ.get("TERM", ""))
    return ""


def _sample_copy() -> Path:
    """The user's copy of the bundled sample (the package's own is never edited), said on standard error."""
    from budget_tui.files.fileformat import BudgetFileError
    from budget_tui.files.samples import user_copy

    try:
        path, made = user_copy()
    except OSError as error:
        reason = _("cannot make your copy of the sample ({reason}); give the path of a budget file").format(reason=error.strerror)
        raise BudgetFileError(error.filename or "", 0, 0, reason) from error
    said = _("made your copy of the sample: {path}") if made else _("opening your copy of the sample: {path}")
    say("budget-tui: " + said.format(path=path))
    return path
