"""The care questions on the dashboard: a suggestion to accept or decline, and the follow-up.

The dashboard mounts each the first time there is something to ask (the first paint need not
build buttons for questions that may never come).
"""

from __future__ import annotations

from textual.content import Content

from walkbreak.core.model import Advice, CheckIn
from walkbreak.tui.widgets.question_panel import QuestionPanel


class SuggestionPanel(QuestionPanel[Advice]):
    """A suggestion with its reason."""

    DEFAULT_CSS = """
    SuggestionPanel { border: round $accent; }
    """

    TEXT_ID = "suggestion-text"
    ANSWERS = (
        ("Accept (a)", "advice-accept", "success", "app.advice(True)"),
        ("Decline (d)", "advice-decline", "default", "app.advice(False)"),
    )

    def text(self, item: Advice) -> Content:
        direction = "Scale back" if item.direction == "scale-back" else "Scale up"
        return Content.assemble(
            Content.styled(f"{direction}: ", "bold"),
            f"{item.text}.\n",
            Content.styled(f"Why: {item.reason}. Nothing changes unless you accept.", "$text-muted"),
        )


class FollowUpPanel(QuestionPanel[CheckIn]):
    """ "Has the soreness settled?", hours after a "slightly sore" check-in."""

    TEXT_ID = "followup-question"
    ANSWERS = (
        ("Settled (y)", "followup-settled", "success", "app.followup(True)"),
        ("Still sore (n)", "followup-sore", "default", "app.followup(False)"),
    )

    def text(self, item: CheckIn) -> str:
        return f"At {item.at:%H:%M}, after a walk, your back was slightly sore. Has the soreness settled?"
