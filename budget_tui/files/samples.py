"""The bundled sample budgets (package data, present after any kind of install), and the user's own copy of one.

The app never opens the package's sample itself: a save there would change the installed package (or the
repository, whose tests read it). With no path, it opens a copy in the user's data folder, made on first use.
"""

from __future__ import annotations

import os
import shutil
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


def data_home() -> Path:
    """The user's data folder for budget-tui: `$XDG_DATA_HOME/budget-tui`, by default `~/.local/share/budget-tui`."""
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "budget-tui"


def user_copy(name: str = MAIN_SAMPLE) -> tuple[Path, bool]:
    """The user's copy of a bundled sample, made from the package's on first use; (path, True when just made).

    Raises OSError when the data folder cannot be made or written."""
    target = data_home() / name
    if target.exists():
        return target, False
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{name}.partial")
    shutil.copyfile(sample_path(name), partial)
    os.replace(partial, target)  # a copy cut short never takes the sample's name
    return target, True
