"""The kinds of value a config key allows, each checked with a message that says what is allowed
(`Invalid`); `config.KEYS` ties each key to one of them."""

from __future__ import annotations

import itertools
from collections.abc import Callable

from walkbreak.core.settings import WEEKDAYS, CalendarSource, TimeWindow

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see core/named_tuple.py)
if TYPE_CHECKING:
    from typing import Any


class Invalid(ValueError):
    """A value a key does not allow; the message says what is allowed."""


def whole(low: int, high: int) -> Callable[[Any], int]:
    """A check for a whole number in [low, high]."""

    def check(value: Any) -> int:
        if type(value) is not int or not low <= value <= high:
            raise Invalid(f"a whole number from {low} to {high}")
        return value

    return check


def hours(low: float, high: float) -> Callable[[Any], float]:
    """A check for a number of hours in [low, high] (whole or with a fraction)."""

    def check(value: Any) -> float:
        if type(value) not in (int, float) or not low <= value <= high:
            raise Invalid(f"a number of hours from {low:g} to {high:g}")
        return float(value)

    return check


def boolean(value: Any) -> bool:
    """A check for true or false."""
    if type(value) is not bool:
        raise Invalid("true or false")
    return value


def choice(*options: str) -> Callable[[Any], str]:
    """A check for one of `options`."""

    def check(value: Any) -> str:
        if value not in options:
            raise Invalid("one of " + ", ".join(f'"{o}"' for o in options) + did_you_mean(value, options))
        return str(value)

    return check


def text(value: Any) -> str:
    """A check for a string."""
    if not isinstance(value, str):
        raise Invalid("a string in quotes")
    return value


def timezone_name(value: Any) -> str:
    """A check for an IANA zone name, or "" for the system's zone."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    text(value)
    if value:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError, OSError) as err:
            raise Invalid('an IANA zone name such as "Europe/Berlin", or "" for the system zone') from err
    return str(value)


def weekdays(value: Any) -> frozenset[int]:
    """A check for a list of distinct day names."""
    allowed = 'a list of day names from "mon" to "sun", e.g. ["mon", "tue"]'
    if not isinstance(value, list) or not all(isinstance(d, str) for d in value):
        raise Invalid(allowed)
    for day in value:
        if day not in WEEKDAYS:
            raise Invalid(f'{allowed}; "{day}" is not one' + did_you_mean(day, WEEKDAYS))
    if len(set(value)) != len(value):
        raise Invalid(f"{allowed}, each day once")
    return frozenset(WEEKDAYS.index(d) for d in value)


def windows(value: Any, *, required: bool = True) -> tuple[TimeWindow, ...]:
    """A check for a list of "HH:MM-HH:MM" windows that neither run backwards nor overlap."""
    allowed = 'a list of windows like ["09:00-12:30", "13:30-17:30"]'
    if not isinstance(value, list) or not all(isinstance(w, str) for w in value):
        raise Invalid(allowed)
    if required and not value:
        raise Invalid(f"{allowed}, at least one")
    parsed = []
    for item in value:
        try:
            parsed.append(TimeWindow.parse(item))
        except ValueError as err:
            raise Invalid(f'{allowed}; "{item}": {err}') from None
    ordered = sorted(parsed)
    for before, after in itertools.pairwise(ordered):
        if before.overlaps(after):
            raise Invalid(f"{allowed}, not overlapping; {before} and {after} overlap")
    return tuple(ordered)


def optional_windows(value: Any) -> tuple[TimeWindow, ...]:
    """Like `windows`, but the list may be empty."""
    return windows(value, required=False)


def day_windows(value: Any) -> tuple[tuple[int, tuple[TimeWindow, ...]], ...]:
    """A check for a table of day name → windows."""
    if not isinstance(value, dict):
        raise Invalid('a table of day = windows, e.g. fri = ["09:00-13:00"]')
    result = []
    for day, spans in value.items():
        if day not in WEEKDAYS:
            raise Invalid(f'day names from "mon" to "sun"; "{day}" is not one' + did_you_mean(day, WEEKDAYS))
        try:
            result.append((WEEKDAYS.index(day), windows(spans)))
        except Invalid as err:
            raise Invalid(f"for {day}: {err}") from None
    return tuple(sorted(result))


def texts(value: Any) -> tuple[str, ...]:
    """A check for a list of strings."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise Invalid('a list of strings, e.g. ["one", "two"]')
    return tuple(value)


