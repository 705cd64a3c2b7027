"""A Wednesday full of recurring meetings (one moved this week) on the Radicale that
tools/calendar-day.sh starts at 127.0.0.1:5232, written with the caldav client; prints the
calendar's address."""

from __future__ import annotations

import caldav

WEEKLY = "FREQ=WEEKLY;BYDAY=WE"
EVENTS = [
    ("standup", "20261102T093000", "20261102T094500", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "Stand-up", ""),
    ("planning", "20261104T100000", "20261104T113000", WEEKLY, "Sprint planning", ""),
    ("one-on-one", "20261104T115000", "20261104T122000", WEEKLY, "1:1 with Ana", ""),
    ("design", "20261104T140000", "20261104T150000", WEEKLY, "Design review", "20261202T140000"),
    ("customer", "20261104T154500", "20261104T163000", WEEKLY + ";INTERVAL=2", "Customer call", ""),
    ("retro", "20261104T164500", "20261104T171500", WEEKLY, "Team retro", ""),
]
with caldav.DAVClient(url="http://127.0.0.1:5232/", username="me", password="s3cret") as client:
    calendar = client.principal().make_calendar(name="Work", cal_id="work")
    for uid, start, end, rule, title, moved in EVENTS:
        text = (
            "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//walkbreak demo//EN\nBEGIN:VEVENT\n"
            f"UID:{uid}@demo\nDTSTART;TZID=Europe/Berlin:{start}\nDTEND;TZID=Europe/Berlin:{end}\n"
            f"RRULE:{rule}\nSUMMARY:{title}\nEND:VEVENT\n"
        )
        if moved:  # this week's instance moved half an hour later
            text += (
                f"BEGIN:VEVENT\nUID:{uid}@demo\nRECURRENCE-ID;TZID=Europe/Berlin:{moved}\n"
                "DTSTART;TZID=Europe/Berlin:20261202T143000\nDTEND;TZID=Europe/Berlin:20261202T153000\n"
                f"SUMMARY:{title} (moved)\nEND:VEVENT\n"
            )
        calendar.save_event(text + "END:VCALENDAR\n")
    print(calendar.url)
