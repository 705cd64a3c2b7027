"""The user's settings as frozen values; `walkbreak.config` fills them from TOML."""

from __future__ import annotations

from datetime import date, datetime

from walkbreak.core.named_tuple import NamedTuple

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
"""Weekday names in `date.weekday()` order, as written in the config file."""


class TimeWindow(NamedTuple):
    """A span of local wall-clock time within one day, in minutes after midnight.

    `end` may be 1440 ("24:00") so a window can run to midnight.
    """

    start: int
    end: int

    @classmethod
    def parse(cls, text: str) -> TimeWindow:
        """Parse "HH:MM-HH:MM"; raises ValueError with the reason."""
        start, sep, end = text.partition("-")
        if not sep:
            raise ValueError("expected HH:MM-HH:MM")
        window = cls(parse_clock(start.strip()), parse_clock(end.strip(), allow_24=True))
        if window.end <= window.start:
            raise ValueError("the end must be after the start")
        return window

    def overlaps(self, other: TimeWindow) -> bool:
        """Whether the two windows share any minute."""
        return self.start < other.end and other.start < self.end

    def __str__(self) -> str:
        return f"{format_clock(self.start)}-{format_clock(self.end)}"


def parse_clock(text: str, *, allow_24: bool = False) -> int:
    """Parse "HH:MM" into minutes after midnight ("24:00" only when `allow_24`)."""
    hours, sep, minutes = text.partition(":")
    if not (sep and hours.isdigit() and minutes.isdigit() and len(minutes) == 2 and len(hours) <= 2):
        raise ValueError(f"{text!r} is not a time like 09:30")
    h, m = int(hours), int(minutes)
    if allow_24 and (h, m) == (24, 0):
        return 1440
    if h > 23 or m > 59:
        raise ValueError(f"{text!r} is not a time of day")
    return h * 60 + m


def format_clock(minutes: int) -> str:
    """Minutes after midnight as "HH:MM"."""
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


class WorkSettings(NamedTuple):
    """When the user works: the only time prompts may arrive."""

    days: frozenset[int] = frozenset(range(5))
    windows: tuple[TimeWindow, ...] = (
        TimeWindow(9 * 60, 12 * 60 + 30),
        TimeWindow(13 * 60 + 30, 17 * 60 + 30),
    )
    by_day: tuple[tuple[int, tuple[TimeWindow, ...]], ...] = ()
    timezone: str = ""

    def windows_on(self, day: date) -> tuple[TimeWindow, ...]:
        """The work windows of `day`, or () when it is not a work day."""
        weekday = day.weekday()
        if weekday not in self.days:
            return ()
        for special, windows in self.by_day:
            if special == weekday:
                return windows
        return self.windows


class WalkSettings(NamedTuple):
    """The bout and the day's movement target."""

    bout_minutes: int = 5
    daily_target: int = 6

    @property
    def target_minutes(self) -> int:
        """The day's target in minutes, derived from bouts × bout length."""
        return self.bout_minutes * self.daily_target


class PromptSettings(NamedTuple):
    """How often and when prompts come."""

    interval_minutes: int = 60
    min_gap_minutes: int = 20
    expire_minutes: int = 15
    quiet: tuple[TimeWindow, ...] = ()
    keep_prompting_after_target: bool = True


class SnoozeSettings(NamedTuple):
    """How long a snooze lasts and how many a prompt allows."""

    minutes: int = 10
    max_per_prompt: int = 2


class NotifySettings(NamedTuple):
    """How prompts reach the user outside the dashboard."""

    backend: str = "auto"
    bell: bool = True
    walk_phases: bool = False
    respect_dnd: bool = True


class AwaySettings(NamedTuple):
    """Noticing that the user is away from the desk (idle or screen locked)."""

    detect: bool = True
    idle_minutes: int = 5


class CareSettings(NamedTuple):
    """The check-in after a walk and its follow-up."""

    check_in: bool = True
    followup_hours: float = 3.0
    configured_bout: int = 0
    """The configured bout length, kept here once an accepted plan replaces `walk.bout_minutes`."""


