"""What comes next: a countdown to the next walk in large digits where the screen has room, and
"Next walk 14:35 · in 22 min", "Paused until 14:00", "Walk due now" in words."""

from __future__ import annotations

from datetime import datetime

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Digits

from walkbreak.core.planner import Plan, PlanState
from walkbreak.core.status import next_text
from walkbreak.core.timeline import elapsed
from walkbreak.tui.widgets.quiet_static import QuietStatic


class NextPrompt(Vertical):
    """The countdown (hidden while none runs, or where the screen is short) over the words."""

    DEFAULT_CSS = """
    NextPrompt { height: auto; }
    NextPrompt #countdown-row { height: 3; display: none; }
    NextPrompt.-counting #countdown-row { display: block; }
    NextPrompt #next-at { display: none; }
    NextPrompt Digits { width: auto; }
    NextPrompt #countdown-unit { width: auto; padding: 2 0 0 1; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        with Horizontal(id="countdown-row"):
            yield Digits(id="countdown")
            yield QuietStatic(id="countdown-unit")
        yield QuietStatic("Next   planning…", id="next-line")
        yield QuietStatic(id="next-at")  # under the countdown, instead of the line

    def show(self, plan: Plan, now: datetime, waiting: str = "") -> None:
        """Draw the plan as seen at `now`; `waiting` says why a prompt that is due is held back
        (do not disturb, the user away)."""
        style = "bold $warning" if plan.state is PlanState.DUE else "bold"
        hint = "  (r resumes)" if plan.state is PlanState.PAUSED else ""
        if waiting and plan.at is not None and plan.state is not PlanState.DUE:
            hint = f"  (waits: {waiting})"
        if plan.state is PlanState.DUE and plan.open_prompt is not None:
            hint = f"\nwaiting since {plan.open_prompt.fired_at.astimezone(now.tzinfo):%H:%M}"
        hint_content = Content.styled(hint, "$text-muted")
        self.query_one("#next-line", QuietStatic).show_content(
            Content.assemble(Content.styled(describe(plan, now), style), hint_content)
        )
        if plan.at is not None:
            at = Content.styled(f"at {plan.at.astimezone(now.tzinfo):%H:%M}", "bold")
            self.query_one("#next-at", QuietStatic).show_content(Content.assemble(at, hint_content))
        left = count_down(plan, now)
        self.set_class(left is not None, "-counting")
        if left is not None:
            digits = self.query_one(Digits)
            if digits.value != left[0]:
                digits.update(left[0])
            self.query_one("#countdown-unit", QuietStatic).show_content(left[1])


def describe(plan: Plan, now: datetime) -> str:
    """What comes next, for the dashboard: "Next walk 14:35 · in 22 min", "Walk due now", …"""
    text = next_text(plan, now, next_walk="next walk {clock} · {when}")
    return text[0].upper() + text[1:]


def count_down(plan: Plan, now: datetime) -> tuple[str, str] | None:
    """The time to the next walk for large digits and its unit: ("22", "min"), ("1:05", "h"),
    ("40", "s"); None while no walk is coming (due, walking, paused, over for the day)."""
    if plan.at is None or plan.state in (PlanState.DUE, PlanState.WALKING) or plan.paused_until:
        return None
    seconds = max(0.0, elapsed(now, plan.at).total_seconds())
    if seconds < 60:
        return f"{seconds:.0f}", "s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return str(minutes), "min"
    return f"{minutes // 60}:{minutes % 60:02d}", "h"
