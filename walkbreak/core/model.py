"""What walkbreak records: bouts, prompts, check-ins and control events."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from enum import StrEnum

from walkbreak.core.named_tuple import NamedTuple


class Source(StrEnum):
    """How a bout came to be logged."""

    PROMPT = "prompt"
    MANUAL = "manual"


class Outcome(StrEnum):
    """How a prompt ended. An open prompt has no outcome yet."""

    WALKED = "walked"
    SKIPPED = "skipped"
    EXPIRED = "expired"


class ControlKind(StrEnum):
    """A user's instruction to the planner."""

    SNOOZE = "snooze"
    PAUSE = "pause"
    RESUME = "resume"


class Bout(NamedTuple):
    """One walking bout, however it was logged."""

    id: str
    day: date
    start: datetime
    minutes: float
    source: Source = Source.MANUAL
    note: str = ""
    prompt_id: str | None = None

    @property
    def end(self) -> datetime:
        """When the walk ended."""
        return self.start + timedelta(minutes=self.minutes)


class SkipReason(StrEnum):
    """Why a prompt was skipped."""

    BUSY = "busy"
    MEETING = "meeting"
    BACK_PAIN = "back-pain"
    ALREADY_WALKED = "already-walked"
    PAUSED = "paused"
    NOT_GIVEN = ""


class Prompt(NamedTuple):
    """A walk prompt that fired, and how it ended.

    A snoozed prompt comes back as the same prompt: `shown_at` is when it was last put in front
    of the user, `snoozes` how often it was put off.
    """

    id: str
    day: date
    fired_at: datetime
    outcome: Outcome | None = None
    answered_at: datetime | None = None
    reason: str = ""
    snoozes: int = 0
    shown_at: datetime | None = None

    @property
    def last_shown(self) -> datetime:
        """When the prompt was last shown (first fired, or back from a snooze)."""
        return self.shown_at or self.fired_at


class Control(NamedTuple):
    """A snooze, pause or resume; `until` is when a snooze or pause ends."""

    id: str
    day: date
    at: datetime
    kind: ControlKind
    until: datetime | None = None
    prompt_id: str | None = None


class CheckIn(NamedTuple):
    """How the back felt after a walk, and (after "slightly sore") whether that settled."""

    id: str
    day: date
    at: datetime
    feeling: str
    flags: tuple[str, ...] = ()
    bout_id: str | None = None
    followup: str = ""
    followup_at: datetime | None = None


class Advice(NamedTuple):
    """A suggestion to scale back or up (`direction`), with its reason, and the user's answer.

    `bout_minutes`, `pace` and `variety` are the walk it proposes; `answer` is "" until the
    user accepts or declines it.
    """

    id: str
    day: date
    at: datetime
    rule: str
    direction: str
    reason: str
    text: str
    bout_minutes: int
    pace: str
    variety: bool = False
    rest_minutes: int = 0
    answer: str = ""
    answered_at: datetime | None = None
    checkin_id: str | None = None


class Walking(NamedTuple):
    """A walk under way: begun (a prompt's "Walk now", a key, `walkbreak walk`), not back yet.

    It counts only once it has ended, as the `Bout` with the same id: the walk guide showing it
    records the real length when the user is back; with no guide, it ends at its planned end.

    Attributes:
        minutes: the planned length.
        prompt_id: the prompt it answers, if any.
        guide: the process showing its walk guide ("pid@host"); "" when none does.
    """

    id: str
    day: date
    start: datetime
    minutes: float
    prompt_id: str | None = None
    guide: str = ""

    @property
    def end(self) -> datetime:
        """When the walk is planned to end."""
        return self.start + timedelta(minutes=self.minutes)


class Away(NamedTuple):
    """Work time the machine slept through, which the dashboard may ask about.

    `answer` is "" until the user says whether they were walking ("walking" or "not walking").
    """

    id: str
    day: date
    start: datetime
    end: datetime
    answer: str = ""


Record = Bout | Prompt | Control | CheckIn | Away | Advice | Walking
"""Anything the store keeps."""

RecordKind = (
    type[Bout] | type[Prompt] | type[Control] | type[CheckIn] | type[Away] | type[Advice] | type[Walking]
)
"""The class of a record."""


class DayLog(NamedTuple):
    """Everything recorded on one local calendar day, each kind in time order."""

    day: date
    bouts: tuple[Bout, ...] = ()
    prompts: tuple[Prompt, ...] = ()
    controls: tuple[Control, ...] = ()
    checkins: tuple[CheckIn, ...] = ()
    away: tuple[Away, ...] = ()
    advice: tuple[Advice, ...] = ()
    walking: tuple[Walking, ...] = ()

    @classmethod
    def of(cls, day: date, records: list[Record]) -> DayLog:
        """Sort `records` of one day into a DayLog."""
        return cls(
            day,
            bouts=tuple(sorted((r for r in records if isinstance(r, Bout)), key=lambda r: r.start)),
            prompts=tuple(sorted((r for r in records if isinstance(r, Prompt)), key=lambda r: r.fired_at)),
            controls=tuple(sorted((r for r in records if isinstance(r, Control)), key=lambda r: r.at)),
            checkins=tuple(sorted((r for r in records if isinstance(r, CheckIn)), key=lambda r: r.at)),
            away=tuple(sorted((r for r in records if isinstance(r, Away)), key=lambda r: r.start)),
            advice=tuple(sorted((r for r in records if isinstance(r, Advice)), key=lambda r: r.at)),
            walking=tuple(sorted((r for r in records if isinstance(r, Walking)), key=lambda r: r.start)),
        )

    @property
    def records(self) -> list[Record]:
        """Every record of the day."""
        every: list[Record] = [
            *self.bouts,
            *self.prompts,
            *self.controls,
            *self.checkins,
            *self.away,
            *self.advice,
            *self.walking,
        ]
        return every

    @property
    def walked_minutes(self) -> float:
        """Minutes walked in all bouts of the day."""
        return sum(b.minutes for b in self.bouts)
