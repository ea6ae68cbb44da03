"""No module of budget_tui is over 400 lines (issue 13): a module that grows past it holds more than one job and is
split by job into modules of the same package, keeping the names its callers import where they are imported."""

from __future__ import annotations

from pathlib import Path

import budget_tui

LIMIT = 400
PACKAGE = Path(budget_tui.__file__).parent


def test_every_module_is_at_most_400_lines() -> None:
    modules = sorted(PACKAGE.rglob("*.py"))
    assert len(modules) > 50, f"found only {len(modules)} modules under {PACKAGE}"
    too_long = {
        str(path.relative_to(PACKAGE)): count
        for path in modules
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert too_long == {}, f"modules over {LIMIT} lines (split them by job): {too_long}"
