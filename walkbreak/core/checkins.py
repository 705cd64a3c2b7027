"""What the check-in, its follow-up and a suggestion's answer change in the records.

Like `actions`, each function decides on the day's records and returns `Changes`; the caller
writes them in one unit of work and then asks the care rules (`care_rules.suggest`) what follows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from walkbreak.core import actions
from walkbreak.core.actions import Changes, NewId, NotAllowed
from walkbreak.core.feelings import Feeling, Flag, FollowUp
from walkbreak.core.model import Advice, Bout, CheckIn, DayLog, Outcome, SkipReason
from walkbreak.core.planner import pause_end
from walkbreak.core.settings import Settings, configured_bout, plan_in_force

NO_WALK = "no walk today to check in for"
ALL_CHECKED = "every walk today has its check-in"


def walk_to_check_in(log: DayLog, red_flag: bool = False) -> str | None:
    """The walk a check-in from a shell (or `c` on the dashboard) answers: today's latest walk
    without a check-in.

    Raises NotAllowed ("no walk today to check in for", "every walk today has its check-in")
    when there is none, unless the check-in names a red flag: that is taken at any time, and
    recorded without a walk (None) when none is waiting.
    """
    bout_id = latest_unchecked_bout_id(log)
    if bout_id is None and not red_flag:
        raise NotAllowed(ALL_CHECKED if log.bouts else NO_WALK)
    return bout_id


def check_in(
    settings: Settings,
    now: datetime,
    log: DayLog,
    new_id: NewId,
    feeling: Feeling,
    flags: Sequence[Flag] = (),
    bout_id: str | None = None,
) -> Changes:
    """Record how the back felt after the walk `bout_id`.

    One check-in per walk: a walk that has one already is refused (NotAllowed), and so is a
    feeling with no walk. A red flag is taken at any time, without a walk (`bout_id` None) when
    none is waiting; it holds prompts at once, until the user resumes them (a waiting prompt is
    closed as skipped for back pain): walking is not the answer to it.
    """
    if bout_id is None and not flags:
        raise NotAllowed(NO_WALK)
    if bout_id is not None and any(c.bout_id == bout_id for c in log.checkins):
        raise NotAllowed("that walk has its check-in already")
    if bout_id is not None and all(b.id != bout_id for b in log.bouts):
        if not flags:
            raise NotAllowed("that walk was deleted meanwhile: nothing to check in for")
        bout_id = None  # a red flag is kept all the same, without the walk
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
    from walkbreak.core import care_rules  # here: the dashboard's first frame needs no care rules

    days = [*earlier, today]
    # In the order of the walks they answer: "worse each time" is about walk after walk.
    walked = {b.id: b.start for d in days for b in d.bouts}
    checkins = tuple(
        sorted((c for d in days for c in d.checkins), key=lambda c: walked.get(c.bout_id or "", c.at))
    )
    history = care_rules.History(
        now,
        checkins,
        tuple(a for d in days for a in d.advice),
        plan_in_force(settings),
        next((c for c in checkins if c.id == trigger_id), None),
    )
    advice = care_rules.suggest(history, new_id)
    return Changes(add=(advice,)) if advice else Changes()


def remove_walk(log: DayLog, bout: Bout) -> Changes:
    """Delete a walk, and what hangs on it: its check-in (with the follow-up that may be
    pending on it) and any suggestion drawn from that check-in not answered yet.

    `Changes.undone(log)` brings all of it back.

    The prompt the walk answered is unanswered again: it lapses as missed (or, still within its
    time, waits for an answer).

    Kept: a suggestion already answered — an accepted one stays in force (the user chose that
    walk; a later check-in can change it), a declined one stays as the user's answer — and a
    check-in naming a red flag, unlinked from the walk: a red flag is a reason to see a doctor
    whatever the walk was, it stays in the history, and the hold on prompts stays until the
    user resumes them. `removal_note` says so.
    """
    theirs = [c for c in log.checkins if c.bout_id == bout.id]
    dropped = [c for c in theirs if not c.flags]
    unlinked = tuple(c._replace(bout_id=None) for c in theirs if c.flags)
    dropped_ids = {c.id for c in dropped}
    unanswered = [a for a in log.advice if a.checkin_id in dropped_ids and not a.answer]
    # The prompt it answered was not walked after all: it is unanswered again (and lapses, as missed).
    reopened = tuple(
        p._replace(outcome=None, answered_at=None)
        for p in log.prompts
        if p.id == bout.prompt_id and p.outcome is Outcome.WALKED
    )
    return Changes(replace=(*unlinked, *reopened), remove=(bout, *dropped, *unanswered))


def removal_note(log: DayLog, bout: Bout) -> str | None:
    """What deleting `bout` keeps, in words for the user (None when nothing is kept)."""
    theirs = [c for c in log.checkins if c.bout_id == bout.id]
    ids = {c.id for c in theirs if not c.flags}
    notes = []
    for advice in log.advice:
        if advice.checkin_id in ids and advice.answer == "accepted":
            notes.append(
                f"The walk you accepted after its check-in stays in force ({advice.text}); "
                "a later check-in can change it."
            )
    if any(c.flags for c in theirs):
        notes.append(
            "The red flag you noted after it stays in your history, "
            "and prompts stay held until you resume them."
        )
    return " ".join(notes) or None
