"""The main screen beside another version: `O` picks one (budget-tui NEW --against OLD gives it at start), `}` and `{`
step through the changed nodes, `C` shows only those; `--watch` follows the file on disk, and `Y` copies the node under
the cursor to the clipboard (OSC 52, which works over SSH).

The figures are the session's (session/against.py, core/against.py); the tree (BudgetTree.versions) asks the session
for them each time it measures, so an edit or a reload is set beside the other version at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual.binding import Binding
from textual.message import Message
from textual.timer import Timer

from budget_tui.app.screens.budget.base import ScreenBase
from budget_tui.app.screens.dialogs import ConfirmScreen, FormScreen
from budget_tui.core.against import local, portable, step
from budget_tui.core.ids import NodeId
from budget_tui.core.money import format_amount
from budget_tui.core.safetext import clean, one_line
from budget_tui.core.search import with_ancestors
from budget_tui.core.versions import VersionError
from budget_tui.files.fileformat import BudgetFileError
from budget_tui.i18n import N_, _, ngettext
from budget_tui.session import Outcome
from budget_tui.session.against import Other, read_other, summary
from budget_tui.session.watch import Loaded, Watch, read_version, take_version

WATCH_SECONDS = 1.0
"""How often --watch looks at the file's stamp (a stat per file; the bytes are read only when it changed)."""

VERSION_BINDINGS = [
    Binding("O", "against", N_("Compare with another version (file or folder)"), id="against", show=False),
    Binding("right_curly_bracket", "next_change(1)", N_("Next node changed against the other version"), id="next-change", show=False),
    Binding("left_curly_bracket", "next_change(-1)", N_("Previous changed node"), id="previous-change", show=False),
    Binding("C", "changed_only", N_("Only the changed nodes (again: all)"), id="changed-only", show=False),
    Binding("Y", "copy_node", N_("Code, name and amount to the clipboard (tab-separated)"), id="copy-node", show=False),
]
"""The keys of this part, put into BudgetScreen.BINDINGS (help, keys.toml and the README's table read them there)."""


@dataclass
class VersionOptions:
    """What the command line asked for: another version to compare with, and following the file on disk."""

    against: Other | None = None
    watch: bool = False


class WatchRead(Message):
    """A watch read the file again (in a worker): the version, or why it could not be read."""

    def __init__(self, loaded: Loaded | None, error: BudgetFileError | None = None, stamp: tuple = ()) -> None:
        super().__init__()
        self.loaded = loaded
        self.error = error
        self.stamp = stamp


def copied_cells(cells: list[str]) -> str:
    """Cells as one tab-separated row a spreadsheet pastes cell for cell (file text cleaned; no tab or line break)."""
    return "\t".join(one_line(clean(cell)).replace("\t", " ") for cell in cells)


