"""The footer of keys: Textual's, recomposed only when the keys it shows change.

Textual's Footer removes and mounts all its keys again on every change of focus and every refresh_bindings (an
amount edit makes six, each about ten key widgets to mount and style: a third of the edit's time), although only two
of them change what it shows (the input's keys in place of the screen's, and back).
"""

from __future__ import annotations

from textual.widgets import Footer


class KeysFooter(Footer):
    """A Footer that recomposes only when what it would show (each key, its label, description, action, tooltip,
    group and whether it is enabled) differs from what it shows."""

    def __init__(self) -> None:
        super().__init__()
        self._composed: tuple[object, ...] | None = None
        """What the keys now mounted show."""

    def _shown(self) -> tuple[object, ...]:
        """What compose would show now. `_bindings_ready` is Footer's own (private) flag that its compose reads:
        tests/app/test_textual_api.py fails when a Textual release drops it."""
        shown: list[object] = [self._bindings_ready, self.show_command_palette, self.app.ENABLE_COMMAND_PALETTE]
        if self._bindings_ready:
            palette = self.app.COMMAND_PALETTE_BINDING
            shown += [
                (key, binding.key, self.app.get_key_display(binding), binding.description, binding.action, enabled,
                 tooltip, binding.group)
                for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
                if binding.show or key == palette
            ]
        return tuple(shown)

    def up_to_date(self) -> bool:
        """Whether the keys mounted are those it would show now (a recompose would change nothing)."""
        return self._composed == self._shown()

    async def recompose(self) -> None:
        shown = self._shown()
        if shown == self._composed:
            return
        self._composed = shown
        await super().recompose()
        if self._shown() != self._composed:  # the keys changed while the old ones were removed: show those too
            self.call_later(self.recompose)
