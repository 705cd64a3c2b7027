"""Calendars walkbreak fetches: an iCalendar address served by a local HTTP server (ETag,
If-None-Match, a login from password_command), and a real CalDAV server, Radicale, started on
localhost with events written by a real CalDAV client (the caldav library)."""

from __future__ import annotations

import base64
import os
import socket
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import run_walkbreak
from tests.test_calendar_files import BERLIN, GOOGLE
from walkbreak.calendar import busy_cache
from walkbreak.calendar.refresh import refresh
from walkbreak.core.settings import CalendarSettings, CalendarSource

LOGIN = "Basic " + base64.b64encode(b"me:s3cret").decode()


class Calendar(BaseHTTPRequestHandler):
    """Serves `server.body` with an ETag; 304 when the client has it; 401 without the login."""

    def do_GET(self) -> None:
        server = self.server
        server.requests.append(dict(self.headers.items()))  # type: ignore[attr-defined]
        if self.path == "/moved.ics":  # a redirect off https, to another machine
            self.send_response(302)
            self.send_header("Location", "http://calendar.example.com/work.ics")
            self.end_headers()
            return
        if self.headers.get("Authorization") != LOGIN:
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="calendar"')
            self.end_headers()
            return
        etag = f'"{hash(server.body) & 0xFFFFFF:x}"'  # type: ignore[attr-defined]
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/calendar; charset=utf-8")
        self.send_header("ETag", etag)
        self.end_headers()
        self.wfile.write(server.body)  # type: ignore[attr-defined]

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def served() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Calendar)
    server.body = GOOGLE.read_bytes()  # type: ignore[attr-defined]
    server.requests = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def url_rules(server: ThreadingHTTPServer, password: str = "s3cret") -> CalendarSettings:
    address = f"http://127.0.0.1:{server.server_address[1]}/work.ics"
    source = CalendarSource("team", "url", address, "me", f"printf {password}")
    return CalendarSettings(sources=(source,), refresh_minutes=15)


def titles(cached: busy_cache.Cached, on: date) -> list[str]:
    return [b.title for b in busy_cache.busy_on(cached, on)]


def test_an_address_is_fetched_with_its_login_then_only_when_due_and_changed(
    served: ThreadingHTTPServer, tmp_path: Path
) -> None:
    rules, data, now = url_rules(served), str(tmp_path / "data"), datetime(2026, 12, 2, 8, tzinfo=BERLIN)
    first = refresh(rules, data, now)
    assert "Design review" in titles(first, date(2026, 12, 2)) and first.sources["team"].error == ""
    assert len(served.requests) == 1 and served.requests[0]["Authorization"] == LOGIN
    copy = tmp_path / "data" / "calendar" / "team.url.json"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600  # the last good copy, owner-only
    # Within refresh_minutes: not fetched again.
    assert refresh(rules, data, now + timedelta(minutes=10)).busy == first.busy
    assert len(served.requests) == 1
    # Due again: asked with its ETag, answered 304, nothing changes.
    assert refresh(rules, data, now + timedelta(minutes=16)).busy == first.busy
    assert len(served.requests) == 2 and served.requests[1]["If-None-Match"].startswith('"')
    # Changed on the server: the next fetch takes it.
    served.body = GOOGLE.read_bytes().replace(b"SUMMARY:Design review", b"SUMMARY:Design crit")  # type: ignore[attr-defined]
    changed = refresh(rules, data, now + timedelta(minutes=32))
    assert "Design crit" in titles(changed, date(2026, 12, 2))


def test_a_server_that_goes_away_leaves_the_last_good_copy_in_use_for_new_days_too(
    served: ThreadingHTTPServer, tmp_path: Path
) -> None:
    rules, data, now = url_rules(served), str(tmp_path / "data"), datetime(2026, 12, 2, 8, tzinfo=BERLIN)
    good = refresh(rules, data, now)
    served.shutdown()
    served.server_close()
    later = refresh(rules, data, now + timedelta(minutes=20))
    assert later.busy == good.busy and "cannot be reached" in later.sources["team"].error
    tomorrow = refresh(rules, data, now + timedelta(days=1))  # new days: the copy parsed for them
    assert titles(tomorrow, date(2026, 12, 4)) == ["Focus time", "Daily stand-up"]
    assert tomorrow.first == date(2026, 12, 3) and "cannot be reached" in tomorrow.sources["team"].error


def test_a_wrong_password_says_to_check_the_login(served: ThreadingHTTPServer, tmp_path: Path) -> None:
    cached = refresh(
        url_rules(served, "wrong"), str(tmp_path / "data"), datetime(2026, 12, 2, 8, tzinfo=BERLIN)
    )
    assert cached.busy == () and "401" in cached.sources["team"].error
    assert "check username and password_command" in cached.sources["team"].error


def test_a_redirect_to_plain_http_elsewhere_is_refused(served: ThreadingHTTPServer, tmp_path: Path) -> None:
    rules = url_rules(served)
    moved = rules.sources[0]._replace(location=rules.sources[0].location.replace("work.ics", "moved.ics"))
    cached = refresh(
        rules._replace(sources=(moved,)), str(tmp_path / "data"), datetime(2026, 12, 2, 8, tzinfo=BERLIN)
    )
    assert "redirected to http://calendar.example.com/work.ics, not https" in cached.sources["team"].error
    assert len(served.requests) == 1  # the login never went to the other address


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def radicale(tmp_path: Path) -> Iterator[str]:
    """A Radicale server on localhost with one user (me / s3cret); yields its address."""
    pytest.importorskip("radicale", reason="the test extras install Radicale")
    users = tmp_path / "users"
    users.write_text("me:s3cret\n")
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable, "-m", "radicale",
            "--server-hosts", f"127.0.0.1:{port}",
            "--storage-filesystem-folder", str(tmp_path / "collections"),
            "--auth-type", "htpasswd", "--auth-htpasswd-filename", str(users),
            "--auth-htpasswd-encryption", "plain",
        ],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env={**os.environ, "HOME": str(tmp_path)},
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                why = server.stderr.read() if server.stderr else ""
                raise AssertionError(f"radicale did not start: {why}") from None
            time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    server.terminate()
    server.wait(timeout=10)


