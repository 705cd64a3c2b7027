"""`walkbreak history`: walks per day against the target, the streak, and week and month totals."""

from __future__ import annotations

from datetime import date, timedelta

from walkbreak.cli import EXIT_OK, Context
from walkbreak.core.model import Bout
from walkbreak.core.status import format_number
from walkbreak.core.tally import (
    DayTally,
    PeriodSummary,
    day_tally,
    month_of,
    streak,
    summarize,
    week_of,
)


def run(context: Context, days: int) -> int:
    """Print the last `days` days, oldest first, then the streak and the totals."""
    today = context.clock.now().date()
    first = today - timedelta(days=days - 1)
    tallies = _load(context, min(first, week_of(today)[0], month_of(today)[0]), today)
    current = _streak(context, tallies, today)
    print(f"{'':10}  {'walks':>6}  {'minutes':>7}  {'spread':>6}")
    for day in sorted(d for d in tallies if d >= first):
        print(_row(tallies[day]))
    print()
    print(f"streak: {current} day{'s' if current != 1 else ''} meeting the target")
    for label, (start, end) in (("this week so far", week_of(today)), ("this month so far", month_of(today))):
        print(f"{label}: {_summary(summarize(start, end, tallies.values()))}")
    return EXIT_OK


def _load(context: Context, first: date, last: date) -> dict[date, DayTally]:
    """Tallies of every day from `first` to `last`."""
    logs = context.store.days(first, last, kinds=(Bout,))
    return {day: day_tally(context.settings, log) for day, log in logs.items()}


def _streak(context: Context, tallies: dict[date, DayTally], today: date) -> int:
    """The streak, reading older months only while it still runs back past what is loaded."""
    oldest_file = context.store.first_month()
    while True:
        result = streak(tallies, today)
        oldest = min(tallies)
        if not result.open_ended or oldest_file is None or oldest <= oldest_file:
            return result.days
        before = oldest - timedelta(days=1)
        tallies.update(_load(context, before.replace(day=1), before))


def _row(tally: DayTally) -> str:
    """One day: walks against target, minutes, spread over work hours."""
    label = f"{tally.day:%a %d %b}"
    if not tally.work_day:
        walks = str(tally.bouts)
        spread, mark = "-", "day off"
    else:
        walks = f"{tally.bouts}/{tally.target}"
        spread = f"{tally.spread}/{tally.work_hours} h"
        mark = "met" if tally.met else ""
    return f"{label:10}  {walks:>6}  {format_number(tally.minutes):>7}  {spread:>6}  {mark}".rstrip()


def _summary(summary: PeriodSummary) -> str:
    """A period's totals in one line."""
    return (
        f"{summary.bouts}/{summary.target_bouts} walks, {format_number(summary.minutes)} min, "
        f"target met on {summary.days_met} of {summary.work_days} work days"
    )
