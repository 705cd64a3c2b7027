"""Busy time from the user's calendars: reading sources, parsing iCalendar, the cached busy list."""
