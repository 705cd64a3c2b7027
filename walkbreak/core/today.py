"""The day as the dashboard shows it: the records, the plan and the tally, seen at one moment."""

from __future__ import annotations

from datetime import datetime

from walkbreak.core.busy import Busy, on_day
from walkbreak.core.model import DayLog
from walkbreak.core.named_tuple import NamedTuple
from walkbreak.core.planner import Plan, plan
from walkbreak.core.settings import Settings
from walkbreak.core.tally import DayTally, day_tally


class Desk(NamedTuple):
    """Another device sharing the data dir through a file sync: its name and when its files last
    arrived here (what it did since then is not seen here yet)."""

    name: str
    arrived: datetime


class DayView(NamedTuple):
    """Today at `now`; `waiting` says why a due prompt is held back ("do not disturb", …),
    `engine` which other walkbreak sends the prompts when this one only shows the day, and
    `notifications` why prompts cannot reach the desktop now ("" while they can), `config` why
    the config file as it is now is not in force ("" when it is), `busy` today's busy blocks
    from the calendars, `calendar` which calendars could not be read ("" when all could) and
    `desks` the other devices whose files this one reads."""

    now: datetime
    log: DayLog
    plan: Plan
    tally: DayTally
    waiting: str = ""
    engine: str = ""
    notifications: str = ""
    config: str = ""
    busy: tuple[Busy, ...] = ()
    calendar: str = ""
    desks: tuple[Desk, ...] = ()


def day_view(
    settings: Settings,
    now: datetime,
    log: DayLog,
    hold_until: datetime | None = None,
    busy: tuple[Busy, ...] = (),
) -> DayView:
    """Plan and tally `log` as seen at `now`, around the calendars' `busy` blocks."""
    today = on_day(busy, now.date())
    return DayView(now, log, plan(settings, now, log, hold_until, busy), day_tally(settings, log), busy=today)
