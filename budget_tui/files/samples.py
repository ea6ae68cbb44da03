"""The bundled sample budgets (package data, present after any kind of install)."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path

MAIN_SAMPLE = "changji-2020.toml"
SYNTHETIC_SAMPLE = "synthetic-2021.toml"


def sample_path(name: str = MAIN_SAMPLE) -> Path:
    """Filesystem path of a bundled sample."""
    resource = files("budget_tui").joinpath("data", name)
    with as_file(resource) as path:
        return Path(path)


def sample_names() -> list[str]:
    return sorted(entry.name for entry in files("budget_tui").joinpath("data").iterdir() if entry.name.endswith(".toml"))
