"""When the next walk prompt is due, from the settings, the time and the day's records.

The planner is the one place the timing rules live; `walkbreak status`, the engine and the
dashboard all call it with the same store records, so they always agree.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from enum import StrEnum

from walkbreak.core import busy as busy_time
from walkbreak.core import timeline
from walkbreak.core.busy import Busy
from walkbreak.core.model import Control, ControlKind, DayLog, Outcome, Prompt, Walking
from walkbreak.core.named_tuple import NamedTuple
from walkbreak.core.settings import Settings


class PlanState(StrEnum):
    """What the day looks like from now."""

    SCHEDULED = "scheduled"
    DUE = "due"
    WALKING = "walking"
    PAUSED = "paused"
    HELD = "held"
    TARGET_MET = "target_met"
    NO_PROMPTS_TODAY = "no_prompts_today"
    DAY_OVER = "day_over"


class Plan(NamedTuple):
    """The planner's answer.

    Attributes:
        state: what the day looks like from now.
        at: when the next prompt fires (local time), or None when none will today.
        paused_until: the end of a pause in force now.
        open_prompt: the prompt waiting for an answer, when `state` is DUE.
        snoozed: the snoozed prompt that comes back at `at` (else a new prompt fires then).
        walking: the walk under way, when `state` is WALKING (the next prompt is planned once
            it has ended).
        after: the busy block (a meeting) the prompt at `at` waits for: it comes at its end.
        before: the meeting the prompt at `at` comes ahead of: waiting for its end would leave
            the day's work without that walk.
    """

    state: PlanState
    at: datetime | None = None
    paused_until: datetime | None = None
    open_prompt: Prompt | None = None
    snoozed: Prompt | None = None
    walking: Walking | None = None
    after: Busy | None = None
    before: Busy | None = None


def next_prompt(settings: Settings, now: datetime, log: DayLog) -> datetime | None:
    """When the next prompt should fire, or None when none will today."""
    return plan(settings, now, log).at


def plan(
    settings: Settings,
    now: datetime,
    log: DayLog,
    hold_until: datetime | None = None,
    busy: tuple[Busy, ...] = (),
) -> Plan:
    """Plan the rest of today.

    Args:
        settings: the user's settings.
        now: the current time, timezone-aware, in the user's zone; its date is today.
        log: everything recorded today.
        hold_until: no prompt before this (the engine's grace after the machine wakes).
        busy: busy blocks from the user's calendars: no prompt starts in one, or less than a
            walk and `calendar.buffer_minutes` before one; a prompt due in one comes at its end.
    """
    zone = now.tzinfo
    if zone is None:
        raise ValueError("now must be timezone-aware")
    if settings.plan.held_since is not None:
        return Plan(PlanState.HELD)  # a red flag: no prompts on any day until the user resumes
    if log.walking:
        return Plan(PlanState.WALKING, walking=log.walking[-1])
    day = now.date()
    windows = settings.work.windows_on(day)
    if not windows:
        return Plan(PlanState.NO_PROMPTS_TODAY)
    paused_until = pause_end(log, now)
    open_prompt = None if paused_until else find_open_prompt(settings, now, log)
    if open_prompt:
        return Plan(PlanState.DUE, open_prompt=open_prompt)
    remaining = settings.walk.daily_target - len(log.bouts)
    if remaining <= 0 and not settings.prompts.keep_prompting_after_target:
        return Plan(PlanState.TARGET_MET)

    utc_now = now.astimezone(UTC)
    work = [timeline.window_span(day, w, zone) for w in windows]
    quiet = [timeline.window_span(day, q, zone) for q in settings.prompts.quiet]
    if paused_until:
        quiet.append((utc_now, paused_until.astimezone(UTC)))
    if hold_until:
        quiet.append((utc_now, hold_until.astimezone(UTC)))
    lead = timedelta(minutes=settings.walk.bout_minutes + settings.calendar.buffer_minutes)
    holes = timeline.merge(quiet + busy_time.no_start(busy, lead))

    earliest = utc_now
    if log.bouts:
        last_end = max(b.end for b in log.bouts).astimezone(UTC)
        earliest = max(earliest, last_end + timedelta(minutes=settings.prompts.min_gap_minutes))
    anchor, snooze = last_activity(settings, now, log)
    snooze_until = snooze.until.astimezone(UTC) if snooze and snooze.until else None
    snoozed_id = snooze.prompt_id if snooze else None
    meetings = busy_time.spans(busy)
    # The catch-up spreads the walks left over the free time: quiet windows and meetings are not.
    gap = spacing(settings, work, timeline.merge(quiet + meetings), utc_now, remaining)
    overdue = None  # a prompt due in a meeting that ran past the end of its window

    for start, end in work:
        if end <= utc_now:
            continue
        snoozed = None
        if snooze_until and start <= snooze_until < end:
            candidate = snooze_until
            snoozed = next((p for p in log.prompts if p.id == snoozed_id and p.outcome is None), None)
        else:
            # Each work window restarts the count: the user just came back from a break. Not
            # from a meeting that ran through the break: the prompt due in it comes at its end.
            candidate = max(anchor or start, start) + gap
            if overdue and any(s < start <= e for s, e in meetings):  # in a meeting until it began
                candidate = min(candidate, overdue)
        due = max(candidate, earliest)
        candidate, before = timeline.step_out(max(due, start), holes), None
        if candidate >= work[-1][1] and max(due, start) < end:
            # Waiting for the meeting's end leaves the day without this walk: before it instead,
            # but never straight after a walk or a prompt that went by (the minimum gap after it).
            settle = anchor + timedelta(minutes=settings.prompts.min_gap_minutes) if anchor else start
            ahead = _before_meetings(max(due, start), max(start, earliest, settle), busy, lead, holes)
            if ahead is not None:
                candidate, before = ahead
        if candidate < end:
            state = PlanState.PAUSED if paused_until else PlanState.SCHEDULED
            after = busy_time.waited_for(busy, candidate) if candidate != due else None
            return Plan(
                state, candidate.astimezone(zone), paused_until, snoozed=snoozed, after=after, before=before
            )
        if overdue is None and due < end and any(s <= due < e for s, e in meetings):
            overdue = due  # due in this window, in a meeting that ran past its end
    if paused_until:
        return Plan(PlanState.PAUSED, None, paused_until)
    return Plan(PlanState.TARGET_MET if remaining <= 0 else PlanState.DAY_OVER)


def _before_meetings(
    due: datetime, not_before: datetime, busy: tuple[Busy, ...], lead: timedelta, holes: list[timeline.Span]
) -> tuple[datetime, Busy] | None:
    """The walk `due` in the day's work, in a meeting or just before one that lasts past it: sooner,
    in the free time from `not_before` until that meeting, rather than none today; that time and
    the meeting. None when no meeting holds it (a quiet window or a pause: without a calendar
    nothing changes) or there is no such time."""
    meeting = busy_time.holding(busy, due, lead)
    if meeting is None:
        return None
    sooner = timeline.step_out(not_before, holes)
    return (sooner, meeting) if sooner < due else None


def with_carried(previous: DayLog, today: DayLog) -> DayLog:
    """Today's log plus yesterday's pauses and walk under way, so a pause or a walk begun
    before midnight still holds after it (a walk carried over never counts in today's tally)."""
    carried = tuple(c for c in previous.controls if c.kind in (ControlKind.PAUSE, ControlKind.RESUME))
    if not carried and not previous.walking:
        return today
    controls = tuple(sorted(carried + today.controls, key=lambda c: c.at))
    return today._replace(controls=controls, walking=previous.walking + today.walking)


def pause_end(log: DayLog, now: datetime) -> datetime | None:
    """The end of the pause in force at `now`, if any; a later resume cancels it."""
    paused_until = None
    for control in log.controls:
        if control.at > now:
            break
        if control.kind is ControlKind.PAUSE and control.until and control.until > now:
            paused_until = control.until
        elif control.kind is ControlKind.RESUME:
            paused_until = None
    return paused_until


def unresolved_prompt(log: DayLog) -> Prompt | None:
    """The latest prompt of the day if it has no outcome yet (open, snoozed or lapsed)."""
    if log.prompts and log.prompts[-1].outcome is None:
        return log.prompts[-1]
    return None


def snoozed_since_shown(prompt: Prompt, log: DayLog) -> Control | None:
    """The snooze that put `prompt` off after it was last shown, if any."""
    return next(
        (
            c
            for c in reversed(log.controls)
            if c.kind is ControlKind.SNOOZE and c.at >= prompt.last_shown and c.prompt_id in (prompt.id, None)
        ),
        None,
    )


def expiry_of(settings: Settings, prompt: Prompt, log: DayLog) -> datetime | None:
    """When an unanswered prompt lapses: `expire_minutes` after it was last shown.

    None while it is snoozed: a snoozed prompt lapses only once it is back.
    """
    if prompt.outcome is Outcome.EXPIRED:
        return prompt.answered_at or prompt.last_shown + timedelta(minutes=settings.prompts.expire_minutes)
    if prompt.outcome is not None:
        return None
    snooze = snoozed_since_shown(prompt, log)
    if snooze:
        # It comes back when the snooze ends, unless work is over by then: then it was missed,
        # at the end of the day's work (else it would stay open for ever).
        windows = settings.work.windows_on(prompt.day)
        zone = prompt.fired_at.tzinfo
        if not windows or snooze.until is None or zone is None:
            return None
        work_end = timeline.window_span(prompt.day, windows[-1], zone)[1]
        return work_end.astimezone(zone) if snooze.until >= work_end else None
    return prompt.last_shown + timedelta(minutes=settings.prompts.expire_minutes)


def find_open_prompt(settings: Settings, now: datetime, log: DayLog) -> Prompt | None:
    """The prompt waiting for an answer now: shown, not snoozed, lapsed or walked since."""
    prompt = unresolved_prompt(log)
    if prompt is None:  # shown after `now` (the clock went back) it is still the one on screen:
        return None  # never a second open prompt beside it
    lapses = expiry_of(settings, prompt, log)
    if lapses is None or now >= lapses:
        return None
    if any(b.end > prompt.last_shown for b in log.bouts):
        return None
    return prompt


def last_activity(settings: Settings, now: datetime, log: DayLog) -> tuple[datetime | None, Control | None]:
    """The instant the interval counts from, and the snooze if a snooze came last.

    The interval counts from the latest of: a bout's end, a prompt answered or lapsed, a snooze.
    """
    events: list[tuple[datetime, Control | None]] = [(b.end, None) for b in log.bouts]
    for p in log.prompts:
        if p.outcome in (None, Outcome.EXPIRED):
            lapsed = expiry_of(settings, p, log)
            if lapsed is not None and lapsed <= now:  # a prompt still open has not lapsed yet
                events.append((lapsed, None))
        elif p.answered_at:
            events.append((p.answered_at, None))
    for c in log.controls:
        if c.kind is ControlKind.SNOOZE and c.until:
            events.append((c.at, c))
    if not events:
        return None, None
    at, snooze = max(events, key=lambda e: e[0])
    return at.astimezone(UTC), snooze


def spacing(
    settings: Settings,
    work: list[timeline.Span],
    holes: list[timeline.Span],
    utc_now: datetime,
    remaining: int,
) -> timedelta:
    """The gap between prompts: the interval, shortened to catch up when behind target.

    The remaining bouts are spread over the work time left (less one bout, so the last one
    ends inside work hours), but never closer than the minimum gap.
    """
    interval = timedelta(minutes=settings.prompts.interval_minutes)
    if remaining <= 0:
        return interval
    free = [piece for span in work for piece in timeline.subtract(span, holes)]
    left = timeline.total((max(start, utc_now), end) for start, end in free if end > utc_now)
    even = (left - timedelta(minutes=settings.walk.bout_minutes)) / remaining
    floor = timedelta(minutes=settings.prompts.min_gap_minutes)
    return max(floor, min(interval, even))
