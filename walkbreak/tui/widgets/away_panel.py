"""The question after the machine slept through work time: "were you walking?"."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Static

from walkbreak.core.model import Away


class AwayPanel(Vertical):
    """Shown while an away period waits for an answer."""

    DEFAULT_CSS = """
    AwayPanel { height: auto; border: round $secondary; padding: 0 1; display: none; }
    AwayPanel.-asking { display: block; }
    AwayPanel Horizontal { height: auto; }
    AwayPanel Button { margin-right: 2; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="away-question")
        with Horizontal():
            yield Button("Yes, log it (y)", id="away-yes", compact=True, variant="success")
            yield Button("No (n)", id="away-no", compact=True)

    asked: Away | None = None

    def show(self, away: Away | None) -> None:
        """Ask about `away`, or hide when None."""
        if away == self.asked:
            return
        self.asked = away
        self.set_class(away is not None, "-asking")
        if away is not None:
            minutes = round((away.end - away.start).total_seconds() / 60)
            self.query_one("#away-question", Static).update(
                f"You were away {away.start:%H:%M}–{away.end:%H:%M} ({minutes} min) during work hours. Were you walking?"
            )
