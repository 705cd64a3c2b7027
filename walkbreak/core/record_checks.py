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

from walkbreak.core.model import ControlKind, Outcome, Record, Source
from walkbreak.core.plain_text import shown
from walkbreak.core.routine import Pace

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see core/named_tuple.py)
if TYPE_CHECKING:
    from typing import Any

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

PACES = frozenset(p.value for p in Pace)

COUNTS = {"snoozes": (0, 1000), "bout_minutes": (1, LONGEST_MINUTES), "rest_minutes": (0, LONGEST_MINUTES)}
"""Whole numbers, by field: the lowest and highest allowed."""


class BadRecord(ValueError):
    """A record that is not what walkbreak writes; the message names the field and what is wrong."""


def check(record: Record) -> None:
    """Raise BadRecord naming the first field of `record` that is out of type or range."""
    day = record.day
    if type(day) is not date or not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        raise BadRecord(f"day {day!r} is not a date between {EARLIEST_YEAR} and {LATEST_YEAR}")
    for name, value in zip(record._fields, record, strict=True):
        problem = RULES.get(name, _text)(value, day)
        if problem:
            raise BadRecord(f"{name} {shown(value)} {problem}")


# Each rule: what is wrong with a field's value on a record of `day`; "" when nothing is.


def _id(value: Any, day: date) -> str:
    return "" if _is_text(value, LONGEST_ID) and value else "is not an id"


def _optional_id(value: Any, day: date) -> str:
    return "" if value is None else _id(value, day)


def _when(value: Any, day: date) -> str:
    if not _is_time(value):
        return "is not a time with a time zone"
    return "" if abs((value.date() - day).days) <= 1 else f"is not on the record's day {day}"


def _later(value: Any, day: date) -> str:
    if value is None:
        return ""
    if not _is_time(value):
        return "is not a time with a time zone"
    ok = -1 <= (value.date() - day).days <= LATER_BY_DAYS
    return "" if ok else f"is too far from the record's day {day}"


def _minutes(value: Any, day: date) -> str:
    ok = _is_number(value) and 0 < value <= LONGEST_MINUTES
    return "" if ok else f"is not a number of minutes (more than 0, at most {LONGEST_MINUTES})"


def _one_of(kind: type[Enum], optional: bool = False) -> Any:
    def rule(value: Any, day: date) -> str:
        if isinstance(value, kind) or (optional and value is None):
            return ""
        return f"is not one of {', '.join(m.value for m in kind)}"

    return rule


def _count(low: int, high: int) -> Any:
    def rule(value: Any, day: date) -> str:
        ok = type(value) is int and low <= value <= high
        return "" if ok else f"is not a whole number from {low} to {high}"

    return rule


def _pace(value: Any, day: date) -> str:
    return "" if value in PACES else f"is not one of {', '.join(sorted(PACES))}"


def _variety(value: Any, day: date) -> str:
    return "" if type(value) is bool else "is not true or false"


def _flags(value: Any, day: date) -> str:
    ok = isinstance(value, tuple) and len(value) <= 20 and all(_is_text(f, LONGEST_ID) for f in value)
    return "" if ok else "is not a list of red flags"


def _text(value: Any, day: date) -> str:
    return "" if _is_text(value, LONGEST_TEXT) else f"is not text of at most {LONGEST_TEXT} characters"


RULES: dict[str, Any] = {
    "id": _id,
    "day": lambda value, day: "",  # checked first, in `check`
    **dict.fromkeys(IDS, _optional_id),
    **dict.fromkeys(WHEN, _when),
    **dict.fromkeys(LATER, _later),
    "minutes": _minutes,
    "source": _one_of(Source),
    "outcome": _one_of(Outcome, optional=True),
    "kind": _one_of(ControlKind),
    **{name: _count(low, high) for name, (low, high) in COUNTS.items()},
    "pace": _pace,
    "variety": _variety,
    "flags": _flags,
}
"""The rule for each field by name; any other field is text."""


def _is_time(value: Any) -> bool:
    return isinstance(value, datetime) and value.utcoffset() is not None


def _is_text(value: Any, longest: int) -> bool:
    return isinstance(value, str) and len(value) <= longest


def _is_number(value: Any) -> bool:
    """An int or a finite float (math.isfinite would overflow on a huge int)."""
    return type(value) is int or (type(value) is float and math.isfinite(value))
