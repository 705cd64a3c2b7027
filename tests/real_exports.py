"""Real exports from Google Calendar and Microsoft Exchange and Outlook: calendars users sent to
recurring-ical-events (the library walkbreak expands recurrence with) with their bug reports,
which its wheel ships from 3.6 on (walkbreak's floor). Read where that package is installed;
not copied into this repository."""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

import icalendar
import recurring_ical_events

FOLDER = Path(recurring_ical_events.__file__).parent / "test" / "calendars"

GOOGLE_SCHOOL = "issue_48_dst.ics"
"""Google Calendar, America/Chicago, autumn 2020: a timetable of weekly series across the US
clock change on 1 November, with every series excepted (EXDATE) on Thanksgiving."""
GOOGLE_WORK = "issue_173_only_modifications_error.ics"
"""Google Calendar, Europe/Paris, 2023-24: someone's work calendar (titles blanked to "XXX"),
687 events, most of them moved or edited instances (RECURRENCE-ID) of weekly series."""
GOOGLE_MOVED = "issue_62_moved_event_2.ics"
"""Google Calendar, Australia/Sydney, August 2023: a weekly meeting and an all-day series, one
instance of each moved to the day before."""
EXCHANGE = "issue_28_rrule_with_UTC_endinginZ.ics"
"""Microsoft Exchange Server 2010 (Outlook on the web), a Windows zone name ("GMT Standard
Time"), 2020: fortnightly all-day bin days shown as free, some moved by a day."""
OUTLOOK_HOLIDAYS = "Germany.ics"
"""Outlook 12: Germany's holidays 2018-2025, all-day and shown as busy."""


def real_export(name: str) -> Path:
    """The path of the export `name` in the installed recurring-ical-events."""
    path = FOLDER / name
    assert path.is_file(), (
        f"{path} is missing: recurring-ical-events >= 3.6 ships the calendars its tests use"
    )
    return path


def series_on(name: str, day: date, zone: tzinfo) -> list[str]:
    """The series of the export `name` that meet on `day` (in `zone`), each whole (its rule, its
    moved and edited instances) in an iCalendar text of its own with the export's time zones, as
    a CalDAV server keeps one event a resource."""
    calendar = icalendar.Calendar.from_ical(real_export(name).read_bytes())
    start = datetime(day.year, day.month, day.day, tzinfo=zone)
    meeting = {
        str(event["UID"])
        for event in recurring_ical_events.of(calendar).between(start, start + timedelta(days=1))
    }
    texts = []
    for uid in sorted(meeting):
        one = icalendar.Calendar()
        one.add("PRODID", calendar["PRODID"])
        one.add("VERSION", "2.0")
        for component in calendar.subcomponents:
            if component.name == "VTIMEZONE" or (component.name == "VEVENT" and str(component["UID"]) == uid):
                one.add_component(component)
        texts.append(one.to_ical().decode())
    return texts
