"""The day's tally, its spread, streaks and period totals."""

from __future__ import annotations

from datetime import date, timedelta

from tests.builders import BERLIN, at, bout, day_log, settings
from walkbreak.core.model import DayLog
from walkbreak.core.tally import DayTally, day_tally, month_of, streak, summarize, week_of

WEEKDAYS = settings(days=range(5), target=3)


def tally(day: date, bouts: int, prefs=WEEKDAYS) -> DayTally:
    """A tally of `bouts` walks at 10:00, 11:00, … on `day`."""
    walks = [bout(at(BERLIN, f"{day} {10 + n:02d}:00")) for n in range(bouts)]
    return day_tally(prefs, DayLog.of(day, walks))


def test_a_day_counts_bouts_minutes_and_the_hours_they_cover() -> None:
    now = at(BERLIN, "2026-11-26 16:00")
    log = day_log(
        now,
        bout(at(BERLIN, "2026-11-26 09:10"), 5),
        bout(at(BERLIN, "2026-11-26 09:50"), 4.5),
        bout(at(BERLIN, "2026-11-26 14:00"), 6),
        bout(at(BERLIN, "2026-11-26 19:00"), 5),  # after work: counts, but not in the spread
    )
    result = day_tally(settings(target=6, bout=5), log)
    assert (result.bouts, result.minutes, result.target, result.target_minutes) == (4, 20.5, 6, 30)
    # 09:00-12:30 and 13:30-17:30 touch the hours 9 to 17: nine of them; walks fell in 9 and 14.
    assert (result.spread, result.work_hours) == (2, 9)
    assert not result.met


def test_the_target_is_the_configured_daily_target_on_a_work_day() -> None:
    prefs = settings(days=range(5), target=4, bout=7)
    thursday = date(2026, 11, 26)
    for walks, met in ((1, False), (3, False), (4, True), (5, True)):
        result = tally(thursday, walks, prefs)
        assert (result.target, result.target_minutes, result.met) == (4, 28, met), walks
        assert result.work_day


def test_a_day_off_has_no_target_and_is_never_met() -> None:
    saturday = tally(date(2026, 11, 28), 4)
    assert saturday.target == 0 and not saturday.work_day and not saturday.met


def test_the_streak_runs_back_over_met_days_and_skips_days_off() -> None:
    # Mon 16 … Fri 27 Nov 2026; the weekend 21-22 is off.
    met = {date(2026, 11, d): tally(date(2026, 11, d), 3) for d in range(16, 27)}
    met[date(2026, 11, 18)] = tally(date(2026, 11, 18), 2)  # Wed 18 missed
    today = date(2026, 11, 26)
    met[today] = tally(today, 1)  # today not met yet: the streak runs to yesterday
    result = streak(met, today)
    assert result.days == 5  # Thu 19, Fri 20, Mon 23, Tue 24, Wed 25
    assert not result.open_ended
    met[today] = tally(today, 3)
    assert streak(met, today).days == 6


def test_a_streak_that_reaches_the_oldest_day_given_is_open_ended() -> None:
    days = {date(2026, 11, d): tally(date(2026, 11, d), 3) for d in range(23, 27)}
    assert streak(days, date(2026, 11, 26)).open_ended


def test_period_totals_count_only_days_inside_the_period() -> None:
    week = week_of(date(2026, 11, 26))
    assert week == (date(2026, 11, 23), date(2026, 11, 29))
    assert month_of(date(2026, 2, 10)) == (date(2026, 2, 1), date(2026, 2, 28))
    tallies = [tally(date(2026, 11, 22) + timedelta(days=n), n % 4) for n in range(8)]
    total = summarize(*week, tallies)
    # 23 Mon 1, 24 Tue 2, 25 Wed 3 (met), 26 Thu 0, 27 Fri 1, 28 Sat 2 (off), 29 Sun 3 (off)
    assert (total.work_days, total.days_met, total.bouts, total.target_bouts) == (5, 1, 12, 15)
    assert total.bouts_per_work_day == 12 / 5
