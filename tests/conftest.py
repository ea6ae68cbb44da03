"""Shared fixtures: the samples, always copied before a test may change them."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from budget_tui import i18n

# The tests read English: a LANG=zh_CN.UTF-8 where they run must not change what they assert. LANGUAGE comes first
# in the environment's choice (budget-tui run as a subprocess reads it too). Tests of Chinese ask for it
# (i18n.use("zh"), --lang zh, or LANGUAGE in a subprocess's environment).
os.environ["LANGUAGE"] = "en"

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "budget_tui" / "data"
CHANGJI = SAMPLES / "changji-2020.toml"
SYNTHETIC = SAMPLES / "synthetic-2021.toml"


@pytest.fixture(autouse=True)
def english():
    """Every test starts in English, whatever the one before it chose."""
    i18n.use("en")
    yield
    i18n.use("en")


@pytest.fixture
def changji_copy(tmp_path: Path) -> Path:
    """A private copy of data/changji-2020.toml that a test may edit."""
    target = tmp_path / CHANGJI.name
    shutil.copy(CHANGJI, target)
    return target


@pytest.fixture
def synthetic_copy(tmp_path: Path) -> Path:
    """A private copy of data/synthetic-2021.toml that a test may edit."""
    target = tmp_path / SYNTHETIC.name
    shutil.copy(SYNTHETIC, target)
    return target


@pytest.fixture
def write_budget(tmp_path: Path):
    """Write TOML text (or bytes) to a file in tmp_path and return its path."""

    def write(content: str | bytes, name: str = "budget.toml") -> Path:
        path = tmp_path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    return write


MINIMAL = """\
[department]
name = "测试局"
year = 2020

[basic.2010301]
30101 = 10.00  # 基本工资
"""
