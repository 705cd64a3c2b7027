"""Calendars on this machine: exports in the formats Google Calendar and Outlook write, vdirs as
khal and vdirsyncer keep them, read into the busy list the planner uses; a broken or missing
source keeps its last good busy time and says why."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from walkbreak.calendar import busy_cache
from walkbreak.calendar.parse import NotICalendar, occurrences
from walkbreak.calendar.refresh import refresh
from walkbreak.core.settings import CalendarSettings, CalendarSource

BERLIN = ZoneInfo("Europe/Berlin")
FIXTURES = Path(__file__).parent / "fixtures" / "calendars"
GOOGLE = FIXTURES / "google-work.ics"
OUTLOOK = FIXTURES / "outlook-export.ics"


def day(on: date) -> tuple[datetime, datetime]:
    start = datetime(on.year, on.month, on.day, tzinfo=BERLIN)
    return start, start + timedelta(days=1)


def shown(events) -> list[str]:
    return [
        f"{e.start.astimezone(BERLIN):%H:%M}-{e.end.astimezone(BERLIN):%H:%M} {e.title}"
        for e in sorted(events, key=lambda e: e.start)
    ]


def test_a_google_export_with_recurrence_exceptions_time_zones_and_a_clock_change() -> None:
    text = GOOGLE.read_bytes()
    wednesday = occurrences(text, *day(date(2026, 12, 2)), BERLIN, "file")
    assert shown(wednesday) == [
        "08:00-09:00 Focus time",
        "10:00-10:15 Daily stand-up (moved)",  # the instance moved by RECURRENCE-ID
        "12:30-13:30 Lunch with Sam",
        "14:00-15:30 Design review",
        "16:00-17:00 Call with the New York team",  # 10:00 in New York
    ]
    assert {e.calendar for e in wednesday} == {"Work"}  # X-WR-CALNAME
    assert [e.transparent for e in wednesday if e.title == "Lunch with Sam"] == [True]
    thursday = occurrences(text, *day(date(2026, 12, 3)), BERLIN, "file")
    assert "09:30-09:45 Daily stand-up" not in shown(thursday)  # EXDATE
    friday = occurrences(text, *day(date(2026, 12, 4)), BERLIN, "file")
    assert all(e.cancelled for e in friday if e.title == "Quarterly planning")
    declined = occurrences(text, *day(date(2026, 12, 9)), BERLIN, "file")
    assert [sorted(e.declined_by) for e in declined if e.title == "Design review"] == [["me@example.com"]]
    # A weekly retro at 16:00 Berlin time stays at 16:00 after the clock goes back on 25 October.
    for before_and_after in (date(2026, 10, 21), date(2026, 10, 28)):
        assert "16:00-17:00 Retro across the clock change" in shown(
            occurrences(text, *day(before_and_after), BERLIN, "file")
        )
    christmas_eve = occurrences(text, *day(date(2026, 12, 24)), BERLIN, "file")
    assert [(e.title, e.all_day) for e in christmas_eve if e.all_day] == [("Office closed", True)]


def test_an_outlook_export_with_windows_zone_names_and_busy_status() -> None:
    events = occurrences(OUTLOOK.read_bytes(), *day(date(2026, 12, 2)), BERLIN, "file")
    assert shown(events) == ["11:00-11:30 Customer sync", "15:00-17:00 Working from the café"]
    assert [e.transparent for e in events] == [False, True]  # X-MICROSOFT-CDO-BUSYSTATUS:FREE
    assert occurrences(OUTLOOK.read_bytes(), *day(date(2026, 12, 7)), BERLIN, "file") == []  # EXDATE


def test_text_that_is_not_icalendar_says_so() -> None:
    with pytest.raises(NotICalendar, match="not iCalendar"):
        occurrences(b"<html>Sign in</html>", *day(date(2026, 12, 2)), BERLIN, "file")


RULES = CalendarSettings(me=("me@example.com",), ignore_titles=("focus*",))


def test_the_busy_list_of_a_day_from_two_exports(tmp_path: Path) -> None:
    rules = RULES._replace(
        sources=(CalendarSource("work", "path", str(GOOGLE)), CalendarSource("client", "path", str(OUTLOOK)))
    )
    data = tmp_path / "data"
    cached = refresh(rules, str(data), datetime(2026, 12, 2, 8, 0, tzinfo=BERLIN))
    today = busy_cache.busy_on(cached, date(2026, 12, 2))
    assert [(f"{b.start:%H:%M}-{b.end:%H:%M}", b.title, b.source) for b in today] == [
        ("10:00-10:15", "Daily stand-up (moved)", "work"),
        ("11:00-11:30", "Customer sync", "client"),
        ("14:00-15:30", "Design review", "work"),
        ("16:00-17:00", "Call with the New York team", "work"),
    ]  # not: focus time (ignored title), lunch (free), the café (Outlook's FREE)
    december_9 = [b.title for b in busy_cache.busy_on(cached, date(2026, 12, 9))]
    assert "Design review" not in december_9 and "Daily stand-up" in december_9  # declined by me
    # Kept owner-only, and read back the same by the fast path.
    assert stat.S_IMODE(data.stat().st_mode) == 0o700
    assert stat.S_IMODE((data / "calendar.json").stat().st_mode) == 0o600
    assert busy_cache.load(str(data)) == cached
    assert cached.sources["work"].error == "" and cached.sources["work"].blocks > 0


def test_a_folder_of_vdirs_as_khal_keeps_them_one_event_a_file(tmp_path: Path) -> None:
    calendars = tmp_path / "calendars"
    for name, title, start in (("work", "Planning", "140000"), ("home", "Dentist", "160000")):
        (calendars / name).mkdir(parents=True)
        (calendars / name / f"{name}-event.ics").write_text(
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//khal//NONSGML v0.11//EN\r\nBEGIN:VEVENT\r\n"
            f"SUMMARY:{title}\r\nDTSTART;TZID=Europe/Berlin:20261202T{start}\r\n"
            f"DTEND;TZID=Europe/Berlin:20261202T{int(start[:2]) + 1}0000\r\nDTSTAMP:20261201T100000Z\r\n"
            f"UID:{name}-event\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        )
    source = CalendarSource("mine", "path", str(calendars), calendars=("work",))
    cached = refresh(
        RULES._replace(sources=(source,)), str(tmp_path / "data"), datetime(2026, 12, 2, 8, tzinfo=BERLIN)
    )
    assert [(b.title, b.source) for b in cached.busy] == [("Planning", "mine")]  # home is not picked
    both = source._replace(calendars=())
    cached = refresh(
        RULES._replace(sources=(both,)), str(tmp_path / "data"), datetime(2026, 12, 2, 8, tzinfo=BERLIN)
    )
    assert [b.title for b in cached.busy] == ["Planning", "Dentist"]


def copy_of_google(tmp_path: Path) -> tuple[Path, CalendarSettings, str, datetime]:
    """A copy of the Google export as the one calendar, a data dir, and 08:00 on its Wednesday."""
    path = tmp_path / "work.ics"
    shutil.copy(GOOGLE, path)
    rules = RULES._replace(sources=(CalendarSource("work", "path", str(path)),))
    return path, rules, str(tmp_path / "data"), datetime(2026, 12, 2, 8, tzinfo=BERLIN)


def test_a_file_is_read_again_only_when_it_changes(tmp_path: Path) -> None:
    path, rules, data, now = copy_of_google(tmp_path)
    first = refresh(rules, data, now)
    written = os.stat(os.path.join(data, "calendar.json")).st_mtime_ns
    assert refresh(rules, data, now + timedelta(minutes=1)) == first
    assert os.stat(os.path.join(data, "calendar.json")).st_mtime_ns == written  # nothing rewritten
    path.write_bytes(GOOGLE.read_bytes().replace(b"SUMMARY:Design review", b"SUMMARY:Design crit"))
    again = refresh(rules, data, now + timedelta(minutes=2))
    assert "Design crit" in [b.title for b in again.busy] and "Design review" not in [
        b.title for b in again.busy
    ]


def test_a_source_that_breaks_keeps_its_last_good_busy_time_and_says_why(tmp_path: Path) -> None:
    path, rules, data, now = copy_of_google(tmp_path)
    good = refresh(rules, data, now)
    path.write_text("BEGIN:VCALENDAR\r\nthis is not a calendar")
    broken = refresh(rules, data, now + timedelta(minutes=1))
    assert broken.busy == good.busy
    assert "not iCalendar" in broken.sources["work"].error and str(path) in broken.sources["work"].error
    assert broken.sources["work"].read_at == good.sources["work"].read_at  # when it was last read well
    assert refresh(rules, data, now + timedelta(minutes=2)) == broken  # unchanged: not read again
    path.unlink()
    gone = refresh(rules, data, now + timedelta(minutes=3))
    assert gone.busy == good.busy and "no such file" in gone.sources["work"].error
    assert refresh(rules, data, now + timedelta(minutes=4)) == gone  # still gone: nothing new
    shutil.copy(GOOGLE, path)
    mended = refresh(rules, data, now + timedelta(minutes=5))
    assert mended.sources["work"].error == "" and mended.busy == good.busy


def test_a_damaged_busy_list_is_made_again(tmp_path: Path) -> None:
    rules = RULES._replace(sources=(CalendarSource("work", "path", str(GOOGLE)),))
    data = tmp_path / "data"
    good = refresh(rules, str(data), datetime(2026, 12, 2, 8, tzinfo=BERLIN))
    (data / "calendar.json").write_text('{"first": "2026-12-0')
    assert busy_cache.load(str(data)) == busy_cache.Cached()
    assert refresh(rules, str(data), datetime(2026, 12, 2, 8, 1, tzinfo=BERLIN)).busy == good.busy


def test_a_vdir_written_by_khal(tmp_path: Path) -> None:
    """Events made with `khal new`, a one-off and a weekly one, in the folder of vdirs khal keeps."""
    if shutil.which("khal") is None:
        pytest.skip("khal is not installed (.ci/run installs Debian's khal)")
    calendars = tmp_path / "calendars"
    (calendars / "work").mkdir(parents=True)
    (calendars / "home").mkdir()
    config = tmp_path / "khal.conf"
    config.write_text(
        f"[calendars]\n[[work]]\npath = {calendars / 'work'}\n[[home]]\npath = {calendars / 'home'}\n"
        "[locale]\ntimeformat = %H:%M\ndateformat = %Y-%m-%d\nlongdateformat = %Y-%m-%d\n"
        "datetimeformat = %Y-%m-%d %H:%M\nlongdatetimeformat = %Y-%m-%d %H:%M\n"
        "default_timezone = Europe/Berlin\nlocal_timezone = Europe/Berlin\n"
    )
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "khal-data")}
    for words in (
        ["-a", "work", "2026-12-02", "14:00", "15:30", "Planning"],
        ["-a", "work", "-r", "weekly", "2026-12-02", "10:00", "10:30", "Weekly sync"],
        ["-a", "home", "2026-12-02", "16:00", "17:00", "Dentist"],
    ):
        done = subprocess.run(
            ["khal", "-c", str(config), "new", *words], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    source = CalendarSource("mine", "path", str(calendars), calendars=("work",))
    cached = refresh(
        RULES._replace(sources=(source,)), str(tmp_path / "data"), datetime(2026, 12, 2, 8, tzinfo=BERLIN)
    )
    on = [(f"{b.start:%H:%M}-{b.end:%H:%M}", b.title) for b in busy_cache.busy_on(cached, date(2026, 12, 2))]
    assert on == [("10:00-10:30", "Weekly sync"), ("14:00-15:30", "Planning")]  # not the dentist (home)
    assert [b.title for b in busy_cache.busy_on(cached, date(2026, 12, 9))] == ["Weekly sync"]


def test_titles_that_would_drive_the_terminal_are_cleaned(tmp_path: Path) -> None:
    """A calendar at an address may hold anything: an escape sequence in a title (retitling the
    terminal, writing the clipboard) never reaches `walkbreak calendar` or the busy list."""
    hostile = GOOGLE.read_bytes().replace(
        b"SUMMARY:Design review", b"SUMMARY:Design \x1b]0;pwned\x07review\xe2\x80\xae"
    )
    events = occurrences(hostile, *day(date(2026, 12, 2)), BERLIN, "file")
    (review,) = [e for e in events if e.title.startswith("Design")]
    assert review.title == "Design ]0;pwnedreview"
