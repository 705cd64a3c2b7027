"""What a record may hold, checked on every record that comes from outside this process.

Month files are JSON that another program, a sync tool or a hand edit may have written; an
imported CSV is the same. One record with `"minutes": 1e308`, a year-9999 timestamp or a
negative length used to stop every command with an OverflowError. Each field is checked for
its type and a sane range here, so the store can skip such a record (with a warning) and every
later computation (end = start + minutes, a day's tally, a pause until tomorrow) stays in range.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from enum import Enum
from typing import Any

from walkbreak.core.model import ControlKind, Outcome, Record, Source
from walkbreak.core.plain_text import shown
from walkbreak.core.routine import Pace

LONGEST_MINUTES = 24 * 60
"""No walk, snooze or rest is longer than a day."""

LONGEST_TEXT = 2000
"""Characters in any stored text (a note, a suggestion's reason); the CLI allows far fewer."""

LONGEST_ID = 200
EARLIEST_YEAR, LATEST_YEAR = 1971, 9000
"""Days outside these years are not walkbreak's: they would overflow a later date sum."""

LATER_BY_DAYS = 366
"""How long after its day a record's later stamps may be (an answer, the end of a pause)."""

WHEN = ("start", "fired_at", "at")
"""The stamp that says when the record happened: on its day (± a day for time zones)."""

LATER = ("end", "until", "answered_at", "shown_at", "followup_at")
"""Stamps that may come after the record's day, but not long after, and not before it."""

IDS = ("prompt_id", "bout_id", "checkin_id")

ENUMS: dict[str, type[Enum]] = {"source": Source, "outcome": Outcome, "kind": ControlKind}

PACES = frozenset(p.value for p in Pace)

COUNTS = {"snoozes": (0, 1000), "bout_minutes": (1, LONGEST_MINUTES), "rest_minutes": (0, LONGEST_MINUTES)}
"""Whole numbers, by field: the lowest and highest allowed."""


class BadRecord(ValueError):
    """A record that is not what walkbreak writes; the message names the field and what is wrong."""


def check(record: Record) -> None:
    """Raise BadRecord naming the first field of `record` that is out of type or range."""
    values = record._asdict()
    day = values["day"]
    if type(day) is not date or not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise BadRecord(f"day {day!r} is not a date between {EARLIEST_YEAR} and {LATEST_YEAR}")
    for name, value in values.items():
        problem = _problem(name, value, day)
        if problem:
            raise BadRecord(f"{name} {shown(value)} {problem}")


def _problem(name: str, value: Any, day: date) -> str:
    """What is wrong with one field's value; "" when nothing is."""
    if name == "id":
        return "" if _is_text(value, LONGEST_ID) and value else "is not an id"
    if name == "day":
        return ""
    if name in IDS:
        return "" if value is None or (_is_text(value, LONGEST_ID) and value) else "is not an id"
    if name in WHEN or name in LATER:
        if value is None and name in LATER:
            return ""
        if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
            return "is not a time with a time zone"
        off = (value.date() - day).days
        if name in WHEN and abs(off) > 1:
            return f"is not on the record's day {day}"
        if name in LATER and not -1 <= off <= LATER_BY_DAYS:
            return f"is too far from the record's day {day}"
        return ""
    if name == "minutes":
        ok = _is_number(value) and 0 < value <= LONGEST_MINUTES
        return "" if ok else f"is not a number of minutes (more than 0, at most {LONGEST_MINUTES})"
    if name in ENUMS:
        allowed = ENUMS[name]
        if isinstance(value, allowed) or (value is None and name == "outcome"):
            return ""
        return f"is not one of {', '.join(m.value for m in allowed)}"
    if name in COUNTS:
        low, high = COUNTS[name]
        ok = type(value) is int and low <= value <= high
        return "" if ok else f"is not a whole number from {low} to {high}"
    if name == "pace":
        return "" if value in PACES else f"is not one of {', '.join(sorted(PACES))}"
    if name == "variety":
        return "" if type(value) is bool else "is not true or false"
    if name == "flags":
        ok = isinstance(value, tuple) and len(value) <= 20 and all(_is_text(f, LONGEST_ID) for f in value)
        return "" if ok else "is not a list of red flags"
    return "" if _is_text(value, LONGEST_TEXT) else f"is not text of at most {LONGEST_TEXT} characters"


def _is_text(value: Any, longest: int) -> bool:
    return isinstance(value, str) and len(value) <= longest


def _is_number(value: Any) -> bool:
    """An int or a finite float (math.isfinite would overflow on a huge int)."""
    return type(value) is int or (type(value) is float and math.isfinite(value))
