"""The care rules: from check-ins to "scale back", "scale up" or "see a doctor".

Each rule is one row of `RULES`, tied to the line of the physical therapist's advice it follows
(DESIGN.md, "The back-care guidance it follows"). A suggestion changes nothing by itself: it
becomes the walk in force (`CarePlan`) only when the user accepts it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import NamedTuple

from walkbreak.core import timeline
from walkbreak.core.feelings import Feeling, FollowUp
from walkbreak.core.model import Advice, CheckIn, DayLog
from walkbreak.core.settings import CarePlan, Settings, plan_in_force

FOLLOWUP_MIN_HOURS = 1.0
"""A follow-up moved to the end of the workday still waits at least this long."""

ROUTINE = "routine"
COMFORTABLE = "comfortable"

_RANK = {Feeling.BETTER: 0, Feeling.SAME: 1, Feeling.SORE: 2, Feeling.SPIKED: 3}

RED_FLAG_HEAD = "Please see a doctor promptly."
RED_FLAG_BODY = (
    "{flags} after walking is a reason to have your back checked soon, not to walk it off. "
    "walkbreak has paused your walk prompts; resume them (r) when a health professional says "
    "walking is fine."
)


# Reading check-ins


def tolerated(checkin: CheckIn) -> bool | None:
    """Whether the walk before `checkin` was tolerated; None while soreness may still settle.

    Advice: "slight soreness that settles within a few hours means the body tolerates it; pain
    that spikes sharply, lingers, or gets worse each time means scale back."
    """
    if checkin.flags or checkin.feeling == Feeling.SPIKED:
        return False
    if checkin.feeling == Feeling.SORE:
        if checkin.followup == FollowUp.SETTLED:
            return True
        if checkin.followup == FollowUp.LINGERING:
            return False
        return None
    return True


def followup_due(settings: Settings, checkin: CheckIn) -> datetime | None:
    """When to ask whether the soreness after `checkin` settled, or None when no follow-up is due.

    `followup_hours` after the check-in, or at the end of that day's work if it comes first
    (but at least an hour after); never on a later day, when the walk is too far back to judge.
    """
    if checkin.feeling != Feeling.SORE or checkin.followup or checkin.flags:
        return None
    at = checkin.at
    due = at + timedelta(hours=settings.care.followup_hours)
    zone = at.tzinfo
    assert zone is not None
    windows = settings.work.windows_on(checkin.day)
    if windows:
        work_end = timeline.window_span(checkin.day, windows[-1], zone)[1]
        if due > work_end >= at + timedelta(hours=FOLLOWUP_MIN_HOURS):
            due = work_end.astimezone(zone)
    if due.astimezone(zone).date() != checkin.day:
        return None
    return due


def followup_waiting(settings: Settings, checkins: Sequence[CheckIn], now: datetime) -> CheckIn | None:
    """The check-in whose follow-up question is due at `now` and not answered yet."""
    for checkin in reversed(checkins):
        due = followup_due(settings, checkin)
        if due is not None and due <= now:
            return checkin
    return None


# The rules


class Proposal(NamedTuple):
    """What a rule found: why, and the walk it proposes."""

    reason: str
    plan: CarePlan
    rest_minutes: int = 0


class History(NamedTuple):
    """What the rules look at: recent check-ins and suggestions, oldest first, and the walk in force."""

    now: datetime
    checkins: tuple[CheckIn, ...]
    advice: tuple[Advice, ...]
    care: CarePlan
    trigger: CheckIn | None = None
    """The check-in just made, or whose follow-up was just answered (default: the newest)."""

    @property
    def last(self) -> CheckIn | None:
        """The check-in the rules answer."""
        return self.trigger or (self.checkins[-1] if self.checkins else None)


Limits = Mapping[str, int]
"""A row's thresholds, by name."""


class Rule(NamedTuple):
    """One row of the care table."""

    name: str
    direction: str
    advice: str
    """The line of the therapist's advice this row follows."""
    limits: Limits
    """The row's thresholds: minutes, walks, days."""
    find: Callable[[History, Limits], Proposal | None]


