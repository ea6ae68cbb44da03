"""The command line: `budget-tui [PATH]` opens the app; `print`, `check` and `report` work without a terminal.

Nothing here imports Textual unless the app is being opened.
"""

from __future__ import annotations

import argparse
import os
import sys
from contextlib import contextmanager
from pathlib import Path

from budget_tui import __version__
from budget_tui.core.model import Budget
from budget_tui.files.exchange.files import OutputError
from budget_tui.files.fileformat import BudgetFileError, load

COMMANDS = ("print", "check", "report", "import", "export", "diff")

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2
EXIT_BROKEN_PIPE = 141
"""The reader of standard output went away (`| head -1`): quiet, with the status a shell shows for a Unix tool
killed by SIGPIPE (128 + 13), so `set -o pipefail` scripts see what they see for `cat`."""


def _app_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="budget-tui",
        description="Browse, edit, check and print a department budget (部门预算). "
        "Commands: print, check, report (see budget-tui COMMAND --help).",
    )
    parser.add_argument("path", nargs="?", type=Path, help="budget file or folder (default: your copy of the bundled sample, made on first use in ~/.local/share/budget-tui)")
    parser.add_argument("--force", action="store_true", help="edit even when another budget-tui has the file open")
    parser.add_argument("--version", action="version", version=f"budget-tui {__version__}")
    return parser


def _command_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="budget-tui")
    parser.add_argument("--version", action="version", version=f"budget-tui {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    printing = commands.add_parser("print", help="print the tree or the disclosure tables as plain text")
    printing.add_argument("path", type=Path, help="a budget file, or a folder of them (汇总)")
    what = printing.add_mutually_exclusive_group()
    what.add_argument("--tree", action="store_true", help="the drill-down tree with subtotals (the default)")
    what.add_argument("--table", metavar="N", help="disclosure tables: 1-9, a list such as 3,5,6, or all")
    what.add_argument("--review", action="store_true", help="review marks and comments (from NAME.review.toml beside the file)")
    printing.add_argument("--depth", type=int, metavar="N", help="with --tree: show N levels")
    printing.add_argument("--economic", action="store_true", help="with --tree: economic classification first")
    printing.add_argument("--merge", action="store_true", help="with --tree on a folder: one tree for all departments")
    printing.add_argument("--format", default="simple", help="with --table: a tabulate format (simple, grid, github, tsv, html, ...)")
    printing.add_argument("--width", type=int, metavar="N", help="with --table: fit N columns (long names wrap)")
    printing.add_argument("--compact", action="store_true", help="with --table: drop columns empty throughout")

    check = commands.add_parser("check", help="check that the budget is consistent")
    check.add_argument("path", type=Path)
    check.add_argument("--format", choices=("text", "json"), default="text")

    report = commands.add_parser("report", help="the whole disclosure document (部门预算公开) as text")
    report.add_argument("path", type=Path)
    report.add_argument("--format", choices=("text", "md"), default="text")
    report.add_argument("--percent-decimals", type=int, default=0, metavar="N", help="decimals of printed percents (default 0)")

    importing = commands.add_parser("import", help="a budget file from a CSV or XLSX line list")
    importing.add_argument("source", type=Path, help="CSV or XLSX line list")
    importing.add_argument("-o", "--output", type=Path, required=True, metavar="BUDGET.toml")
    importing.add_argument("--department", required=True, help="the department's name (a line list lacks it)")
    importing.add_argument("--year", type=int, required=True, help="the budget year")
    importing.add_argument("--unit", choices=("万元", "元"), help="unit of the amounts (default: the amount heading's, else 万元)")
    importing.add_argument("--map", action="append", metavar="FIELD=HEADING", help="read FIELD from the column HEADING, e.g. amount=本年预算")
    importing.add_argument("--sheet", help="with XLSX: the sheet to read (default: the first with a heading row)")
    importing.add_argument("--force", action="store_true", help="replace BUDGET.toml if it exists")

    export = commands.add_parser("export", help="the lines and tables as XLSX, CSV, JSON or a Fiscal Data Package")
    export.add_argument("path", type=Path)
    export.add_argument("--to", choices=("xlsx", "csv", "json", "fdp"), required=True)
    export.add_argument("-o", "--output", type=Path, metavar="OUT", help="default: beside PATH for xlsx and fdp, standard output for csv and json")
    export.add_argument("--force", action="store_true", help="replace OUT if it exists")
    _add_diff_parser(commands)
    return parser


def _add_diff_parser(commands) -> None:
    diff = commands.add_parser("diff", help="what changed between two versions (files or folders); exit 1 when they differ")
    diff.add_argument("old", type=Path, help="the old version: a budget file, or a folder of them")
    diff.add_argument("new", type=Path, help="the new version: a file if OLD is one, a folder if OLD is one")
    diff.add_argument("--depth", type=int, metavar="N", help="show N levels of the subtotals")
    diff.add_argument("--format", default="text", help="text (aligned, the default) or a tabulate format (simple, grid, github, tsv, ...)")


def run_diff(args: argparse.Namespace) -> int:
    """`budget-tui diff OLD NEW`: exit 0 when the lines are the same, 1 when they differ, 2 on bad input."""
    from budget_tui.core.safetext import clean
    from budget_tui.core.versions import VersionError, compare_versions, department_files
    from budget_tui.text.versions import FormatError, check_format, render_versions

    try:
        check_format(args.format)
        if args.depth is not None and args.depth < 0:
            raise FormatError(f"--depth: {args.depth} is not a number of levels (0 or more)")
        old, new = read_budget(args.old), read_budget(args.new)
        folders = args.old.is_dir(), args.new.is_dir()
        if folders[0] != folders[1]:
            raise VersionError(f"{args.old} is a {'folder' if folders[0] else 'file'} and {args.new} a {'folder' if folders[1] else 'file'}; compare a file with a file or a folder with a folder")
        files = (department_files(old, args.old), department_files(new, args.new)) if folders[0] else ()
        diff = compare_versions(old, new, *files)
    except (FormatError, VersionError) as error:
        print(f"budget-tui: diff: {clean(str(error))}", file=sys.stderr)
        return EXIT_UNREADABLE
    sys.stdout.write(render_versions(diff, old, new, args.depth, args.format))
    return EXIT_OK if diff.equal else EXIT_FINDINGS


def read_budget(path: Path) -> Budget:
    """Load a budget; errors are raised as BudgetFileError with PATH:LINE:COL."""
    return load(path)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] in COMMANDS:
            with _outputs():
                return _run_command(_command_parser().parse_args(argv))
        with _outputs():
            args = _app_parser().parse_args(argv)
        return _run_app(args)
    except BudgetFileError as error:
        _say(f"budget-tui: {error}")
        return EXIT_UNREADABLE
    except OutputError as error:
        if isinstance(error, StandardOutputError):
            _discard_standard_output()
        _say(f"budget-tui: {error}")
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        _discard_standard_output()
        return EXIT_BROKEN_PIPE


