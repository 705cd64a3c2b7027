"""Work time the machine slept through: long enough to ask "were you walking?"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from walkbreak.core import timeline
from walkbreak.core.model import Away, Bout, DayLog, Walking
from walkbreak.core.settings import Settings


def away_period(settings: Settings, start: datetime, end: datetime, new_id: Callable[[], str]) -> Away | None:
    """The work time of `end`'s day between `start` and `end`, if more than a bout.

    Only today's part is kept: a laptop closed overnight asks about this morning, not last night;
    the period runs from the first to the last work minute away.
    """
    zone = end.tzinfo
    assert zone is not None
    day = end.date()
    begin = max(start.astimezone(UTC), timeline.start_of_day(day, zone))
    finish = end.astimezone(UTC)
    if finish <= begin:
        return None
    work = [timeline.window_span(day, w, zone) for w in settings.work.windows_on(day)]
    inside = [(max(s, begin), min(e, finish)) for s, e in work if s < finish and e > begin]
    if timeline.total(inside) <= timedelta(minutes=settings.walk.bout_minutes):
        return None
    # From the first work minute away to the last: "yes, I was walking" logs the walk within it.
    return Away(id=new_id(), day=day, start=inside[0][0].astimezone(zone), end=inside[-1][1].astimezone(zone))


def without_overlap(away: Away, day: DayLog, bout_minutes: float) -> Away | None:
    """`away` as far as it is not known already: None when an away period recorded overlaps it (a
    sleep inside a lock, or a second walkbreak noticing the same absence: one question per
    absence); cut to its longest part outside every walk of the day (a clock set back and forth
    can make an absence seem to cover a walk), None if that is no longer than a bout."""
    if any(other.start < away.end and away.start < other.end for other in day.away):
        return None
    walked: list[Bout | Walking] = [*day.bouts, *day.walking]
    walks = timeline.merge((w.start.astimezone(UTC), w.end.astimezone(UTC)) for w in walked)
    pieces = timeline.subtract((away.start.astimezone(UTC), away.end.astimezone(UTC)), walks)
    if not pieces:
        return None
    start, end = max(pieces, key=lambda piece: piece[1] - piece[0])
    if end - start <= timedelta(minutes=bout_minutes):
        return None
    zone = away.end.tzinfo
    return away._replace(start=start.astimezone(zone), end=end.astimezone(zone))
