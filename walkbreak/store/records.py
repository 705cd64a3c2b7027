"""Records as JSON documents and back: ISO times with their offset, string ids, a schema version."""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from datetime import date, datetime
from enum import StrEnum

from walkbreak.core.model import (
    Advice,
    Away,
    Bout,
    CheckIn,
    Control,
    ControlKind,
    Outcome,
    Prompt,
    Record,
    RecordKind,
    Source,
    Walking,
)
from walkbreak.core.plain_text import clean, shown
from walkbreak.core.record_checks import (
    EARLIEST_YEAR,
    IDS,
    LATER,
    LATEST_YEAR,
    LONGEST_MINUTES,
    PACES,
    WHEN,
    BadRecord,
    check,
)
from walkbreak.core.settings import CarePlan

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see core/named_tuple.py)
if TYPE_CHECKING:
    from typing import Any

    Tables = dict[str, dict[str, Any]]

META_TABLE = "_meta"
"""The table of a month file's own facts: its schema version, when it was made, the walk plan."""
MONTH_FILE = re.compile(r"^(\d{4})-(\d{2})\.json$")
WRITTEN = "w"
"""In each document: when it was written (microseconds since the epoch), for the merge."""
REMOVED = "removed"
"""In a document that records a removal (see store/merge.py)."""

SCHEMA_VERSION = 4
"""The version of the record and file layout this walkbreak writes and reads.

1: bouts, prompts, controls, check-ins, away periods.
2: the walk plan in force in `_meta` (accepted suggestions, a red-flag hold), suggestions
   (`advice`), check-ins with a follow-up. A walkbreak that knew only 1 must not open a 2 file:
   it would not see a red-flag hold and would prompt through it.
3: walks under way (`walking`); a walk plan's pace is "comfortable" (the default short walk),
   "gentle" (scaled back: comfortable only, no longer walk) or "routine" (every walk with a
   brisk middle part, 9 minutes or more). In 2 the default was a 5-minute "routine" and a
   scale-back was "comfortable".
4: one folder of month files per device (`devices/<id>/`, see store/devices.py); every document
   carries when it was written (`w`), and a record removed is a document saying so (see
   store/merge.py). A walkbreak that knew only 3 must not write a 4 file: it would drop the
   removals and bring removed records back.
"""


def _from_1(tables: Tables) -> None:
    """1 → 2: every version-1 record is a valid version-2 record; only the file's number changes."""


ROUTINE_SHORTEST = 9
"""Minutes: the shortest walk with a brisk part (three parts of at least 3 minutes)."""


def _pace_from_2(doc: Any) -> None:
    """A version-2 walk plan or suggestion's pace, in version-3 words (in place)."""
    if not isinstance(doc, dict):
        return
    minutes = doc.get("bout_minutes")
    if doc.get("pace") == "comfortable":
        doc["pace"] = "gentle"  # in 2, only a scale-back made walks comfortable-only
    elif doc.get("pace") == "routine" and isinstance(minutes, int | float) and minutes < ROUTINE_SHORTEST:
        doc["pace"] = "comfortable"  # the short walk no longer squeezes in a brisk part


def _from_2(tables: Tables) -> None:
    """2 → 3: walk plans and suggestions say their pace in the version-3 words."""
    meta = tables.get("_meta", {}).get("1")
    if isinstance(meta, dict):
        _pace_from_2(meta.get("plan"))
    advice = tables.get("advice")
    if isinstance(advice, dict):
        for doc in advice.values():
            _pace_from_2(doc)


def _from_3(tables: Tables) -> None:
    """3 → 4: every version-3 record is a valid version-4 record written before any device's
    (no `w`); the file moves into this device's folder (store/devices.py)."""


MIGRATIONS: dict[int, Any] = {1: _from_1, 2: _from_2, 3: _from_3}
"""For each old version, the step that upgrades a month file's tables (in place) to the next."""


def migrate(tables: Tables, meta_table: str) -> int | None:
    """Upgrade tables read from an older month file to SCHEMA_VERSION, step by step.

    Returns the version they were at when they needed upgrading, else None.
    """
    meta = tables.setdefault(meta_table, {}).setdefault("1", {})
    found = meta.get("schema", SCHEMA_VERSION)
    if not isinstance(found, int) or found >= SCHEMA_VERSION:
        return None
    for version in range(max(found, min(MIGRATIONS)), SCHEMA_VERSION):  # 0 or less: read as the oldest
        MIGRATIONS[version](tables)
    meta["schema"] = SCHEMA_VERSION
    meta["upgraded_from"] = found
    return found


TABLES: dict[RecordKind, str] = {
    Bout: "bouts",
    Prompt: "prompts",
    Control: "controls",
    CheckIn: "checkins",
    Away: "away",
    Advice: "advice",
    Walking: "walking",
}
"""The TinyDB table each kind of record lives in."""


def _iso(parse: Any) -> Any:
    """A decoder for ISO text; anything but text is left for `check` to refuse."""
    return lambda value: parse(value) if isinstance(value, str) and len(value) <= 64 else value


def _number(value: Any) -> Any:
    """Minutes as a float; text such as "5" or a bool is left for `check` to refuse."""
    if type(value) is int and abs(value) <= 10**6:  # a bigger one would overflow float()
        return float(value)
    return value


