"""`walkbreak history`: walks per day against the target, the streak, and week and month totals."""

from __future__ import annotations

from datetime import timedelta

from walkbreak.commands.context import EXIT_OK, Context
from walkbreak.core.care import events, in_force
from walkbreak.core.model import Advice, CheckIn
from walkbreak.core.status import format_number
from walkbreak.core.tally import (
    DayTally,
    PeriodSummary,
    month_of,
    summarize,
    week_of,
)
from walkbreak.summary import current_streak, tallies


def run(context: Context, days: int) -> int:
    """Print the last `days` days, oldest first, then the streak and the totals."""
    now = context.clock.now()
    today = now.date()
    first = today - timedelta(days=days - 1)
    earliest = min(first, week_of(today)[0], month_of(today)[0])
    # Days before the first record are not days without walks: not listed, not counted. The
    # first record is looked for only when no month file is older than the days shown.
    oldest = context.store.first_month()
    began = earliest if oldest and oldest < earliest.replace(day=1) else context.store.first_day() or today
    known = tallies(context.store, context.settings, earliest, today, now)
    current = current_streak(context.store, context.settings, known, today, now)
    print(f"{'':10}  {'walks':>6}  {'minutes':>7}  {'spread':>6}")
    for day in sorted(d for d in known if d >= max(first, began)):
        print(_row(known[day]))
    if first < began:
        print(f"(your history begins {began:%a %d %b})")
    print()
    print(f"streak: {current} day{'s' if current != 1 else ''} meeting the target")
    for label, (start, end) in (("this week so far", week_of(today)), ("this month so far", month_of(today))):
        print(f"{label}: {_summary(summarize(max(start, began), end, known.values()))}")
    logs = context.store.days(first, today, (CheckIn, Advice))
    feelings = [c.feeling for d in sorted(logs) for c in logs[d].checkins]
    print(f"check-ins: {', '.join(feelings[-5:]) if feelings else 'none yet'}")
    for line in [*events([logs[d] for d in sorted(logs)]), in_force(context.settings)]:
        print(line)
    return EXIT_OK


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