RECURRING = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//walkbreak tests//EN
BEGIN:VEVENT
UID:standup@test
DTSTART;TZID=Europe/Berlin:20261102T093000
DTEND;TZID=Europe/Berlin:20261102T094500
RRULE:FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR
EXDATE;TZID=Europe/Berlin:20261203T093000
SUMMARY:Stand-up
END:VEVENT
BEGIN:VEVENT
UID:standup@test
RECURRENCE-ID;TZID=Europe/Berlin:20261202T093000
DTSTART;TZID=Europe/Berlin:20261202T113000
DTEND;TZID=Europe/Berlin:20261202T120000
SUMMARY:Stand-up (late today)
END:VEVENT
END:VCALENDAR
"""


def test_a_day_of_recurring_meetings_from_radicale(radicale: str, tmp_path: Path) -> None:
    caldav = pytest.importorskip("caldav", reason="the test extras install the caldav client")
    with caldav.DAVClient(url=radicale, username="me", password="s3cret") as client:
        calendar = client.principal().make_calendar(name="Work", cal_id="work")
        calendar.save_event(RECURRING)
        calendar.save_event(
            dtstart=datetime(2026, 12, 2, 14, 0, tzinfo=BERLIN),
            dtend=datetime(2026, 12, 2, 15, 30, tzinfo=BERLIN),
            summary="Planning",
            uid="planning@test",
        )
        calendar.save_event(
            dtstart=datetime(2026, 12, 2, 16, 0, tzinfo=BERLIN),
            dtend=datetime(2026, 12, 2, 16, 30, tzinfo=BERLIN),
            summary="Coffee",
            uid="coffee@test",
            transp="TRANSPARENT",
        )
        collection = str(calendar.url)
    source = CalendarSource("work", "caldav", collection, "me", "printf s3cret")
    cached = refresh(
        CalendarSettings(sources=(source,)), str(tmp_path / "data"), datetime(2026, 12, 2, 8, tzinfo=BERLIN)
    )
    assert cached.sources["work"].error == ""
    today = [
        (f"{b.start:%H:%M}-{b.end:%H:%M}", b.title) for b in busy_cache.busy_on(cached, date(2026, 12, 2))
    ]
    assert today == [("11:30-12:00", "Stand-up (late today)"), ("14:00-15:30", "Planning")]
    assert titles(cached, date(2026, 12, 3)) == []  # EXDATE
    assert titles(cached, date(2026, 12, 4)) == ["Stand-up"]


MORNING = [
    "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//walkbreak tests//EN\nBEGIN:VEVENT\n"
    f"UID:{uid}@morning\nDTSTART;TZID=Europe/Berlin:{start}\nDTEND;TZID=Europe/Berlin:{end}\n"
    f"RRULE:{rule}\nSUMMARY:{title}\nEND:VEVENT\nEND:VCALENDAR\n"
    for uid, start, end, rule, title in (
        ("standup", "20261102T093000", "20261102T094500", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR", "Stand-up"),
        ("planning", "20261104T100000", "20261104T113000", "FREQ=WEEKLY;BYDAY=WE", "Planning"),
        ("one-on-one", "20261104T115000", "20261104T122000", "FREQ=WEEKLY;BYDAY=WE", "1:1 with Ana"),
    )
]
"""A morning of recurring meetings, one event a resource as CalDAV keeps them."""


def on_radicale(address: str, events: list[str]) -> str:
    """A calendar "Work" made on the Radicale at `address` by the caldav client, with `events`
    written into it (one iCalendar text each); its address."""
    caldav = pytest.importorskip("caldav", reason="the test extras install the caldav client")
    with caldav.DAVClient(url=address, username="me", password="s3cret") as client:
        calendar = client.principal().make_calendar(name="Work", cal_id="work")
        for event in events:
            calendar.save_event(event)
        return str(calendar.url)


def caldav_config(tmp_path: Path, collection: str, extra: str = "") -> Path:
    """A config file reading the CalDAV `collection` with me's login (and `extra` TOML)."""
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        f'[work]\ntimezone = "Europe/Berlin"\n{extra}[calendar]\nsources = [{{ name = "work", caldav = "{collection}", '
        'username = "me", password_command = "printf s3cret" }]\n'
    )
    return cfg


def test_the_day_planned_from_caldav_reads_the_same_in_walkbreak_calendar(
    radicale: str,
    tmp_path: Path,
    isolated_env: Path,
) -> None:
    collection = on_radicale(radicale, MORNING)
    cfg = caldav_config(tmp_path, collection)
    done = run_walkbreak(
        "calendar", env={"WALKBREAK_CONFIG": str(cfg), "WALKBREAK_NOW": "2026-12-02T09:40:00+01:00"}
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.splitlines()[:4] == [
        "Busy today, Wed 02 Dec:",
        "  09:30–09:45  Stand-up      work",
        "  10:00–11:30  Planning      work",
        "  11:50–12:20  1:1 with Ana  work",
    ]
    # Due 09:46, between the stand-up and the planning: a 5-minute walk and the 5-minute buffer fit.
    assert done.stdout.splitlines()[4].startswith("Next: next 09:46 (in ")
