"""Following a file or folder as it changes on disk (`budget-tui PATH --watch`): a cheap stamp of its files to poll,
and the reload that keeps the version seen last as the one to compare with.

The stamp is each file's identity, size and modification time (files/fingerprint.py's, without reading the bytes), so
a poll costs a stat per file; a changed stamp is then read, and only a change of the bytes counts (a `touch` does not).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from budget_tui.core.model import Budget
from budget_tui.files.fileformat import BudgetFileError, budget_files
from budget_tui.files.save import Fingerprint
from budget_tui.i18n import _
from budget_tui.session.against import Other, snapshot
from budget_tui.session.saving import read

if TYPE_CHECKING:
    from budget_tui.session import Session

Stamp = tuple[tuple[str, int, int, int, int], ...]
"""Per file (its path, device, inode, size, modification time in ns); a file that cannot be looked at counts -1s."""

LAST_LOOK = "last look"
"""How the previous version is named once --watch has reloaded (passed through _() when shown)."""


def stamp(path: Path) -> Stamp:
    """The stamp of a budget file, or of every budget file below a folder (a folder that cannot be listed: empty)."""
    path = Path(path)
    if path.is_dir():
        try:
            files = budget_files(path)
        except BudgetFileError:
            files = []
    else:
        files = [path]
    stamps = []
    for file in files:
        try:
            st = os.stat(file)
        except OSError:
            stamps.append((str(file), -1, -1, -1, -1))
            continue
        stamps.append((str(file), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns))
    return tuple(stamps)


@dataclass
class Loaded:
    """A version read from disk by a watch, to be taken by the session (on the app's thread)."""

    budget: Budget
    fingerprint: Fingerprint | None
    data: bytes
    stamp: Stamp


def read_version(path: Path) -> Loaded:
    """Read the file or folder as it is now (in a worker thread); raises BudgetFileError when it is not a budget."""
    seen = stamp(path)
    budget, fingerprint, data = read(path)
    return Loaded(budget, fingerprint, data, seen)


@dataclass
class Watch:
    """What --watch has seen of the file or folder: the stamp of the version shown, and of one the user chose to keep."""

    path: Path
    seen: Stamp
    """The stamp when the version shown was read (or when the user chose to keep their edits over a newer one)."""

    @classmethod
    def start(cls, path: Path) -> Watch:
        return cls(Path(path), stamp(path))

    def changed(self) -> Stamp | None:
        """The new stamp when the files look changed since seen (a poll: one stat per file); else None."""
        now = stamp(self.path)
        return now if now != self.seen else None


def is_new(session_base: bytes, loaded: Loaded) -> bool:
    """True when what was read differs from the bytes the session holds (a touch or our own save is not a change)."""
    return loaded.data != session_base


def previous_version(budget: Budget, files: tuple[str, ...] | None) -> Other:
    """The version shown until now, as the one the reloaded version is compared with."""
    return snapshot(budget, files, _(LAST_LOOK))


def take_version(session: Session, loaded: Loaded) -> bool:
    """Show a version a watch read, the version shown until now becoming the one compared with (the 上版 columns
    mark what changed since the last look); False, and nothing changes, when its bytes are the ones shown. The
    caller makes sure no unsaved edit is dropped (session.dirty)."""
    if not is_new(session.base, loaded):
        return False
    previous = previous_version(session.budget, session.department_files)
    session.reload((loaded.budget, loaded.fingerprint, loaded.data))
    session.against, session.comparing = previous, True
    return True


__all__ = ["LAST_LOOK", "Loaded", "Stamp", "Watch", "is_new", "previous_version", "read_version", "stamp", "take_version"]
