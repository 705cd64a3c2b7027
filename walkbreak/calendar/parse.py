"""iCalendar text to event occurrences, with the libraries made for it: icalendar reads the
format, recurring-ical-events expands recurrence (RRULE, RDATE, EXDATE, moved and cancelled
instances) and time zones (VTIMEZONE, IANA names, X-WR-TIMEZONE). Imported only where a
calendar is configured: the two cost ~50 ms at import."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any

import icalendar
import recurring_ical_events

from walkbreak.core.busy import Event
from walkbreak.core.plain_text import LONGEST_NOTE, clean


class NotICalendar(ValueError):
    """Text that is not iCalendar (the message says what is wrong)."""


def occurrences(
    text: bytes | str, start: datetime, end: datetime, zone: tzinfo, calendar: str
) -> list[Event]:
    """The events of the iCalendar `text` that overlap [start, end), each recurrence expanded.

    Floating times (no zone) and all-day dates are read in `zone`, the user's; `calendar` names
    the calendar unless the text names itself (X-WR-CALNAME).
    """
    try:
        parsed = icalendar.Calendar.from_ical(text)
    except ValueError as err:
        raise NotICalendar(f"not iCalendar: {err}") from None
    calendar = clean(str(parsed.get("X-WR-CALNAME", "") or calendar))[:LONGEST_NOTE]
    try:
        found = recurring_ical_events.of(parsed, components=["VEVENT"]).between(start, end)
    except Exception as err:  # the library raises its own kinds for broken rules and dates
        raise NotICalendar(f"cannot expand its events: {err}") from None
    return [event for component in found if (event := _event(component, zone, calendar))]


def _event(component: Any, zone: tzinfo, calendar: str) -> Event | None:
    begin = component.get("DTSTART")
    if begin is None:
        return None
    first, all_day = _instant(begin.dt, zone)
    if "DTEND" in component:
        last = _instant(component["DTEND"].dt, zone)[0]
    elif "DURATION" in component:
        last = first + component["DURATION"].dt
    else:  # RFC 5545: a date lasts the day, a date-time is an instant
        last = first + timedelta(days=1) if all_day else first
    busy_status = str(component.get("X-MICROSOFT-CDO-BUSYSTATUS", "")).upper()
    return Event(
        first,
        last,
        # A calendar at an address may hold anything: no escape sequence reaches a terminal.
        clean(str(component.get("SUMMARY", "")))[:LONGEST_NOTE],
        calendar,
        all_day=all_day,
        transparent=str(component.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT" or busy_status == "FREE",
        cancelled=str(component.get("STATUS", "")).upper() == "CANCELLED",
        declined_by=frozenset(_declined(component.get("ATTENDEE"))),
    )


def _instant(value: date | datetime, zone: tzinfo) -> tuple[datetime, bool]:
    """An aware datetime for a DTSTART/DTEND value, and whether it was a date (all day)."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(), tzinfo=zone), True
    return (value if value.tzinfo else value.replace(tzinfo=zone)), False


def _declined(attendees: Any) -> list[str]:
    """The addresses of the attendees who declined (lower case, without "mailto:")."""
    if attendees is None:
        return []
    found = []
    for attendee in attendees if isinstance(attendees, list) else [attendees]:
        if str(attendee.params.get("PARTSTAT", "")).upper() == "DECLINED":
            address = str(attendee).strip()
            found.append(address[7:].lower() if address.lower().startswith("mailto:") else address.lower())
    return found
