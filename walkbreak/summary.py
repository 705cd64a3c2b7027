"""Tallies of past days from the store, and the streak (shared by `history` and the dashboard)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from walkbreak.answers import guide_alive
from walkbreak.core import walking
from walkbreak.core.model import Bout, Walking
from walkbreak.core.settings import Settings
from walkbreak.core.tally import DayTally, day_tally, streak
from walkbreak.store import Store


def tallies(
    store: Store, settings: Settings, first: date, last: date, now: datetime | None = None
) -> dict[date, DayTally]:
    """The tally of every day from `first` to `last` (only walks are read).

    With `now`, a walk under way that counts by then (no guide shows it, and its planned end
    has passed) counts, as `walkbreak status` counts it, written or not yet.
    """
    logs = store.days(first, last, kinds=(Bout, Walking))
    if now is not None:
        logs = {day: walking.settled(log, now, guide_alive) for day, log in logs.items()}
    return {day: day_tally(settings, log) for day, log in logs.items()}


def current_streak(
    store: Store, settings: Settings, known: dict[date, DayTally], today: date, now: datetime | None = None
) -> int:
    """The streak up to today, reading older months only while it still runs back past `known`.

    `known` gains the tallies read on the way (walks under way counted as `tallies` does with `now`).
    """
    oldest_file = store.first_month()
    while True:
        result = streak(known, today)
        oldest = min(known, default=today)
        if not result.open_ended or oldest_file is None or oldest <= oldest_file:
            return result.days
        before = oldest - timedelta(days=1)
        known.update(tallies(store, settings, before.replace(day=1), before, now))
