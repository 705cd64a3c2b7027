"""The care questions on the dashboard: a suggestion to accept or decline, and the follow-up."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, Static

from walkbreak.core.model import Advice, CheckIn


class SuggestionPanel(Vertical):
    """A suggestion with its reason; hidden while none waits.

    The dashboard mounts it the first time there is something to ask (the first paint need
    not build buttons for questions that may never come).
    """

    DEFAULT_CSS = """
    SuggestionPanel { height: auto; border: round $accent; padding: 0 1; display: none; }
    SuggestionPanel.-asking { display: block; }
    SuggestionPanel Horizontal { height: auto; }
    SuggestionPanel Button { margin-right: 2; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="suggestion-text")
        with Horizontal():
            yield Button("Accept (a)", id="advice-accept", compact=True, variant="success")
            yield Button("Decline (d)", id="advice-decline", compact=True)

    shown: Advice | None = None

    def __init__(self, advice: Advice | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._first = advice

    def on_mount(self) -> None:
        self.show(self._first)

    def show(self, advice: Advice | None) -> None:
        """Offer `advice`, or hide when None."""
        if advice == self.shown:
            return
        self.shown = advice
        self.set_class(advice is not None, "-asking")
        if advice is not None:
            direction = "Scale back" if advice.direction == "scale-back" else "Scale up"
            self.query_one("#suggestion-text", Static).update(
                Content.assemble(
                    Content.styled(f"{direction}: ", "bold"),
                    f"{advice.text}.\n",
                    Content.styled(
                        f"Why: {advice.reason}. Nothing changes unless you accept.", "$text-muted"
                    ),
                )
            )


class FollowUpPanel(Vertical):
    """ "Has the soreness settled?", hours after a "slightly sore" check-in (mounted when first asked)."""

    DEFAULT_CSS = """
    FollowUpPanel { height: auto; border: round $secondary; padding: 0 1; display: none; }
    FollowUpPanel.-asking { display: block; }
    FollowUpPanel Horizontal { height: auto; }
    FollowUpPanel Button { margin-right: 2; }
    """

    def compose(self) -> ComposeResult:
        yield Static(id="followup-question")
        with Horizontal():
            yield Button("Settled (y)", id="followup-settled", compact=True, variant="success")
            yield Button("Still sore (n)", id="followup-sore", compact=True)

    asked: CheckIn | None = None

    def __init__(self, checkin: CheckIn | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._first = checkin

    def on_mount(self) -> None:
        self.show(self._first)

    def show(self, checkin: CheckIn | None) -> None:
        """Ask about `checkin`, or hide when None."""
        if checkin == self.asked:
            return
        self.asked = checkin
        self.set_class(checkin is not None, "-asking")
        if checkin is not None:
            self.query_one("#followup-question", Static).update(
                f"At {checkin.at:%H:%M}, after a walk, your back was slightly sore. Has the soreness settled?"
            )
