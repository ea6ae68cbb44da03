"""`python -m budget_tui` runs the command line."""

from budget_tui.cli import main

raise SystemExit(main())
