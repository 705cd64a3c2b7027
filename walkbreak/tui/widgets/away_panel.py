"""The question after the machine slept through work time: "were you walking?"."""

from __future__ import annotations

from walkbreak.core.model import Away
from walkbreak.tui.widgets.question_panel import QuestionPanel


class AwayPanel(QuestionPanel[Away]):
    """Shown while an away period waits for an answer."""

    TEXT_ID = "away-question"
    ANSWERS = (
        ("Yes, log it (y)", "away-yes", "success", "app.away(True)"),
        ("No (n)", "away-no", "default", "app.away(False)"),
    )

    def text(self, item: Away) -> str:
        minutes = round((item.end - item.start).total_seconds() / 60)
        return f"You were away {item.start:%H:%M}–{item.end:%H:%M} ({minutes} min) during work hours. Were you walking?"
