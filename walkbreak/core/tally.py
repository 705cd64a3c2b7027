"""Counting the walking: a day against its target, its spread, streaks, week and month totals."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta

from walkbreak.core.model import DayLog
from walkbreak.core.named_tuple import NamedTuple
from walkbreak.core.settings import Settings


class DayTally(NamedTuple):
    """One day's walking against its target.

    Attributes:
        day: the local calendar date.
        bouts: bouts logged.
        minutes: minutes walked.
        target: the bout target; 0 on a day off.
        target_minutes: the target in minutes.
        spread: how many of the day's work hours had a bout start in them.
        work_hours: how many clock hours the work windows touch.
    """

    day: date
    bouts: int
    minutes: float
    target: int
    target_minutes: int
    spread: int
    work_hours: int

    @property
    def met(self) -> bool:
        """Whether the target was reached (a day off with a target of 0 never counts as met)."""
        return self.target > 0 and self.bouts >= self.target

    @property
    def work_day(self) -> bool:
        """Whether the day had work hours, and so a target."""
        return self.target > 0


def work_hour_slots(settings: Settings, day: date) -> set[int]:
    """The clock hours (0–23) that the day's work windows touch."""
    return {hour for w in settings.work.windows_on(day) for hour in range(w.start // 60, (w.end + 59) // 60)}


def day_tally(settings: Settings, log: DayLog) -> DayTally:
    """Tally one day."""
    slots = work_hour_slots(settings, log.day)
    target = settings.walk.daily_target if slots else 0
    walked_hours = {b.start.hour for b in log.bouts}
    return DayTally(
        day=log.day,
        bouts=len(log.bouts),
        minutes=log.walked_minutes,
        target=target,
        target_minutes=target * settings.walk.bout_minutes,
        spread=len(walked_hours & slots),
        work_hours=len(slots),
    )


class Streak(NamedTuple):
    """Days in a row on which the target was met.

    Attributes:
        days: the length of the streak.
        open_ended: the streak reached the oldest day given, so older days may extend it.
    """

    days: int
    open_ended: bool


def streak(tallies: Mapping[date, DayTally], today: date) -> Streak:
    """The streak running back from today.

    Today counts once met; until then the streak runs to yesterday. Days off neither break a
    streak nor add to it.
    """
    count = 0
    day = today
    if day in tallies and not tallies[day].met:
        day -= timedelta(days=1)
    while day in tallies:
        tally = tallies[day]
        if tally.met:
            count += 1
        elif tally.work_day:
            return Streak(count, open_ended=False)
        day -= timedelta(days=1)
    return Streak(count, open_ended=True)


class PeriodSummary(NamedTuple):
    """Totals over a run of days (a week, a month).

    Attributes:
        first: the first day of the period.
        last: the last day of the period.
        work_days: days that had work hours.
        days_met: days on which the target was met.
        bouts: bouts logged.
        minutes: minutes walked.
        target_bouts: the sum of the daily targets.
    """

    first: date
    last: date
    work_days: int
    days_met: int
    bouts: int
    minutes: float
    target_bouts: int

    @property
    def bouts_per_work_day(self) -> float:
        """Average bouts on a work day."""
        return self.bouts / self.work_days if self.work_days else 0.0


def summarize(first: date, last: date, tallies: Iterable[DayTally]) -> PeriodSummary:
    """Sum the tallies that fall between `first` and `last`, inclusive."""
    inside = [t for t in tallies if first <= t.day <= last]
    return PeriodSummary(
        first=first,
        last=last,
        work_days=sum(t.work_day for t in inside),
        days_met=sum(t.met for t in inside),
        bouts=sum(t.bouts for t in inside),
        minutes=sum(t.minutes for t in inside),
        target_bouts=sum(t.target for t in inside),
    )


def week_of(day: date) -> tuple[date, date]:
    """The Monday and Sunday of the week holding `day`."""
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def month_of(day: date) -> tuple[date, date]:
    """The first and last day of the month holding `day`."""
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)