SCALE_BACK = {"minutes_less": 2, "shortest_minutes": 2, "rest_minutes_at_shortest": 60}
"""How every scale-back shortens the walk, and the rest offered when it cannot be shorter."""


def _scale_back(care: CarePlan, reason: str, limits: Limits, rest: int = 0) -> Proposal:
    """Shorter bouts at a comfortable pace only, after a little rest when pain spiked (or when
    the walk is as short and easy as it gets already)."""
    shorter = max(limits["shortest_minutes"], care.bout_minutes - limits["minutes_less"])
    plan = care._replace(bout_minutes=min(care.bout_minutes, shorter), pace=COMFORTABLE, variety=False)
    return Proposal(reason, plan, rest or (limits["rest_minutes_at_shortest"] if plan == care else 0))


def _spike(history: History, limits: Limits) -> Proposal | None:
    last = history.last
    if last is None or last.feeling != Feeling.SPIKED:
        return None
    reason = f"your pain spiked after walking (check-in at {last.at:%H:%M})"
    return _scale_back(history.care, reason, limits, limits["rest_minutes"])


def _lingering(history: History, limits: Limits) -> Proposal | None:
    last = history.last
    if last is None or last.followup != FollowUp.LINGERING:
        return None
    return _scale_back(
        history.care, f"the soreness you noted at {last.at:%H:%M} had not settled hours later", limits
    )


def _worsening(history: History, limits: Limits) -> Proposal | None:
    last, count = history.last, limits["walks_in_a_row"]
    if last is None:
        return None
    run = [c for c in history.checkins if c.at <= last.at and c.feeling in _RANK][-count:]
    if len(run) < count:
        return None
    ranks = [_RANK[Feeling(c.feeling)] for c in run]
    if not all(a < b for a, b in itertools.pairwise(ranks)) or ranks[-1] < _RANK[Feeling.SORE]:
        return None  # worse each time, ending sore
    ids = {c.id for c in run}
    if any(a.direction == "scale-back" and a.checkin_id in ids for a in history.advice):
        return None  # this run was answered with a scale-back already
    trend = " → ".join(c.feeling for c in run)
    return _scale_back(
        history.care, f"your back felt worse after each of your last {count} walks ({trend})", limits
    )


def step_up(care: CarePlan, longest: int) -> tuple[CarePlan, str] | None:
    """The next step up from `care`: minutes back at a comfortable pace, then the brisk part,
    then one more minute, then variety, then a minute at a time up to `longest`."""
    if care.pace == COMFORTABLE:
        if care.bout_minutes < care.base_minutes:
            longer = care._replace(bout_minutes=care.bout_minutes + 1)
            return longer, "one more minute, still at a comfortable pace"
        return care._replace(pace=ROUTINE), "bring back the brisk middle part"
    if not care.variety and (care.bout_minutes > care.base_minutes or care.bout_minutes >= longest):
        return care._replace(variety=True), (
            "add variety in the brisk part: gentle hills, slight declines, sideways steps on a safe surface"
        )
    if care.bout_minutes < longest:
        return care._replace(bout_minutes=care.bout_minutes + 1), "one more minute per walk"
    return None


def _tolerated_days(history: History, limits: Limits) -> Proposal | None:
    first_day = history.now.date() - timedelta(days=limits["within_days"] - 1)
    recent = [c for c in history.checkins if c.day >= first_day]
    if (
        not recent
        or recent[-1] != history.last
        or not tolerated(recent[-1])
        or any(tolerated(c) is False for c in recent)
    ):
        return None
    settled = [c for c in recent if tolerated(c)]
    days = {c.day for c in settled}
    if len(days) < limits["days"] or len(settled) < limits["check_ins"]:
        return None
    quiet_since = history.now.date() - timedelta(days=limits["days_after_any_suggestion"])
    if any(a.day > quiet_since for a in history.advice):
        return None
    step = step_up(history.care, limits["longest_minutes"])
    if step is None:
        return None
    plan, _ = step
    return Proposal(
        f"your walks were tolerated on {len(days)} days ({len(settled)} check-ins, none worse)", plan
    )


