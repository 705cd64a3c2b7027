"""The clock and the user's time zone; everything else takes `now` from a Clock."""

from __future__ import annotations

import os
from datetime import datetime, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


class Clock(Protocol):
    """Something that tells the time."""

    def now(self) -> datetime:
        """The current time, timezone-aware, in the user's zone."""
        ...


class SystemClock:
    """The machine's clock in the user's zone."""

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone

    def now(self) -> datetime:
        """The current time."""
        return datetime.now(self.zone)


class FixedClock:
    """A clock stopped at one instant (for `WALKBREAK_NOW` and tests)."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        """The stopped time."""
        return self.at


def local_zone(name: str = "") -> tzinfo:
    """The named IANA zone, else the system's zone with its daylight-saving rules.

    A fixed UTC offset is the last resort, because it gets days with a clock change wrong.
    """
    if name:
        return ZoneInfo(name)
    tz = os.environ.get("TZ", "").removeprefix(":")
    if tz:
        try:
            return ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    try:
        with open("/etc/localtime", "rb") as f:
            return ZoneInfo.from_file(f, key=_zone_key("/etc/localtime"))
    except (OSError, ValueError):
        zone = datetime.now().astimezone().tzinfo
        assert zone is not None
        return zone


def _zone_key(path: str) -> str:
    """The zone's name from where /etc/localtime points, or "localtime"."""
    target = os.path.realpath(path)
    _, sep, key = target.partition("zoneinfo/")
    return key if sep else "localtime"


def make_clock(zone: tzinfo) -> Clock:
    """The system clock, or a fixed one when `WALKBREAK_NOW` holds an ISO time (for tests)."""
    fixed = os.environ.get("WALKBREAK_NOW")
    if fixed:
        at = datetime.fromisoformat(fixed)
        return FixedClock(at.astimezone(zone) if at.tzinfo else at.replace(tzinfo=zone))
    return SystemClock(zone)
