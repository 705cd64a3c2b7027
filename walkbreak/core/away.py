"""Work time the machine slept through: long enough to ask "were you walking?"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from walkbreak.core import timeline
from walkbreak.core.model import Away
from walkbreak.core.settings import Settings


def away_period(settings: Settings, start: datetime, end: datetime, new_id: Callable[[], str]) -> Away | None:
    """The part of `end`'s day between `start` and `end`, if it covered more work time than a bout.

    Only today's part is kept: a laptop closed overnight asks about this morning, not last night.
    """
    zone = end.tzinfo
    assert zone is not None
    day = end.date()
    begin = max(start.astimezone(UTC), timeline.start_of_day(day, zone))
    finish = end.astimezone(UTC)
    if finish <= begin:
        return None
    work = [timeline.window_span(day, w, zone) for w in settings.work.windows_on(day)]
    overlap = timeline.total((max(s, begin), min(e, finish)) for s, e in work if s < finish and e > begin)
    if overlap <= timedelta(minutes=settings.walk.bout_minutes):
        return None
    return Away(id=new_id(), day=day, start=begin.astimezone(zone), end=end)
