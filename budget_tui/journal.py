"""Crash recovery: every committed edit is appended and flushed to a journal beside the file.

The journal starts with the hash of the bytes the edits apply to. After a crash, a killed process
or a dropped SSH connection, the next session finds it and can replay the edits; a clean save or
quit removes it.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from budget_tui.editing import Change
from budget_tui.lock import side_file
from budget_tui.model import CATEGORY_BY_NAME, FUND_BY_NAME, Kind, Line
from budget_tui.money import to_amount

VERSION = 1


def _line_to_json(line: Line | None) -> dict | None:
    if line is None:
        return None
    return {
        "functional": line.functional,
        "economic": line.economic,
        "amount": str(line.amount),
        "kind": line.kind.value,
        "fund": line.fund.value,
        "project": line.project,
        "category": line.category_override.value if line.category_override else None,
        "origin": line.origin,
    }


def _line_from_json(raw: dict | None) -> Line | None:
    if raw is None:
        return None
    return Line(
        functional=raw["functional"],
        economic=raw["economic"],
        amount=to_amount(raw["amount"]),  # the one rule of money.py; AmountError (a ValueError) ends the replay
        kind=Kind(raw["kind"]),
        fund=FUND_BY_NAME[raw["fund"]],
        project=raw["project"],
        category_override=CATEGORY_BY_NAME[raw["category"]] if raw["category"] else None,
        origin=int(raw.get("origin", 0)),
    )


@dataclass(frozen=True)
class Recovered:
    """What a journal left by an earlier session holds."""

    changes: list[Change]
    base_sha256: str
    matches_file: bool
    """True when the file on disk is still the one the edits were made to."""


class Journal:
    """The append-only record of one editing session's unsaved changes."""

    def __init__(self, path: Path):
        self.path = side_file(path, "journal")
        self._handle = None

    def start(self, data: bytes) -> None:
        """Begin a journal for edits to the given bytes (called lazily at the first edit)."""
        self._handle = open(self.path, "w", encoding="utf-8")
        self._write({"journal": VERSION, "base_sha256": hashlib.sha256(data).hexdigest()})

    def record(self, change: Change, data: bytes) -> None:
        """Append one committed change, flushed and synced before the edit is shown as done."""
        if self._handle is None:
            self.start(data)
        self._write({"before": _line_to_json(change.before), "after": _line_to_json(change.after)})

    def _write(self, entry: dict) -> None:
        self._handle.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self._handle.flush()
        os.fsync(self._handle.fileno())

    def discard(self) -> None:
        """Remove the journal: after a clean save (the edits are in the file) or a quit that drops them."""
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass

    def recover(self, current: bytes) -> Recovered | None:
        """The changes an earlier session left, or None when there is no (readable) journal."""
        try:
            text = self.path.read_text("utf-8")
        except (FileNotFoundError, UnicodeDecodeError):
            return None
        entries = []
        for row in text.splitlines():
            try:
                entries.append(json.loads(row))
            except ValueError:
                break  # a torn last line from a crash mid-write: everything before it is good
        if not entries or entries[0].get("journal") != VERSION:
            return None
        changes = []
        for entry in entries[1:]:
            try:
                changes.append(Change(_line_from_json(entry["before"]), _line_from_json(entry["after"])))
            except (KeyError, ValueError, TypeError):
                break
        base = entries[0]["base_sha256"]
        return Recovered(changes, base, base == hashlib.sha256(current).hexdigest())
