"""Synthetic history like a real user's, for the benchmarks: not every day meets the target, and
the month files hold every kind of record walkbreak writes.

A work day (weekdays; about one in twenty taken off) has 8 to 12 prompts: about half walked, the
rest skipped with a reason, snoozed first, or expired; walks from prompts and a manual one now and
then (some with a note); check-ins after most walks, slight soreness asked about again later;
a lunch break away from the desk; a pause on some days; a suggestion about every two weeks,
answered. Ids are random UUIDs as walkbreak makes them. About 25 records a day, 500 a month.
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from walkbreak.core.model import Advice, Away, Bout, CheckIn, Control, ControlKind, Outcome, Prompt, Source
from walkbreak.paths import make_private_dirs
from walkbreak.store.devices import DEVICES, device_id
from walkbreak.store.records import SCHEMA_VERSION, TABLES, WRITTEN, to_doc
from walkbreak.store.storage import write_atomically

ZONE = ZoneInfo("Europe/Berlin")


def _day(rng: random.Random, day: date, last_hour: int, walked: float) -> list[Any]:
    def new_id() -> str:
        return str(uuid.UUID(int=rng.getrandbits(128), version=4))

    def at(hour: float) -> datetime:
        return datetime.combine(day, datetime.min.time(), ZONE) + timedelta(hours=hour)

    records: list[Any] = []
    hour = 9.0 + rng.random() / 2
    for _ in range(rng.randint(8, 12)):
        if hour >= last_hour:
            break
        prompt_id, fired = new_id(), at(hour)
        roll = rng.random()
        snoozes = 1 if rng.random() < 0.2 else 0
        if snoozes:
            records.append(Control(new_id(), day, fired + timedelta(minutes=1), ControlKind.SNOOZE,
                                   fired + timedelta(minutes=11), prompt_id))  # fmt: skip
        answered = fired + timedelta(minutes=1 + 10 * snoozes)
        if roll < walked:
            records.append(Prompt(prompt_id, day, fired, Outcome.WALKED, answered, snoozes=snoozes))
            bout_id, minutes = new_id(), rng.choice([4, 5, 5, 5, 6, 9, 12])
            records.append(Bout(bout_id, day, answered, minutes, Source.PROMPT, prompt_id=prompt_id))
            if rng.random() < 0.75:
                feeling = rng.choices(["better", "same", "sore", "spiked"], [5, 4, 2, 0.2])[0]
                after = answered + timedelta(minutes=minutes + 1)
                followup = rng.choice(["settled", "lingering"]) if feeling == "sore" else ""
                records.append(CheckIn(new_id(), day, after, feeling, ("new-numbness",) if feeling == "spiked" else (),
                                       bout_id, followup, after + timedelta(hours=3) if followup else None))  # fmt: skip
        elif roll < walked + (1 - walked) * 0.4:
            reason = rng.choice(["busy", "meeting", "meeting", "already-walked", ""])
            records.append(Prompt(prompt_id, day, fired, Outcome.SKIPPED, answered, reason, snoozes))
        else:
            records.append(Prompt(prompt_id, day, fired, Outcome.EXPIRED, fired + timedelta(minutes=15),
                                  snoozes=snoozes, shown_at=fired))  # fmt: skip
        hour += rng.uniform(0.6, 1.0)
    if rng.random() < 0.3:
        note = rng.choice(["", "", "to the bakery and back", "stairs, slowly", "after lunch"])
        records.append(Bout(new_id(), day, at(12.6), rng.choice([10, 15, 20]), Source.MANUAL, note))
    records.append(
        Away(new_id(), day, at(12.25), at(12.25 + rng.uniform(0.5, 1)), rng.choice(["", "walking", "no"]))
    )
    if rng.random() < 0.15:
        records.append(Control(new_id(), day, at(14), ControlKind.PAUSE, at(15)))
        records.append(Control(new_id(), day, at(14.8), ControlKind.RESUME))
    if rng.random() < 0.07:
        back = rng.random() < 0.5
        records.append(Advice(new_id(), day, at(16), "tolerated-days" if not back else "pain-lingers",
                              "scale-back" if back else "scale-up", "why", "walks of 5 minutes, easy · brisk · easy",
                              5, "comfortable", answer=rng.choice(["accepted", "declined"]),
                              answered_at=at(16.1)))  # fmt: skip
    return records


def synthesize(
    directory: Path,
    last_day: date,
    years: float,
    last_hour: int = 24,
    walked: float = 0.52,
    device: str = "",
    seed: int = 7,
) -> int:
    """Write `years` of history up to `last_day` (its records up to `last_hour`) as month files
    in the data dir `directory`, in this machine's folder or in `device`'s (another desk's);
    returns the number of records. `walked`: the share of prompts walked (0.9: a streak of years)."""
    rng = random.Random(seed)
    months: dict[str, dict[str, dict[str, Any]]] = {}
    count = 0
    day = last_day - timedelta(days=round(365 * years))
    while years and day <= last_day:
        if day.weekday() < 5 and rng.random() > 0.05:
            tables = months.setdefault(f"{day:%Y-%m}", {"_meta": {"1": {"schema": SCHEMA_VERSION}}})
            for record in _day(rng, day, last_hour if day == last_day else 24, walked):
                table = tables.setdefault(TABLES[type(record)], {})
                doc = to_doc(record)
                doc[WRITTEN] = int(record_time(record).timestamp() * 1e6)  # as the store stamps them
                table[str(len(table) + 1)] = doc
                count += 1
        day += timedelta(days=1)
    folder = directory / DEVICES / (device or device_id(str(directory)))
    make_private_dirs(str(folder))
    for month, tables in months.items():
        write_atomically(str(folder / f"{month}.json"), json.dumps(tables, separators=(",", ":")))
    return count


def record_time(record: Any) -> datetime:
    """When a record was written: the first time it carries."""
    return next(value for value in record if isinstance(value, datetime))


def last_workday_of_a_month(today: date) -> date:
    """The last weekday of the month before `today`'s: a month file at its fullest."""
    day = today.replace(day=1) - timedelta(days=1)
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day