# Every command's output goes through these: a failed write is one line naming the output, never a traceback.


class StandardOutputError(OutputError):
    """Standard output cannot be written (full disk, closed, a device error)."""


class _StandardOutput:
    """sys.stdout while a command runs: a write or flush that fails raises OutputError naming standard output.

    A broken pipe stays a BrokenPipeError (main ends quietly); a closed standard output (None) fails on the
    first write only, so a command that writes files needs none.
    """

    def __init__(self, stream):
        self._stream = stream

    def _fail(self, reason: str) -> OutputError:
        return StandardOutputError(f"cannot write standard output: {reason}")

    def write(self, text: str) -> int:
        if self._stream is None:
            raise self._fail("it is closed")
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as error:
            raise self._fail(error.strerror or str(error)) from None
        except UnicodeEncodeError as error:
            raise self._fail(
                f"its encoding ({error.encoding}) cannot show {error.object[error.start:error.end]!r}; "
                "use a UTF-8 locale or set PYTHONIOENCODING=utf-8"
            ) from None

    def flush(self) -> None:
        if self._stream is None:
            return
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise self._fail(error.strerror or str(error)) from None

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


class _Messages:
    """sys.stderr while a command runs: messages to a closed or failing standard error are dropped (the exit
    status still tells), never printed to standard output instead, never a traceback."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text) if self._stream is not None else len(text)
        except (OSError, ValueError):
            return len(text)

    def flush(self) -> None:
        try:
            if self._stream is not None:
                self._stream.flush()
        except (OSError, ValueError):
            pass

    def __getattr__(self, name: str):
        return getattr(self._stream, name)


@contextmanager
def _outputs():
    """Route standard output and error through the wrappers; flush standard output before returning."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _StandardOutput(saved[0]), _Messages(saved[1])
    try:
        try:
            yield
        except SystemExit:  # --help and --version print, then exit
            sys.stdout.flush()
            raise
        sys.stdout.flush()
    finally:
        sys.stdout, sys.stderr = saved


