"""The prompt lifecycle as pure rules: walk, snooze (with its limit), skip, pause, resume, expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.builders import BERLIN, apply, at, ids, prompt, settings, snooze
from walkbreak.core import actions
from walkbreak.core.actions import Changes, NotAllowed
from walkbreak.core.model import ControlKind, DayLog, Outcome, Prompt, SkipReason
from walkbreak.core.planner import PlanState, find_open_prompt, plan

PREFS = settings(target=6)
FIRED = at(BERLIN, "2026-11-26 10:00")


def day_with_prompt(fired=FIRED) -> tuple[DayLog, Prompt]:
    waiting = prompt(fired)
    return DayLog.of(fired.date(), [waiting]), waiting


def test_a_walk_logged_for_another_day_answers_nothing() -> None:
    log, _ = day_with_prompt()
    now = FIRED + timedelta(minutes=1)
    changes = actions.log_walk(PREFS, now, log, ids, at(BERLIN, "2026-11-25 16:00"), 5)
    assert changes.replace == () and changes.add[0].prompt_id is None


def test_snooze_puts_the_prompt_off_and_it_comes_back_as_the_same_prompt() -> None:
    log, waiting = day_with_prompt()
    now = FIRED + timedelta(minutes=1)
    snoozed = apply(log, actions.snooze(PREFS, now, log, ids))
    (control,) = snoozed.controls
    assert control.kind is ControlKind.SNOOZE and control.until == now + timedelta(minutes=10)
    assert snoozed.prompts[0].snoozes == 1
    assert find_open_prompt(PREFS, now, snoozed) is None
    later = plan(PREFS, now, snoozed)
    assert (
        later.state is PlanState.SCHEDULED
        and later.at == control.until
        and later.snoozed == snoozed.prompts[0]
    )
    # When it comes back, it is the same prompt, shown again, and open for another expire_minutes.
    back_at = control.until
    shown, changes = actions.fire(back_at, snoozed, ids, later.snoozed)
    assert shown.id == waiting.id and shown.shown_at == back_at and changes.add == ()
    back = apply(snoozed, changes)
    assert plan(PREFS, back_at + timedelta(minutes=14), back).state is PlanState.DUE
    assert plan(PREFS, back_at + timedelta(minutes=15), back).state is PlanState.SCHEDULED


def test_the_snooze_limit_leaves_only_walk_or_skip() -> None:
    log, _ = day_with_prompt()
    now = FIRED
    for _ in range(2):  # snooze.max_per_prompt defaults to 2
        log = apply(log, actions.snooze(PREFS, now, log, ids))
        now = now + timedelta(minutes=10)
        _shown, changes = actions.fire(now, log, ids, plan(PREFS, now, log).snoozed)
        log = apply(log, changes)
    with pytest.raises(NotAllowed, match="snoozed 2 times already: walk now or skip it"):
        actions.snooze(PREFS, now, log, ids)
    assert actions.skip(PREFS, now, log, SkipReason.BUSY).replace[0].outcome is Outcome.SKIPPED


def test_snoozing_can_be_turned_off() -> None:
    log, _ = day_with_prompt()
    no_snooze = PREFS._replace(snooze=PREFS.snooze._replace(max_per_prompt=0))
    with pytest.raises(NotAllowed, match="snoozing is turned off"):
        actions.snooze(no_snooze, FIRED, log, ids)


def test_nothing_to_answer_says_why() -> None:
    empty = DayLog(FIRED.date())
    with pytest.raises(NotAllowed, match="no prompt is waiting"):
        actions.snooze(PREFS, FIRED, empty, ids)
    log, _ = day_with_prompt()
    snoozed = apply(log, actions.snooze(PREFS, FIRED, log, ids))
    with pytest.raises(NotAllowed, match="the prompt is snoozed until 10:10"):
        actions.snooze(PREFS, FIRED + timedelta(minutes=1), snoozed, ids)
    with pytest.raises(NotAllowed, match="no prompt is waiting"):
        actions.skip(PREFS, FIRED + timedelta(minutes=20), log, SkipReason.BUSY)  # lapsed at 10:15


def test_skip_records_the_reason_and_also_closes_a_snoozed_prompt() -> None:
    log, _ = day_with_prompt()
    snoozed = apply(log, actions.snooze(PREFS, FIRED, log, ids))
    skipped = apply(snoozed, actions.skip(PREFS, FIRED + timedelta(minutes=3), snoozed, SkipReason.MEETING))
    assert (skipped.prompts[0].outcome, skipped.prompts[0].reason) == (Outcome.SKIPPED, "meeting")
    # The interval now counts from the skip, not from the snooze.
    assert plan(PREFS, FIRED + timedelta(minutes=4), skipped).at == FIRED + timedelta(minutes=63)


def test_pause_closes_the_waiting_prompt_and_holds_prompts_until_it_ends() -> None:
    log, _ = day_with_prompt()
    now = FIRED + timedelta(minutes=2)
    paused = apply(log, actions.pause(PREFS, now, log, ids, 60))
    assert paused.prompts[0].outcome is Outcome.SKIPPED and paused.prompts[0].reason == "paused"
    result = plan(PREFS, now, paused)
    assert result.state is PlanState.PAUSED and result.paused_until == now + timedelta(minutes=60)
    assert plan(PREFS, now + timedelta(minutes=61), paused).state is PlanState.SCHEDULED  # resumes by itself


def test_pause_for_the_rest_of_the_day_ends_at_local_midnight_even_on_a_clock_change() -> None:
    now = at(BERLIN, "2026-10-25 10:00")  # a 25-hour day
    changes = actions.pause(PREFS, now, DayLog(now.date()), ids, None)
    assert changes.add[0].until == at(BERLIN, "2026-10-26 00:00")


def test_resume_ends_a_pause_and_refuses_when_there_is_none() -> None:
    now = FIRED
    empty = DayLog(now.date())
    with pytest.raises(NotAllowed, match="not paused"):
        actions.resume(PREFS, now, empty, ids)
    paused = apply(empty, actions.pause(PREFS, now, empty, ids, 120))
    resumed = apply(paused, actions.resume(PREFS, now + timedelta(minutes=5), paused, ids))
    assert plan(PREFS, now + timedelta(minutes=6), resumed).state is PlanState.SCHEDULED


def test_lapse_closes_unanswered_prompts_as_expired_at_their_expiry() -> None:
    log, _waiting = day_with_prompt()
    assert actions.lapse(PREFS, FIRED + timedelta(minutes=14), log) == Changes()
    (expired,) = actions.lapse(PREFS, FIRED + timedelta(minutes=40), log).replace
    assert expired.outcome is Outcome.EXPIRED and expired.answered_at == FIRED + timedelta(minutes=15)
    snoozed = apply(log, actions.snooze(PREFS, FIRED, log, ids))
    assert actions.lapse(PREFS, FIRED + timedelta(minutes=40), snoozed) == Changes(), (
        "a snoozed prompt waits to come back"
    )


def test_a_walk_logged_while_a_prompt_waits_answers_it() -> None:
    log, waiting = day_with_prompt()
    now = FIRED + timedelta(minutes=5)
    after = apply(log, actions.log_walk(PREFS, now, log, ids, FIRED - timedelta(minutes=1), 5))
    assert after.prompts[0].outcome is Outcome.WALKED and after.bouts[0].prompt_id == waiting.id


def test_a_prompt_snoozed_past_the_end_of_work_is_missed_not_left_open() -> None:
    fired = prompt(at(BERLIN, "2026-11-26 17:20"))._replace(snoozes=1)
    late = snooze(at(BERLIN, "2026-11-26 17:25"), 10)._replace(
        prompt_id=fired.id
    )  # back at 17:35: after work
    log = DayLog(fired.day, prompts=(fired,), controls=(late,))
    assert actions.lapse(PREFS, at(BERLIN, "2026-11-26 17:29"), log) == Changes()
    (missed,) = actions.lapse(PREFS, at(BERLIN, "2026-11-26 17:31"), log).replace
    assert missed.outcome is Outcome.EXPIRED and missed.answered_at == at(BERLIN, "2026-11-26 17:30")


def test_a_past_days_prompt_that_never_came_back_is_closed_at_that_days_work_end() -> None:
    fired = prompt(at(BERLIN, "2026-11-26 16:50"))._replace(snoozes=1)
    back_at_five = snooze(at(BERLIN, "2026-11-26 16:55"), 20)._replace(
        prompt_id=fired.id
    )  # 17:15, no one ran
    log = DayLog(fired.day, prompts=(fired,), controls=(back_at_five,))
    assert (
        actions.lapse(PREFS, at(BERLIN, "2026-11-26 23:00"), log) == Changes()
    )  # that day: it may still come
    (closed,) = actions.lapse(PREFS, at(BERLIN, "2026-11-27 09:00"), log).replace
    assert closed.outcome is Outcome.EXPIRED and closed.answered_at == at(BERLIN, "2026-11-26 17:30")
