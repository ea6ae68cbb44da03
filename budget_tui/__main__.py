"""The launcher: `budget-tui` (the console script) and `python -m budget_tui`.

The only module that knows both the command line and the app (layers: __main__ > app > cli): it gives the command
line a way to open the app, and the app (Textual) is imported only when it is opened. `budget-tui --version` is
answered here, before the command line is imported, so it starts in about the time of Python itself.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


def open_app(path: Path, force: bool, **options) -> int:
    """Open the app on a budget (options: against, watch); Textual is imported here, and only here."""
    from budget_tui.app import run_app

    return run_app(path, force, **options)


def main(argv: list[str] | None = None) -> int:
    words = sys.argv[1:] if argv is None else argv
    # `--version` alone: argparse's version line without importing the command line. A closed standard output (None)
    # or one that fails to take the line is left to the command line, which reports it as for every command.
    if words == ["--version"] and sys.stdout is not None:
        from budget_tui import __version__

        try:
            sys.stdout.write(f"budget-tui {__version__}\n")
            sys.stdout.flush()
            return 0
        except OSError:
            pass
    from budget_tui import cli

    return cli.main(argv, open_app=open_app)


if __name__ == "__main__":
    raise SystemExit(main())
