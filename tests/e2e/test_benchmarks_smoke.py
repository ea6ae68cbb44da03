"""benchmarks/run.py runs at a tiny size and prints every row of its table; no timing is asserted."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "benchmarks"))

from run import ROWS  # noqa: E402


def test_run_prints_a_row_for_every_figure(tmp_path):
    env = {name: value for name, value in os.environ.items() if name not in ("COLUMNS", "LINES")}
    out = tmp_path / "table.md"
    command = [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--sizes", "200", "--runs", "1", "--no-hledger",
               "--no-bandwidth", "--out", str(out)]
    printed = subprocess.run(command, capture_output=True, text=True, env=env, check=True, timeout=120).stdout
    assert out.read_text("utf-8") == printed
    rows = {line.split(" | ")[0].removeprefix("| ") for line in printed.splitlines()[2:]}
    assert rows == {name for name, _ in ROWS}
    assert "| measure | 200-lines | target |" in printed
    assert "—" not in printed
