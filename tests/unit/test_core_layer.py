"""The core layer is pure: loading every budget_tui.core module brings in no other layer (but the i18n floor below it),
no argparse, no renderer."""

import pkgutil
import subprocess
import sys

import budget_tui.core

CORE = sorted(module.name for module in pkgutil.walk_packages(budget_tui.core.__path__, "budget_tui.core."))


def test_core_modules_import_no_layer_above_them():
    assert {"budget_tui.core.figures", "budget_tui.core.narrative", "budget_tui.core.checks"} <= set(CORE)
    code = (
        "import importlib, sys\n"
        + "".join(f"importlib.import_module({name!r})\n" for name in CORE)
        + "above = sorted(m for m in sys.modules if m.startswith('budget_tui.') and not m.startswith(('budget_tui.core', 'budget_tui.i18n')))\n"
        + "foreign = sorted(m for m in sys.modules if m.split('.')[0] in ('argparse', 'tabulate', 'textual', 'rich'))\n"
        + "assert not above and not foreign, (above, foreign)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
