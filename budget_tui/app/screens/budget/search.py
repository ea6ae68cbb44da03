"""Search on the main screen: `/` opens the search bar, Enter jumps to the first match, n and N to the next and
previous ones in the order the tree shows them."""

from __future__ import annotations

from budget_tui.app.screens.budget.base import ScreenBase
from budget_tui.app.widgets.budget_tree import BudgetTree
from budget_tui.app.widgets.inputs import SearchBar
from budget_tui.app.widgets.status_line import StatusLine
from budget_tui.core.search import QueryError, position
from budget_tui.core.tree import Node


class Searching(ScreenBase):
    """The search bar and the jumps between matches (the session finds them; the tree gives their order)."""

    def action_search(self) -> None:
        search = self.query_one(SearchBar)
        search.value = self.session.search
        search.display = True
        search.focus()
        self.searching = True
        self.add_class("-searching")
        self.refresh_bindings()

    def finish_search(self, query: str) -> None:
        """Remember the query and jump to its first match, opening closed nodes on the way."""
        self.close_search()
        self.session.search = query.strip()
        try:
            matches = self.session.find(query)
        except QueryError as error:
            self.say(str(error), "warning")
            return
        if not matches:
            self.say(f"No code or name matches {query.strip()!r}.", "warning")
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
            self.say("Search first with /.")
            return
        try:
            matches = self.session.find(self.session.search)
        except QueryError as error:
            self.say(str(error), "warning")
            return
        if not matches:
            self.say(f"No code or name matches {self.session.search!r}.", "warning")
            return
        order = {node.id: index for index, node in enumerate(self.tree.walk())}
        matches = sorted(matches, key=lambda node: order[node.id])
        current = self.tree.cursor_model_node
        here = order.get(current.id, -1) if current is not None else -1
        if step > 0:
            target = next((node for node in matches if order[node.id] > here), matches[0])
        else:
            target = next((node for node in reversed(matches) if order[node.id] < here), matches[-1])
        self.show_match(matches, target)


__all__ = ["Searching"]