def _say(message: str) -> None:
    """One line on standard error, dropped if standard error is closed or fails."""
    _Messages(sys.stderr).write(message + "\n")


def _discard_standard_output() -> None:
    """Point the process's standard output at /dev/null, so the interpreter's last flush of what could not be
    written neither fails nor prints "Exception ignored". Only the real standard output (not a test's capture)."""
    stream = sys.__stdout__
    if stream is None or sys.stdout is not stream:
        return
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, stream.fileno())
        os.close(null)
    except (OSError, ValueError):
        pass


def _run_command(args: argparse.Namespace) -> int:
    if args.command == "print":
        if args.review:
            from budget_tui.files.review import run_print_review

            return run_print_review(args)
        if args.table:
            from budget_tui.text.printing import run_print_tables

            return run_print_tables(args)
        return _print_tree(args)
    if args.command == "check":
        return run_check(args)
    if args.command == "import":
        from budget_tui.files.exchange.importing import run_import

        return run_import(args)
    if args.command == "diff":
        return run_diff(args)
    if args.command == "export":
        from budget_tui.files.exchange.exporting import run_export

        return run_export(args)
    return run_report(args)


def run_check(args: argparse.Namespace) -> int:
    """`budget-tui check PATH [--format json]`: one line per problem; exit 1 when there is an error."""
    import json

    from budget_tui.core.checks import check_budget, problem_json
    from budget_tui.core.safetext import clean, escape_json

    budget = load(args.path)
    problems = check_budget(budget)
    paths = [str(source.path) for source in budget.sources] or [str(args.path)]
    if args.format == "json":
        found = json.dumps([problem_json(paths[p.source], p) for p in problems], ensure_ascii=False, indent=2)
        sys.stdout.write(escape_json(found) + "\n")  # paths and project names stay exact, as \u escapes
    else:
        for p in problems:
            sys.stdout.write(f"{clean(paths[p.source])}:{p.line}: {p.severity.value} [{p.rule}]: {p.message}\n")
    return 1 if any(p.is_error for p in problems) else 0


def run_report(args: argparse.Namespace) -> int:
    """`budget-tui report PATH [--format md] [--percent-decimals N]`."""
    from budget_tui.text.report import write_report

    if not 0 <= args.percent_decimals <= 6:
        print(f"budget-tui: --percent-decimals: {args.percent_decimals} is not between 0 and 6", file=sys.stderr)
        return 2
    budget = load(args.path)
    sys.stdout.write(write_report(budget, args.format == "md", args.percent_decimals))
    return 0


def _print_tree(args: argparse.Namespace) -> int:
    from budget_tui.core.tree import ECONOMIC, FUNCTIONAL, Tree, render_tree

    budget = read_budget(args.path)
    tree = Tree(budget, ECONOMIC if args.economic else FUNCTIONAL, by_department=budget.is_consolidated and not args.merge)
    sys.stdout.write(render_tree(tree, args.depth, budget.department.unit))
    return EXIT_OK


def _run_app(args: argparse.Namespace) -> int:
    problem = _no_terminal()
    if problem:
        if args.path is not None:
            read_budget(args.path)  # a file that is not a budget says where first: that is the more useful news
        print(f"budget-tui: {problem}; the app needs a terminal. To print, use: budget-tui print PATH", file=sys.stderr)
        return EXIT_UNREADABLE
    from budget_tui.app import run_app  # Textual is imported only here, for the app

    return run_app(args.path if args.path is not None else _sample_copy(), args.force)


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
    from budget_tui.files.samples import user_copy

    try:
        path, made = user_copy()
    except OSError as error:
        raise BudgetFileError(error.filename or "", 0, 0, f"cannot make your copy of the sample ({error.strerror}); give the path of a budget file") from error
    print(f"budget-tui: {'made' if made else 'opening'} your copy of the sample: {path}", file=sys.stderr)
    return path


if __name__ == "__main__":
    raise SystemExit(main())
