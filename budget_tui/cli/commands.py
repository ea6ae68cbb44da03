"""Every command's handler: read the input, call the work of the layers below, write the output, return an ExitCode.

What argparse cannot check is checked here, before anything is read: an option that does not apply to what is asked
(`--depth` with `--table`) is an error with exit 2, never ignored. `-` as the budget's path reads standard input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from budget_tui import i18n
from budget_tui.cli.exitcode import ExitCode
from budget_tui.cli.output import say
from budget_tui.cli.parser import STDIN
from budget_tui.core.safetext import OneLineMessage, clean
from budget_tui.i18n import N_, _, ngettext

if TYPE_CHECKING:  # the reader and the model are imported when a budget is read, not for --version or --help
    from budget_tui.core.model import Budget

STDIN_NAME = "<stdin>"
"""How messages name a budget read from standard input: <stdin>:LINE:COL."""


class UsageError(OneLineMessage, ValueError):
    """An option that is wrong, or that does not apply to what is asked (one clean line, exit 2)."""


def is_stdin(path: Path | str | None) -> bool:
    """`-` as given on the command line (parser.budget_path keeps it text; ./- is a Path, a file named -)."""
    return isinstance(path, str) and path == STDIN


def read_budget(path: Path | str) -> Budget:
    """A budget file or folder, or `-` for standard input; a BudgetFileError (PATH:LINE:COL) when it is not one."""
    from budget_tui.files import fileformat

    if is_stdin(path):
        return fileformat.parse(read_standard_input(), STDIN_NAME)
    return fileformat.load(path)


def read_standard_input() -> bytes:
    """Standard input's bytes, at most what a budget file may hold (fileformat.MAX_FILE_BYTES)."""
    from budget_tui.files import fileformat
    from budget_tui.files.fileformat import BudgetFileError

    limit = fileformat.MAX_FILE_BYTES
    stream = getattr(sys.stdin, "buffer", None) if sys.stdin is not None else None
    if stream is None:
        raise BudgetFileError(STDIN_NAME, 0, 0, _("standard input is closed; give the path of a budget file"))
    try:
        data = stream.read(limit + 1)
    except (OSError, ValueError) as error:
        raise BudgetFileError(STDIN_NAME, 0, 0, _("cannot be read: {reason}").format(
            reason=getattr(error, "strerror", None) or error
        )) from None
    if len(data) > limit:
        raise BudgetFileError(
            STDIN_NAME, 0, 0,
            _("is more than a budget file can be ({limit} MB); split it into one file per department").format(limit=limit // 1024 // 1024),
        )
    return data


# print


TREE, TABLES, REVIEW = N_("the tree"), "--table", "--review"
OWNER = {"depth": TREE, "economic": TREE, "merge": TREE, "format": TABLES, "width": TABLES, "compact": TABLES}
"""What each option of print is for."""


def run_print(args: argparse.Namespace) -> ExitCode:
    """`budget-tui print PATH`: the tree (the default), `--table N` or `--review`."""
    what = REVIEW if args.review else TABLES if args.table is not None else TREE
    for option, owner in OWNER.items():
        if owner != what and getattr(args, option) not in (None, False):
            raise UsageError(_("--{option} is for {owner}, not {what}; drop it").format(option=option, owner=_(owner), what=_(what)))
    if what == REVIEW:
        return _print_review(args)
    if what == TABLES:
        return _print_tables(args)
    return _print_tree(args)


def _print_tree(args: argparse.Namespace) -> ExitCode:
    from budget_tui.core.tree import ECONOMIC, FUNCTIONAL, Tree, render_tree

    if args.depth is not None and args.depth < 1:
        raise UsageError("--depth: " + _("{depth} is not a number of levels (1 or more)").format(depth=args.depth))
    if args.merge and (is_stdin(args.path) or not Path(args.path).is_dir()):
        raise UsageError(_("--merge is for a folder of budget files (汇总); {path} is not one").format(path=clean(str(args.path))))
    budget = read_budget(args.path)
    tree = Tree(budget, ECONOMIC if args.economic else FUNCTIONAL, by_department=budget.is_consolidated and not args.merge)
    sys.stdout.write(render_tree(tree, args.depth, budget.department.unit))
    return ExitCode.OK


def _print_tables(args: argparse.Namespace) -> ExitCode:
    from budget_tui.core.tables import Table, build_table, build_tables
    from budget_tui.text.printing import check_format, check_width, parse_table_numbers, render_tables

    fmt = args.format or "simple"
    numbers = parse_table_numbers(args.table)
    check_format(fmt)
    check_width(args.width, fmt)
    budget = read_budget(args.path)
    if len(numbers) == 1:
        tables = [build_table(budget, numbers[0])]
    else:
        every = build_tables(budget)  # the lines are merged once for all the tables
        tables = [every[number - 1] for number in numbers]
    too_wide: list[tuple[Table, int]] = []
    sys.stdout.write(render_tables(tables, fmt, args.width, args.compact, too_wide))
    sys.stdout.flush()
    for table, width in too_wide:
        say("budget-tui: " + _("warning: {table} cannot be printed narrower than {width} columns (--width {asked})").format(
            table=table.heading, width=width, asked=args.width
        ))
    return ExitCode.OK


def _print_review(args: argparse.Namespace) -> ExitCode:
    """The marks and comments on the budget, as plain text."""
    from budget_tui.files.review import Review, ReviewFileError, departments
    from budget_tui.text.review import render_review

    if is_stdin(args.path):
        raise UsageError(_("--review reads NAME.review.toml beside the budget file; give the file's path, not -"))
    budget = read_budget(args.path)
    try:
        review = Review.open(args.path, departments(budget, args.path))
    except ReviewFileError as error:
        say("budget-tui: " + _("{error}; fix that file, or rename it to start a new review").format(error=error))
        return ExitCode.BAD_INPUT
    sys.stdout.write(render_review(review, budget))
    return ExitCode.OK


# check, report, diff


def run_check(args: argparse.Namespace) -> ExitCode:
    """`budget-tui check PATH [--format json]`: one line per problem; exit 1 when there is an error."""
    import json

    from budget_tui.core.checks import check_budget, problem_json
    from budget_tui.core.safetext import escape_json

    budget = read_budget(args.path)
    problems = check_budget(budget)
    if args.against is not None:
        problems += _against_problems(args.path, args.against, budget)
    paths = [str(source.path) for source in budget.sources] or [str(args.path)]
    if args.format == "json":
        found = json.dumps([problem_json(paths[p.source], p) for p in problems], ensure_ascii=False, indent=2)
        sys.stdout.write(escape_json(found) + "\n")  # paths and project names stay exact, as \u escapes
    else:
        for p in problems:
            sys.stdout.write(f"{clean(paths[p.source])}:{p.line}: {p.severity.value} [{p.rule}]: {p.message}\n")
    return ExitCode.FINDINGS if any(p.is_error for p in problems) else ExitCode.OK


def run_report(args: argparse.Namespace) -> ExitCode:
    """`budget-tui report PATH [--format md] [--percent-decimals N] [--template NAME|PATH]`."""
    from budget_tui.files.template_file import TemplateFileError, read_template
    from budget_tui.text.report import write_report
    from budget_tui.text.templating import TemplateError, shipped_template

    if not 0 <= args.percent_decimals <= 6:
        raise UsageError("--percent-decimals: " + _("{value} is not between 0 and 6").format(value=args.percent_decimals))
    template = None
    if args.template is not None:
        shipped = shipped_template(args.template)
        try:
            template = (args.template, shipped) if shipped is not None else read_template(args.template)
        except TemplateFileError as error:
            raise UsageError(str(error)) from None
    budget = read_budget(args.path)
    if args.against is not None:
        from budget_tui.core.against import with_prior_of

        budget = with_prior_of(budget, _read_against(args.path, args.against))
    try:
        sys.stdout.write(write_report(budget, args.format == "md", args.percent_decimals, template))
    except TemplateError as error:
        raise UsageError(str(error)) from None
    return ExitCode.OK


def against_problem(path: Path | str, against: Path | None) -> str:
    """Why --against OLD cannot be set beside PATH (empty when it can): it must be there, a folder for a folder."""
    from budget_tui.i18n import _

    if against is None:
        return ""
    if not against.exists():
        return _("--against: {path} does not exist; give another version of the budget (a file or a folder)").format(
            path=clean(str(against)))
    folder = not is_stdin(path) and Path(path).is_dir()
    if against.is_dir() != folder:
        return _("--against: {against} is {kind} and {path} is not; compare a file with a file or a folder with a folder").format(
            against=clean(str(against)), kind=_("a folder") if against.is_dir() else _("a file"),
            path=clean(str(path)))
    return ""


def _read_against(path: Path | str, against: Path) -> Budget:
    """The other version --against names (a UsageError when it cannot stand beside PATH; BudgetFileError when it is no
    budget)."""
    problem = against_problem(path, against)
    if problem:
        raise UsageError(problem)
    return read_budget(against)


def _against_problems(path: Path | str, against: Path, budget: Budget) -> list:
    """`check --against OLD`: a warning for each [prior] figure that is not OLD's (rule prior-differs)."""
    from budget_tui.core.against import disagreements

    return disagreements(budget, _read_against(path, against))


def run_diff(args: argparse.Namespace) -> ExitCode:
    """`budget-tui diff OLD NEW`: exit 0 when the lines are the same, 1 when they differ, 2 on bad input."""
    from budget_tui.core.versions import VersionError, compare_versions, department_files
    from budget_tui.text.versions import FormatError, check_format, render_versions

    try:
        check_format(args.format)
        if args.depth is not None and args.depth < 0:
            raise FormatError("--depth: " + _("{depth} is not a number of levels (0 or more)").format(depth=args.depth))
        old, new = read_budget(args.old), read_budget(args.new)
        folders = args.old.is_dir(), args.new.is_dir()
        if folders[0] != folders[1]:
            raise VersionError(
                (_("{old} is a folder and {new} a file; compare a file with a file or a folder with a folder") if folders[0] else
                 _("{old} is a file and {new} a folder; compare a file with a file or a folder with a folder")).format(
                     old=args.old, new=args.new
                 )
            )
        files = (department_files(old, args.old), department_files(new, args.new)) if folders[0] else ()
        diff = compare_versions(old, new, *files)
    except (FormatError, VersionError) as error:
        say(f"budget-tui: diff: {clean(str(error))}")
        return ExitCode.BAD_INPUT
    sys.stdout.write(render_versions(diff, old, new, args.depth, args.format))
    return ExitCode.OK if diff.equal else ExitCode.DIFFERENT


# import, export


def run_import(args: argparse.Namespace) -> ExitCode:
    """`budget-tui import SOURCE -o BUDGET.toml`: write the budget, list the rows skipped and the negative amounts;
    exit 0, 1 (rows skipped) or 2."""
    from budget_tui.core.money import format_amount
    from budget_tui.files.exchange import importing
    from budget_tui.files.exchange.files import refuse_inputs, write_file
    from budget_tui.files.exchange.reading import SourceError
    from budget_tui.files.exchange.writing import budget_text

    try:
        imported = importing.read_line_list(args.source, importing.parse_mapping(args.map or []), args.sheet)
        department = importing.department(args.department, args.year, args.unit, imported.unit)
    except SourceError as error:
        say(f"budget-tui import: {error}")
        return ExitCode.BAD_INPUT
    budget = importing.imported_budget(imported, department)
    data = budget_text(budget, args.source.name).encode("utf-8")
    refuse_inputs(args.output, [args.source])
    importing.check_loads_back(data, budget, args.output)
    notes = write_file(args.output, data, args.force)
    rows = [(skip.row, f"{imported.label}:{skip.row}: " + _("skipped: {reason}").format(reason=skip.reason)) for skip in imported.skipped]
    negative = _("warning: negative amount {amount} ({functional} {economic}); imported as it is")
    rows += [
        (line.file_line, f"{imported.label}:{line.file_line}: "
         + negative.format(amount=format_amount(line.amount), functional=line.functional, economic=line.economic))
        for line in imported.lines
        if line.amount < 0
    ]
    for _row, message in sorted(rows, key=lambda row: row[0]):  # by row, as the source reads
        say(message)
    for note in notes:
        say(f"budget-tui import: {note}")
    written = ngettext("{n} line written to {path}", "{n} lines written to {path}", len(imported.lines)).format(
        n=len(imported.lines), path=args.output
    )
    if imported.skipped:
        written += ngettext("; {n} row skipped (listed above)", "; {n} rows skipped (listed above)", len(imported.skipped)).format(
            n=len(imported.skipped)
        )
    say(f"budget-tui import: {written}")
    return ExitCode.SKIPPED if imported.skipped else ExitCode.OK


def run_export(args: argparse.Namespace) -> ExitCode:
    """`budget-tui export PATH --to FORMAT [-o OUT] [--force]`; an output that cannot be written is an OutputError."""
    from budget_tui.files.exchange.exporting import default_output, lines_csv, lines_json, write_fdp
    from budget_tui.files.exchange.files import refuse_inputs, write_file

    if is_stdin(args.path) and args.output is None and args.to in ("xlsx", "fdp"):
        raise UsageError(_("--to {format} of standard input needs -o OUT: there is no file to write it beside").format(format=args.to))
    if args.force and args.output is None and args.to in ("csv", "json"):
        raise UsageError(_("--force is for an output file; --to {format} without -o goes to standard output").format(format=args.to))
    budget = read_budget(args.path)
    output = args.output or default_output(args.path, args.to)
    if output is None:
        sys.stdout.write(lines_csv(budget) if args.to == "csv" else lines_json(budget))
        return ExitCode.OK
    inputs = [] if is_stdin(args.path) else [Path(args.path), *(source.path for source in budget.sources)]
    refuse_inputs(output, inputs)
    notes: list[str] = []
    if args.to == "fdp":
        write_fdp(budget, output, args.force)
    elif args.to == "xlsx":
        from budget_tui.files.exchange.workbook import budget_workbook

        notes = write_file(output, budget_workbook(budget), args.force)
    else:
        text = lines_csv(budget) if args.to == "csv" else lines_json(budget)
        # A CSV file gets a byte order mark so that Excel reads its Chinese as UTF-8.
        notes = write_file(output, text.encode("utf-8-sig" if args.to == "csv" else "utf-8"), args.force)
    for note in notes:
        say(f"budget-tui export: {note}")
    written = ngettext("{n} line written to {path}", "{n} lines written to {path}", len(budget.lines))
    say("budget-tui export: " + written.format(n=len(budget.lines), path=clean(str(output))))
    return ExitCode.OK


# completion, manpage


def run_completion(args: argparse.Namespace) -> ExitCode:
    from budget_tui.cli.completion import script

    sys.stdout.write(script(args.shell))
    return ExitCode.OK


def run_manpage(args: argparse.Namespace) -> ExitCode:
    from budget_tui.cli.manpage import manpage

    i18n.use("en")  # the manual page is one English document (its own text is not translated), whatever the language
    sys.stdout.write(manpage())
    return ExitCode.OK


HANDLERS: dict[str, Callable[[argparse.Namespace], ExitCode]] = {
    "print": run_print,
    "check": run_check,
    "report": run_report,
    "import": run_import,
    "export": run_export,
    "diff": run_diff,
    "completion": run_completion,
    "manpage": run_manpage,
}