def _list(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def _clean_each(value: Any) -> Any:
    """Flags: each cleaned."""
    if isinstance(value, tuple) and all(isinstance(v, str) for v in value):
        return tuple(clean(v) for v in value)
    return value


def _enum(kind: type[StrEnum]) -> Any:
    members = kind._value2member_map_  # a dict look-up: calling the enum costs three times as much
    return lambda value: members[value] if isinstance(value, str) and value in members else value


_DECODE: dict[str, Any] = {
    "day": _iso(date.fromisoformat),
    **dict.fromkeys((*WHEN, *LATER), _iso(datetime.fromisoformat)),
    "minutes": _number,
    "source": _enum(Source),
    "outcome": _enum(Outcome),
    "kind": _enum(ControlKind),
    "flags": lambda value: _clean_each(_list(value)),
}
"""JSON to field value, by field name; the rest are taken as they are and checked by `check`."""

_READING = {
    kind: tuple((name, _DECODE.get(name), name not in ("id", *IDS)) for name in kind._fields)
    for kind in TABLES
}
"""For each field of each kind: its name, its decoder, whether it is text shown to the user."""


def plan_to_doc(plan: CarePlan) -> dict[str, Any]:
    """The walk plan in force as JSON (kept in a month file's `_meta`)."""
    doc = plan._asdict()
    doc["held_since"] = plan.held_since.isoformat() if plan.held_since else None
    return doc


def plan_from_doc(doc: Any) -> CarePlan:
    """The walk plan in a month file's `_meta`; the default where missing or unreadable.

    Field by field: a red-flag hold stays in force even if the walk beside it is unreadable.
    """
    if not isinstance(doc, dict):
        return CarePlan()
    base, bout, pace = doc.get("base_minutes"), doc.get("bout_minutes"), doc.get("pace")
    walk: dict[str, Any] = {}
    if all(type(m) is int and 0 <= m <= LONGEST_MINUTES for m in (base, bout)) and pace in PACES:
        variety = doc.get("variety") is True
        walk = {"base_minutes": base, "bout_minutes": bout, "pace": pace, "variety": variety}
    held = doc.get("held_since")
    try:
        since = datetime.fromisoformat(held) if isinstance(held, str) else None
    except ValueError:
        since = None
    if since is not None and (since.tzinfo is None or not EARLIEST_YEAR <= since.year <= LATEST_YEAR):
        since = None
    return CarePlan(**walk, held_since=since)


def to_doc(record: Record) -> dict[str, Any]:
    """The JSON document for a record."""
    doc: dict[str, Any] = {"v": SCHEMA_VERSION}
    for name in record._fields:
        value = getattr(record, name)
        if isinstance(value, date):  # datetimes too
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        doc[name] = value
    return doc


def from_doc(kind: RecordKind, doc: dict[str, Any]) -> Record:
    """The record of `kind` in a JSON document; raises ValueError (BadRecord) naming what is wrong."""
    values = {}
    for name, decode, text in _READING[kind]:
        if name not in doc:
            continue  # a field added later takes its default
        value = doc[name]
        if value is not None and decode is not None:
            value = decode(value)
        elif text and type(value) is str:  # shown to the user: no escape sequences, whoever wrote it
            value = clean(value)
        values[name] = value
    try:
        record: Record = kind(**values)
    except TypeError:  # a required field is missing
        missing = [f for f in kind._fields if f not in values and f not in kind._field_defaults]
        raise BadRecord(f"the record lacks {', '.join(missing)}") from None
    check(record)
    return record


def records_in(
    tables: dict[str, dict[str, Any]],
    path: str,
    warn: Callable[[str], None],
    first: date,
    last: date,
    kinds: tuple[RecordKind, ...] = tuple(TABLES),
    seen: set[tuple[str, str]] | None = None,
) -> Iterator[Record]:
    """The readable records of days `first` to `last` in the file; unreadable ones are reported.

    Days are compared as ISO strings before any record is decoded, so a month of history
    costs a parse, not thousands of record objects. A record in the wrong month file, or with
    the id of one already read (`seen`: kind and id), is skipped: it would be counted twice.
    """
    low, high = first.isoformat(), last.isoformat()
    match = MONTH_FILE.match(os.path.basename(path))
    month = (int(match[1]), int(match[2])) if match else None
    seen = set() if seen is None else seen
    for kind in kinds:
        name = TABLES[kind]
        for doc in tables.get(name, {}).values():
            day = doc.get("day")
            if not (isinstance(day, str) and low <= day <= high) or doc.get(REMOVED):
                continue  # another day's, or removed (its removal is the version that stands)
            record = decode(kind, doc, path, warn)
            if record is None:
                continue
            elsewhere = month is not None and (record.day.year, record.day.month) != month
            if elsewhere or (name, record.id) in seen:
                why = "belongs in another month's file" if elsewhere else f"repeats the id {shown(record.id)}"
                warn(f"walkbreak: a {name} record in {path} {why}; it stays in the file, unused.")
                continue
            seen.add((name, record.id))
            yield record


def decode(kind: RecordKind, doc: dict[str, Any], path: str, warn: Callable[[str], None]) -> Record | None:
    """A record from its document, or None (with a warning) when it cannot be read."""
    try:
        return from_doc(kind, doc)
    except (KeyError, TypeError, ValueError, OverflowError) as err:
        why = clean(str(err))[:300]
        warn(
            f"walkbreak: a {TABLES[kind]} record in {path} could not be read ({why}); it stays in the file, "
            "unused."
        )
        return None
