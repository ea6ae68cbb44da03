"""What keeps an open budget safe from others and from a crash: the edit lock, read-only, and the crash journal.

A base of Session (budget_tui.session): the attributes declared here are Session's fields.
"""

from __future__ import annotations

from pathlib import Path

from budget_tui.core.editing import Change, Editor
from budget_tui.core.model import Budget
from budget_tui.core.safetext import clean
from budget_tui.files.journal import Journal, Recovered
from budget_tui.files.lock import EditLock, LockHeld, LockRefused
from budget_tui.files.save import Fingerprint
from budget_tui.i18n import _


class Guard:
    """The edit lock (a second budget-tui opens read-only), what read-only forbids, and the journal of every change."""

    path: Path
    budget: Budget
    editor: Editor
    fingerprint: Fingerprint | None
    base: bytes
    read_only: bool
    read_only_why: str | None
    holder: LockHeld | None
    lock: EditLock | None
    journal: Journal | None
    journal_trouble: str | None

    @property
    def is_folder(self) -> bool:
        return self.fingerprint is None

    def take_lock(self) -> LockHeld | None:
        """Take the edit lock; when another budget-tui holds it, go read-only and say who (see edit_anyway)."""
        lock = EditLock(self.path)
        try:
            lock.acquire()
        except LockHeld as held:
            self.holder, self.read_only = held, True
            return held
        except OSError as error:  # a folder we cannot write to: no lock, no journal, and saves will say why
            where = lock.lock_path.parent
            self.journal_trouble = _(
                "No crash journal: {folder} cannot be written ({why}), so there is no edit lock either and edits are lost "
                "if this session ends without saving. If a save fails, Save as writes the edits to a place you can write."
            ).format(folder=clean(str(where)), why=clean(error.strerror or str(error)))
            return None
        self.lock = lock
        return None

    def edit_anyway(self) -> None:
        """Edit although another budget-tui holds the lock; the journal is the holder's, so this session keeps none."""
        self.read_only = False

    def refusal(self) -> str | None:
        """Why nothing may be changed here, in words for the user (read-only); None when changes are allowed."""
        if not self.read_only:
            return None
        if self.read_only_why:
            return _("Read-only: {why}. Nothing can be changed here.").format(why=self.read_only_why)
        if isinstance(self.holder, LockRefused):
            return _("Read-only: {held}.").format(held=self.holder)
        who = holder_words(self.holder) if self.holder else _("another budget-tui")
        return _("Read-only: {name} is being edited by {holder}. Nothing can be changed here.").format(name=self.path.name, holder=who)

    def recover(self) -> Recovered | None:
        """Unsaved changes an earlier session left in the journal, for the user to replay or discard.

        Each entry goes to the file it names, and only while that file has the bytes the edit was made to; the others
        come back refused (Recovered.refused), to be shown. Until the user chooses (replay or start_journal), nothing
        is journaled and quitting leaves the journal in place. With no journal, journaling starts at once.
        Raises JournalError when the journal cannot be read at all (see set_aside_journal and read_only_why).
        """
        if self.lock is None:
            return None
        recovered = Journal(self.path).recover(self.journal_files())
        if recovered is None or not (recovered.changes or recovered.refused):
            self.start_journal()
            return None
        return recovered

    def journal_files(self) -> list[tuple[str, bytes]]:
        """How journal entries name each file (in origin order), and its bytes as loaded or last saved."""
        if not self.is_folder:
            return [(Journal(self.path).name, self.base)]
        return [(source.path.relative_to(self.path).as_posix(), source.data) for source in self.budget.sources]

    def start_journal(self) -> None:
        """Journal every change from now on, dropping whatever journal an earlier session left."""
        self.journal = Journal(self.path)
        try:
            self.journal.discard()
        except OSError as error:  # something that is not a journal is in its place (a folder)
            self.journal = None
            why = clean(error.strerror or str(error))
            self.journal_trouble = _("edits are not journaled: cannot remove {path} ({why})").format(
                path=clean(str(Journal(self.path).path)), why=why
            )

    def set_aside_journal(self) -> Path:
        """Rename the journal an earlier session left (unreadable, or with edits refused) out of the way; its new name.

        Raises OSError when it cannot be renamed.
        """
        return Journal(self.path).set_aside()

    @property
    def journal_path(self) -> Path:
        """Where this budget's crash journal is (or would be)."""
        return Journal(self.path).path

    def journal_unreadable(self) -> None:
        """The journal cannot be read and stays where it is: open read-only, saying how to get out of it."""
        journal = clean(str(self.journal_path))
        self.read_only = True
        self.read_only_why = _("the crash journal {path} cannot be read; set it aside or remove it, then open again").format(path=journal)

    def discard_journal(self) -> None:
        """Remove this session's journal: the edits are saved, or the user chose to drop them."""
        if self.journal is not None:
            try:
                self.journal.discard()
            except OSError as error:  # harmless once the edits are saved: its entries no longer match the files
                why = clean(error.strerror or str(error))
                where = clean(str(self.journal.path))
                self.journal_trouble = _("the journal {path} could not be removed ({why})").format(path=where, why=why)

    def close(self) -> None:
        """Let go of the lock (the journal stays unless a save or a quit removed it)."""
        if self.lock is not None:
            self.lock.release()
            self.lock = None

    def _record(self, change: Change) -> None:
        """Journal a change as it is applied; a journal that cannot be written (full disk) is reported, not fatal."""
        if self.journal is None:
            return
        try:
            if self.is_folder:
                line = change.after or change.before
                assert line is not None  # a change has a line before it, after it, or both
                source = self.budget.sources[line.origin]
                self.journal.record(change, source.data, source.path.relative_to(self.path).as_posix())
            else:
                self.journal.record(change, self.base)
        except OSError as error:
            self.journal_trouble = _("the change is made but not journaled ({error}); save soon").format(error=error)


def holder_words(held: LockHeld) -> str:
    """`user@host (process N) since TIME`, or `another budget-tui` when the lock file says nothing."""
    return held.holder.describe() if held.holder is not None else _("another budget-tui")


__all__ = ["Guard", "holder_words"]
