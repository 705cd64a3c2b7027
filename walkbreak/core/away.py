"""Work time the machine slept through: long enough to ask "were you walking?"."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta

from walkbreak.core import timeline
from walkbreak.core.model import Away
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


def without_overlap(away: Away, known: Sequence[Away]) -> Away | None:
    """`away`, unless an away period already recorded overlaps it (a sleep inside a lock, or a
    second walkbreak noticing the same absence): one question per absence."""
    if any(other.start < away.end and away.start < other.end for other in known):
        return None
    return away
