"""Busy time from the user's calendars, as the planner sees it: spans in which no prompt starts.

The calendar sources (`walkbreak.calendar`) turn events into `Busy` blocks; everything here is
pure, so the planner stays a function of the records, the settings and these blocks.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from walkbreak.core import timeline
from walkbreak.core.named_tuple import NamedTuple
from walkbreak.core.settings import CalendarSettings


class Busy(NamedTuple):
    """A busy block: [start, end) (timezone-aware), its title and the source it came from."""

    start: datetime
    end: datetime
    title: str = ""
    source: str = ""


class Event(NamedTuple):
    """One occurrence of a calendar event, as read from a source, before the busy rules.

    Attributes:
        start, end: timezone-aware; an all-day event runs from local midnight to midnight.
        title: its SUMMARY.
        calendar: the calendar it belongs to (a vdir's folder name, X-WR-CALNAME, the source).
        all_day: a DATE event (no time of day).
        transparent: TRANSP:TRANSPARENT ("show as free").
        cancelled: STATUS:CANCELLED.
        declined_by: the attendee addresses (lower case, no "mailto:") with PARTSTAT=DECLINED.
    """

    start: datetime
    end: datetime
    title: str = ""
    calendar: str = ""
    all_day: bool = False
    transparent: bool = False
    cancelled: bool = False
    declined_by: frozenset[str] = frozenset()


def counts_as_busy(event: Event, rules: CalendarSettings) -> bool:
    """Whether `event` keeps prompts away: shown as busy, not cancelled, not declined by the
    user, all-day only when configured, long enough, and not one of the user's own blocks."""
    if event.transparent or event.cancelled or event.end <= event.start:
        return False
    if event.all_day and not rules.all_day_busy:
        return False
    if event.declined_by & {address.lower() for address in rules.me}:
        return False
    if not event.all_day and event.end - event.start < timedelta(minutes=rules.min_event_minutes):
        return False
    from fnmatch import fnmatchcase  # (re, at import: only where calendars are read)

    title = event.title.casefold()
    return not any(fnmatchcase(title, pattern.casefold()) for pattern in rules.ignore_titles)


def busy_blocks(events: Iterable[Event], rules: CalendarSettings, source: str) -> list[Busy]:
    """The events of `source` that count as busy, as blocks in time order."""
    kept = (Busy(e.start, e.end, e.title, source) for e in events if counts_as_busy(e, rules))
    return sorted(kept, key=lambda b: (b.start, b.end, b.title))


def spans(busy: Iterable[Busy]) -> list[timeline.Span]:
    """The instants the blocks cover, merged (for the free time the catch-up spreads over)."""
    return timeline.merge((b.start.astimezone(UTC), b.end.astimezone(UTC)) for b in busy)


def no_start(busy: Iterable[Busy], lead: timedelta) -> list[timeline.Span]:
    """Where a prompt may not start: inside a block, or less than `lead` (a walk and the buffer)
    before one, so the walk ends before the meeting does."""
    return timeline.merge(_held(b, lead) for b in busy)


def holding(busy: Iterable[Busy], at: datetime, lead: timedelta) -> Busy | None:
    """The first block that keeps a prompt from starting at `at` (see `no_start`), if any."""
    instant = at.astimezone(UTC)
    return next((b for b in busy if (held := _held(b, lead))[0] <= instant < held[1]), None)


def _held(block: Busy, lead: timedelta) -> timeline.Span:
    return block.start.astimezone(UTC) - lead, block.end.astimezone(UTC)


def waited_for(busy: Iterable[Busy], moved_to: datetime) -> Busy | None:
    """The block a prompt moved to `moved_to` waited for: the last of the blocks that end there
    (a prompt stepped out of busy time comes at a block's end)."""
    ends = [b for b in busy if b.end.astimezone(UTC) == moved_to.astimezone(UTC)]
    return max(ends, key=lambda b: b.start) if ends else None


def on_day(busy: Iterable[Busy], day: date) -> tuple[Busy, ...]:
    """The blocks that touch local `day` (in the zone the blocks are told in: the user's)."""
    return tuple(b for b in busy if b.start.date() <= day <= b.end.date())


def next_busy(busy: Iterable[Busy], now: datetime) -> Busy | None:
    """The block under way at `now`, else the next to start."""
    instant = now.astimezone(UTC)  # (one zone's times compare as wall clocks: a repeated hour)
    coming = [b for b in busy if b.end.astimezone(UTC) > instant]
    return min(coming, key=lambda b: (b.start.astimezone(UTC), b.end.astimezone(UTC))) if coming else None
