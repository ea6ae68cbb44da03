"""Search on the main screen: `/` opens the search bar, Enter jumps to the first match, n and N to the next and
previous ones in the order the tree shows them; `f` filters the tree to the matches and their parents (esc clears)."""

from __future__ import annotations

from budget_tui.app.screens.budget.base import ScreenBase
from budget_tui.app.widgets.budget_tree import BudgetTree
from budget_tui.app.widgets.inputs import SearchBar
from budget_tui.app.widgets.status_line import StatusLine
from budget_tui.core.search import QueryError, position
from budget_tui.core.tree import Node
from budget_tui.i18n import _


class Searching(ScreenBase):
    """The search bar and the jumps between matches (the session finds them; the tree gives their order)."""

    filtering: bool = False
    """True while the bar is open for the filter (f) rather than for a search (/)."""
    search_hint: str = ""
    """The bar's placeholder for a search (/), as the bar was made."""

    def action_search(self) -> None:
        self.open_bar(self.session.search, filtering=False)

    def action_filter(self) -> None:
        """Open the bar to filter the tree to the nodes a query matches and their parents (empty: show all)."""
        self.open_bar(self.filter_query, filtering=True)

    def open_bar(self, value: str, filtering: bool) -> None:
        search = self.query_one(SearchBar)
        self.filtering = filtering
        self.search_hint = self.search_hint or search.placeholder
        search.placeholder = _("f filter to code or name; >N is:changed is:unreviewed; empty: all") if filtering else self.search_hint
        search.value = value
        search.display = True
        search.focus()
        self.searching = True
        self.add_class("-searching")
        self.refresh_bindings()

    def finish_search(self, query: str) -> None:
        """Remember the query and jump to its first match, opening closed nodes on the way (the bar of f: filter)."""
        if self.filtering:
            self.finish_filter(query)
            return
        self.close_search()
        self.session.search = query.strip()
        try:
            matches = self.session.find(query)
        except QueryError as error:
            self.say(str(error), "warning")
            return
        if not matches:
            self.say(_("No code or name matches {query!r}.").format(query=query.strip()), "warning")
            return
        self.tree.reveal(matches[0].id)

    def show_match(self, matches: list[Node], target: Node) -> None:
        """Put the cursor on a match and say which it is (`match 2 of 7`) in the status line until the cursor leaves it
        (n and N; the first jump of a search leaves the status line as it is)."""
        self.tree.reveal(target.id)
        self.match_at = target.id
        order = {node.id: index for index, node in enumerate(self.tree.walk())}
        self.query_one(StatusLine).note = position(sorted(matches, key=lambda node: order.get(node.id, -1)), target.id)

    match_at: tuple | None = None
    """The match that the status line's `match 2 of 7` is about."""

    def on_tree_node_highlighted(self, event: BudgetTree.NodeHighlighted) -> None:
        """The cursor left the match: the status line shows the file again."""
        if self.match_at is not None and (event.node.data is None or event.node.data.id != self.match_at):
            self.match_at = None
            self.query_one(StatusLine).note = ""

    def on_search_bar_cancelled(self, _: SearchBar.Cancelled) -> None:
        self.close_search()

    def close_search(self) -> None:
        self.query_one(SearchBar).display = False
        self.searching = False
        self.remove_class("-searching")
        self.tree.focus()
        self.refresh_bindings()

    def action_next_match(self, step: int) -> None:
        """Jump to the next (step 1) or previous (step -1) match after the cursor, wrapping around."""
        if not self.session.search:
            self.say(_("Search first with /."))
            return
        try:
            matches = self.session.find(self.session.search)
        except QueryError as error:
            self.say(str(error), "warning")
            return
        if not matches:
            self.say(_("No code or name matches {query!r}.").format(query=self.session.search), "warning")
            return
        order = {node.id: index for index, node in enumerate(self.tree.walk())}
        matches = sorted((node for node in matches if node.id in order), key=lambda node: order[node.id])
        if not matches:  # every match is hidden by the filter
            self.say(_("No match of {query} is shown: esc clears the filter.").format(query=repr(self.session.search)), "warning")
            return
        current = self.tree.cursor_model_node
        here = order.get(current.id, -1) if current is not None else -1
        if step > 0:
            target = next((node for node in matches if order[node.id] > here), matches[0])
        else:
            target = next((node for node in reversed(matches) if order[node.id] < here), matches[-1])
        self.show_match(matches, target)

    def finish_filter(self, typed: str) -> None:
        """Filter the tree to the nodes the query matches and their parents, their paths open; the cursor stays on its
        node when that is still shown, else goes to the first match. An empty query shows every node again."""
        self.close_search()
        query = typed.strip()
        if not query:
            self.action_clear_filter()
            return
        try:
            matches = self.session.search_matches(query)
        except QueryError as error:
            self.say(str(error), "warning")
            return
        if not matches:
            self.say(_("Nothing matches {query}; the tree is left as it was.").format(query=repr(query)), "warning")
            return
        self.filter_query = query
        self.tree.kept = self.kept_nodes()
        current = self.tree.cursor_model_node
        opened = {ancestor.id for node in matches for ancestor in node.path()[1:]}
        kept = self.tree.kept or set()
        target = current.id if current is not None and current.id in kept else matches[0].id
        self.tree.show_model(self.session.tree, [target], opened | self.tree.expanded_ids())
        self.refresh_status()
        self.refresh_bindings()

    def action_clear_filter(self) -> None:
        """Show every node again; the cursor stays on its node."""
        if not self.filter_query:
            return
        self.filter_query = ""
        self.tree.kept = self.kept_nodes()
        current = self.tree.cursor_model_node
        self.tree.show_model(self.session.tree, [node.id for node in current.path()] if current is not None else [])
        self.refresh_status()
        self.refresh_bindings()


__all__ = ["Searching"]
