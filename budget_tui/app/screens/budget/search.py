"""Search on the main screen: `/` opens the search bar, Enter jumps to the first match, n and N to the next and
previous ones in the order the tree shows them."""

from __future__ import annotations

from budget_tui.app.screens.budget.base import ScreenBase
from budget_tui.app.widgets.inputs import SearchBar


class Searching(ScreenBase):
    """The search bar and the jumps between matches (the session finds them; the tree gives their order)."""

    def action_search(self) -> None:
        search = self.query_one(SearchBar)
        search.value = self.session.search
        search.display = True
        search.focus()
        self.searching = True
        self.refresh_bindings()

    def finish_search(self, query: str) -> None:
        """Remember the query and jump to its first match, opening closed nodes on the way."""
        self.close_search()
        self.session.search = query.strip()
        matches = self.session.find(query)
        if not matches:
            self.say(f"No code or name matches {query.strip()!r}.", "warning")
            return
        self.tree.reveal(matches[0].id)

    def on_search_bar_cancelled(self, _: SearchBar.Cancelled) -> None:
        self.close_search()

    def close_search(self) -> None:
        self.query_one(SearchBar).display = False
        self.searching = False
        self.tree.focus()
        self.refresh_bindings()

    def action_next_match(self, step: int) -> None:
        """Jump to the next (step 1) or previous (step -1) match after the cursor, wrapping around."""
        if not self.session.search:
            self.say("Search first with /.")
            return
        matches = self.session.find(self.session.search)
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
        self.tree.reveal(target.id)


__all__ = ["Searching"]
