"""Saving from the main screen: ctrl+s (in a thread), the review marks, a file changed on disk (re-apply the edits to
it, reload or save-as), a failed save (save-as), and save-as itself."""

from __future__ import annotations

import asyncio

from budget_tui.app.screens.budget.base import ScreenBase
from budget_tui.app.screens.dialogs import ChangedOnDiskScreen, FormScreen, ReapplyScreen, SaveFailedScreen
from budget_tui.core.safetext import clean
from budget_tui.files.fileformat import BudgetFileError
from budget_tui.files.review import ReviewFileError
from budget_tui.files.save import SaveError
from budget_tui.i18n import _, ngettext
from budget_tui.session.saving import Reapply


class Saving(ScreenBase):
    """Write the edits and the marks, and say what happened; the edits are never lost when a save cannot be made."""

    async def action_save(self) -> None:
        """Write the edits (a folder: only its changed files) and the review marks; if a file changed on disk since it
        was loaded, offer reload or save-as.

        The writing (tomlkit, the re-read check, fsync) runs in a thread, so the terminal keeps painting; until it is
        done every change is refused (see refused), so nothing typed meanwhile can be marked saved unwritten. Any other
        failure (read-only file, full disk) is shown; the edits stay in memory and in the journal.
        """
        if self.save_review() and not self.session.dirty:
            return
        if self.refused():
            return
        if not self.session.dirty:
            self.say(_("No changes to save."))
            return
        files = self.session.changed_files()
        self.saving = True
        try:
            path = await asyncio.to_thread(self.session.save)
        except SaveError as error:
            if self.session.changed_on_disk():
                self.app.push_screen(ChangedOnDiskScreen(str(error)), self.after_refused_save)
            else:  # a read-only folder or file, a full disk: the edits are kept, and may be saved elsewhere
                self.say(str(error), "error")
                self.app.push_screen(SaveFailedScreen(clean(str(error))), self.after_failed_save)
            return
        finally:
            self.saving = False
        if self.session.is_folder:
            names = ", ".join(str(file.relative_to(path)) for file in files)
            self.say(ngettext("Saved {n} file of {path}: {names}", "Saved {n} files of {path}: {names}", len(files)).format(
                n=len(files), path=path, names=names))
        else:
            self.say(_("Saved {path}").format(path=path))
        for note in self.session.save_notes:
            self.say(note, "warning")
        self.refresh_status()

    def save_review(self) -> bool:
        """Write the review marks and comments changed in this session; True when there were any."""
        try:
            written = self.session.save_review()
        except (OSError, ReviewFileError) as error:
            self.say(_("Review marks not saved: {error}").format(error=error), "error")
            return True
        if written is not None:
            self.say(_("Saved the review marks to {path}").format(path=written))
        return written is not None

    def after_refused_save(self, choice: str | None) -> None:
        if choice == "reapply":
            self.reapply()
        elif choice == "reload":
            self.reload()
        elif choice == "save-as":
            self.ask_save_as(_("{path} changed on disk.").format(path=self.session.path))

    def reapply(self) -> None:
        """Re-apply the edits to the file as it is on disk now (three-way, by lines); when some conflict with changes
        on disk, list them and ask before writing the others."""
        try:
            plan = self.session.reapply_plan()
        except SaveError as error:
            self.say(str(error), "error")
            return
        conflicts = [conflict.describe() for conflict in plan.result.conflicts]
        if not conflicts:
            self.write_reapplied(plan)
            return
        applied = len(plan.result.applied)
        title = _(
            "{path} changed on disk. {conflicts} of your edits touch lines changed or removed there and are left out "
            "(listed); {applied} apply to the file as it is now. Apply those and save?"
        ).format(path=self.session.path.name, conflicts=len(conflicts), applied=applied)

        def answer(choice: str | None) -> None:
            if choice == "apply":
                self.write_reapplied(plan)
            else:
                self.say(_("Not saved: your edits are kept in this session (ctrl+s tries again)."), "warning")

        self.app.push_screen(ReapplyScreen(title, conflicts), answer)

    def write_reapplied(self, plan: Reapply) -> None:
        """Write the re-applied edits and show the file as written; say which edits were left out, one line each."""
        current = self.tree.cursor_model_node
        targets = [node.id for node in current.path()] if current is not None else []
        try:
            path = self.session.reapply_and_save(plan)
        except SaveError as error:
            self.say(str(error), "error")
            return
        self.tree.kept = self.kept_nodes()
        self.tree.show_model(self.session.tree, targets)
        self.refresh_status()
        applied, conflicts = len(plan.result.applied), plan.result.conflicts
        saved = _("Re-applied {applied} of your edits to {path} as changed on disk, and saved.").format(applied=applied, path=path)
        if conflicts:
            left_out = [_("Left out, changed on disk (make them again if still wanted):")]
            self.say_lines([saved, *left_out, *(conflict.describe() for conflict in conflicts)], "warning")
        else:
            self.say(saved)
        for note in self.session.save_notes:
            self.say(note, "warning")

    def after_failed_save(self, choice: str | None) -> None:
        if choice == "save-as":
            self.ask_save_as(_("The save failed."))
        else:
            self.say(_("Not saved: the edits are kept in this session (ctrl+s tries again)."), "warning")

    def reload(self) -> None:
        """Read the file again (edits are dropped); open nodes and the cursor stay on the same codes.

        A file that is no longer a budget is not loaded: its error is shown and everything stays as it was.
        """
        current = self.tree.cursor_model_node
        targets = [node.id for node in current.path()] if current is not None else []
        try:
            self.session.reload()
        except BudgetFileError as error:
            self.say(_("Not reloaded, your edits are kept: {error}").format(error=error), "error")
            return
        self.tree.kept = self.kept_nodes()
        self.tree.show_model(self.session.tree, targets)
        self.refresh_status()
        self.say(_("Reloaded {path}").format(path=self.session.path))

    def ask_save_as(self, why: str) -> None:
        """Ask for another file name (a new folder, for a folder) and write the budget with its edits there.

        The name offered is beside the original when that folder can be written, else in the home or temp folder.
        """
        folder = self.session.is_folder

        def save_as(values: list[str]) -> str | None:
            try:
                path = self.session.save_as(values[0])
            except SaveError as error:
                return clean(str(error))
            self.say(_("Saved as {path}").format(path=path))
            for note in self.session.save_notes:
                self.say(note, "warning")
            self.refresh_status()
            return None

        title = (_("{why} Save your edits as a new folder:") if folder else _("{why} Save your edits as:")).format(why=clean(why))
        suggestion = str(self.session.save_as_suggestion())
        self.app.push_screen(FormScreen(title, [(_("Folder") if folder else _("File"), suggestion)], save_as))


__all__ = ["Saving"]
