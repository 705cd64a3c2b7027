"""The day as bands of time for the timeline: work windows, quiet windows, pauses and away
periods, and a line about each walk."""

from __future__ import annotations

from datetime import datetime, tzinfo
from enum import StrEnum

from walkbreak.core import timeline
from walkbreak.core.busy import Busy
from walkbreak.core.busy import spans as busy_spans
from walkbreak.core.model import Bout, ControlKind, DayLog
from walkbreak.core.named_tuple import NamedTuple
from walkbreak.core.settings import Settings
from walkbreak.core.status import format_minutes


class BandKind(StrEnum):
    """What a stretch of the day is; later kinds are drawn over earlier ones."""

    WORK = "work"
    QUIET = "quiet"
    BUSY = "meeting"
    AWAY = "away"
    PAUSED = "paused"


class Band(NamedTuple):
    """A span [start, end) of UTC instants and what it is."""

    start: datetime
    end: datetime
    kind: BandKind


def day_bands(settings: Settings, log: DayLog, zone: tzinfo, busy: tuple[Busy, ...] = ()) -> list[Band]:
    """The day's bands in `zone`, in drawing order (work first, pauses last); `busy`: the
    calendars' busy blocks."""
    bands = [
        Band(*timeline.window_span(log.day, w, zone), BandKind.WORK)
        for w in settings.work.windows_on(log.day)
    ]
    if bands:  # quiet windows matter only on a work day
        bands += [
            Band(*timeline.window_span(log.day, w, zone), BandKind.QUIET) for w in settings.prompts.quiet
        ]
        bands += [Band(start, end, BandKind.BUSY) for start, end in busy_spans(busy)]
    bands += [Band(a.start, a.end, BandKind.AWAY) for a in log.away if a.answer != "walking"]
    bands += [Band(start, end, BandKind.PAUSED) for start, end in pauses(log)]
    return [b for b in bands if b.start < b.end]


def pauses(log: DayLog) -> list[timeline.Span]:
    """Each pause as it held: from its start to its end, or to the resume that ended it sooner."""
    spans: list[timeline.Span] = []
    for control in log.controls:
        if control.kind is ControlKind.PAUSE and control.until is not None:
            if spans and spans[-1][1] > control.at:  # a new pause replaces the one in force
                spans[-1] = (spans[-1][0], control.at)
            spans.append((control.at, control.until))
        elif control.kind is ControlKind.RESUME and spans and spans[-1][1] > control.at:
            spans[-1] = (spans[-1][0], control.at)
    return spans


def walk_line(log: DayLog, bout: Bout) -> str:
    """One walk for the timeline and the walks list: "09:12 · 5 min · check-in: same"; a walk
    logged by hand, not from a prompt, says so."""
    felt = next((c.feeling for c in reversed(log.checkins) if c.bout_id == bout.id), "")
    parts = [
        f"{bout.start:%H:%M}",
        format_minutes(bout.minutes),
        f"check-in: {felt}" if felt else "no check-in",
    ]
    if not bout.prompt_id:
        parts.append("logged")
    if bout.note:
        parts.append(bout.note)
    return " · ".join(parts)
