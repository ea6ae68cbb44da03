"""Writing an open budget: save, save-as (where it may go), a changed file on disk, and the review marks.

A base of Session (budget_tui.session): the attributes declared here are Session's fields.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

from budget_tui.core.model import BOM, Budget
from budget_tui.core.reapply import Reapplied, reapply
from budget_tui.core.safetext import clean
from budget_tui.files.fileformat import BudgetFileError, load, load_file, parse
from budget_tui.files.review import Review
from budget_tui.files.save import Fingerprint, SaveError, WriteRefused, changed_on_disk, render, save, write_atomic
from budget_tui.i18n import _
from budget_tui.session.guard import Guard


class Saving(Guard):
    """Write the edits where they belong, refuse to overwrite what changed on disk, and offer another place."""

    review: Review | None
    save_notes: list[str]
    reload: Callable[[], None]
    """Session.reload: read the file again, the edits dropped."""

    @property
    def dirty(self) -> bool:
        """True when the lines differ from the file as last saved; without any change made yet, answered without
        asking the editor (which indexes every line to compare: 0.15 s at 50,000 lines, on the first paint)."""
        if not (self.editor.undo_stack or self.editor.redo_stack):
            return False
        return self.editor.dirty

    def changed_files(self) -> list[Path]:
        """The files a save would rewrite: those with unsaved changes."""
        origins = {(new if new is not None else old).origin for old, new in self.editor.changes()}  # type: ignore[union-attr]
        return [self.budget.sources[origin].path for origin in sorted(origins)]

    def changed_on_disk(self) -> bool:
        """True when the file (or any file of the folder) is no longer the one loaded or last saved."""
        if self.fingerprint is not None:
            return changed_on_disk(self.path, self.fingerprint)
        return any(
            isinstance(source.fingerprint, Fingerprint) and changed_on_disk(source.path, source.fingerprint)
            for source in self.budget.sources
        )

    def save_review(self) -> Path | None:
        """Write the marks and comments changed here to the side file (merged with others'); None when none changed.

        Raises OSError when the side file cannot be written.
        """
        if self.review is None or not self.review.dirty:
            return None
        self.review.save()
        return self.review.path

    def save(self, path: Path | None = None) -> Path:
        """Write the edits (to path for save-as); raises SaveError when the file changed on disk or cannot be written.

        A folder rewrites only its changed files, each checked against its own fingerprint. A failed save keeps the
        edits in memory and in the journal; a successful one removes the journal.
        """
        if self.is_folder and path is not None:
            raise SaveError(_("save under another name works on a single department file, not a folder"))
        self.save_notes = []
        source = save(self.budget, self.editor.changes(), self.fingerprint, path, self.save_notes)
        self.editor.mark_saved()
        self.discard_journal()
        if self.is_folder:
            self.base = _joined(self.budget)
            return self.path
        if source.path != self.path:
            self._move_to(source.path)
        self.base = source.data
        assert isinstance(source.fingerprint, Fingerprint)  # a file's save fingerprints what it wrote
        self.fingerprint = source.fingerprint  # taken under the save lock, before anybody else could save
        return source.path

    def reapply_plan(self) -> Reapply:
        """Your edits re-applied to the file as it is on disk now (three-way, core/reapply.py), not written yet: what
        applies and what conflicts. Raises SaveError (the edits kept) for a folder, or when the file on disk is no
        longer a budget, or the edits cannot be written into the layout of the file as loaded."""
        if self.is_folder:
            raise SaveError(_("re-applying edits works on a single file; reload the folder or save it under another name"))
        loaded = self.budget.sources[0]
        names = {line.economic: self.budget.economic_name(line.economic) for pair in self.editor.changes() for line in pair if line}
        try:
            mine = render(loaded, self.editor.changes(), names)
        except SaveError:
            raise
        except Exception as error:  # noqa: BLE001 - as a save: tomlkit refusing some layout must not end the session
            raise SaveError(_("{path}: the edits cannot be written into this file's layout ({kind}); nothing was written, "
                              "your edits are kept").format(path=loaded.path, kind=type(error).__name__)) from None
        try:
            disk = load_file(self.path).sources[0]
        except BudgetFileError as error:
            raise SaveError(_("{error}; your edits are kept").format(error=error)) from None
        assert isinstance(disk.fingerprint, Fingerprint)  # load_file fingerprints what it read
        result = reapply(loaded.text(), mine.removeprefix(BOM).decode("utf-8"), disk.text())
        data = (BOM if disk.data.startswith(BOM) else b"") + result.text.encode("utf-8")
        try:
            parse(data, self.path)
        except BudgetFileError as error:
            raise SaveError(_("your edits and the changes on disk do not make a budget together ({error}); "
                              "nothing was written, your edits are kept").format(error=error)) from None
        return Reapply(result, data, disk.fingerprint)

    def reapply_and_save(self, plan: Reapply) -> Path:
        """Write the file on disk with your edits re-applied (those in conflict left out) and edit it from there: the
        session reloads it, every edit saved. Raises SaveError, nothing written, when the file changed again since the
        plan or cannot be written."""
        try:
            self.save_notes = write_atomic(self.path, plan.data, expected=plan.fingerprint)
        except OSError as error:  # ChangedOnDisk and WriteRefused say what happened; others are the system's words
            why = str(error)
            if not isinstance(error, WriteRefused):
                why = _("cannot write {path}: {why}").format(path=self.path, why=error.strerror or error)
            raise SaveError(_("{why}; nothing was written, your edits are kept").format(why=why)) from None
        self.reload()
        return self.path

    def save_folder_as(self, target: Path) -> Path:
        """Write the folder with its edits to a new folder (created here; it must not exist yet): every file, the
        edited ones with their edits, then edit the new folder. The folder itself is left as it is.

        Raises SaveError and leaves nothing behind when it cannot be done; the edits stay in memory and in the journal.
        """
        target = Path(target)
        if not self.is_folder:
            raise SaveError(_("save a folder as works on a folder; this is a single file"))
        if os.path.lexists(target):
            raise SaveError(_("{path} already exists; choose a new folder").format(path=target))
        if Path(os.path.realpath(target.parent)).is_relative_to(os.path.realpath(self.path)):
            raise SaveError(_("{path} is inside {folder}; choose a folder outside it").format(path=target, folder=self.path))
        try:
            os.mkdir(target)
        except OSError as error:
            raise SaveError(_("cannot create {path}: {why}; the edits are kept").format(path=target, why=error.strerror or error)) from None
        sources = list(self.budget.sources)
        try:
            for origin, source in enumerate(sources):
                copy = target / source.path.relative_to(self.path)
                copy.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(copy, source.data)
                self.budget.sources[origin] = replace(source, path=copy, fingerprint=Fingerprint.of(copy, source.data))
            save(self.budget, self.editor.changes())
        except (OSError, SaveError) as error:
            self.budget.sources[:] = sources
            shutil.rmtree(target, ignore_errors=True)
            if isinstance(error, SaveError):
                raise
            raise SaveError(_("cannot write {path}: {why}; the edits are kept").format(path=target, why=error.strerror or error)) from None
        self.editor.mark_saved()
        self.discard_journal()
        self.base = _joined(self.budget)
        self._move_to(target)
        return target

    def save_as_suggestion(self) -> Path:
        """The name save-as offers: NAME-edited beside the original when that folder can be written, else in the home
        or the temp folder."""
        original = self.path
        name = f"{original.name}-edited" if self.is_folder else f"{original.stem}-edited{original.suffix}"
        for folder in (original.parent, Path.home(), Path(tempfile.gettempdir())):
            if os.access(folder, os.W_OK | os.X_OK):
                return folder / name
        return original.parent / name

    def save_as(self, typed: str) -> Path:
        """Write the budget with its edits under the name typed (relative to the original's folder; a new folder for
        a folder) and edit it there; raises SaveError (to show, the name kept for another try) when it cannot be."""
        if not typed.strip():
            raise SaveError(_("Type a folder name.") if self.is_folder else _("Type a file name."))
        target = Path(typed.strip()).expanduser()
        if not target.is_absolute():
            target = self.path.parent / target
        if os.path.lexists(target):
            raise SaveError(_("{path} already exists; choose another name.").format(path=clean(str(target))))
        return self.save_folder_as(target) if self.is_folder else self.save(target)

    def _move_to(self, path: Path) -> None:
        """After a save-as, edit the new file: its lock and journal replace those of the old one."""
        had_lock = self.lock is not None
        self.close()
        self.path, self.journal = path, None
        if had_lock and self.take_lock() is None and self.lock is not None:
            self.start_journal()


@dataclass(frozen=True)
class Reapply:
    """Your edits re-applied to the file on disk (see Saving.reapply_plan): ready to write."""

    result: Reapplied
    """The merged text, the edits applied and those in conflict."""
    data: bytes
    """The bytes to write, proven to read as a budget."""
    fingerprint: Fingerprint
    """The file on disk the plan was made from: it is written only while still that one."""


def read(path: Path) -> tuple[Budget, Fingerprint | None, bytes]:
    """The budget in a file or folder, the file's fingerprint (None for a folder) and its bytes; raises BudgetFileError."""
    budget = load(path)
    if path.is_dir():
        return budget, None, _joined(budget)
    data = budget.sources[0].data
    return budget, Fingerprint.of(path, data), data


def _joined(budget: Budget) -> bytes:
    """A folder's files' bytes one after another: what its journal's edits apply to."""
    return b"".join(source.data for source in budget.sources)


__all__ = ["Reapply", "Saving", "read"]
