"""What comes next: "Next walk 14:35 · in 22 min", "Paused until 14:00", "Walk due now"."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content

from walkbreak.core.model import CheckIn
from walkbreak.core.planner import Plan, PlanState
from walkbreak.core.status import next_text
from walkbreak.tui.widgets.quiet_static import QuietStatic


class NextPrompt(QuietStatic):
    """The next prompt, then the streak and check-ins, on two lines."""

    DEFAULT_CSS = """
    NextPrompt { height: 2; }
    """

    def show(
        self,
        plan: Plan,
        now: datetime,
        streak: int | None,
        checkins: tuple[CheckIn, ...] = (),
        waiting: str = "",
    ) -> None:
        """Draw the plan as seen at `now`, the streak and today's latest check-ins.

        `waiting` says why a prompt that is due is held back (do not disturb, the user away).
        """
        style = "bold $warning" if plan.state is PlanState.DUE else "bold"
        hint = "  (r resumes)" if plan.state is PlanState.PAUSED else ""
        if waiting and plan.at is not None and plan.state is not PlanState.DUE:
            hint = f"  (waits: {waiting})"
        days = (
            ""
            if streak is None
            else f"streak: {streak} day{'s' if streak != 1 else ''} meeting the target · "
        )
        feelings = ", ".join(c.feeling for c in checkins[-3:]) or "none yet today"
        streak_text = f"{days}check-ins: {feelings}"
        self.show_content(
            Content.assemble(
                Content.styled(describe(plan, now), style),
                Content.styled(hint, "$text-muted"),
                "\n",
                Content.styled(streak_text, "$text-muted"),
            )
        )


def describe(plan: Plan, now: datetime) -> str:
    """What comes next, for the dashboard: "Next walk 14:35 · in 22 min", "Walk due now", …"""
    text = next_text(plan, now, next_walk="next walk {clock} · {when}")
    return text[0].upper() + text[1:]
