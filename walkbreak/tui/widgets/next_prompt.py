"""What comes next: a countdown to the next walk in large digits where the screen has room, and
"Next walk 14:35 · in 22 min", "Paused until 14:00", "Walk due now" in words."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content
from textual.renderables.digits import DIGITS, DIGITS3X3

from walkbreak.core.planner import Plan, PlanState
from walkbreak.core.settings import Settings
from walkbreak.core.status import clock_label, next_text
from walkbreak.core.timeline import elapsed
from walkbreak.core.work_days import next_work_prompt, work_starts
from walkbreak.tui.widgets.quiet_static import QuietStatic


class NextPrompt(QuietStatic):
    """The words, or where the screen has room and a walk is coming, the countdown in large
    digits over its time. One widget, the digits drawn as text: a Digits widget, its row and a
    second line's widget cost every first paint."""

    ROOM = (76, 20)
    """The smallest screen (columns, lines) that shows the countdown: the panel then stands
    beside the tally."""

    def show(self, plan: Plan, now: datetime, waiting: str = "", settings: Settings | None = None) -> None:
        """Draw the plan as seen at `now`; `waiting` says why a prompt that is due is held back
        (do not disturb, the user away). With `settings`, before work it says when work starts,
        and on a day off when the next walk comes."""
        style = "bold $warning" if plan.state is PlanState.DUE else "bold"
        hint = "  (r resumes)" if plan.state is PlanState.PAUSED else ""
        if waiting and plan.at is not None and plan.state is not PlanState.DUE:
            hint = f"  (waits: {waiting})"
        if plan.state is PlanState.DUE and plan.open_prompt is not None:
            hint = f"\nwaiting since {plan.open_prompt.fired_at.astimezone(now.tzinfo):%H:%M}"
        starts = work_starts(settings, now) if settings and plan.state is PlanState.SCHEDULED else None
        if starts is not None:
            hint += f"\nwork starts {starts:%H:%M}; the first walk an interval later"
        if settings and plan.state is PlanState.NO_PROMPTS_TODAY:
            coming = next_work_prompt(settings, now)
            hint += f" (day off) · next walk {clock_label(coming, now)}" if coming else " (day off)"
        hint_content = Content.styled(hint, "$text-muted")
        left = count_down(plan, now)
        room = self.screen.size.width >= self.ROOM[0] and self.screen.size.height >= self.ROOM[1]
        if left is None or plan.at is None or not room:
            self.show_content(Content.assemble(Content.styled(describe(plan, now), style), hint_content))
            return
        top, middle, bottom = large_digits(left[0])
        at = f"at {plan.at.astimezone(now.tzinfo):%H:%M}" + (
            " after meeting" if plan.after else " before meeting" if plan.before else ""
        )
        if starts is not None:  # the panel has four lines: the words go on the last
            at, hint_content = f"{at} · work from {starts:%H:%M}", Content("")
        self.show_content(
            Content.assemble(
                f"{top}\n{middle}\n{bottom} ",
                Content.styled(left[1], "$text-muted"),
                "\n",
                Content.styled(at, "bold"),
                hint_content,
            )
        )


def describe(plan: Plan, now: datetime) -> str:
    """What comes next, for the dashboard: "Next walk 14:35 · in 22 min", "Walk due now", …"""
    text = next_text(plan, now, next_walk="next walk {clock} · {when}")
    return text[0].upper() + text[1:]


def large_digits(text: str) -> tuple[str, str, str]:
    """`text` (digits and ":") in Textual's three-line digit font, as three lines."""
    rows: tuple[list[str], list[str], list[str]] = ([], [], [])
    for character in text:
        place = DIGITS.index(character) * 3
        for row in range(3):
            rows[row].append(DIGITS3X3[place + row].ljust(3))
    return "".join(rows[0]), "".join(rows[1]), "".join(rows[2])


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
