"""Search and filters over the tree: which nodes a query matches, and the nodes to keep when the tree is narrowed.

Text is compared normalised (NFKC, then case folded), so full-width and ASCII forms are one: `()` finds `（）`,
`１２` finds `12`, `Ab` finds `ａｂ`. A query is text (a code prefix, or part of a name) with optional filters:

    is:changed     lines changed since the file was loaded
    is:unreviewed  nodes not marked reviewed
    >N             nodes whose amount is above N (read as an amount: `>1,000.5`, `＞５０`)

Every part given must hold: `302 >10` finds the nodes whose code starts with 302 (or whose name has 302) and whose
amount is above 10.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from decimal import Decimal

from budget_tui.core.model import Line, LineKey
from budget_tui.core.money import AmountError, parse_number, quoted
from budget_tui.core.safetext import OneLineMessage
from budget_tui.core.tree import Node
from budget_tui.i18n import _, ngettext

CHANGED, UNREVIEWED = "is:changed", "is:unreviewed"
FILTERS = f"{CHANGED}, {UNREVIEWED} or >N"


class QueryError(OneLineMessage, ValueError):
    """A query that cannot be read (`>abc`); the message says what to type."""


def normalise(text: str) -> str:
    """Text as a search compares it: NFKC (full-width forms as ASCII) and case folded."""
    return unicodedata.normalize("NFKC", text).casefold()


@dataclass(frozen=True)
class Query:
    """What a search asks for: text and filters, each None/False when not asked."""

    text: str = ""
    """Normalised: a code prefix or part of a name."""
    changed: bool = False
    unreviewed: bool = False
    above: Decimal | None = None

    @property
    def is_empty(self) -> bool:
        return not self.text and not self.changed and not self.unreviewed and self.above is None


def parse_query(typed: str) -> Query:
    """Read a typed query (see the module's doc); raises QueryError when a filter cannot be read."""
    words: list[str] = []
    changed = unreviewed = False
    above: Decimal | None = None
    for word in normalise(typed).split():
        if word == CHANGED:
            changed = True
        elif word == UNREVIEWED:
            unreviewed = True
        elif word.startswith(">") and len(word) > 1:
            try:
                above = parse_number(word[1:])
            except AmountError:
                raise QueryError(_("{word}: after > type an amount, as in >1000 or >12.5").format(word=quoted(word))) from None
        elif word in (">", "is:") or word.startswith("is:"):
            raise QueryError(_("{word} is not a filter; the filters are {filters}").format(word=quoted(word), filters=FILTERS))
        else:
            words.append(word)
    return Query(" ".join(words), changed, unreviewed, above)


def text_matches(node: Node, text: str) -> bool:
    """True when the node's code starts with the (normalised) text or its name contains it; empty text matches all."""
    return not text or normalise(node.code).startswith(text) or text in normalise(node.name)


def predicate(
    query: Query,
    changed: Collection[LineKey] = (),
    is_reviewed: Callable[[tuple], bool] | None = None,
) -> Callable[[Node], bool]:
    """The test a node must pass for the query: changed holds the keys of the lines changed since loading, and
    is_reviewed says whether a node id is marked reviewed (None: no review marks, so every node is unreviewed)."""

    def test(node: Node) -> bool:
        if query.changed and (node.line is None or node.line.key not in changed):
            return False
        if query.unreviewed and is_reviewed is not None and is_reviewed(node.id):
            return False
        if query.above is not None and not node.total > query.above:
            return False
        return text_matches(node, query.text)

    return test


def find(nodes: Iterable[Node], test: Callable[[Node], bool]) -> list[Node]:
    """The nodes that pass the test, in the order given (the tree's display order)."""
    return [node for node in nodes if test(node)]


def with_ancestors(matches: Iterable[Node]) -> set[tuple]:
    """Ids of the matches and of every node above them: what a tree narrowed to the matches keeps."""
    kept: set[tuple] = set()
    for node in matches:
        for step in node.path():
            if step.id in kept:
                break
            kept.add(step.id)
    return kept


def position(matches: list[Node], node_id: tuple) -> str:
    """`match 2 of 7` for the match with that id, `7 matches` when it is none of them."""
    count = len(matches)
    index = next((i for i, node in enumerate(matches) if node.id == node_id), None)
    if index is None:
        return ngettext("{n} match", "{n} matches", count).format(n=count)
    return _("match {i} of {n}").format(i=index + 1, n=count)


def changed_keys(changes: Iterable[tuple[Line | None, Line | None]]) -> set[LineKey]:
    """The keys of the lines as they are now of (old, new) changes (editing.Editor.changes): deleted lines are none."""
    return {new.key for _, new in changes if new is not None}


__all__ = [
    "CHANGED",
    "FILTERS",
    "UNREVIEWED",
    "Query",
    "QueryError",
    "changed_keys",
    "find",
    "normalise",
    "parse_query",
    "position",
    "predicate",
    "text_matches",
    "with_ancestors",
]
