"""Small constructors for records and settings in tests."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from walkbreak.core.actions import Changes
from walkbreak.core.model import Bout, Control, ControlKind, DayLog, Outcome, Prompt, Record
from walkbreak.core.settings import PromptSettings, Settings, TimeWindow, WalkSettings, WorkSettings

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
_ids = itertools.count(1)


def ids() -> str:
    """A fresh record id."""
    return f"id-{next(_ids)}"


def windows(*texts: str) -> tuple[TimeWindow, ...]:
    """TimeWindows from "HH:MM-HH:MM" strings."""
    return tuple(TimeWindow.parse(t) for t in texts)


def settings(
    *,
    work: tuple[str, ...] = ("09:00-12:30", "13:30-17:30"),
    days: range | tuple[int, ...] = range(7),
    interval: int = 60,
    min_gap: int = 20,
    expire: int = 15,
    quiet: tuple[str, ...] = (),
    target: int = 6,
    bout: int = 5,
    keep: bool = True,
) -> Settings:
    """Settings with every day a work day unless told otherwise."""
    return Settings(
        work=WorkSettings(days=frozenset(days), windows=windows(*work)),
        walk=WalkSettings(bout_minutes=bout, daily_target=target),
        prompts=PromptSettings(
            interval_minutes=interval,
            min_gap_minutes=min_gap,
            expire_minutes=expire,
            quiet=windows(*quiet),
            keep_prompting_after_target=keep,
        ),
    )


def bout(start: datetime, minutes: float = 5) -> Bout:
    """A manual bout starting at `start`."""
    return Bout(id=ids(), day=start.date(), start=start, minutes=minutes)


def prompt(fired: datetime, outcome: Outcome | None = None, answered: datetime | None = None) -> Prompt:
    """A prompt fired at `fired`."""
    return Prompt(id=ids(), day=fired.date(), fired_at=fired, outcome=outcome, answered_at=answered)


def control(kind: ControlKind, at: datetime, until: datetime | None = None) -> Control:
    """A snooze, pause or resume."""
    return Control(id=ids(), day=at.date(), at=at, kind=kind, until=until)


def snooze(at: datetime, minutes: int = 10) -> Control:
    """A snooze at `at` for `minutes`."""
    return control(ControlKind.SNOOZE, at, at + timedelta(minutes=minutes))


def pause(at: datetime, until: datetime) -> Control:
    """A pause from `at` to `until`."""
    return control(ControlKind.PAUSE, at, until)


def day_log(now: datetime, *records: Record) -> DayLog:
    """The DayLog of `now`'s day holding `records`."""
    return DayLog.of(now.date(), list(records))


def at(zone: ZoneInfo, text: str) -> datetime:
    """An aware datetime from "YYYY-MM-DD HH:MM" in `zone`."""
    return datetime.fromisoformat(text).replace(tzinfo=zone)


def apply(log: DayLog, changes: Changes) -> DayLog:
    """The day after writing `changes`, as the store would."""
    replaced = {r.id: r for r in changes.replace}
    removed = {r.id for r in changes.remove}
    kept = [replaced.get(r.id, r) for r in log.records if r.id not in removed]
    return DayLog.of(log.day, [*kept, *changes.add])


def month_path(data: Path | str, month: str | date = "2026-11") -> Path:
    """This device's file for `month` ("2026-11" or a day in it) in the data dir `data` (its
    folder made, owner-only)."""
    from walkbreak.paths import make_private_dirs
    from walkbreak.store.devices import DEVICES, device_id

    folder = Path(data) / DEVICES / device_id(str(data))
    make_private_dirs(str(folder))
    return folder / f"{month if isinstance(month, str) else format(month, '%Y-%m')}.json"
