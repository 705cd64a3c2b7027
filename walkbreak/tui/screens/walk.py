"""The walk: comfortable, brisk, comfortable, with the current phase, time left and a cue."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Digits, ProgressBar, Static

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

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (50, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    DEFAULT_CSS = """
    WalkScreen { align: center middle; }
    WalkScreen #walk {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $success; border-title-style: bold; padding: 0 2;
    }
    WalkScreen #phases { margin-bottom: 1; }
    WalkScreen #part { text-style: bold; color: $success; }
    WalkScreen #left-row { height: 3; }
    WalkScreen #left { width: auto; }
    WalkScreen #left-words { width: auto; padding: 2 0 0 1; color: $text-muted; }
    WalkScreen .bar-row { height: 1; }
    WalkScreen .bar-row Static { width: 12; color: $text-muted; }
    WalkScreen ProgressBar { width: 1fr; }
    WalkScreen ProgressBar Bar { width: 1fr; }
    WalkScreen #cue { margin-top: 1; }
    WalkScreen #then { color: $text-muted; }
    WalkScreen #tip { margin-top: 1; }
    WalkScreen.-short #walk { border: none; padding: 0 1; }
    WalkScreen.-short #phases, WalkScreen.-short #tip, WalkScreen.-short #left-row { display: none; }
    WalkScreen.-short #cue { margin-top: 0; }
    WalkScreen.-narrow #phases, WalkScreen.-narrow #left-row { display: none; }
    WalkScreen #left-line { display: none; }
    WalkScreen.-short #left-line, WalkScreen.-narrow #left-line { display: block; }
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
            yield Static(id="part")
            with Horizontal(id="left-row"):
                yield Digits(id="left")
                yield Static(id="left-words")
            yield Static(id="left-line")  # the time left in words, where the digits do not fit
            with Horizontal(classes="bar-row"):
                yield Static("this part")
                yield ProgressBar(id="part-bar", show_eta=False, show_percentage=False)
            with Horizontal(classes="bar-row"):
                yield Static("whole walk")
                yield ProgressBar(id="walk-bar", show_eta=False, show_percentage=False)
            yield Static(id="cue")
            yield Static(id="then")
            yield Static(Content.styled(f"Tip: {self.tip_text}", "$text-muted"), id="tip")
        yield KeysFooter(usable_only=True)

    def on_mount(self) -> None:
        self.query_one("#walk").border_title = f"Walk · {format_minutes(self.minutes)}"
        self.query_one("#walk").border_subtitle = "Enter when you are back · Esc calls it off"
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
        done = elapsed >= self.minutes
        seconds = round(left * 60)
        clock = f"{seconds // 60}:{seconds % 60:02d}"
        if done:
            logged = round(elapsed, 1)  # what Enter logs, said as its toast will say it
            heading = f"Done: {format_minutes(logged)} walked"
            words = ""  # the line under says what to do
            whole = int(logged + 0.5)
            big, unit = (str(whole), "min") if whole < 60 else (f"{whole // 60}:{whole % 60:02d}", "h")
            self.query_one("#left", Digits).update(big)
            self.query_one("#left-words", Static).update(f"{unit} walked")
        else:
            heading = f"{parts[index].name.capitalize()} pace"
            words = f"{clock} left in this part"
            self.query_one("#left", Digits).update(clock)
            self.query_one("#left-words", Static).update("left in this part")
        self.query_one("#part", Static).update(heading)
        self.query_one("#left-line", Static).update(Content.styled(words, "bold"))
        length = parts[index].minutes
        self.query_one("#part-bar", ProgressBar).update(total=length, progress=length - left)
        self.query_one("#walk-bar", ProgressBar).update(
            total=self.minutes, progress=min(elapsed, self.minutes)
        )
        self.query_one("#cue", Static).update(parts[index].cue)
        if done:
            then = "Press Enter when you are back."
        elif index + 1 < len(parts):
            then = f"Then: {parts[index + 1].name} {_length(parts[index + 1].minutes)}"
        else:
            then = "Then: back to your desk"
        self.query_one("#then", Static).update(then)

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
