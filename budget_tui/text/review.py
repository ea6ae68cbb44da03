"""`budget-tui print PATH --review`: the review marks and comments on a budget as plain text."""

from __future__ import annotations

from budget_tui.core.model import Budget
from budget_tui.core.review import Note, review_nodes
from budget_tui.core.safetext import clean
from budget_tui.core.tree import Node, label
from budget_tui.files.review import Review
from budget_tui.i18n import _


def render_review(review: Review, budget: Budget) -> str:
    """The marks and comments as plain text, in tree order, then the orphaned ones."""
    if not review.notes:
        return _("No review marks or comments ({name} has none).").format(name=review.path.name) + "\n"
    reviewed = sum(note.reviewed for note in review.notes.values())
    commented = sum(bool(note.comment) for note in review.notes.values())
    text = [
        _("Review of {department} {year} ({name})").format(
            department=clean(budget.department.name), year=budget.department.year, name=review.path.name
        ),
        _("{reviewed} reviewed, {commented} commented").format(reviewed=reviewed, commented=commented),
        "",
    ]
    for node_id, node in review_nodes(budget).items():
        note = review.note(node_id)
        if note is not None:
            text += _note_lines(note, _short_label(node))
    orphans = review.orphans(budget)
    if orphans:
        text += ["", _("Orphaned (the node is no longer in the budget):")]
        for note in orphans:
            text += _note_lines(note, f"{clean(note.label)} [{clean(note.node)}]")
    return "\n".join(text) + "\n"


def _short_label(node: Node) -> str:
    """A node's code and name; a line's with its 项 so it reads on its own."""
    if node.line is not None:
        return clean(f"{node.line.functional} {label(node)}")
    return clean(label(node))


def _note_lines(note: Note, label: str) -> list[str]:
    mark = "[x]" if note.reviewed else "[ ]"
    by = f" ({clean(note.by)})" if note.by else ""
    lines = [f"{mark} {label}{by}"]
    lines += [f"      {clean(row)}" for row in note.comment.splitlines()]
    return lines


__all__ = ["render_review"]
