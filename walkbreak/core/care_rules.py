"""The care rules: from check-ins to "scale back", "scale up" or "see a doctor".

Each rule is one row of `RULES`, with the line of the physical therapist's advice it follows
(all of it in `docs/back-care.md`). A suggestion changes nothing by itself: it becomes the walk in
force (`CarePlan`) only when the user accepts it.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta

from walkbreak.core.feelings import Feeling, FollowUp
from walkbreak.core.model import Advice, CheckIn
from walkbreak.core.named_tuple import NamedTuple
from walkbreak.core.routine import LONGER_WALKS, ROUTINE_SHORTEST
from walkbreak.core.settings import CarePlan
from walkbreak.core.tolerance import FEELINGS, WORSE, tolerated, worse_level
from walkbreak.core.walk_plans import COMFORTABLE, GENTLE, ROUTINE, describe


class Proposal(NamedTuple):
    """What a rule found: why, and the walk it proposes."""

    reason: str
    plan: CarePlan
    rest_minutes: int = 0


class History(NamedTuple):
    """What the rules look at: recent check-ins in the order of their walks (a check-in made late
    for an earlier walk counts where that walk was), suggestions oldest first, and the walk in force."""

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
    """The gentle walk — comfortable only, no longer walk — after a little rest when pain spiked.

    From the routine: back to the configured short length at most. From a comfortable or gentle
    walk: `minutes_less` shorter, never under `shortest_minutes` (nor longer than it is). When a
    comfortable or gentle walk cannot get shorter, rest is offered instead.
    """
    if care.pace == ROUTINE:
        minutes = min(care.bout_minutes, care.base_minutes or care.bout_minutes)
    else:
        minutes = care.bout_minutes - limits["minutes_less"]
    minutes = min(care.bout_minutes, max(limits["shortest_minutes"], minutes))
    plan = care._replace(bout_minutes=minutes, pace=GENTLE, variety=False)
    easier = minutes < care.bout_minutes or care.pace == ROUTINE
    return Proposal(reason, plan, rest or (0 if easier else limits["rest_minutes_at_shortest"]))


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
    """Worse each time: the last walks each left the back worse, or it got worse walk after walk.

    Each check-in says how the back was after a walk against before it (`worse_level`). The rule
    fires when the latest `walks_in_a_row` check-ins each left it worse (pain spiked, or slight
    soreness not settled), or when each answer was worse than the one before (better → same →
    slightly sore: never better, worse twice) — in both cases ending with the latest walk
    leaving the back worse.
    """
    last, count = history.last, limits["walks_in_a_row"]
    answered = [c for c in history.checkins if c.feeling in FEELINGS]  # in walk order
    if last is None or last not in answered:
        return None
    # The runs the trigger belongs to: the walks up to its own, and, when it is one of the
    # latest walks (a check-in made late for an earlier walk), the latest walks it completes.
    position = answered.index(last)
    runs = [answered[: position + 1][-count:], answered[-count:]]
    for run in runs if position >= len(answered) - count else runs[:1]:
        found = _worse_run(run, history, limits)
        if found is not None:
            return found
    return None


def _worse_run(run: list[CheckIn], history: History, limits: Limits) -> Proposal | None:
    """The scale-back `run` (check-ins of walks in a row) calls for, if each left the back worse
    or each was worse than the one before, ending worse; not for a run answered already."""
    count = limits["walks_in_a_row"]
    if len(run) < count:
        return None
    levels = [worse_level(c) for c in run]
    each_worse = all(level >= WORSE for level in levels)
    rising = all(a < b for a, b in itertools.pairwise(levels))
    if levels[-1] < WORSE or not (each_worse or rising):
        return None
    ids = {c.id for c in run}
    if any(a.direction == "scale-back" and a.checkin_id in ids for a in history.advice):
        return None  # this run was answered with a scale-back already
    trend = " → ".join(_answer(c) for c in run)
    reason = (
        f"your back was worse after each of your last {count} walks ({trend})"
        if each_worse
        else f"your back felt worse walk after walk ({trend})"
    )
    return _scale_back(history.care, reason, limits)


def _answer(checkin: CheckIn) -> str:
    """A check-in's answer with its follow-up: "slightly sore (settled)"."""
    return f"{checkin.feeling} ({checkin.followup})" if checkin.followup else checkin.feeling


def step_up(care: CarePlan, longest: int) -> tuple[CarePlan, str] | None:
    """The next step up from `care`, or None at the top.

    Advice: "progress by increasing frequency and comfort first, distance later; later add
    variety". A gentle walk shorter than the configured length gets a minute longer, still
    gentle; at full length it becomes the normal comfortable walk again (the longer walk is
    offered again). The comfortable walk becomes the routine, 9 minutes (3 + 3 + 3) or its
    length if longer; then variety in the brisk part; then one more minute per part (12, then
    15), up to `longest`.
    """
    base = care.base_minutes or care.bout_minutes
    if care.pace == ROUTINE and care.bout_minutes >= ROUTINE_SHORTEST:
        if not care.variety:
            return care._replace(variety=True), (
                "add variety in the brisk part: gentle hills, slight declines, "
                "sideways steps on a safe surface"
            )
        if care.bout_minutes < longest:
            longer = min(longest, care.bout_minutes + 3)
            return care._replace(bout_minutes=longer), "one more minute per part"
        return None
    if care.bout_minutes < base:
        still = "gentle" if care.pace == GENTLE else "at a comfortable pace"
        return care._replace(bout_minutes=care.bout_minutes + 1), f"one more minute, still {still}"
    if care.pace == GENTLE:
        return care._replace(pace=COMFORTABLE), "back to the usual comfortable walk, and the longer walk"
    routine = max(ROUTINE_SHORTEST, care.bout_minutes)
    return care._replace(bout_minutes=routine, pace=ROUTINE, variety=False), (
        f"the routine: {routine}-minute walks, comfortable, brisk, comfortable"
    )


def _tolerated_days(history: History, limits: Limits) -> Proposal | None:
    """Tolerated on enough days within the window, none worse.

    The trigger may be the newest check-in or an older one whose soreness was just answered
    "settled" (the follow-up usually comes after a later walk): either way the newest walk must
    be known to be tolerated too, nothing in the window worse, and no soreness from today still
    waiting for its follow-up (it may not settle).
    """
    today = history.now.date()
    first_day = today - timedelta(days=limits["within_days"] - 1)
    recent = [c for c in history.checkins if c.day >= first_day]
    last = history.last
    if (
        last is None
        or last not in recent
        or not tolerated(last)
        or not tolerated(recent[-1])
        or any(tolerated(c) is False for c in recent)
        or any(tolerated(c) is None and c.day == today for c in recent)
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
        {
            "days": 3,
            "check_ins": 5,
            "within_days": 7,
            "days_after_any_suggestion": 3,
            "longest_minutes": LONGER_WALKS[-1],
        },
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


def history_days(today: date) -> tuple[date, date]:
    """The span of days the rules read: the longest any row looks back."""
    within = max(rule.limits.get("within_days", 1) for rule in RULES)
    return today - timedelta(days=within - 1), today
