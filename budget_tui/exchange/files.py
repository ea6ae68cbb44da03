"""Writing an output file or folder without ever clobbering one by accident."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from budget_tui.safetext import OneLineMessage


class OutputExists(OneLineMessage):
    """The output is already there and --force was not given (one clean line, whatever the path holds)."""

    def __init__(self, path: Path):
        super().__init__(f"{path} exists; give --force to replace it")


def write_file(path: Path, data: bytes, force: bool) -> None:
    """Write data to path: a new file only, unless force, in which case it replaces the old one atomically."""
    if not force:
        try:
            with open(path, "xb") as new:
                new.write(data)
        except FileExistsError:
            raise OutputExists(path) from None
        return
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def make_folder(path: Path, force: bool) -> None:
    """Create the output folder; an existing one is refused unless force."""
    if path.exists() and not force:
        raise OutputExists(path)
    path.mkdir(parents=True, exist_ok=True)
