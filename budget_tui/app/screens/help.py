"""The help screen, built from the bindings that are live when it opens (so a remapped key shows as remapped)."""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

from budget_tui.app.widgets.scrolling import PagedScroll
from budget_tui.core.safetext import clean, one_line, pad, width
from budget_tui.i18n import N_, _


@dataclass(frozen=True)
class HelpRow:
    """One action of the help: its keys, what it does, and the id that keys.toml remaps ("" when it has none)."""

    keys: str
    description: str
    binding_id: str


class HelpScreen(ModalScreen[None]):
    """Every live binding with its keys and id, scrolled with the tree's keys (j/k, g/G, ctrl+d/ctrl+u); Esc, q or ?
    closes it."""

    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
        & > PagedScroll {
            width: 76;
            max-width: 100%;
            height: auto;
            max-height: 100%;
            border: round $accent;
            background: $surface;
            padding: 0 1;
            overflow-x: hidden;
        }
    }
    """
    BINDINGS = [Binding("escape,q,question_mark", "dismiss", N_("Close help"), id="help-close")]

    def __init__(self, rows: list[HelpRow], config_hint: str) -> None:
        super().__init__()
        self.rows = rows
        """The bindings to list, in the order they were declared."""
        self.config_hint = config_hint
        """Where keys can be remapped."""

    def compose(self) -> ComposeResult:
        key_width = max((width(row.keys) for row in self.rows), default=4)
        text = Text(_("Keys") + "\n\n", style="bold")
        for row in self.rows:
            text.append(pad(row.keys, key_width + 2), style="bold")
            text.append(row.description)
            text.append(f"  ({row.binding_id})\n" if row.binding_id else "\n", style="dim")
        text.append("\n" + _('Remap keys by id in {path}, e.g. edit = "x".').format(path=one_line(self.config_hint)))
        with PagedScroll():
            yield Static(text)


def help_rows(active: dict, key_display) -> list[HelpRow]:
    """One row per binding id from Screen.active_bindings, with all of its keys; only budget-tui's own bindings
    (those with an id, which keys.toml can remap), not Textual's built-in ones (tab, ctrl+c copy, ctrl+q)."""
    keys_by_action: dict[tuple[str, str], list[str]] = {}
    descriptions: dict[tuple[str, str], str] = {}
    for active_binding in active.values():
        binding: Binding = active_binding.binding
        if not binding.id:
            continue
        identity = (binding.id or "", binding.action)
        keys_by_action.setdefault(identity, []).append(key_display(binding))
        descriptions.setdefault(identity, binding.description or binding.action)
    return [
        HelpRow(clean(" ".join(dict.fromkeys(keys))), clean(descriptions[identity]), identity[0])
        for identity, keys in keys_by_action.items()
    ]
