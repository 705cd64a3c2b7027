"""A question on the dashboard with two answers, a button (and key) each; hidden while none is asked."""

from __future__ import annotations

from typing import ClassVar, Generic, TypeVar

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

T = TypeVar("T")


class QuestionPanel(Vertical, Generic[T]):
    """Shows `text(item)` and the `ANSWERS` buttons while an item is asked about.

    Each button runs the app action its key runs (the keys are app bindings).
    """

    DEFAULT_CSS = """
    QuestionPanel { height: auto; border: round $secondary; padding: 0 1; display: none; }
    QuestionPanel.-asking { display: block; }
    QuestionPanel Horizontal { height: auto; }
    QuestionPanel Button { margin-right: 2; }
    """

    TEXT_ID: ClassVar[str]
    ANSWERS: ClassVar[tuple[tuple[str, str, str, str], ...]]
    """(label, button id, variant, app action) for each answer."""

    def __init__(self, item: T | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._first = item
        self._mounted = False
        self.shown: T | None = None

    def compose(self) -> ComposeResult:
        yield Static(id=self.TEXT_ID)
        with Horizontal():
            for label, button_id, variant, action in self.ANSWERS:
                yield Button(label, id=button_id, compact=True, variant=variant, action=action)  # type: ignore[arg-type]

    def on_mount(self) -> None:
        self._mounted = True  # with every widget composed, the buttons too
        if self._first is not None:
            self.show(self._first)

    def show(self, item: T | None) -> None:
        """Ask about `item`, or hide when None."""
        if item == self.shown:
            return
        if not self._mounted:  # on_mount asks it
            self._first = item
            return
        self.shown = item
        self.set_class(item is not None, "-asking")
        if item is not None:
            self.query_one(f"#{self.TEXT_ID}", Static).update(self.text(item))

    def text(self, item: T) -> str | Content:
        """The question about `item`."""
        raise NotImplementedError
