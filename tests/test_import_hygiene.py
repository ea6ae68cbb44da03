"""The domain and the command line's print/check/report never import Textual (checked in a fresh interpreter)."""

import subprocess
import sys

from tests.conftest import CHANGJI

DOMAIN = [
    "budget_tui.money",
    "budget_tui.catalogue",
    "budget_tui.model",
    "budget_tui.locate",
    "budget_tui.fileformat",
    "budget_tui.tree",
    "budget_tui.editing",
    "budget_tui.save",
    "budget_tui.safetext",
    "budget_tui.samples",
    "budget_tui.cli",
]


def test_domain_modules_load_without_textual():
    code = (
        "import importlib, sys\n"
        f"for name in {DOMAIN!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "assert not bad, bad\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_print_command_runs_without_textual():
    code = (
        "import sys\n"
        "from budget_tui.cli import main\n"
        f"assert main(['print', {str(CHANGJI)!r}, '--tree']) == 0\n"
        "assert 'textual' not in sys.modules\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
