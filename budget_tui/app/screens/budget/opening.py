"""Opening a budget on the main screen: take the edit lock (or ask, or open read-only) and offer to replay the unsaved
edits an earlier session left in its journal."""

from __future__ import annotations

from collections.abc import Sequence

from budget_tui.app.screens.budget.base import ScreenBase
from budget_tui.app.screens.dialogs import BadJournalScreen, LockedScreen, RecoverScreen
from budget_tui.core.editing import Change
from budget_tui.core.safetext import clean
from budget_tui.files.journal import JournalError, Recovered, Refused
from budget_tui.files.lock import LockRefused
from budget_tui.i18n import _, ngettext
from budget_tui.session import holder_words


class Opening(ScreenBase):
    """The lock and the journal, once, when the screen is mounted (BudgetScreen.on_mount calls take_lock)."""

    force: bool
    """Edit even when another budget-tui holds the lock, without asking (budget-tui PATH --force)."""

    def take_lock(self) -> None:
        """Take the edit lock; when another budget-tui holds it, ask (or with --force, edit anyway)."""
        held = self.session.take_lock()
        if held is None:
            self.offer_recovery()
        elif isinstance(held, LockRefused) and self.force:
            self.session.edit_anyway()
            self.say(_("{held}. Editing anyway (--force), without a lock or a journal.").format(held=held), "warning")
        elif isinstance(held, LockRefused):
            self.say(_("Read-only: {held}.").format(held=held), "error")
        elif self.force:
            self.session.edit_anyway()
            self.say(_("{path} is being edited by {holder}; editing anyway (--force).").format(
                path=held.path, holder=holder_words(held)), "warning")
        else:
            message = _("{path} is being edited by {holder}.").format(path=held.path, holder=holder_words(held))
            self.app.push_screen(LockedScreen(message), self.after_lock_choice)
        self.refresh_status()

    def after_lock_choice(self, choice: str | None) -> None:
        if choice == "edit":
            self.session.edit_anyway()
        self.refresh_status()

    def offer_recovery(self) -> None:
        """Show the unsaved edits an earlier session left, to replay or discard; those whose file is gone or changed
        since (or that are not valid edits) are shown as refused and never replayed."""
        try:
            recovered = self.session.recover()
        except JournalError as error:
            self.app.push_screen(BadJournalScreen(clean(str(error))), self.after_bad_journal_choice)
            return
        if recovered is None:
            return
        count = len(recovered.changes) + len(recovered.refused)
        title = ngettext(
            "{file}: {n} unsaved edit from an earlier session that ended without saving:",
            "{file}: {n} unsaved edits from an earlier session that ended without saving:", count,
        ).format(file=clean(self.session.path.name), n=count)
        warning = "" if not recovered.refused else _(
            "{n} of them (✗) cannot be replayed: their file is gone or changed since, or the "
            "journal entry is not a valid edit. Replay applies the others and keeps the journal aside for you."
        ).format(n=len(recovered.refused))
        edits = [self.session.describe(change) for change in recovered.changes]
        refused = [self.describe_refused(entry) for entry in recovered.refused]

        def answer(choice: str | None) -> None:
            self.after_recovery_choice(choice, recovered)

        self.app.push_screen(RecoverScreen(title, edits, warning, refused), answer)

    def describe_refused(self, entry: Refused) -> str:
        """A refused journal entry in plain words: the edit (or the journal's line) and why it is refused."""
        what = self.session.describe(entry.change) if entry.change is not None else _("journal line {row}").format(row=entry.row)
        return f"{what}: {clean(entry.reason)}"

    def after_recovery_choice(self, choice: str | None, recovered: Recovered) -> None:
        if choice == "replay":
            if recovered.refused:  # the refused edits stay readable in the journal, renamed out of the way
                try:
                    aside = self.session.set_aside_journal()
                except OSError as error:
                    self.say(_("The journal could not be set aside ({reason}); it is replaced.").format(
                        reason=clean(error.strerror or str(error))), "warning")
                else:
                    self.say(_("The journal with the refused edits is kept as {path}.").format(path=clean(str(aside))), "warning")
            self.replay(recovered.changes, recovered.refused)
        else:
            self.session.start_journal()
            self.say(_("The unsaved edits of the earlier session were discarded."))
            self.refresh_status()

    def after_bad_journal_choice(self, choice: str | None) -> None:
        """Set the unreadable journal aside and edit, or open read-only and leave it where it is."""
        journal = clean(str(self.session.journal_path))
        if choice == "set-aside":
            try:
                aside = self.session.set_aside_journal()
            except OSError as error:
                choice = None
                self.say(_("{path} could not be set aside ({reason}).").format(
                    path=journal, reason=clean(error.strerror or str(error))), "error")
            else:
                self.session.start_journal()
                self.say(_("The journal that could not be read is set aside as {path}; edits are journaled anew.").format(
                    path=clean(str(aside))))
        if choice != "set-aside":
            self.session.journal_unreadable()
        self.refresh_status()

    def replay(self, changes: list[Change], refused: Sequence[Refused] = ()) -> None:
        """Apply the recorded edits that still apply and say which did not."""
        described = [self.session.describe(change) for change in changes]
        outcome, skipped = self.session.replay(changes)
        self.show(outcome)
        replayed, count = len(changes) - len(skipped), len(changes) + len(refused)
        self.say(ngettext("Replayed {replayed} of {n} unsaved edit; save to keep them.",
                          "Replayed {replayed} of {n} unsaved edits; save to keep them.", count).format(replayed=replayed, n=count))
        if refused:
            lines = [self.describe_refused(entry) for entry in refused]
            self.say_lines([_("Refused, never replayed:"), *lines], "warning")
        if skipped:
            lines = [f"{described[changes.index(change)]}: {reason}" for change, reason in skipped]
            self.say_lines([_("Not replayed, the file no longer matches:"), *lines], "warning")


__all__ = ["Opening"]
