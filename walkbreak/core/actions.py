"""What each answer to a prompt changes in the records: walk, snooze, skip, pause, resume.

The dashboard's keys, the notification buttons and the CLI (`walkbreak walk`, `snooze`, …)
all go through these functions, so one key does exactly what the matching button does. Each
returns the records to add and replace; the caller writes them in one unit of work.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from walkbreak.core import timeline
from walkbreak.core.model import (
    Away,
    Bout,
    Control,
    ControlKind,
    DayLog,
    Outcome,
    Prompt,
    Record,
    SkipReason,
    Source,
)
from walkbreak.core.named_tuple import NamedTuple
from walkbreak.core.planner import (
    expiry_of,
    find_open_prompt,
    pause_end,
    snoozed_since_shown,
    unresolved_prompt,
)
from walkbreak.core.settings import Settings

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see core/named_tuple.py)
if TYPE_CHECKING:
    from typing import Any

NewId = Callable[[], str]
"""Makes a fresh record id."""


class Changes(NamedTuple):
    """Records to add, to overwrite and to delete (matched by id), and changes to the walk plan.

    `plan` names fields of the stored walk plan (`CarePlan`) and their new values; the store
    sets them on the plan as it stands under the lock, so a resume in one process and an
    accepted suggestion in another never undo each other.
    """

    add: tuple[Record, ...] = ()
    replace: tuple[Record, ...] = ()
    remove: tuple[Record, ...] = ()
    plan: tuple[tuple[str, Any], ...] = ()

    def undone(self, before: DayLog) -> Changes:
        """The changes that put the day back as it was in `before` (for undo)."""
        kept = {r.id: r for r in before.records}
        return Changes(
            add=self.remove,
            replace=tuple(kept[r.id] for r in self.replace if r.id in kept),
            remove=self.add,
        )


class NotAllowed(Exception):
    """An answer that does not fit the moment; the message tells the user why."""


def pending_prompt(settings: Settings, now: datetime, log: DayLog) -> Prompt | None:
    """The prompt still waiting for an answer: shown now, or snoozed and coming back."""
    prompt = unresolved_prompt(log)
    if prompt is None:
        return None
    lapses = expiry_of(settings, prompt, log)
    return prompt if lapses is None or now < lapses else None


def log_walk(
    settings: Settings,
    now: datetime,
    log: DayLog,
    new_id: NewId,
    start: datetime,
    minutes: float,
    note: str = "",
) -> Changes:
    """Record a walk taken (unchecked: `walking.record` refuses one that does not fit); one
    logged today answers the prompt waiting, if any."""
    prompt = pending_prompt(settings, now, log) if start.date() == now.date() else None
    answered = (prompt._replace(outcome=Outcome.WALKED, answered_at=now),) if prompt else ()
    bout = Bout(
        id=new_id(),
        day=start.date(),
        start=start,
        minutes=minutes,
        source=Source.PROMPT if prompt else Source.MANUAL,
        note=note,
        prompt_id=prompt.id if prompt else None,
    )
    return Changes(add=(bout,), replace=answered)


def answer_away(away: Away, walking: bool, new_id: NewId) -> Changes:
    """The user says whether they were walking while away; yes logs the time as a bout."""
    answered = away._replace(answer="walking" if walking else "not walking")
    if not walking:
        return Changes(replace=(answered,))
    minutes = round(timeline.elapsed(away.start, away.end).total_seconds() / 60, 1)
    bout = Bout(new_id(), away.day, away.start, minutes, Source.MANUAL, note="away: walking")
    return Changes(add=(bout,), replace=(answered,))


def snooze(settings: Settings, now: datetime, log: DayLog, new_id: NewId) -> Changes:
    """Put the waiting prompt off for `snooze.minutes`, up to `snooze.max_per_prompt` times."""
    prompt = find_open_prompt(settings, now, log)
    if prompt is None:
        raise NotAllowed(_nothing_waiting(settings, now, log))
    allowed = settings.snooze.max_per_prompt
    if prompt.snoozes >= allowed:
        times = "once" if allowed == 1 else f"{allowed} times"
        raise NotAllowed(
            f"this prompt was snoozed {times} already: walk now or skip it"
            if allowed
            else "snoozing is turned off (snooze.max_per_prompt = 0): walk now or skip it"
        )
    until = _later(now, settings.snooze.minutes)
    return Changes(
        add=(Control(new_id(), now.date(), now, ControlKind.SNOOZE, until, prompt.id),),
        replace=(prompt._replace(snoozes=prompt.snoozes + 1),),
    )


def skip(settings: Settings, now: datetime, log: DayLog, reason: SkipReason) -> Changes:
    """Skip the waiting (or snoozed) prompt, with a reason."""
    prompt = pending_prompt(settings, now, log)
    if prompt is None:
        raise NotAllowed(_nothing_waiting(settings, now, log))
    return Changes(replace=(prompt._replace(outcome=Outcome.SKIPPED, answered_at=now, reason=reason.value),))


def pause(settings: Settings, now: datetime, log: DayLog, new_id: NewId, minutes: int | None) -> Changes:
    """Hold prompts for `minutes`, or for the rest of the day when None; resumes by itself.

    A prompt waiting at the time is closed as skipped ("paused").
    """
    if minutes is None:
        zone = now.tzinfo
        assert zone is not None
        until = timeline.start_of_day(now.date() + timedelta(days=1), zone).astimezone(zone)
    else:
        until = _later(now, minutes)
    changes = Changes(add=(Control(new_id(), now.date(), now, ControlKind.PAUSE, until),))
    prompt = pending_prompt(settings, now, log)
    if prompt:
        closed = prompt._replace(outcome=Outcome.SKIPPED, answered_at=now, reason=SkipReason.PAUSED.value)
        changes = changes._replace(replace=(closed,))
    return changes


def resume(settings: Settings, now: datetime, log: DayLog, new_id: NewId) -> Changes:
    """End the pause in force now, or the hold a red flag put on prompts."""
    held = settings.plan.held_since is not None
    if pause_end(log, now) is None and not held:
        raise NotAllowed("prompts are not paused")
    changes = Changes(add=(Control(new_id(), now.date(), now, ControlKind.RESUME),))
    return changes._replace(plan=(("held_since", None),)) if held else changes


def fire(now: datetime, log: DayLog, new_id: NewId, snoozed: Prompt | None) -> tuple[Prompt, Changes]:
    """The prompt to show now: the snoozed one coming back, or a new one."""
    if snoozed is not None:
        back = snoozed._replace(shown_at=now)
        return back, Changes(replace=(back,))
    prompt = Prompt(id=new_id(), day=now.date(), fired_at=now)
    return prompt, Changes(add=(prompt,))


def lapse(settings: Settings, now: datetime, log: DayLog) -> Changes:
    """Close, as expired, every prompt left unanswered past its expiry (missed, not skipped)."""
    lapsed = []
    for prompt in log.prompts:
        if prompt.outcome is None:
            ends = expiry_of(settings, prompt, log)
            if prompt.day < now.date():  # a past day's prompt cannot come back any more
                ends = min(ends or _day_end(settings, prompt), _day_end(settings, prompt))
            if ends is not None and ends <= now:
                lapsed.append(prompt._replace(outcome=Outcome.EXPIRED, answered_at=ends))
    return Changes(replace=tuple(lapsed))


def _day_end(settings: Settings, prompt: Prompt) -> datetime:
    """When the prompt's day ended for prompting: its last work window's end, else midnight."""
    zone = prompt.fired_at.tzinfo
    assert zone is not None
    windows = settings.work.windows_on(prompt.day)
    if windows:
        return timeline.window_span(prompt.day, windows[-1], zone)[1].astimezone(zone)
    return timeline.start_of_day(prompt.day + timedelta(days=1), zone).astimezone(zone)


def _nothing_waiting(settings: Settings, now: datetime, log: DayLog) -> str:
    """Why there is nothing to answer."""
    prompt = unresolved_prompt(log)
    if prompt is not None:
        snoozed = snoozed_since_shown(prompt, log)
        if snoozed and snoozed.until and snoozed.until > now:
            return f"the prompt is snoozed until {snoozed.until.astimezone(now.tzinfo):%H:%M}"
    return "no prompt is waiting"


def _later(now: datetime, minutes: float) -> datetime:
    """`minutes` of real time after `now`, in now's zone (right across a clock change)."""
    return (now.astimezone(UTC) + timedelta(minutes=minutes)).astimezone(now.tzinfo)
