"""Records as JSON documents and back: ISO times with their offset, string ids, a schema version."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

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
from walkbreak.core.settings import CarePlan

SCHEMA_VERSION = 3
"""The version of the record and file layout this walkbreak writes and reads.

1: bouts, prompts, controls, check-ins, away periods.
2: the walk plan in force in `_meta` (accepted suggestions, a red-flag hold), suggestions
   (`advice`), check-ins with a follow-up. A walkbreak that knew only 1 must not open a 2 file:
   it would not see a red-flag hold and would prompt through it.
3: walks under way (`walking`); a walk plan's pace is "comfortable" (the default short walk),
   "gentle" (scaled back: comfortable only, no longer walk) or "routine" (every walk with a
   brisk middle part, 9 minutes or more). In 2 the default was a 5-minute "routine" and a
   scale-back was "comfortable".
"""

Tables = dict[str, dict[str, Any]]


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


MIGRATIONS: dict[int, Any] = {1: _from_1, 2: _from_2}
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

_DECODE: dict[str, Any] = {
    "day": date.fromisoformat,
    "start": datetime.fromisoformat,
    "fired_at": datetime.fromisoformat,
    "answered_at": datetime.fromisoformat,
    "at": datetime.fromisoformat,
    "until": datetime.fromisoformat,
    "shown_at": datetime.fromisoformat,
    "followup_at": datetime.fromisoformat,
    "end": datetime.fromisoformat,
    "minutes": float,
    "source": Source,
    "outcome": Outcome,
    "kind": ControlKind,
    "flags": tuple,
    "snoozes": int,
    "bout_minutes": int,
    "rest_minutes": int,
    "variety": bool,
}


def plan_to_doc(plan: CarePlan) -> dict[str, Any]:
    """The walk plan in force as JSON (kept in a month file's `_meta`)."""
    doc = plan._asdict()
    doc["held_since"] = plan.held_since.isoformat() if plan.held_since else None
    return doc


def plan_from_doc(doc: Any) -> CarePlan:
    """The walk plan in a month file's `_meta`; the default plan when missing or unreadable."""
    if not isinstance(doc, dict):
        return CarePlan()
    try:
        held = doc.get("held_since")
        plan = CarePlan(
            base_minutes=int(doc["base_minutes"]),
            bout_minutes=int(doc["bout_minutes"]),
            pace=str(doc["pace"]),
            variety=bool(doc["variety"]),
            held_since=datetime.fromisoformat(held) if held else None,
        )
    except (KeyError, TypeError, ValueError):
        return CarePlan()
    return plan


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
    """The record of `kind` in a JSON document; raises KeyError/TypeError/ValueError if malformed."""
    values = {}
    for name in kind._fields:
        if name not in doc:
            continue  # a field added later takes its default
        value = doc[name]
        decode = _DECODE.get(name)
        if value is not None and decode is not None:
            value = decode(value)
        values[name] = value
    record: Record = kind(**values)
    if not isinstance(record.id, str) or not record.id:
        raise ValueError("the record has no string id")
    for stamp in ("start", "fired_at", "at", "end", "until", "answered_at", "shown_at", "followup_at"):
        value = getattr(record, stamp, None)
        if value is not None and value.tzinfo is None:
            raise ValueError(f"{stamp} has no time zone")
    return record
