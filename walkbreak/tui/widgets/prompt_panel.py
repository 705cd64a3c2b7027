"""A waiting walk prompt, answered with one key or one click."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from walkbreak.core.message import PromptMessage


class PromptPanel(Vertical):
    """The prompt's words and its three answers; hidden while no prompt waits."""

    DEFAULT_CSS = """
    PromptPanel {
        height: auto;
        border: round $warning;
        padding: 0 1;
        display: none;
    }
    PromptPanel.-waiting { display: block; }
    PromptPanel #prompt-title { text-style: bold; }
    PromptPanel Horizontal { height: auto; }
    PromptPanel Button { margin-right: 2; min-width: 14; }
    """

    def __init__(self, message: PromptMessage | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._first = message
        self._mounted = False
        self.shown: PromptMessage | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="prompt-title")
        yield Static(id="prompt-body")
        with Horizontal():
            yield Button("Walk now (w)", id="walk", variant="success", compact=True, action="app.walk")
            yield Button("Snooze (s)", id="snooze", compact=True, action="app.snooze")
            yield Button("Skip (k)", id="skip", variant="warning", compact=True, action="app.skip")

    def on_mount(self) -> None:
        self._mounted = True  # with every widget composed: the buttons mount after the title
        self.show(self._first)

    def show(self, message: PromptMessage | None) -> None:
        """Show `message`, or hide the panel when None."""
        if message == self.shown:
            return
        if not self._mounted:  # on_mount shows it
            self._first = message
            return
        self.shown = message
        self.set_class(message is not None, "-waiting")
        if message is None:
            return
        self.query_one("#prompt-title", Static).update(message.title)
        self.query_one("#prompt-body", Static).update(message.body)
        snooze = self.query_one("#snooze", Button)
        snooze.label = f"Snooze {message.snooze_minutes} min (s)"
        snooze.display = message.can_snooze  # gone after the last snooze, as on the notification
