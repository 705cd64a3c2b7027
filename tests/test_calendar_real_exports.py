"""walkbreak on calendars exported by Google Calendar, Exchange and Outlook themselves (see
tests/real_exports.py): what each day holds was read off the files by hand, event by event."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from tests.real_exports import (
    EXCHANGE,
    GOOGLE_MOVED,
    GOOGLE_SCHOOL,
    GOOGLE_WORK,
    OUTLOOK_HOLIDAYS,
    real_export,
    series_on,
)
from tests.test_calendar_remote import on_radicale, radicale  # noqa: F401 (a fixture)
from walkbreak.calendar import busy_cache
from walkbreak.calendar.parse import occurrences
from walkbreak.calendar.refresh import refresh
from walkbreak.core.busy import Event, counts_as_busy
from walkbreak.core.settings import CalendarSettings, CalendarSource


def on(name: str, day: date, zone: ZoneInfo) -> list[Event]:
    """The occurrences on `day` (in `zone`, the user's) of the real export `name`, by start."""
    start = datetime(day.year, day.month, day.day, tzinfo=zone)
    found = occurrences(real_export(name).read_bytes(), start, start + timedelta(days=1), zone, "file")
    return sorted(found, key=lambda e: (e.start, e.end))


def shown(events: list[Event], zone: ZoneInfo) -> list[str]:
    """Start, end and title (without the space the school's export ends "Event#1 " with)."""
    return [
        f"{e.start.astimezone(zone):%H:%M}-{e.end.astimezone(zone):%H:%M} {e.title.strip()}" for e in events
    ]


CHICAGO = ZoneInfo("America/Chicago")


def test_a_google_timetable_across_the_us_clock_change_and_thanksgiving() -> None:
    def day(d: date) -> list[str]:
        return shown(on(GOOGLE_SCHOOL, d, CHICAGO), CHICAGO)

    # Mondays: Event#1 (Mo/Tu/Th/Fr from 16 Nov), Event#2 (Mondays from 28 Sep), Event#3 (from 9 Nov).
    assert day(date(2020, 11, 30)) == ["08:15-08:30 Event#1", "10:15-10:30 Event#2", "12:30-12:45 Event#3"]
    # Tuesdays add Event#4 (from 3 Nov).
    assert day(date(2020, 12, 1)) == [
        "08:15-08:30 Event#1",
        "10:15-10:30 Event#2",
        "12:30-12:45 Event#3",
        "14:15-14:30 Event#4",
    ]
    # Thanksgiving and the day after: every series that falls on them is excepted (EXDATE).
    assert day(date(2020, 11, 26)) == [] and day(date(2020, 11, 27)) == []
    # Friday 13 Nov: a one-off Event#1 written in UTC (14:15Z, 08:15 in Chicago in November).
    assert day(date(2020, 11, 13)) == [
        "08:15-08:30 Event#1",
        "10:15-10:30 Event#2",
        "12:30-12:45 Event#3",
        "14:15-14:30 Event#4",
    ]
    # Friday's Event#2 stays at 10:15 in Chicago across the clock change on 1 November, so it
    # moves by an hour in UTC; on 6 Nov the Friday Event#3 and Event#4 are excepted.
    before, after = (
        on(GOOGLE_SCHOOL, date(2020, 10, 30), CHICAGO),
        on(GOOGLE_SCHOOL, date(2020, 11, 6), CHICAGO),
    )
    assert shown(before, CHICAGO) == ["10:15-10:30 Event#2", "14:15-14:30 Event#4"]
    assert shown(after, CHICAGO) == ["10:15-10:30 Event#2"]
    assert [f"{before[0].start.astimezone(UTC):%H:%M}", f"{after[0].start.astimezone(UTC):%H:%M}"] == [
        "15:15",
        "16:15",
    ]
    assert all(counts_as_busy(e, CalendarSettings()) for e in before + after)


PARIS = ZoneInfo("Europe/Paris")


def test_a_google_work_calendar_of_moved_instances() -> None:
    """Tuesday 10 September 2024: seven meetings, from one-offs written in UTC, weekly and
    fortnightly series in Paris time and instances of series moved there (RECURRENCE-ID)."""
    events = on(GOOGLE_WORK, date(2024, 9, 10), PARIS)
    assert shown(events, PARIS) == [
        "09:00-10:00 XXX",  # a fortnightly series' instance, edited (RECURRENCE-ID 09:00)
        "10:30-12:30 XXX",  # a weekly series' first
        "13:00-13:30 XXX",  # an instance of a series begun earlier, edited
        "13:00-14:00 XXX",  # a one-off, 11:00Z
        "14:15-15:15 XXX",  # a weekly series' first, also written as an edited instance
        "16:00-16:15 XXX",  # one-offs, 14:00Z and 14:15Z
        "16:15-17:00 XXX",
    ]
    assert all(counts_as_busy(e, CalendarSettings()) for e in events)
    # The weekly 10:30 series' next instance was moved from Tuesday 17th to Thursday 19th, 09:00.
    assert "10:30-12:30 XXX" not in shown(on(GOOGLE_WORK, date(2024, 9, 17), PARIS), PARIS)
    assert "09:00-11:00 XXX" in shown(on(GOOGLE_WORK, date(2024, 9, 19), PARIS), PARIS)
    assert "10:30-12:30 XXX" in shown(on(GOOGLE_WORK, date(2024, 9, 24), PARIS), PARIS)


JULY_8 = ["10:00-11:00", "11:30-12:30", "14:00-15:30", "15:30-17:00", "17:00-17:45"]
"""The work calendar's Monday 8 July 2024 in Paris, read off the export: one-offs at 08:00Z and
15:00Z, and three instances of weekly series moved there (from 09:00 and 10:00 that day, and
from Thursday 4 July 14:00)."""


def test_the_real_work_calendar_from_radicale_gives_the_same_day(
    radicale: str,  # noqa: F811
    tmp_path: Path,
) -> None:
    """Each series that meets that day, whole (its rule and every moved instance), written to a
    real CalDAV server by the caldav client; walkbreak reads it back into the day's busy list."""
    series = series_on(GOOGLE_WORK, date(2024, 7, 8), PARIS)
    assert len(series) == 5
    collection = on_radicale(radicale, series)
    source = CalendarSource("work", "caldav", collection, "me", "printf s3cret")
    cached = refresh(
        CalendarSettings(sources=(source,)), str(tmp_path / "data"), datetime(2024, 7, 8, 8, tzinfo=PARIS)
    )
    assert cached.sources["work"].error == ""
    day = busy_cache.busy_on(cached, date(2024, 7, 8))
    assert [f"{b.start.astimezone(PARIS):%H:%M}-{b.end.astimezone(PARIS):%H:%M}" for b in day] == JULY_8


def test_a_google_meeting_and_an_all_day_event_moved_to_the_day_before() -> None:
    sydney = ZoneInfo("Australia/Sydney")
    assert shown(on(GOOGLE_MOVED, date(2023, 8, 8), sydney), sydney) == ["14:00-15:00 Datetime"]
    monday, tuesday = on(GOOGLE_MOVED, date(2023, 8, 14), sydney), on(GOOGLE_MOVED, date(2023, 8, 15), sydney)
    assert shown(monday, sydney) == ["14:00-15:00 Datetime"] and tuesday == []
    wednesday, thursday = (
        on(GOOGLE_MOVED, date(2023, 8, 16), sydney),
        on(GOOGLE_MOVED, date(2023, 8, 17), sydney),
    )
    assert [(e.title, e.all_day, e.transparent) for e in wednesday] == [("All Day", True, True)]
    assert thursday == []  # its instance moved to the Wednesday
    assert [e.title for e in on(GOOGLE_MOVED, date(2023, 8, 24), sydney)] == ["All Day"]


LONDON = ZoneInfo("Europe/London")


def test_an_exchange_calendar_with_a_windows_zone_name_and_free_all_day_events() -> None:
    def day(d: date) -> list[tuple[str, bool, bool]]:
        return [(e.title, e.all_day, e.transparent) for e in on(EXCHANGE, d, LONDON)]

    assert day(date(2020, 4, 2)) == [("Refuse black bin", True, True)]
    assert day(date(2020, 4, 9)) == [("Blue Recycle bin", True, True)]
    assert day(date(2020, 4, 16)) == [] and day(date(2020, 4, 17)) == [("Refuse black bin", True, True)]
    assert day(date(2020, 4, 30)) == [("Refuse black bin", True, True)]  # a fortnight on
    # Shown as free (TRANSP and Exchange's BUSYSTATUS): never busy, even with all-day events on.
    bins = on(EXCHANGE, date(2020, 4, 2), LONDON)
    assert not any(counts_as_busy(e, CalendarSettings(all_day_busy=True)) for e in bins)


def test_an_outlook_holiday_calendar_is_busy_all_day_only_when_asked() -> None:
    berlin = ZoneInfo("Europe/Berlin")
    (good_friday,) = on(OUTLOOK_HOLIDAYS, date(2020, 4, 10), berlin)
    assert good_friday.title.strip() == "Germany: Good Friday" and good_friday.all_day
    assert (good_friday.start, good_friday.end) == (
        datetime(2020, 4, 10, tzinfo=berlin),
        datetime(2020, 4, 11, tzinfo=berlin),
    )
    assert not counts_as_busy(good_friday, CalendarSettings())
    assert counts_as_busy(good_friday, CalendarSettings(all_day_busy=True))
    assert on(OUTLOOK_HOLIDAYS, date(2020, 4, 14), berlin) == []  # a Tuesday after Easter Monday
