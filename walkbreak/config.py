"""The TOML config file: every key, its default and what it allows, validated into `Settings`.

The table `KEYS` is the single source: validation, the defaults and `config.example.toml`
(written by `walkbreak config init`) all come from it.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from walkbreak import config_cache
from walkbreak.config_values import (
    Invalid,
    boolean,
    calendar_sources,
    choice,
    day_windows,
    did_you_mean,
    hours,
    optional_windows,
    text,
    texts,
    timezone_name,
    weekdays,
    whole,
    windows,
)
from walkbreak.core.named_tuple import NamedTuple
from walkbreak.core.settings import (
    WEEKDAYS,
    AwaySettings,
    CalendarSettings,
    CareSettings,
    NotifySettings,
    PromptSettings,
    Settings,
    SnoozeSettings,
    WalkSettings,
    WorkSettings,
)
from walkbreak.errors import ConfigError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see core/named_tuple.py)
if TYPE_CHECKING:
    from typing import Any

BACKENDS = (
    "auto",
    "freedesktop",
    "desktop-notifier",
    "plyer",
    "notify-send",
    "osascript",
    "terminal",
    "none",
)


class Key(NamedTuple):
    """One config key: where it lives, its default, what it allows and a line of help."""

    section: str
    name: str
    default: Any
    check: Callable[[Any], Any]
    help: str

    @property
    def path(self) -> str:
        """The dotted name, e.g. `prompts.interval_minutes`."""
        return f"{self.section}.{self.name}"


KEYS: tuple[Key, ...] = (
    Key(
        "work",
        "days",
        ["mon", "tue", "wed", "thu", "fri"],
        weekdays,
        "Days with work hours; prompts come only on these days.",
    ),
    Key(
        "work",
        "windows",
        ["09:00-12:30", "13:30-17:30"],
        windows,
        "Work windows in local time; the gaps between them (lunch) stay free of prompts.",
    ),
    Key("work", "timezone", "", timezone_name, 'Time zone such as "Europe/Berlin"; "" uses the system zone.'),
    Key(
        "work",
        "by_day",
        {},
        day_windows,
        'Other windows on some days, e.g. by_day = { fri = ["09:00-13:00"] }.',
    ),
    Key("walk", "bout_minutes", 5, whole(1, 60), "Length of one walking bout, in minutes."),
    Key(
        "walk",
        "daily_target",
        6,
        whole(1, 48),
        "Bouts to aim for on each work day; the minute target is bouts x bout_minutes.",
    ),
    Key(
        "prompts",
        "interval_minutes",
        60,
        whole(10, 240),
        "Minutes from the last walk or answered prompt to the next prompt.",
    ),
    Key(
        "prompts",
        "min_gap_minutes",
        20,
        whole(5, 120),
        "Never prompt sooner than this after a walk, even when catching up on the target.",
    ),
    Key(
        "prompts",
        "expire_minutes",
        15,
        whole(1, 120),
        "An unanswered prompt counts as missed after this many minutes.",
    ),
    Key(
        "prompts",
        "quiet",
        [],
        optional_windows,
        'Daily windows with no prompts, e.g. ["10:00-10:15"] for a stand-up.',
    ),
    Key(
        "prompts",
        "keep_prompting_after_target",
        True,
        boolean,
        "Keep prompting at the usual interval once the day's target is met.",
    ),
    Key("snooze", "minutes", 10, whole(1, 60), "How long a snooze puts a prompt off."),
    Key(
        "snooze",
        "max_per_prompt",
        2,
        whole(0, 10),
        "Snoozes allowed per prompt; past this, only walk or skip.",
    ),
    Key(
        "notify",
        "backend",
        "auto",
        choice(*BACKENDS),
        'How prompts reach you: "auto" picks the best that works; "terminal" uses the terminal '
        '(OSC 777/9, e.g. over SSH); "none" turns them off.',
    ),
    Key("notify", "bell", True, boolean, "Ring the terminal bell with each prompt."),
    Key(
        "notify",
        "walk_phases",
        False,
        boolean,
        "Also send a desktop notification when the walk guide moves to the next part.",
    ),
    Key(
        "notify",
        "respect_dnd",
        True,
        boolean,
        "While the desktop is in do-not-disturb, a due prompt waits until it ends.",
    ),
    Key(
        "away",
        "detect",
        True,
        boolean,
        'Hold a due prompt while the screen is locked or you are idle; ask "were you walking?" on return.',
    ),
    Key(
        "away", "idle_minutes", 5, whole(1, 60), "Minutes without keyboard or mouse input that count as away."
    ),
    Key("care", "check_in", True, boolean, "Ask how the back feels after each walk from the dashboard."),
    Key(
        "care",
        "followup_hours",
        3.0,
        hours(0.5, 12),
        'After "slightly sore", ask this many hours later whether the soreness settled.',
    ),
    Key(
        "calendar",
        "sources",
        [],
        calendar_sources,
        "Calendars whose busy time keeps prompts away (none by default: nothing is read). Each is "
        "a table with a name and a path (an .ics file, a vdir, or a folder of vdirs, with calendars = "
        '["work"] to pick some), a url (an iCalendar address) or caldav (a calendar collection), '
        "and for those username and password_command (a command printing the password). E.g. "
        'sources = [{ name = "work", path = "~/.calendars/work" }]',
    ),
    Key(
        "calendar",
        "buffer_minutes",
        5,
        whole(0, 60),
        "No prompt in a meeting, or in a walk's length and this many minutes before one.",
    ),
    Key("calendar", "min_event_minutes", 10, whole(1, 240), "Shorter events do not count as busy."),
    Key("calendar", "all_day_busy", False, boolean, "Count all-day events as busy (no prompts that day)."),
    Key(
        "calendar",
        "ignore_titles",
        [],
        texts,
        'Events with these titles are not busy (* matches any text, case ignored), e.g. ["*focus*", "walk"].',
    ),
    Key("calendar", "me", [], texts, "Your addresses: meetings you declined are not busy."),
    Key(
        "calendar",
        "refresh_minutes",
        15,
        whole(5, 1440),
        "How often a url or caldav calendar is fetched again (files are read when they change).",
    ),
    Key(
        "data",
        "dir",
        "",
        text,
        'Where walk history is kept; "" uses the platform data dir. WALKBREAK_DATA_DIR overrides.',
    ),
)


def load(path: str, *, must_exist: bool = False) -> Settings:
    """Read and validate the config file; a missing file gives the defaults.

    Raises:
        ConfigError: the file cannot be read, is not TOML, or holds a key or value not allowed.
    """
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except FileNotFoundError:
        if must_exist:
            raise ConfigError(
                f"config file {path} does not exist (walkbreak config init writes one)"
            ) from None
        return Settings()
    except OSError as err:
        raise ConfigError(f"config file {path} cannot be read: {err.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"config error in {path}: the file is not UTF-8 text") from None
    document = config_cache.document_for(text)
    if document is None:
        import tomllib

        try:
            document = tomllib.loads(text)
        except tomllib.TOMLDecodeError as err:
            raise ConfigError(f"config error in {path}: not valid TOML: {err}") from None
        config_cache.remember(text, document)
    try:
        return from_document(document)
    except Invalid as err:
        raise ConfigError(f"config error in {path}: {err}") from None


def from_document(document: dict[str, Any]) -> Settings:
    """Validate a parsed TOML document into Settings; raises Invalid naming the key."""
    values = {key.path: key.check(key.default) for key in KEYS}
    known = {key.path: key for key in KEYS}
    sections = sorted({key.section for key in KEYS})
    for section, table in document.items():
        if section not in sections:
            raise Invalid(f"unknown section [{section}]" + did_you_mean(section, sections, "[", "]"))
        if not isinstance(table, dict):
            raise Invalid(f"{section} must be a table: write [{section}] on a line of its own")
        for name, value in table.items():
            path = f"{section}.{name}"
            if path not in known:
                raise Invalid(f"unknown key {path}" + did_you_mean(path, known))
            try:
                values[path] = known[path].check(value)
            except Invalid as err:
                raise Invalid(f"{path} = {_toml(value)} is not allowed; allowed: {err}") from None
    return _settings(values)


def _settings(v: dict[str, Any]) -> Settings:
    """Build Settings from checked values, checking the rules that join keys."""
    if v["prompts.min_gap_minutes"] > v["prompts.interval_minutes"]:
        raise Invalid(
            f"prompts.min_gap_minutes = {v['prompts.min_gap_minutes']} is not allowed; allowed: "
            f"at most prompts.interval_minutes ({v['prompts.interval_minutes']})"
        )
    for day, _ in v["work.by_day"]:
        if day not in v["work.days"]:
            raise Invalid(
                f"work.by_day.{WEEKDAYS[day]} is not allowed; allowed: days listed in work.days "
                f'(add "{WEEKDAYS[day]}" there to make it a work day)'
            )
    return Settings(
        work=WorkSettings(v["work.days"], v["work.windows"], v["work.by_day"], v["work.timezone"]),
        walk=WalkSettings(v["walk.bout_minutes"], v["walk.daily_target"]),
        prompts=PromptSettings(
            v["prompts.interval_minutes"],
            v["prompts.min_gap_minutes"],
            v["prompts.expire_minutes"],
            v["prompts.quiet"],
            v["prompts.keep_prompting_after_target"],
        ),
        snooze=SnoozeSettings(v["snooze.minutes"], v["snooze.max_per_prompt"]),
        notify=NotifySettings(
            v["notify.backend"], v["notify.bell"], v["notify.walk_phases"], v["notify.respect_dnd"]
        ),
        data_dir=v["data.dir"],
        care=CareSettings(v["care.check_in"], v["care.followup_hours"]),
        away=AwaySettings(v["away.detect"], v["away.idle_minutes"]),
        calendar=CalendarSettings(
            v["calendar.sources"],
            v["calendar.buffer_minutes"],
            v["calendar.min_event_minutes"],
            v["calendar.all_day_busy"],
            v["calendar.ignore_titles"],
            v["calendar.me"],
            v["calendar.refresh_minutes"],
        ),
    )


def example() -> str:
    """The text of `config.example.toml`: every key with its default and a line of help."""
    import textwrap  # only when the example is written

    lines = [
        "# walkbreak configuration. Every key is shown with its default; delete what you do not",
        "# change. `walkbreak config check` validates this file; `walkbreak config path` finds it.",
    ]
    section = ""
    for key in KEYS:
        if key.section != section:
            section = key.section
            lines += ["", f"[{section}]"]
        lines += [f"# {line}" for line in textwrap.wrap(key.help, 96)]
        lines.append(f"{key.name} = {_toml(key.default)}")
    return "\n".join(lines) + "\n"


def _toml(value: Any) -> str:
    """A value written as TOML (for messages and the example file)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        if not value:
            return "{}"
        return "{ " + ", ".join(f"{k} = {_toml(v)}" for k, v in value.items()) + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
