"""The walk: comfortable, brisk, comfortable, with the current phase, time left and a cue."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from walkbreak.core.named_tuple import NamedTuple
from walkbreak.core.routine import Phase, phase_at
from walkbreak.core.status import format_minutes
from walkbreak.tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from walkbreak.tui.app import WalkbreakApp


class WalkResult(NamedTuple):
    """How a walk ended: when it began and how many minutes it took, or None if called off;
    `elsewhere` when it was ended without this guide (counted at its planned length)."""

    start: datetime
    minutes: float | None
    elsewhere: bool = False


class WalkScreen(Screen[WalkResult]):
    """Guides one walk and says how long it took when the user is back."""

    class PhaseChanged(Message):
        """The walk moved to a new part (`name`, e.g. "brisk"); `cue` says how to walk it."""

        def __init__(self, name: str, cue: str) -> None:
            super().__init__()
            self.name = name
            self.cue = cue

    app: WalkbreakApp

    BINDINGS = [
        Binding("enter", "back", "I'm back", priority=True),
        Binding("escape", "call_off", "Call it off"),
    ]

    DEFAULT_CSS = """
    WalkScreen { align: center middle; }
    WalkScreen #walk { width: 64; height: auto; border: round $success; padding: 1 2; }
    WalkScreen #phases { margin-bottom: 1; }
    WalkScreen #now { text-style: bold; }
    WalkScreen #cue { margin: 1 0; }
    """

    def __init__(self, minutes: float, start: datetime, parts: tuple[Phase, ...], tip_text: str) -> None:
        super().__init__()
        self.minutes = minutes
        self.start = start
        self.parts = parts
        self.tip_text = tip_text
        self.phase = -1

    def compose(self) -> ComposeResult:
        with Vertical(id="walk"):
            yield Static(id="phases")
            yield Static(id="now")
            yield Static(id="cue")
            yield Static(
                Content.styled(f"Tip: {self.tip_text}", "$text-muted"),
                id="tip",
            )
            yield Static(Content.styled("Enter when you are back · Esc to call it off", "$text-muted"))
        yield KeysFooter()

    def on_mount(self) -> None:
        self.tick()
        # Seconds tick only here, where a countdown is on screen; faster when the clock is scaled.
        self.set_interval(min(1.0, max(0.1, 1 / self.app.clock.speed)), self.tick)

    def elapsed(self) -> float:
        """Minutes since the walk began, by the app's clock."""
        return (self.app.clock.now() - self.start).total_seconds() / 60

    def tick(self) -> None:
        """Redraw the phase and the time left; ring the bell when a new phase begins."""
        if not self.query("#phases"):
            return  # a tick that comes as the screen is taken down (the app quitting)
        elapsed = self.elapsed()
        parts = self.parts
        index, left = phase_at(parts, elapsed)
        if index != self.phase:
            if self.phase >= 0:
                self.post_message(self.PhaseChanged(parts[index].name, parts[index].cue))
            self.phase = index
        line = []
        for n, part in enumerate(parts):
            style = "bold reverse $success" if n == index else ("$text-muted" if n < index else "")
            line.append(Content.styled(f" {part.name} {_length(part.minutes)} ", style))
            if n < len(parts) - 1:
                line.append(Content(" → "))
        self.query_one("#phases", Static).update(Content.assemble(*line))
        over = elapsed - self.minutes
        if over >= 0:
            status = f"Done: {format_minutes(elapsed)} walked. Press Enter when you are back."
        else:
            seconds = round(left * 60)
            status = f"{parts[index].name.capitalize()}: {seconds // 60}:{seconds % 60:02d} left in this part"
        self.query_one("#now", Static).update(status)
        self.query_one("#cue", Static).update(parts[index].cue)

    def action_back(self) -> None:
        """Back from the walk: its real length goes to the caller."""
        self.dismiss(WalkResult(self.start, round(self.elapsed(), 1)))

    def action_call_off(self) -> None:
        """Not walking after all."""
        self.dismiss(WalkResult(self.start, None))

    def ended_elsewhere(self) -> None:
        """The walk was ended without this guide (nobody came back to it): close."""
        self.dismiss(WalkResult(self.start, None, elsewhere=True))


def _length(minutes: float) -> str:
    """A phase's length: "2 min", "1½ min", "1.7 min"."""
    whole, part = divmod(round(minutes * 10) / 10, 1)
    if part == 0:
        return f"{whole:.0f} min"
    if abs(part - 0.5) < 0.05:
        return f"{whole:.0f}½ min" if whole else "½ min"
    return f"{minutes:.1f} min"