SOURCE_KEYS = ("name", "path", "url", "caldav", "username", "password_command", "calendars")
SOURCE_EXAMPLE = '{ name = "work", path = "~/.calendars/work" }'


def calendar_sources(value: Any) -> tuple[CalendarSource, ...]:
    """A check for the calendars to read: a list of tables, each with a name and one of path,
    url or caldav; an address is https (http only to this machine), a password never written."""
    if not isinstance(value, list) or not all(isinstance(v, dict) for v in value):
        raise Invalid(f"a list of tables like [{SOURCE_EXAMPLE}]")
    sources: list[CalendarSource] = []
    for table in value:
        name = table.get("name")
        if not isinstance(name, str) or not name or not all(c.isalnum() or c in "-_" for c in name):
            raise Invalid(f"a name for each calendar (letters, digits, - and _), e.g. {SOURCE_EXAMPLE}")
        if name in (s.name for s in sources):
            raise Invalid(f'a different name for each calendar; "{name}" is used twice')
        if "password" in table:
            raise Invalid(
                f"for {name}: no password in the config file; password_command runs a command that prints "
                'it, e.g. "secret-tool lookup walkbreak calendar" (the keyring) or "pass show calendar"'
            )
        for key in table:
            if key not in SOURCE_KEYS:
                raise Invalid(
                    f"for {name}: keys from {', '.join(SOURCE_KEYS)}; {key} is not one"
                    + did_you_mean(key, SOURCE_KEYS)
                )
        kinds = [k for k in ("path", "url", "caldav") if k in table]
        if len(kinds) != 1:
            raise Invalid(f"for {name}: one of path (a file or folder), url (an iCalendar address) or caldav")
        kind = kinds[0]
        location, extra = table[kind], {k: table.get(k, "") for k in ("username", "password_command")}
        if (
            not isinstance(location, str)
            or not location
            or not all(isinstance(v, str) for v in extra.values())
        ):
            raise Invalid(f"for {name}: {kind}, username and password_command are strings in quotes")
        if kind != "path" and not secure_address(location):
            raise Invalid(
                f"for {name}: an https:// address (http:// only to this machine, e.g. http://localhost:5232/)"
            )
        if kind == "path" and (extra["username"] or extra["password_command"]):
            raise Invalid(f"for {name}: username and password_command go with url or caldav, not path")
        calendars = texts(table.get("calendars", []))
        if calendars and kind != "path":
            raise Invalid(f"for {name}: calendars picks folders of a path (a folder of vdirs)")
        sources.append(
            CalendarSource(name, kind, location, extra["username"], extra["password_command"], calendars)
        )
    return tuple(sources)


def secure_address(address: str) -> bool:
    """https, or http to this machine (a server the user runs here)."""
    from urllib.parse import urlsplit  # only with calendar addresses

    parts = urlsplit(address)
    if parts.scheme == "https" and parts.hostname:
        return True
    return parts.scheme == "http" and parts.hostname in ("localhost", "127.0.0.1", "::1")


def did_you_mean(word: Any, options: Any, before: str = "", after: str = "") -> str:
    """ " (did you mean X?)" when `word` is close to one of `options`, else ""."""
    if not isinstance(word, str):
        return ""
    import difflib  # only on the error path

    close = difflib.get_close_matches(word, list(options), n=1, cutoff=0.6)
    return f" (did you mean {before}{close[0]}{after}?)" if close else ""
