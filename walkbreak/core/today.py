"""The day as the dashboard shows it: the records, the plan and the tally, seen at one moment."""

from __future__ import annotations

from datetime import datetime

from walkbreak.core.model import DayLog
from walkbreak.core.named_tuple import NamedTuple
from walkbreak.core.planner import Plan, plan
from walkbreak.core.settings import Settings
from walkbreak.core.tally import DayTally, day_tally


class DayView(NamedTuple):
    """Today at `now`; `waiting` says why a due prompt is held back ("do not disturb", …),
    `engine` which other walkbreak sends the prompts when this one only shows the day, and
    `notifications` why prompts cannot reach the desktop now ("" while they can), `config` why
    the config file as it is now is not in force ("" when it is)."""

    now: datetime
    log: DayLog
    plan: Plan
    tally: DayTally
    waiting: str = ""
    engine: str = ""
    notifications: str = ""
    config: str = ""


def day_view(settings: Settings, now: datetime, log: DayLog, hold_until: datetime | None = None) -> DayView:
    """Plan and tally `log` as seen at `now`."""
    return DayView(now, log, plan(settings, now, log, hold_until), day_tally(settings, log))
