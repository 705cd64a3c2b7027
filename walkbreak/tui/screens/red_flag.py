"""Shown at once when a check-in names a red flag: see a doctor promptly; prompts are held."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from walkbreak.core.care import red_flag_text

RESUME_HERE = "press r"
"""How prompts are resumed, as the dashboard says it."""


HELD_BODY = (
    "Walk prompts have been held since {since}, after a red flag. walkbreak guides no walk "
    "until a health professional says walking is fine; then resume prompts (press r), and walk again. "
    "A walk you took anyway can still be logged (m)."
)


class RedFlagScreen(ModalScreen[None]):
    """The plain message; Enter or Esc closes it (prompts stay held until resumed).

    With `flags`, shown at once after a check-in that named them; with `held_since`, the note
    shown instead of a walk guide while prompts are held.
    """

    BINDINGS = [Binding("escape,enter", "dismiss(None)", "Close", priority=True)]

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (76, "-wide")]
    DEFAULT_CSS = """
    RedFlagScreen { align: center middle; }
    RedFlagScreen.-narrow > Vertical { padding: 0 1; }
    RedFlagScreen > Vertical {
        width: 68; max-width: 100%; height: auto; max-height: 100%; overflow-y: auto;
        border: thick $error; padding: 1 2; background: $surface;
    }
    RedFlagScreen #red-title { text-style: bold; color: $error; margin-bottom: 1; }
    RedFlagScreen Button, RedFlagScreen #red-note { margin-top: 1; }
    """

    def __init__(self, flags: tuple[str, ...] = (), held_since: datetime | None = None) -> None:
        super().__init__()
        self.flags = flags
        self.held_since = held_since

    def compose(self) -> ComposeResult:
        with Vertical():
            head, body = red_flag_text(self.flags, RESUME_HERE)
            if self.held_since is not None:
                body = HELD_BODY.format(since=f"{self.held_since:%a %d %b %H:%M}")
            yield Static(Content(head), id="red-title")  # plain: a stored flag is not markup
            yield Static(Content(body), id="red-text")
            yield Static(
                Content.styled(
                    "walkbreak is a reminder tool, not medical advice. This check-in is kept in your history.",
                    "$text-muted",
                ),
                id="red-note",
            )
            yield Button("I understand (Enter)", id="red-ok", variant="error", compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None)