RULES: tuple[Rule, ...] = (
    Rule(
        "pain-spiked",
        "scale-back",
        "Pain that spikes sharply means scale back; a flare-up needs a little rest, then a gentle return.",
        {**SCALE_BACK, "rest_minutes": 60},
        _spike,
    ),
    Rule("soreness-lingers", "scale-back", "Pain that lingers means scale back.", SCALE_BACK, _lingering),
    Rule(
        "worse-each-time",
        "scale-back",
        "Pain that gets worse each time means scale back.",
        {**SCALE_BACK, "walks_in_a_row": 3},
        _worsening,
    ),
    Rule(
        "tolerated-for-days",
        "scale-up",
        "Slight soreness that settles within a few hours means the body tolerates it; progress by "
        "frequency and comfort first, distance later, then variety: gentle hills, slight declines, "
        "sideways walking.",
        # 15 minutes is the long end of the 3–5 / 3–5 / 3–5 routine.
        {"days": 3, "check_ins": 5, "within_days": 7, "days_after_any_suggestion": 3, "longest_minutes": 15},
        _tolerated_days,
    ),
)
"""The care table, checked in order; the first row that finds something makes the suggestion."""


def suggest(history: History, new_id: Callable[[], str]) -> Advice | None:
    """The suggestion the trigger check-in (or its follow-up) calls for, if any and not made yet."""
    trigger = history.last
    if trigger is None or trigger.flags:
        return None
    for rule in RULES:
        found = rule.find(history, rule.limits)
        if found is None:
            continue
        if any(a.checkin_id == trigger.id and a.rule == rule.name for a in history.advice):
            return None
        now = history.now
        return Advice(
            new_id(),
            now.date(),
            now,
            rule.name,
            rule.direction,
            found.reason,
            describe(found.plan, found.rest_minutes),
            found.plan.bout_minutes,
            found.plan.pace,
            found.plan.variety,
            found.rest_minutes,
            checkin_id=trigger.id,
        )
    return None


def describe(plan: CarePlan, rest_minutes: int = 0) -> str:
    """The proposed walk in words: "rest an hour, then 3-minute walks at a comfortable pace"."""
    pace = "at a comfortable pace only" if plan.pace == COMFORTABLE else "comfortable, brisk, comfortable"
    walk = f"{plan.bout_minutes}-minute walks, {pace}"
    if plan.variety:
        walk += ", with gentle hills, slight declines or sideways steps"
    if rest_minutes:
        walk = f"rest {rest_minutes} minutes, then {walk}"
    return walk


def red_flag_text(flags: Sequence[str]) -> tuple[str, str]:
    """The plain message shown at once for a red flag: its first sentence, and the rest."""
    named = " and ".join(flags) if flags else "A red flag"
    return RED_FLAG_HEAD, RED_FLAG_BODY.format(flags=named[0].upper() + named[1:])


def history_days(today: date) -> tuple[date, date]:
    """The span of days the rules read: the longest any row looks back."""
    within = max(rule.limits.get("within_days", 1) for rule in RULES)
    return today - timedelta(days=within - 1), today


def events(days: Sequence[DayLog], limit: int = 5) -> list[str]:
    """The latest red flags and answered suggestions in `days`, oldest first, one line each."""
    found: list[tuple[datetime, str]] = []
    for day in days:
        for entry in day.checkins:
            if entry.flags:
                found.append((entry.at, f"{entry.at:%a %d %b %H:%M}  red flag: {', '.join(entry.flags)}"))
        for advice in day.advice:
            answer = advice.answer or "not answered"
            direction = advice.direction.replace("-", " ")
            found.append((advice.at, f"{advice.at:%a %d %b %H:%M}  {direction} ({answer}): {advice.text}"))
    found.sort()
    return [line for _, line in found[-limit:]]


def in_force(settings: Settings) -> str:
    """The walk in force in words, for history and reports."""
    plan = plan_in_force(settings)
    held = " · prompts held after a red flag" if plan.held_since else ""
    return f"walk in force: {describe(plan)}{held}"
