"""A Static that repaints only when its content really changes."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static


class QuietStatic(Static):
    """Static whose `show_content` skips the repaint when nothing changed.

    The dashboard redraws on every clock minute; most of it is the same as a minute before, and a
    repaint is the main cost of an idle dashboard.
    """

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._content: Content | str | None = None

    def show_content(self, content: Content | str) -> None:
        """Update to `content` unless it is what is already shown."""
        if content != self._content:
            self._content = content
            self.update(content)
