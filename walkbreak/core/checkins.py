"""What the check-in, its follow-up and a suggestion's answer change in the records.

Like `actions`, each function decides on the day's records and returns `Changes`; the caller
writes them in one unit of work and then asks the care rules (`care.suggest`) what follows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from walkbreak.core import actions, care
from walkbreak.core.actions import Changes, NewId, NotAllowed
from walkbreak.core.feelings import Feeling, Flag, FollowUp
from walkbreak.core.model import Advice, CheckIn, DayLog, Outcome, SkipReason
from walkbreak.core.planner import pause_end
from walkbreak.core.settings import Settings, configured_bout, plan_in_force


def check_in(
    settings: Settings,
    now: datetime,
    log: DayLog,
    new_id: NewId,
    feeling: Feeling,
    flags: Sequence[Flag] = (),
    bout_id: str | None = None,
) -> Changes:
    """Record how the back felt after a walk.

    A red flag holds prompts at once, until the user resumes them (a waiting prompt is closed
    as skipped for back pain): walking is not the answer to it.
    """
    entry = CheckIn(new_id(), now.date(), now, feeling.value, tuple(f.value for f in flags), bout_id)
    if not flags:
        return Changes(add=(entry,))
    waiting = actions.pending_prompt(settings, now, log)
    closed = (
        (waiting._replace(outcome=Outcome.SKIPPED, answered_at=now, reason=SkipReason.BACK_PAIN.value),)
        if waiting
        else ()
    )
    return Changes(add=(entry,), replace=closed, plan=(("held_since", now),))


def answer_followup(now: datetime, log: DayLog, checkin_id: str, settled: bool) -> Changes:
    """Answer "has the soreness settled?" for the check-in `checkin_id`."""
    entry = next((c for c in log.checkins if c.id == checkin_id), None)
    if entry is None:
        raise NotAllowed("that check-in is not in today's records any more")
    if entry.followup:
        raise NotAllowed(f"already answered: {entry.followup}")
    answer = FollowUp.SETTLED if settled else FollowUp.LINGERING
    return Changes(replace=(entry._replace(followup=answer.value, followup_at=now),))


def answer_advice(
    settings: Settings, now: datetime, log: DayLog, new_id: NewId, advice_id: str, accept: bool
) -> Changes:
    """Accept or decline a suggestion; accepting makes its walk the one in force.

    A suggestion that begins with rest (after a pain spike) pauses prompts for that long,
    unless they are paused for longer already.
    """
    advice = next((a for a in log.advice if a.id == advice_id), None)
    if advice is None:
        raise NotAllowed("that suggestion is not in today's records any more")
    if advice.answer:
        raise NotAllowed(f"this suggestion was {advice.answer} already")
    answered = advice._replace(answer="accepted" if accept else "declined", answered_at=now)
    if not accept:
        return Changes(replace=(answered,))
    walk = (
        ("base_minutes", configured_bout(settings)),
        ("bout_minutes", advice.bout_minutes),
        ("pace", advice.pace),
        ("variety", advice.variety),
    )
    changes = Changes(replace=(answered,), plan=walk)
    paused_until = pause_end(log, now)
    if advice.rest_minutes and (
        paused_until is None or paused_until < now + timedelta(minutes=advice.rest_minutes)
    ):
        rest = actions.pause(settings, now, log, new_id, advice.rest_minutes)
        changes = changes._replace(add=rest.add, replace=(*changes.replace, *rest.replace))
    return changes


def waiting_advice(log: DayLog) -> Advice | None:
    """Today's newest suggestion still waiting for an answer (older unanswered ones are moot)."""
    if log.advice and not log.advice[-1].answer:
        return log.advice[-1]
    return None


def latest_unchecked_bout_id(log: DayLog) -> str | None:
    """Today's newest walk that has no check-in yet (one logged from a notification or the CLI)."""
    checked = {c.bout_id for c in log.checkins}
    for bout in reversed(log.bouts):
        if bout.id not in checked:
            return bout.id
    return None


def suggestion(
    settings: Settings,
    now: datetime,
    earlier: Sequence[DayLog],
    today: DayLog,
    new_id: NewId,
    trigger_id: str | None = None,
) -> Changes:
    """The suggestion the check-in `trigger_id` (default: the newest) calls for, as a record to add."""
    days = [*earlier, today]
    checkins = tuple(c for d in days for c in d.checkins)
    history = care.History(
        now,
        checkins,
        tuple(a for d in days for a in d.advice),
        plan_in_force(settings),
        next((c for c in checkins if c.id == trigger_id), None),
    )
    advice = care.suggest(history, new_id)
    return Changes(add=(advice,)) if advice else Changes()
