"""A short welcome on the very first start: what walkbreak does, the hours and target in force,
where to change them, and the one-line safety note."""

from __future__ import annotations

import os
from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from walkbreak.core.settings import WEEKDAYS, Settings

MARKER = ".welcomed"
"""In the data dir once the welcome was shown (or was not needed: history already there)."""


def first_start(directory: str, has_history: Callable[[], bool]) -> bool:
    """Whether this is walkbreak's very first start here; marks it so the welcome shows once.
    `has_history` is asked only when the mark is missing (every later start pays one stat)."""
    marker = os.path.join(directory, MARKER)
    if os.path.exists(marker):
        return False
    try:
        os.close(os.open(marker, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError:
        return False  # a data dir that cannot be written: the store says so itself
    return not has_history()


def work_days(days: frozenset[int]) -> str:
    """ "Mon–Fri", "Mon, Tue, Thu", "every day": three days or more in a row as a range."""
    if len(days) == 7:
        return "every day"
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    names = [WEEKDAYS[day].capitalize() for day in range(7)]
    words: list[str] = []
    for run in runs:
        words += [f"{names[run[0]]}–{names[run[-1]]}"] if len(run) > 2 else [names[day] for day in run]
    return ", ".join(words)


class WelcomeScreen(ModalScreen[None]):
    """Enter or Esc starts."""

    BINDINGS = [
        Binding("escape,enter,space", "dismiss(None)", "Start", priority=True),
        Binding("question_mark", "keys", "Keys", priority=True),
    ]
    DEFAULT_CSS = """
    WelcomeScreen { align: center middle; }
    WelcomeScreen > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%; overflow-y: auto;
        border: round $success; border-title-style: bold; padding: 1 2; background: $surface;
    }
    WelcomeScreen Static { margin-bottom: 1; }
    """

    def __init__(self, settings: Settings, config_path: str) -> None:
        super().__init__()
        self.settings = settings
        self.config_path = config_path

    def action_keys(self) -> None:
        """Closed, with the help open in its place."""
        self.dismiss(None)
        self.app.call_later(self.app.run_action, "help")

    def compose(self) -> ComposeResult:
        prefs = self.settings
        hours = ", ".join(str(w) for w in prefs.work.windows).replace("-", "–")
        with Vertical() as box:
            box.border_title = "Welcome to walkbreak"
            yield Static(
                f"walkbreak asks you for a {prefs.walk.bout_minutes}-minute walk about every "
                f"{prefs.prompts.interval_minutes} minutes of your work hours, and counts your walks "
                "against the day's target: short, frequent, comfortable walks are kind to a sore back."
            )
            yield Static(
                Content.assemble(
                    Content.styled("In force now: ", "bold"),
                    f"{work_days(prefs.work.days)} {hours} · {prefs.walk.daily_target} walks a day.\n",
                    Content.styled(f"Change them in {self.config_path}", "$text-muted"),
                    Content.styled(" (`walkbreak config init` writes one to edit).", "$text-muted"),
                )
            )
            yield Static(
                Content.styled(
                    "walkbreak is a reminder tool, not medical advice: new numbness, leg weakness, "
                    "severe pain or pain after a fall means see a doctor.",
                    "$warning",
                )
            )
            yield Static(Content.styled("Enter to start · ? for the keys", "bold"))
