"""A small modal that offers a few answers, each on its own key (skip reasons, pause lengths)."""

from __future__ import annotations

from typing import Generic, TypeVar

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

T = TypeVar("T")


class ChoiceScreen(ModalScreen[T | None], Generic[T]):
    """Pick one of `options` (key, label, value) by its key or a click; Esc picks nothing."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    DEFAULT_CSS = """
    ChoiceScreen { align: center middle; }
    ChoiceScreen > Vertical { width: 44; height: auto; border: round $primary; padding: 1 2; background: $surface; }
    ChoiceScreen Button { width: 100%; margin-top: 1; }
    """

    def __init__(self, title: str, options: list[tuple[str, str, T]]) -> None:
        super().__init__()
        self.title_text = title
        self.options = options

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text)
            for index, (key, label, _) in enumerate(self.options):
                yield Button(f"{label} ({key})", id=f"choice-{index}", compact=True)

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        for key, _, value in self.options:
            if event.key == key:
                event.stop()
                self.dismiss(value)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        index = int((event.button.id or "choice-0").removeprefix("choice-"))
        self.dismiss(self.options[index][2])