class CarePlan(NamedTuple):
    """The walk in force after suggestions the user accepted (kept in the store, not the config).

    It applies only while the configured bout length is still `base_minutes`: a bout length
    the user sets by hand wins over an earlier suggestion.

    Attributes:
        base_minutes: the configured bout length when the plan was made; 0 = no plan in force.
        bout_minutes: the bout length to walk.
        pace: "comfortable" (the default short walk, one comfortable part; the longer walk is
            offered), "gentle" (after a scale-back: comfortable only, no longer walk for now) or
            "routine" (every walk comfortable, brisk, comfortable, 9 minutes or more); see
            `walkbreak.core.routine`.
        variety: add gentle hills, slight declines or sideways steps in the brisk part (routine only).
        held_since: when a red flag held prompts (until the user resumes them).
    """

    base_minutes: int = 0
    bout_minutes: int = 0
    pace: str = "comfortable"
    variety: bool = False
    held_since: datetime | None = None


class CalendarSource(NamedTuple):
    """One calendar walkbreak reads busy time from.

    Attributes:
        name: how walkbreak names it (in `walkbreak calendar`, `doctor` and the cache's files).
        kind: "path" (an .ics file, a vdir of one .ics per event, or a folder of vdirs as khal
            keeps them), "url" (an iCalendar address) or "caldav" (a CalDAV calendar collection).
        location: the path or the address.
        username: for "url" and "caldav", when the server asks for a login.
        password_command: a command that prints the password (e.g. `pass show calendar`).
        calendars: for a folder of vdirs, the ones that count (all when empty).
    """

    name: str
    kind: str
    location: str
    username: str = ""
    password_command: str = ""
    calendars: tuple[str, ...] = ()


class CalendarSettings(NamedTuple):
    """Busy time from the user's calendars: no prompt in a meeting or just before one.

    Attributes:
        sources: the calendars read; none by default (and then no file or address is read).
        buffer_minutes: no prompt starts in a busy event, or in the length of a walk and this
            many minutes more before one (the walk ends, and the user is back, before it starts).
        min_event_minutes: shorter events do not count as busy.
        all_day_busy: whether all-day events count as busy (a holiday or a conference day).
        ignore_titles: events whose title matches one of these patterns (`*` any text, case
            ignored) do not count: the user's own "focus" or "walk" blocks.
        me: the user's addresses: a meeting one of them declined does not count.
        refresh_minutes: how often an address is fetched again (files are read when they change).
    """

    sources: tuple[CalendarSource, ...] = ()
    buffer_minutes: int = 5
    min_event_minutes: int = 10
    all_day_busy: bool = False
    ignore_titles: tuple[str, ...] = ()
    me: tuple[str, ...] = ()
    refresh_minutes: int = 15


class Settings(NamedTuple):
    """Everything the user can configure, and the walk plan in force."""

    work: WorkSettings = WorkSettings()
    walk: WalkSettings = WalkSettings()
    prompts: PromptSettings = PromptSettings()
    snooze: SnoozeSettings = SnoozeSettings()
    notify: NotifySettings = NotifySettings()
    data_dir: str = ""
    care: CareSettings = CareSettings()
    plan: CarePlan = CarePlan()
    away: AwaySettings = AwaySettings()
    calendar: CalendarSettings = CalendarSettings()


def configured_bout(settings: Settings) -> int:
    """The bout length in the config file (before any accepted plan)."""
    return settings.care.configured_bout or settings.walk.bout_minutes


def plan_in_force(settings: Settings) -> CarePlan:
    """The walk in force: the accepted plan while it still fits the config, else the configured walk."""
    care, base = settings.plan, configured_bout(settings)
    if care.base_minutes and care.base_minutes == base:
        return care
    return CarePlan(base, base, held_since=care.held_since)


def with_plan(settings: Settings, care: CarePlan) -> Settings:
    """`settings` with the walk plan `care` in force: the planner, tally and prompts use its bout."""
    base = configured_bout(settings)
    settings = settings._replace(care=settings.care._replace(configured_bout=base), plan=care)
    bout = plan_in_force(settings).bout_minutes
    return settings._replace(walk=settings.walk._replace(bout_minutes=bout))
