"""Reading a calendar source: files and vdirs on this machine, an iCalendar address, a CalDAV
collection. Each read gives the iCalendar texts and the calendar each belongs to; a source that
cannot be read raises `SourceError` with a message for the user.

Addresses are fetched only when the user configured one (the config allows https, or http to
this machine); TLS is verified by Python's default context; the password comes from the user's
`password_command`, never from a file of walkbreak's.
"""

from __future__ import annotations

import base64
import os
import shlex
import subprocess
import urllib.error
import urllib.request
from datetime import UTC, datetime
from xml.etree import ElementTree

from walkbreak.core.plain_text import clean
from walkbreak.core.settings import CalendarSource

Texts = list[tuple[str, bytes]]
"""(calendar name, iCalendar text) pairs."""

TIMEOUT = 20.0
"""Seconds an address may take to answer before the source counts as failed this time."""


class SourceError(Exception):
    """A source that could not be read; the message says why, for the user."""


class NotModified(Exception):
    """The address answered 304: the copy kept from the last fetch is current."""


def path_signature(source: CalendarSource) -> tuple[tuple[str, int, int], ...]:
    """The files a path source reads, with their change times and sizes: it is read again only
    when this changes. Stat calls only (no file is opened)."""
    return tuple((path, stat.st_mtime_ns, stat.st_size) for path, stat in _files(source))


def read_path(source: CalendarSource) -> Texts:
    """The texts of a path source: one .ics file, a vdir (a folder of .ics files, one event
    each, as khal and vdirsyncer keep them) or a folder of vdirs (a calendar each)."""
    texts = []
    for path, _ in _files(source):
        try:
            with open(path, "rb") as f:
                texts.append((_calendar_of(source, path), f.read()))
        except OSError as err:
            raise SourceError(f"{path} cannot be read: {err.strerror}") from None
    return texts


def _files(source: CalendarSource) -> list[tuple[str, os.stat_result]]:
    root = os.path.expanduser(source.location)
    try:
        if not os.path.isdir(root):
            return [(root, os.stat(root))]
        found = []
        for entry in sorted(os.scandir(root), key=lambda e: e.name):
            if entry.is_file() and entry.name.endswith(".ics"):
                found.append((entry.path, entry.stat()))
            elif entry.is_dir() and not entry.name.startswith(".") and _wanted(source, entry.name):
                for inner in sorted(os.scandir(entry.path), key=lambda e: e.name):
                    if inner.is_file() and inner.name.endswith(".ics"):
                        found.append((inner.path, inner.stat()))
        return found
    except FileNotFoundError:
        raise SourceError(f"{root}: no such file or folder") from None
    except OSError as err:
        raise SourceError(f"{root} cannot be read: {err.strerror}") from None


def _wanted(source: CalendarSource, folder: str) -> bool:
    return not source.calendars or folder in source.calendars


def _calendar_of(source: CalendarSource, path: str) -> str:
    """A vdir's folder name inside a folder of vdirs, else the source's name."""
    parent = os.path.dirname(path)
    root = os.path.expanduser(source.location).rstrip(os.sep)
    return os.path.basename(parent) if parent.rstrip(os.sep) != root and os.path.isdir(root) else source.name


def fetch_url(source: CalendarSource, etag: str = "", modified: str = "") -> tuple[bytes, str, str]:
    """GET an iCalendar address: the text, its ETag and Last-Modified. Raises `NotModified` when
    the server says the copy with `etag`/`modified` is current."""
    headers = {"Accept": "text/calendar"}
    if etag:
        headers["If-None-Match"] = etag
    if modified:
        headers["If-Modified-Since"] = modified
    body, answer = _request(source, "GET", source.location, headers)
    return body, answer.get("ETag", ""), answer.get("Last-Modified", "")


REPORT = """<?xml version="1.0" encoding="utf-8"?>
<C:calendar-query xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav">
  <D:prop><D:getetag/><C:calendar-data/></D:prop>
  <C:filter><C:comp-filter name="VCALENDAR"><C:comp-filter name="VEVENT">
    <C:time-range start="{start}" end="{end}"/>
  </C:comp-filter></C:comp-filter></C:filter>
</C:calendar-query>"""


def fetch_caldav(source: CalendarSource, start: datetime, end: datetime) -> Texts:
    """The events of a CalDAV collection overlapping [start, end), by a calendar-query REPORT
    (RFC 4791 §7.8): the server expands nothing, recurring-ical-events does."""
    stamp = "%Y%m%dT%H%M%SZ"
    query = REPORT.format(
        start=start.astimezone(UTC).strftime(stamp), end=end.astimezone(UTC).strftime(stamp)
    )
    headers = {"Depth": "1", "Content-Type": "application/xml; charset=utf-8"}
    body, _ = _request(source, "REPORT", source.location, headers, query.encode())
    try:
        tree = ElementTree.fromstring(body)
    except ElementTree.ParseError as err:
        raise SourceError(f"{source.location} answered with XML that cannot be read: {err}") from None
    data = tree.iter("{urn:ietf:params:xml:ns:caldav}calendar-data")
    return [(source.name, item.text.encode()) for item in data if item.text]


def _request(
    source: CalendarSource, method: str, address: str, headers: dict[str, str], body: bytes | None = None
) -> tuple[bytes, dict[str, str]]:
    if source.username:
        login = f"{source.username}:{password(source)}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(login).decode()
    request = urllib.request.Request(address, data=body, headers=headers, method=method)
    opener = urllib.request.build_opener(_NoRedirectToHttp)
    try:
        with opener.open(request, timeout=TIMEOUT) as answer:
            return answer.read(), dict(answer.headers.items())
    except urllib.error.HTTPError as err:
        if err.code == 304:
            raise NotModified from None
        hint = " (check username and password_command)" if err.code in (401, 403) else ""
        raise SourceError(f"{address} answered {err.code} {clean(str(err.reason))[:200]}{hint}") from None
    except urllib.error.URLError as err:
        raise SourceError(f"{address} cannot be reached: {err.reason}") from None
    except (OSError, ValueError) as err:  # a timeout, a connection reset, a malformed answer
        raise SourceError(f"{address} cannot be read: {err}") from None


class _NoRedirectToHttp(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to https (or back to this machine): never send a login in clear."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        from walkbreak.config_values import secure_address

        if not secure_address(newurl):
            raise urllib.error.HTTPError(newurl, code, f"redirected to {newurl}, not https", headers, fp)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def password(source: CalendarSource) -> str:
    """The output of the source's password_command (its first line), or "" without one."""
    if not source.password_command:
        return ""
    try:
        done = subprocess.run(
            shlex.split(source.password_command), capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, ValueError, subprocess.TimeoutExpired) as err:
        raise SourceError(f"password_command for {source.name} did not run: {err}") from None
    if done.returncode != 0:
        raise SourceError(
            f"password_command for {source.name} exited {done.returncode}: {done.stderr.strip()}"
        )
    return done.stdout.splitlines()[0] if done.stdout else ""
