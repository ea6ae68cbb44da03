"""The README's table of the keys of the scrolling views (help, tables, diff) is built from their bindings, like the
tree's key table (tests/unit/test_docs.py::key_table): regenerate it from view_key_table() when a binding changes."""

from __future__ import annotations

from tests.conftest import ROOT

NAMES = {"pageup": "PgUp", "pagedown": "PgDn", "escape": "Esc"}


def view_key_table() -> str:
    """The README's table of the views' keys: the scrolling keys they share, then the tables view's own."""
    from budget_tui.app.screens.tables import TablesScreen
    from budget_tui.app.widgets.scrolling import SCROLL_BINDINGS

    rows = ["| keys | in | what it does |", "| --- | --- | --- |"]
    for where, bindings in (("help, tables, diff", SCROLL_BINDINGS), ("tables", TablesScreen.BINDINGS)):
        for binding in bindings:
            keys = " ".join(f"`{NAMES.get(key, key)}`" for key in binding.key.split(","))
            rows.append(f"| {keys} | {where} | {binding.description} |")
    return "\n".join(rows)


def test_readme_lists_the_keys_of_the_scrolling_views():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert view_key_table() in readme, "regenerate the README's table of the views' keys from tests/unit/test_view_keys_doc.py:view_key_table()"


if __name__ == "__main__":
    print(view_key_table())
