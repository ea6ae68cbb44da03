"""The domain and the command line's print/check/report never import Textual (checked in a fresh interpreter)."""

import pkgutil
import subprocess
import sys

import pytest

import budget_tui
from tests.conftest import CHANGJI

# Every module but the app package: the domain, the command line and its commands.
DOMAIN = sorted(
    module.name
    for module in pkgutil.walk_packages(budget_tui.__path__, "budget_tui.")
    if not module.name.startswith("budget_tui.app") and module.name != "budget_tui.__main__"
)


def run_without_textual(body: str) -> subprocess.CompletedProcess:
    code = f"import sys\n{body}\nbad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\nassert not bad, bad\n"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)


def test_every_domain_module_loads_without_textual():
    assert "budget_tui.core.checks" in DOMAIN and "budget_tui.files.fileformat" in DOMAIN
    body = "import importlib\n" + "".join(f"importlib.import_module({name!r})\n" for name in DOMAIN)
    result = run_without_textual(body)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "args",
    [
        ["print", str(CHANGJI), "--tree"],
        ["print", str(CHANGJI), "--table", "all"],
        ["check", str(CHANGJI)],
        ["report", str(CHANGJI), "--format", "md"],
    ],
)
def test_commands_run_without_textual(args):
    result = run_without_textual(f"from budget_tui.cli import main\nassert main({args!r}) == 0")
    assert result.returncode == 0, result.stderr
