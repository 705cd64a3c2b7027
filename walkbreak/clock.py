"""The clock and the user's time zone; everything else takes `now` from a Clock."""

from __future__ import annotations

import math
import os
import time
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from walkbreak.errors import ConfigError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see core/named_tuple.py)
if TYPE_CHECKING:
    from typing import Protocol
else:
    Protocol = object  # Clock is a type for mypy only: no clock subclasses it or is checked against it

NOW_ENV, SPEED_ENV = "WALKBREAK_NOW", "WALKBREAK_SPEED"
MAX_SPEED = 86400
"""The fastest clock `WALKBREAK_SPEED` may ask for: a day per real second."""


class Clock(Protocol):
    """Something that tells the time."""

    speed: float
    """Clock seconds per real second: 1 for the real clock, more for the demo and tests."""

    def now(self) -> datetime:
        """The current time, timezone-aware, in the user's zone."""
        ...

    def use_zone(self, zone: tzinfo) -> None:
        """Tell the time in `zone` from now on."""
        ...


class SystemClock:
    """The machine's clock in the user's zone."""

    speed = 1.0

    def __init__(self, zone: tzinfo) -> None:
        self.zone = zone

    def now(self) -> datetime:
        """The current time."""
        return datetime.now(self.zone)

    def use_zone(self, zone: tzinfo) -> None:
        """Tell the time in `zone` from now on (the config's time zone changed)."""
        self.zone = zone


class FixedClock:
    """A clock stopped at one instant (for `WALKBREAK_NOW` and tests)."""

    speed = 1.0

    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        """The stopped time."""
        return self.at

    def use_zone(self, zone: tzinfo) -> None:
        """The same instant, told in `zone`."""
        self.at = self.at.astimezone(zone)


class ScaledClock:
    """A clock that starts at `start` and runs `speed` times faster than real time.

    It follows the monotonic clock, so it never jumps by itself; `jump` moves it as a suspend
    or a clock change would (wall time moves on, monotonic time does not).
    """

    def __init__(self, start: datetime, speed: float) -> None:
        self.speed = speed
        self.zone = start.tzinfo
        self._start = start.astimezone(UTC)
        self._began = time.monotonic()

    def now(self) -> datetime:
        """The scaled time."""
        elapsed = (time.monotonic() - self._began) * self.speed
        return (self._start + timedelta(seconds=elapsed)).astimezone(self.zone)

    def use_zone(self, zone: tzinfo) -> None:
        """Tell the time in `zone` from now on."""
        self.zone = zone

    def jump(self, by: timedelta) -> None:
        """Move the clock by `by`, as waking from a suspend of that long would."""
        self._start += by


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
    """The system clock, unless a test asks otherwise.

    `WALKBREAK_NOW` (an ISO time) stops the clock there; with `WALKBREAK_SPEED` too, the clock
    starts there and runs that many times faster than real time.

    Raises:
        ConfigError: either variable holds something else than it allows.
    """
    fixed = os.environ.get(NOW_ENV)
    if not fixed:
        return SystemClock(zone)
    try:
        at = datetime.fromisoformat(fixed)
        at = at.astimezone(zone) if at.tzinfo else at.replace(tzinfo=zone)
        if not 1970 <= at.year <= 9000:  # walkbreak reads the day before and the days after
            raise ValueError("out of range")
    except (ValueError, OverflowError):
        raise ConfigError(
            f"{NOW_ENV}={fixed!r} is not allowed: give an ISO date and time from 1970 on, such as "
            "2026-11-26T09:59 (with a UTC offset such as +01:00 if you like), or unset it for the real clock"
        ) from None
    speed = os.environ.get(SPEED_ENV)
    return ScaledClock(at, _speed(speed)) if speed else FixedClock(at)


def _speed(text: str) -> float:
    """`WALKBREAK_SPEED` as a number of clock seconds per real second."""
    try:
        speed = float(text)
    except ValueError:
        speed = math.nan
    if not 0 < speed <= MAX_SPEED:  # also refuses nan and inf
        raise ConfigError(
            f"{SPEED_ENV}={text!r} is not allowed: give a number above 0 and up to {MAX_SPEED} "
            f"(clock seconds per real second, e.g. 60), or unset it for a clock stopped at {NOW_ENV}"
        )
    return speed
