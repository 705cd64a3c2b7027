"""Textual's Footer, without its slow leak in a dashboard left open all day."""

from __future__ import annotations

from textual.widgets import Footer


class KeysFooter(Footer):
    """The footer of walkbreak's screens.

    Textual's Footer makes new key widgets whenever the keys change (a screen pushed or popped, a
    walk guide opened or closed), each bound to the footer's `compact`; the old ones stay in that
    binding's watcher list until `compact` changes, which it never does here. Measured in
    bench/soak.py: about 4 MB a day. After each rebuild the closed ones are dropped.
    """

    async def recompose(self) -> None:
        await super().recompose()
        watchers = getattr(self, "__watchers", {}).get("compact")
        if watchers:
            watchers[:] = [(key, callback) for key, callback in watchers if key.is_attached]
