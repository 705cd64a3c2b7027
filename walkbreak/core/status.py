"""Today at a glance, as one line of text and as a dict for scripts and status bars."""

from __future__ import annotations

from datetime import datetime

from walkbreak.core.busy import Busy, next_busy
from walkbreak.core.planner import Plan, PlanState
from walkbreak.core.tally import DayTally
from walkbreak.core.timeline import elapsed

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see core/named_tuple.py)
if TYPE_CHECKING:
    from typing import Any


def format_minutes(minutes: float) -> str:
    """Minutes as "45 min", "1 h", "2 h 05 min" (a half rounded up, as `format_number`)."""
    whole = int(minutes + 0.5)
    if whole < 60:
        return f"{whole} min"
    hours, rest = divmod(whole, 60)
    return f"{hours} h" if rest == 0 else f"{hours} h {rest:02d} min"


def format_number(value: float) -> str:
    """A count of minutes, whole, a half rounded up: "13", not "13.3" (a walk is timed to the
    tenth of a minute, but nobody reads a tally that way; `status --json` and the weekly
    report keep the tenths)."""
    return str(int(value + 0.5))


def format_tenths(value: float) -> str:
    """A count of minutes to the tenth, without a needless ".0" (the weekly report)."""
    return f"{value:.0f}" if abs(value - round(value)) < 0.05 else f"{value:.1f}"


def next_text(plan: Plan, now: datetime, next_walk: str = "next {clock} ({when})") -> str:
    """What comes next, in words: "next 14:35 (in 22 min)", "paused until 14:00", …

    `next_walk` words the next prompt from its `{clock}` time and `{when}` countdown (the
    dashboard says "next walk 14:35 · in 22 min").
    """
    if plan.state is PlanState.DUE:
        return "walk due now"
    if plan.state is PlanState.WALKING and plan.walking is not None:
        walk = plan.walking
        return f"walking now (since {clock_label(walk.start, now)}, back about {clock_label(walk.end, now)})"
    if plan.state is PlanState.HELD:
        return "prompts held after a red flag (resume when a doctor says walking is fine)"
    if plan.state is PlanState.NO_PROMPTS_TODAY:
        return "no prompts today"
    if plan.state is PlanState.DAY_OVER:
        return "no more prompts today"
    if plan.state is PlanState.TARGET_MET and plan.at is None:
        return "target met"
    parts = []
    if plan.paused_until and plan.at is None and plan.paused_until.astimezone(now.tzinfo).date() > now.date():
        return "paused for the rest of today"
    if plan.paused_until:
        parts.append(f"paused until {clock_label(plan.paused_until, now)}")
    if plan.at:
        parts.append(next_walk.format(clock=clock_label(plan.at, now), when=countdown(plan.at, now)))
        if plan.after:  # it waited for a meeting
            parts[-1] += f", after your {meeting_span(plan.after, now)} meeting"
        if plan.before:  # it comes ahead of meetings that last past work
            parts[-1] += f", before your {meeting_span(plan.before, now)} meeting"
    elif plan.paused_until:
        parts.append("then no more prompts today")
    return " · ".join(parts)


def status_line(tally: DayTally, plan: Plan, now: datetime) -> str:
    """One line: walks and minutes against target, then what comes next."""
    target = f"/{tally.target}" if tally.target else ""
    minutes = format_number(tally.minutes)
    minutes_target = f"/{tally.target_minutes}" if tally.target else ""
    line = f"walks {tally.bouts}{target} · {minutes}{minutes_target} min"
    if tally.met and plan.state is not PlanState.TARGET_MET:
        line += " · target met"
    return f"{line} · {next_text(plan, now)}"


def status_dict(
    tally: DayTally, plan: Plan, now: datetime, notifications: str = "", busy: tuple[Busy, ...] = ()
) -> dict[str, Any]:
    """The same facts for `status --json`; `notifications` says why prompts cannot reach the
    desktop; `busy` are the calendars' busy blocks (the one under way or next is given)."""
    coming = next_busy(busy, now)
    return {
        "day": tally.day.isoformat(),
        "bouts": tally.bouts,
        "target": tally.target,
        "minutes": round(float(tally.minutes), 1),  # always a float: 0.0 before a walk, as 5.0 after
        "target_minutes": tally.target_minutes,
        "target_met": tally.met,
        "spread": tally.spread,
        "work_hours": tally.work_hours,
        "state": plan.state.value,
        "next": plan.at.isoformat() if plan.at else None,
        "paused_until": plan.paused_until.isoformat() if plan.paused_until else None,
        "prompt_waiting_since": plan.open_prompt.fired_at.isoformat() if plan.open_prompt else None,
        "notifications": notifications or None,
        "next_busy": _busy_dict(coming) if coming else None,
        "waits_for": _busy_dict(plan.after) if plan.after else None,
        "comes_before": _busy_dict(plan.before) if plan.before else None,
        "text": status_line(tally, plan, now),
    }


def _busy_dict(block: Busy) -> dict[str, str]:
    return {
        "start": block.start.isoformat(),
        "end": block.end.isoformat(),
        "title": block.title,
        "source": block.source,
    }


def meeting_span(block: Busy, now: datetime) -> str:
    """ "14:00–15:30", with the weekday where it is not today."""
    return f"{clock_label(block.start, now)}–{clock_label(block.end, now)}"


def countdown(at: datetime, now: datetime) -> str:
    """How long until `at`: "now", "in 45 s", "in 22 min", "in 1 h 05 min"."""
    seconds = max(0.0, elapsed(now, at).total_seconds())
    if seconds < 1:
        return "now"
    if seconds < 60:
        return f"in {seconds:.0f} s"
    return f"in {format_minutes(seconds / 60)}"


def clock_label(at: datetime, now: datetime) -> str:
    """ "14:35", with the weekday when it is not today."""
    at = at.astimezone(now.tzinfo)
    return f"{at:%H:%M}" if at.date() == now.date() else f"{at:%a %H:%M}"
