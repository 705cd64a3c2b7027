"""When work begins: today's first window, and the next work day's first prompt (for the
dashboard's "work starts 09:00 · first walk 10:00" and "day off · next walk Mon 10:00")."""

from __future__ import annotations

from datetime import datetime, timedelta

from walkbreak.core import timeline
from walkbreak.core.model import DayLog
from walkbreak.core.planner import plan
from walkbreak.core.settings import Settings


def work_starts(settings: Settings, now: datetime) -> datetime | None:
    """Today's first work window's start, if it is still to come."""
    zone = now.tzinfo
    assert zone is not None
    windows = settings.work.windows_on(now.date())
    if not windows:
        return None
    start = timeline.window_span(now.date(), windows[0], zone)[0].astimezone(zone)
    return start if start > now else None


def next_work_prompt(settings: Settings, now: datetime, days: int = 14) -> datetime | None:
    """The first prompt of the next work day after today (within `days`), as the planner would
    plan it on a day with nothing recorded yet."""
    zone = now.tzinfo
    assert zone is not None
    for ahead in range(1, days + 1):
        day = now.date() + timedelta(days=ahead)
        windows = settings.work.windows_on(day)
        if windows:
            start = timeline.window_span(day, windows[0], zone)[0].astimezone(zone)
            return plan(settings, start, DayLog(day)).at
    return None
