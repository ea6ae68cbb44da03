"""The exit statuses of every command: one enum, so a script can rely on them (README, `budget-tui --help`)."""

from __future__ import annotations

from enum import IntEnum

from budget_tui.i18n import N_, _


class ExitCode(IntEnum):
    """What a command's exit status means. FINDINGS, DIFFERENT and SKIPPED are one status (1), named by command."""

    OK = 0
    FINDINGS = 1
    """check: the budget has an error."""
    DIFFERENT = 1
    """diff: the two versions differ (like diff(1))."""
    SKIPPED = 1
    """import: rows of the line list were skipped (each listed)."""
    BAD_INPUT = 2
    """A file that is not a budget, a bad option, an output that cannot be written: one line on standard error."""
    INTERRUPTED = 130
    """Ctrl+C (128 + SIGINT)."""
    BROKEN_PIPE = 141
    """The reader of standard output went away (`| head -1`): quiet, with the status a shell shows for a Unix tool
    killed by SIGPIPE (128 + 13), so `set -o pipefail` scripts see what they see for `cat`."""


MEANINGS = {
    ExitCode.OK: N_("done (check: no error; diff: the same lines; import: every row imported)"),
    ExitCode.FINDINGS: N_("check found an error, diff found a difference, import skipped rows (each listed)"),
    ExitCode.BAD_INPUT: N_("bad input: a file that is not a budget, a bad option, an output that cannot be written"),
    ExitCode.INTERRUPTED: N_("interrupted (Ctrl+C)"),
    ExitCode.BROKEN_PIPE: N_("the reader of standard output went away (| head -1)"),
}
"""What each status means, as --help and the man page say it."""


def status_table() -> str:
    """The exit statuses as `--help` ends: one a line."""
    return _("exit status:") + "\n" + "\n".join(f"  {int(code):<4} {_(meaning)}" for code, meaning in MEANINGS.items())
