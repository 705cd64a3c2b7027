"""The keys of the screen in front, on the bottom line: one widget, redrawn when they change.

Textual's Footer makes a widget per key (ten on the dashboard) that the first paint styles and
lays out one by one, and makes them again whenever the keys change (a screen pushed or popped),
leaving the old ones in a watcher list (about 4 MB a day in bench/soak.py). This draws the same
line itself: each key in bold on the key colour and what it does after it, a key that cannot be
used now dimmed, the command palette's key at the right; a click on a key presses it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import events
from textual.widget import Widget

if TYPE_CHECKING:
    from textual.binding import Binding
    from textual.screen import Screen


class KeysFooter(Widget, can_focus=False):
    """The footer of walkbreak's screens."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES = {"keys-footer--key", "keys-footer--description", "keys-footer--separator"}
    DEFAULT_CSS = """
    KeysFooter {
        dock: bottom;
        height: 1;
        color: $footer-foreground;
        background: $footer-background;
        & > .keys-footer--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
        }
        & > .keys-footer--description {
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        & > .keys-footer--separator { color: $foreground 20%; }
    }
    """

    def __init__(self, *, usable_only: bool = False) -> None:
        """`usable_only`: leave out the keys that cannot be used now (the walk guide shows only
        its own and Help)."""
        super().__init__()
        self.usable_only = usable_only
        self._places: list[tuple[int, int, str, bool]] = []
        """(first column, column after, key, usable now) of each key drawn."""

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._keys_changed)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _keys_changed(self, screen: Screen[object]) -> None:
        self.refresh()

    def render(self) -> Text:
        line, self._places = Text(no_wrap=True, overflow="crop"), []
        active = self.screen.active_bindings
        actions: set[str] = set()
        for _, binding, enabled, _ in active.values():
            if self.usable_only and not enabled:
                continue
            if binding.show and binding.action not in actions:  # Footer's rule: once per action
                actions.add(binding.action)
                self._add(line, binding, f" {self.app.get_key_display(binding)} ", enabled)
        palette = active.get(self.app.COMMAND_PALETTE_BINDING) if self.app.ENABLE_COMMAND_PALETTE else None
        if palette is not None and (
            palette[2] or not self.usable_only
        ):  # at the right, after a thin bar, as Footer shows it
            _, binding, enabled, _ = palette
            shown = f"{self.app.get_key_display(binding)} "
            room = self.size.width - len(f"▏{shown}{binding.description} ")  # over the keys, as Footer
            if line.cell_len > room:
                line.truncate(room)
            else:
                line.pad_right(room - line.cell_len)
            line.append("▏", self.get_component_rich_style("keys-footer--separator"))
            self._add(line, binding, shown, enabled)
        return line

    def _add(self, line: Text, binding: Binding, shown: str, enabled: bool) -> None:
        """Draw the key as `shown` and what it does, remembering where for a click."""
        dim = Style(dim=not enabled)
        first = len(line)
        line.append(shown, self.get_component_rich_style("keys-footer--key") + dim)
        line.append(
            f"{binding.description} ", self.get_component_rich_style("keys-footer--description") + dim
        )
        self._places.append((first, len(line), binding.key, enabled))

    def on_click(self, event: events.Click) -> None:
        for first, after, key, enabled in self._places:
            if first <= event.x < after:
                if enabled:
                    self.app.simulate_key(key)
                else:
                    self.app.bell()
                return
