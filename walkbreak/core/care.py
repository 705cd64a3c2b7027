"""What the care rules (`care_rules.py`) leave to say and ask: the follow-up of a "slightly sore"
check-in, the words for a red flag, and the care events of recent days."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from walkbreak.core import timeline
from walkbreak.core.feelings import Feeling, Flag, flag_words
from walkbreak.core.model import CheckIn, DayLog
from walkbreak.core.settings import Settings, plan_in_force
from walkbreak.core.walk_plans import describe

FOLLOWUP_MIN_HOURS = 1.0
"""A follow-up moved to the end of the workday still waits at least this long."""


RED_FLAG_HEAD = "Please see a doctor promptly."
RED_FLAG_SENTENCES: dict[str, str] = {
    Flag.NUMBNESS: "New numbness or tingling is a red flag.",
    Flag.WEAKNESS: "Leg weakness is a red flag.",
    Flag.SEVERE: "Severe pain is a red flag.",
    Flag.FALL: "Pain after a fall or accident is a red flag.",
}
"""One sentence per flag, so any combination of them reads as plainly as one."""
RED_FLAG_REST = (
    "Have your back checked soon rather than walking it off. Your walk prompts are held until you "
    "resume them ({resume}); do that once a health professional says walking is fine."
)
RESUME_ANYWHERE = "r on the dashboard, or walkbreak resume"
"""How to resume, for a message that may be read in either place."""


def followup_due(settings: Settings, checkin: CheckIn) -> datetime | None:
    """When to ask whether the soreness after `checkin` settled, or None when no follow-up is due.

    `followup_hours` after the check-in, or at the end of that day's work if it comes first
    (but at least an hour after); never on a later day, when the walk is too far back to judge.
    """
    if checkin.feeling != Feeling.SORE or checkin.followup or checkin.flags:
        return None
    at = checkin.at
    due = at + timedelta(hours=settings.care.followup_hours)
    zone = at.tzinfo
    assert zone is not None
    windows = settings.work.windows_on(checkin.day)
    if windows:
        work_end = timeline.window_span(checkin.day, windows[-1], zone)[1]
        if due > work_end >= at + timedelta(hours=FOLLOWUP_MIN_HOURS):
            due = work_end.astimezone(zone)
    if due.astimezone(zone).date() != checkin.day:
        return None
    return due


def followup_waiting(settings: Settings, checkins: Sequence[CheckIn], now: datetime) -> CheckIn | None:
    """The check-in whose follow-up question is due at `now` and not answered yet."""
    for checkin in reversed(checkins):
        due = followup_due(settings, checkin)
        if due is not None and due <= now:
            return checkin
    return None


def red_flag_text(flags: Sequence[str], resume: str = RESUME_ANYWHERE) -> tuple[str, str]:
    """The plain message shown at once for a red flag: its first sentence, and the rest.

    One sentence per flag (stored flags in older words read in today's), then see a doctor,
    and that prompts are held until resumed — `resume` says how, where the message is read:
    "walkbreak resume" in a shell, the key on the dashboard.
    """
    named = dict.fromkeys(flag_words(f) for f in flags)  # each once, in the order given
    sentences = [RED_FLAG_SENTENCES.get(f) or f"{f[:1].upper()}{f[1:]} is a red flag." for f in named]
    body = " ".join([*(sentences or ["You noted a red flag."]), RED_FLAG_REST.format(resume=resume)])
    return RED_FLAG_HEAD, body


def events(days: Sequence[DayLog], limit: int = 5) -> list[str]:
    """The latest red flags and answered suggestions in `days`, oldest first, one line each."""
    found: list[tuple[datetime, str]] = []
    for day in days:
        for entry in day.checkins:
            if entry.flags:
                named = ", ".join(flag_words(f) for f in entry.flags)
                found.append((entry.at, f"{entry.at:%a %d %b %H:%M}  red flag: {named}"))
        for advice in day.advice:
            answer = advice.answer or "not answered"
            direction = advice.direction.replace("-", " ")
            found.append((advice.at, f"{advice.at:%a %d %b %H:%M}  {direction} ({answer}): {advice.text}"))
    found.sort()
    return [line for _, line in found[-limit:]]


def in_force(settings: Settings) -> str:
    """The walk in force in words, for history and reports."""
    plan = plan_in_force(settings)
    held = " · prompts held after a red flag" if plan.held_since else ""
    return f"walk in force: {describe(plan)}{held}"
