"""Turning a day's wall-clock windows into real instants, and arithmetic on spans of time.

All arithmetic is done on UTC instants, so a daylight-saving change never stretches or
squeezes a gap; wall-clock times are turned into instants only here.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from walkbreak.core.settings import TimeWindow

Span = tuple[datetime, datetime]
"""A half-open span [start, end) of UTC instants."""


def elapsed(since: datetime, until: datetime) -> timedelta:
    """The real time from `since` to `until`. Two times in one zone subtract as wall clocks: across
    a daylight-saving change that is an hour (Lord Howe: half an hour) off, so compare instants."""
    return until.astimezone(UTC) - since.astimezone(UTC)


def local_instant(day: date, minutes: int, zone: tzinfo) -> datetime:
    """The UTC instant of wall-clock `minutes` after midnight on `day` in `zone`.

    A wall time skipped by a spring-forward change resolves to the instant just after the gap
    (02:30 on a Berlin spring-forward day becomes 03:30); a repeated one takes its first
    occurrence.
    """
    day = day + timedelta(days=minutes // 1440)
    minutes %= 1440
    wall = datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone)
    return wall.astimezone(UTC)


def window_span(day: date, window: TimeWindow, zone: tzinfo) -> Span:
    """The instants a wall-clock window covers on `day`."""
    return local_instant(day, window.start, zone), local_instant(day, window.end, zone)


def start_of_day(day: date, zone: tzinfo) -> datetime:
    """The UTC instant at which local `day` begins."""
    return local_instant(day, 0, zone)


def merge(spans: Iterable[Span]) -> list[Span]:
    """Sorted, non-overlapping spans covering the same instants as `spans`."""
    merged: list[Span] = []
    for start, end in sorted(s for s in spans if s[0] < s[1]):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def subtract(span: Span, holes: list[Span]) -> list[Span]:
    """The parts of `span` outside every merged, sorted span in `holes`."""
    pieces: list[Span] = []
    start, end = span
    for hole_start, hole_end in holes:
        if hole_end <= start or hole_start >= end:
            continue
        if hole_start > start:
            pieces.append((start, hole_start))
        start = max(start, hole_end)
    if start < end:
        pieces.append((start, end))
    return pieces


def step_out(instant: datetime, holes: list[Span]) -> datetime:
    """The first instant at or after `instant` that lies in none of the merged `holes`."""
    for hole_start, hole_end in holes:
        if hole_start <= instant < hole_end:
            instant = hole_end
    return instant


def total(spans: Iterable[Span]) -> timedelta:
    """The summed length of `spans`."""
    return sum((end - start for start, end in spans), timedelta())
