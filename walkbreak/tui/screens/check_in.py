"""The check-in after a walk: how the back feels, one key each, with optional red flags."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Static

from walkbreak.core.feelings import Feeling, Flag
from walkbreak.core.named_tuple import NamedTuple

FEELINGS: tuple[tuple[str, str, Feeling], ...] = (
    ("1", "Better", Feeling.BETTER),
    ("2", "Same", Feeling.SAME),
    ("3", "Slightly sore", Feeling.SORE),
    ("4", "Pain spiked", Feeling.SPIKED),
)
FLAGS: tuple[tuple[str, Flag], ...] = (
    ("n", Flag.NUMBNESS),
    ("l", Flag.WEAKNESS),
    ("v", Flag.SEVERE),
    ("f", Flag.FALL),
)


class CheckInAnswer(NamedTuple):
    """How the back felt, and any red flags ticked."""

    feeling: Feeling
    flags: tuple[Flag, ...]


class CheckInScreen(ModalScreen[CheckInAnswer | None]):
    """Asks once after a walk; a feeling key answers at once, Esc skips the check-in."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Skip the check-in")]

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (76, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (20, "-tall")]
    DEFAULT_CSS = """
    CheckInScreen { align: center middle; }
    CheckInScreen > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%; overflow-y: auto;
        border: round $primary; padding: 1 2; background: $surface;
    }
    CheckInScreen.-narrow #feelings { layout: grid; grid-size: 2; grid-rows: 1; grid-gutter: 0 1; }
    CheckInScreen.-narrow > Vertical, CheckInScreen.-short > Vertical { padding: 0 1; }
    CheckInScreen.-short #feelings { margin: 0; }
    CheckInScreen #feelings { height: auto; margin: 1 0; }
    CheckInScreen #feelings Button { margin-right: 1; min-width: 0; width: auto; }
    CheckInScreen Checkbox { border: none; padding: 0; height: 1; }
    CheckInScreen .muted { color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content.styled("How does your back feel after this walk?", "bold"))
            with Horizontal(id="feelings"):
                for key, label, feeling in FEELINGS:
                    yield Button(f"{label} ({key})", id=f"feel-{feeling.name.lower()}", compact=True)
            yield Static("Anything new? Tick it first (it means: see a doctor):", classes="muted")
            for key, flag in FLAGS:
                yield Checkbox(
                    f"{flag.value[0].upper()}{flag.value[1:]} ({key})", id=f"flag-{key}", compact=True
                )
            yield Static("Esc skips the check-in.", classes="muted")

    def on_mount(self) -> None:
        self.query_one("#feel-same", Button).focus()

    def ticked(self) -> tuple[Flag, ...]:
        """The red flags ticked so far."""
        return tuple(flag for key, flag in FLAGS if self.query_one(f"#flag-{key}", Checkbox).value)

    def on_key(self, event: events.Key) -> None:
        for key, _, feeling in FEELINGS:
            if event.key == key:
                event.stop()
                self.dismiss(CheckInAnswer(feeling, self.ticked()))
                return
        for key, _ in FLAGS:
            if event.key == key:
                event.stop()
                self.query_one(f"#flag-{key}", Checkbox).toggle()
                return

    def on_button_pressed(self, event: Button.Pressed) -> None:
        for _, _, feeling in FEELINGS:
            if event.button.id == f"feel-{feeling.name.lower()}":
                self.dismiss(CheckInAnswer(feeling, self.ticked()))