class Versions(ScreenBase):
    """Another version beside the budget, following the file on disk, and copying out."""

    following: Watch | None = None
    """What --watch has seen of the file (None: not watching)."""
    watch_timer: Timer | None = None
    watch_busy: bool = False
    """True from a changed stamp until its version is shown or refused: no second read starts meanwhile."""
    only_changed: bool = False
    """True while the tree shows only the nodes changed against the other version (and their ancestors)."""

    def on_mount(self) -> None:
        """Give the tree the session's comparison, then what the command line asked (--against, --watch)."""
        self.tree.versions = self.session.version_comparison
        options = self.budget_app.versions
        if options.against is not None and self.session.against is None:
            self.use_other(options.against)
        if options.watch and self.following is None:
            self.following = Watch.start(self.session.path)
            self.watch_timer = self.set_interval(WATCH_SECONDS, self.poll_watch)
            self.refresh_status()

    def mode(self) -> str:
        """The status line's mode, and the version compared with."""
        other = self.session.against
        parts = [super().mode(), _("against {other}").format(other=Path(other.label).name) if other is not None else ""]
        parts.append(_("watching") if self.following is not None else "")
        return " · ".join(part for part in parts if part)

    # -- another version ---------------------------------------------------------------------

    def use_other(self, other: Other) -> str | None:
        """Compare with other from now on; the reason (one line) when it cannot be compared."""
        try:
            diff = self.session.compare_with(other)
        except VersionError as error:
            self.say(str(error), "error")
            return one_line(str(error))
        self.refresh_versions()
        self.say(summary(diff, other.label))
        return None

    def refresh_versions(self) -> None:
        """Show the tree, its columns and the status line as the session's comparison now is; the cursor stays."""
        self.refilter()
        self.tree.show_columns(self.session.comparing, self.session.sort_by)
        self.show_columns()
        self.refresh_status()

    def action_against(self) -> None:
        """Ask for another version (a file, or a folder for a folder) to compare with; empty: compare with [prior]."""
        current = self.session.against.path if self.session.against is not None else None

        def chosen(values: list[str]) -> str | None:
            typed = values[0].strip()
            if not typed:
                self.session.stop_comparing()
                self.only_changed = False
                self.refresh_versions()
                self.say(_("Comparing with the file's [prior] figures again."))
                return None
            path = Path(typed).expanduser()
            path = path if path.is_absolute() else self.session.path.parent / path
            try:
                other = read_other(path)
            except BudgetFileError as error:
                return one_line(str(error))
            return self.use_other(other)

        title = _("Compare {name} with another version: a budget file, or a folder for a folder (empty: [prior])").format(
            name=self.session.path.name
        )
        field = _("File or folder")
        self.app.push_screen(FormScreen(title, [(field, str(current) if current is not None else "")], chosen))

    def no_other(self) -> bool:
        """True (with a hint) when no other version is set."""
        if self.session.against is None:
            self.say(_("Compare with another version first: O, or budget-tui NEW --against OLD."), "warning")
            return True
        return False

    def action_next_change(self, direction: int) -> None:
        """Go to the next (1) or previous (-1) node whose figure differs from the other version's, in the order shown."""
        if self.no_other():
            return
        changed = self.tree.changed
        order = [node.id for node in self.tree.walk()]
        current = self.tree.cursor_model_node
        target = step(order, lambda node_id: node_id in changed, current.id if current else None, direction > 0)
        if target is None:
            self.say(_("Nothing differs from {other}.").format(other=self.session.against.label if self.session.against else ""))
            return
        self.tree.reveal(target)

    def action_changed_only(self) -> None:
        """Show only the nodes that differ from the other version (with their ancestors), or every node again."""
        if not self.only_changed and self.no_other():
            return
        self.only_changed = not self.only_changed
        self.refresh_versions()
        if self.only_changed and not self.tree.changed:
            self.say(_("Nothing differs from the other version."))

    def refilter(self) -> None:
        """The tree keeps only the changed nodes under C (and, with a filter too, those of them it matches)."""
        self.tree.kept = self.kept_nodes()

    def kept_nodes(self) -> set | None:
        kept = super().kept_nodes()
        comparison = self.session.version_comparison() if self.only_changed else None
        if comparison is None:
            return kept
        changed = with_ancestors(node for node in self.session.tree.root.walk() if node.id in comparison.changed)
        return changed if kept is None else kept & changed

    def show(self, outcome: Outcome) -> None:
        """After a change, the changed-only tree keeps what differs now."""
        if self.only_changed:
            self.refilter()
        super().show(outcome)

    # -- following the file on disk ------------------------------------------------------------

    def poll_watch(self) -> None:
        """Look at the file's stamp; when it changed, read it in a worker (the screen keeps answering)."""
        watch = self.following
        if watch is None or self.watch_busy:
            return
        now = watch.changed()
        if now is None:
            return
        self.watch_busy = True
        path = self.session.path

        def work() -> None:
            try:
                self.post_message(WatchRead(read_version(path)))
            except BudgetFileError as error:
                self.post_message(WatchRead(None, error, now))

        self.run_worker(work, thread=True, group="watch", name="watch")

    def on_watch_read(self, message: WatchRead) -> None:
        """Show the version read, unless that would drop unsaved edits: then ask."""
        loaded, watch = message.loaded, self.following
        if watch is None:
            return
        if loaded is None:
            watch.seen, self.watch_busy = message.stamp, False
            self.say(_("{path} changed but cannot be read; shown as it was: {error}").format(
                path=self.session.path.name, error=message.error), "warning")
            return
        if loaded.data == self.session.base:
            watch.seen, self.watch_busy = loaded.stamp, False
            return
        if not self.session.dirty:
            self.take_loaded(loaded)
            return
        count = len(self.session.editor.changes())
        question = ngettext(
            "{path} changed on disk. Reload it and drop your {count} unsaved edit?",
            "{path} changed on disk. Reload it and drop your {count} unsaved edits?",
            count,
        ).format(path=self.session.path.name, count=count)

        def answer(reload: bool | None) -> None:
            if reload:
                self.take_loaded(loaded)
                return
            watch.seen, self.watch_busy = loaded.stamp, False
            self.say(_("Kept your edits; the file on disk is newer (a save will say so and offer save-as)."), "warning")

        self.app.push_screen(ConfirmScreen(question, yes=_("Reload"), no=_("Keep")), answer)

    def take_loaded(self, loaded: Loaded) -> None:
        """Show a version read from disk, the cursor on the same node, what changed since the last look marked."""
        current, before = self.tree.cursor_model_node, self.session.department_files
        targets = [portable(node.id, before) for node in current.path()] if current is not None else []
        expanded = {portable(NodeId(node_id), before) for node_id in self.tree.expanded_ids()}
        take_version(self.session, loaded)
        after = self.session.department_files  # a folder's files by path: one may have come or gone
        targets, expanded = [local(node_id, after) for node_id in targets], {local(node_id, after) for node_id in expanded}
        if self.following is not None:
            self.following.seen = loaded.stamp
        self.watch_busy = False
        self.refilter()
        self.tree.comparing, self.tree.sort_by = self.session.comparing, self.session.sort_by
        self.tree.show_model(self.session.tree, targets, expanded)
        self.show_columns()
        self.refresh_status()
        changed = len(self.tree.changed)
        self.say(ngettext(
            "Reloaded {path}: {count} node changed since the last look (* marks it; }} goes to it).",
            "Reloaded {path}: {count} nodes changed since the last look (* marks them; }} goes to each).",
            changed,
        ).format(path=self.session.path.name, count=changed))

    # -- copying out -------------------------------------------------------------------------

    def action_copy_node(self) -> None:
        """Copy the node under the cursor as code, name and amount, tab-separated, to the clipboard (OSC 52)."""
        node = self.tree.cursor_model_node
        if node is None:
            return
        text = copied_cells([node.code, node.name, format_amount(node.total)])
        self.app.copy_to_clipboard(text)
        self.say(_("Copied {text} to the clipboard (through the terminal).").format(text=text.replace("\t", " ")))


__all__ = ["VERSION_BINDINGS", "VersionOptions", "Versions", "WatchRead", "copied_cells"]
