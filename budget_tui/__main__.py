"""The launcher: `budget-tui` (the console script) and `python -m budget_tui`.

The only module that knows both the command line and the app (layers: __main__ > app > cli): it gives the command
line a way to open the app, and the app (Textual) is imported only when it is opened.
"""

from __future__ import annotations

from pathlib import Path

from budget_tui import cli


def open_app(path: Path, force: bool, **options) -> int:
    """Open the app on a budget (options: against, watch); Textual is imported here, and only here."""
    from budget_tui.app import run_app

    return run_app(path, force, **options)


def main(argv: list[str] | None = None) -> int:
    return cli.main(argv, open_app=open_app)


if __name__ == "__main__":
    raise SystemExit(main())
