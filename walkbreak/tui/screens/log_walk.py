"""Logging a walk taken without a prompt, or changing one: minutes and start time."""

from __future__ import annotations

from datetime import datetime, timedelta

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static

from walkbreak.core.settings import parse_clock


class LogWalkScreen(ModalScreen[tuple[datetime, float] | None]):
    """Asks for a walk's minutes and start time; answers (start, minutes) or None."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    DEFAULT_CSS = """
    LogWalkScreen { align: center middle; }
    LogWalkScreen > Vertical { width: 50; height: auto; border: round $primary; padding: 1 2; background: $surface; }
    LogWalkScreen Input { margin-bottom: 1; }
    LogWalkScreen #error { color: $error; height: auto; }
    LogWalkScreen Horizontal { height: auto; }
    LogWalkScreen Button { margin-right: 2; }
    """

    def __init__(self, title: str, now: datetime, minutes: float, start: datetime | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.now = now
        self.minutes = minutes
        self.start = start or now - timedelta(minutes=minutes)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self.title_text)
            yield Label("Minutes walked")
            yield Input(f"{self.minutes:g}", id="minutes")
            yield Label("Started at (HH:MM, today)")
            yield Input(f"{self.start:%H:%M}", id="start")
            yield Static(id="error")
            with Horizontal():
                yield Button("Save (Enter)", id="save", variant="primary", compact=True)
                yield Button("Cancel (Esc)", id="cancel", compact=True)

    def on_input_submitted(self) -> None:
        self.save()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self.save()
        else:
            self.dismiss(None)

    def save(self) -> None:
        """Check the two fields; dismiss with them, or say what is wrong."""
        error = self.query_one("#error", Static)
        try:
            minutes = float(self.query_one("#minutes", Input).value)
        except ValueError:
            error.update("Minutes must be a number, e.g. 5 or 7.5.")
            return
        if not 0 < minutes <= 240:
            error.update("Minutes must be more than 0 and at most 240.")
            return
        try:
            clock = parse_clock(self.query_one("#start", Input).value.strip())
        except ValueError as err:
            error.update(f"Start: {err}.")
            return
        start = datetime.combine(self.now.date(), datetime.min.time(), self.now.tzinfo) + timedelta(
            minutes=clock
        )
        if start > self.now:
            error.update("That start is in the future: log a walk once you have taken it.")
            return
        self.dismiss((start, minutes))
