"""The timing rules of the planner, with plain datetimes in real zones."""

from __future__ import annotations

from datetime import UTC, timedelta

import pytest

from tests.builders import BERLIN, NEW_YORK, at, bout, control, day_log, pause, prompt, settings, snooze
from walkbreak.core.model import ControlKind, Outcome
from walkbreak.core.planner import Plan, PlanState, plan, with_carried
from walkbreak.core.settings import Settings

# 2026-11-26 is a Thursday.
NOW = at(BERLIN, "2026-11-26 08:00")
RELAXED = settings(target=1)  # target met after one bout, so the interval is never shortened


def test_a_day_off_has_no_prompts() -> None:
    weekdays_only = settings(days=range(5))
    saturday = at(BERLIN, "2026-11-28 10:00")
    assert plan(weekdays_only, saturday, day_log(saturday)).state is PlanState.NO_PROMPTS_TODAY


def test_first_prompt_comes_one_interval_after_work_starts() -> None:
    result = plan(settings(), NOW, day_log(NOW))
    assert result.state is PlanState.SCHEDULED
    assert result.at == at(BERLIN, "2026-11-26 10:00")


def test_the_interval_counts_from_the_end_of_the_last_bout() -> None:
    now = at(BERLIN, "2026-11-26 10:06")
    log = day_log(now, bout(at(BERLIN, "2026-11-26 10:00")))
    assert plan(RELAXED, now, log).at == at(BERLIN, "2026-11-26 11:05")


def test_the_interval_counts_from_a_skipped_prompt() -> None:
    now = at(BERLIN, "2026-11-26 10:12")
    skipped = prompt(at(BERLIN, "2026-11-26 10:00"), Outcome.SKIPPED, at(BERLIN, "2026-11-26 10:10"))
    assert plan(RELAXED, now, day_log(now, skipped)).at == at(BERLIN, "2026-11-26 11:10")


def test_an_unanswered_prompt_is_due_until_it_expires() -> None:
    fired = prompt(at(BERLIN, "2026-11-26 10:00"))
    waiting = plan(RELAXED, at(BERLIN, "2026-11-26 10:14"), day_log(NOW, fired))
    assert waiting.state is PlanState.DUE and waiting.open_prompt == fired
    later = at(BERLIN, "2026-11-26 10:20")
    expired = plan(RELAXED, later, day_log(later, fired))
    assert expired.state is PlanState.SCHEDULED
    assert expired.at == at(BERLIN, "2026-11-26 11:15")  # counted from the expiry, not the firing


def test_a_bout_after_a_prompt_answers_it() -> None:
    now = at(BERLIN, "2026-11-26 10:08")
    log = day_log(now, prompt(at(BERLIN, "2026-11-26 10:00")), bout(at(BERLIN, "2026-11-26 10:02")))
    result = plan(RELAXED, now, log)
    assert result.state is PlanState.SCHEDULED
    assert result.at == at(BERLIN, "2026-11-26 11:07")


def test_a_snooze_brings_the_prompt_back_when_it_ends() -> None:
    now = at(BERLIN, "2026-11-26 10:06")
    log = day_log(now, prompt(at(BERLIN, "2026-11-26 10:00")), snooze(at(BERLIN, "2026-11-26 10:05"), 10))
    assert plan(RELAXED, now, log).at == at(BERLIN, "2026-11-26 10:15")


def test_a_walk_after_a_snooze_replaces_it() -> None:
    now = at(BERLIN, "2026-11-26 10:20")
    log = day_log(now, snooze(at(BERLIN, "2026-11-26 10:05"), 10), bout(at(BERLIN, "2026-11-26 10:10")))
    assert plan(RELAXED, now, log).at == at(BERLIN, "2026-11-26 11:15")


def test_a_snooze_right_after_a_walk_still_waits_the_minimum_gap() -> None:
    now = at(BERLIN, "2026-11-26 10:04")
    log = day_log(now, bout(at(BERLIN, "2026-11-26 09:57")), snooze(at(BERLIN, "2026-11-26 10:03"), 5))
    assert plan(settings(min_gap=20), now, log).at == at(BERLIN, "2026-11-26 10:22")


def test_lunch_restarts_the_count() -> None:
    now = at(BERLIN, "2026-11-26 12:10")
    log = day_log(now, bout(at(BERLIN, "2026-11-26 12:00")))
    assert plan(RELAXED, now, log).at == at(BERLIN, "2026-11-26 14:30")


def test_a_prompt_due_in_a_quiet_window_waits_for_its_end() -> None:
    standup = settings(target=1, quiet=("10:00-10:15",))
    now = at(BERLIN, "2026-11-26 09:10")
    log = day_log(now, bout(at(BERLIN, "2026-11-26 09:00")))
    assert plan(standup, now, log).at == at(BERLIN, "2026-11-26 10:15")


def test_a_pause_holds_prompts_until_it_ends() -> None:
    now = at(BERLIN, "2026-11-26 10:00")
    log = day_log(now, bout(at(BERLIN, "2026-11-26 09:00")), pause(now, at(BERLIN, "2026-11-26 11:30")))
    result = plan(RELAXED, now, log)
    assert result.state is PlanState.PAUSED
    assert result.paused_until == at(BERLIN, "2026-11-26 11:30")
    assert result.at == at(BERLIN, "2026-11-26 11:30")


def test_a_resume_ends_a_pause_early() -> None:
    now = at(BERLIN, "2026-11-26 10:30")
    log = day_log(
        now,
        bout(at(BERLIN, "2026-11-26 09:50")),
        pause(at(BERLIN, "2026-11-26 10:00"), at(BERLIN, "2026-11-26 12:00")),
        control(ControlKind.RESUME, at(BERLIN, "2026-11-26 10:20")),
    )
    result = plan(RELAXED, now, log)
    assert result.state is PlanState.SCHEDULED and result.paused_until is None
    assert result.at == at(BERLIN, "2026-11-26 10:55")


def test_a_pause_for_the_rest_of_the_day_leaves_no_prompt() -> None:
    now = at(BERLIN, "2026-11-26 10:00")
    log = day_log(now, pause(now, at(BERLIN, "2026-11-27 00:00")))
    result = plan(RELAXED, now, log)
    assert result.state is PlanState.PAUSED and result.at is None


def test_a_pause_begun_before_midnight_holds_after_it() -> None:
    night = settings(work=("00:00-06:00", "20:00-24:00"), target=1)
    evening = at(BERLIN, "2026-11-26 23:30")
    yesterday = day_log(evening, pause(evening, at(BERLIN, "2026-11-27 01:30")))
    now = at(BERLIN, "2026-11-27 00:10")
    log = with_carried(yesterday, day_log(now))
    result = plan(night, now, log)
    assert result.state is PlanState.PAUSED
    assert result.at == at(BERLIN, "2026-11-27 01:30")


def test_once_the_target_is_met_prompts_stop_if_asked() -> None:
    now = at(BERLIN, "2026-11-26 11:00")
    log = day_log(now, bout(at(BERLIN, "2026-11-26 09:30")), bout(at(BERLIN, "2026-11-26 10:30")))
    assert plan(settings(target=2, keep=False), now, log).state is PlanState.TARGET_MET
    keep = plan(settings(target=2, keep=True), now, log)
    assert keep.state is PlanState.SCHEDULED and keep.at == at(BERLIN, "2026-11-26 11:35")


def test_one_walk_short_of_the_target_is_not_the_target_met() -> None:
    now = at(BERLIN, "2026-11-26 11:00")
    two = day_log(now, bout(at(BERLIN, "2026-11-26 09:30")), bout(at(BERLIN, "2026-11-26 10:30")))
    result = plan(settings(target=3, keep=False), now, two)
    assert result.state is PlanState.SCHEDULED and result.at == at(BERLIN, "2026-11-26 11:35")
    later = at(BERLIN, "2026-11-26 11:45")
    three = day_log(later, *two.bouts, bout(at(BERLIN, "2026-11-26 11:35")))
    assert plan(settings(target=3, keep=False), later, three) == Plan(PlanState.TARGET_MET)


def test_no_prompt_after_the_last_work_window() -> None:
    now = at(BERLIN, "2026-11-26 17:10")
    log = day_log(now, bout(at(BERLIN, "2026-11-26 17:00")))
    # Behind target, but even the minimum gap after the walk runs past 17:30.
    assert plan(settings(target=6, min_gap=30), now, log).state is PlanState.DAY_OVER
    assert plan(settings(target=1), now, log).state is PlanState.TARGET_MET


def test_behind_target_the_remaining_bouts_are_spread_over_the_time_left() -> None:
    now = at(BERLIN, "2026-11-26 15:00")
    log = day_log(now, bout(at(BERLIN, "2026-11-26 09:30")), bout(at(BERLIN, "2026-11-26 14:50")))
    # 4 bouts left, 150 min of work left: (150 - 5) / 4 = 36 min 15 s after the last bout.
    result = plan(settings(target=6), now, log)
    assert result.at == at(BERLIN, "2026-11-26 14:55") + timedelta(minutes=36, seconds=15)


def test_catching_up_never_comes_closer_than_the_minimum_gap() -> None:
    now = at(BERLIN, "2026-11-26 16:31")
    log = day_log(now, bout(at(BERLIN, "2026-11-26 16:25")))
    result = plan(settings(target=6, min_gap=20), now, log)
    assert result.at == at(BERLIN, "2026-11-26 16:50")


def test_now_must_carry_a_zone() -> None:
    with pytest.raises(ValueError):
        plan(settings(), NOW.replace(tzinfo=None), day_log(NOW))


def _night(interval: int = 60) -> Settings:
    return settings(work=("00:00-06:00",), target=1, interval=interval)


@pytest.mark.parametrize(
    ("zone", "walk"),
    [
        (BERLIN, "2026-03-29 01:30"),  # clocks jump 02:00 → 03:00
        (NEW_YORK, "2026-03-08 01:30"),
    ],
)
def test_spring_forward_keeps_the_real_interval(zone, walk) -> None:
    start = at(zone, walk)
    now = start + timedelta(minutes=6)
    result = plan(_night(), now, day_log(now, bout(start)))
    assert result.at is not None
    assert result.at.astimezone(UTC) - bout(start).end.astimezone(UTC) == timedelta(minutes=60)
    assert result.at.strftime("%H:%M") == "03:35"  # 02:35 does not exist that night


@pytest.mark.parametrize(
    ("zone", "walk", "expected"),
    [
        (BERLIN, "2026-10-25 02:30", "02:35 +0100"),  # clocks fall back 03:00 → 02:00
        (NEW_YORK, "2026-11-01 01:30", "01:35 -0500"),  # 02:00 → 01:00
    ],
)
def test_fall_back_keeps_the_real_interval(zone, walk, expected) -> None:
    start = at(zone, walk)  # the first of the two 02:30s
    now = start + timedelta(minutes=6)
    result = plan(_night(), now, day_log(now, bout(start)))
    assert result.at is not None
    assert result.at.astimezone(UTC) - bout(start).end.astimezone(UTC) == timedelta(minutes=60)
    assert result.at.strftime("%H:%M %z") == expected  # the repeated hour, second time round


def test_a_work_window_on_a_fall_back_day_is_an_hour_longer() -> None:
    six_bouts = settings(work=("00:00-06:00",), target=6, interval=60, min_gap=20)
    ordinary = at(BERLIN, "2026-10-24 00:00")
    # 6 h for 6 bouts: the interval shrinks to (360 - 5) / 6 min to fit them in.
    assert plan(six_bouts, ordinary, day_log(ordinary)).at == ordinary + timedelta(minutes=355 / 6)
    fall_back = at(BERLIN, "2026-10-25 00:00")
    # 7 real hours that night: the 60-minute interval fits as it is.
    assert plan(six_bouts, fall_back, day_log(fall_back)).at == at(BERLIN, "2026-10-25 01:00")


def test_windows_to_midnight_and_the_next_day_start_afresh() -> None:
    late = settings(work=("00:00-02:00", "20:00-24:00"), target=1)
    before = at(BERLIN, "2026-11-26 23:50")
    log = day_log(before, bout(at(BERLIN, "2026-11-26 23:00")))
    assert plan(late, before, log).state is PlanState.TARGET_MET  # 00:05 is tomorrow
    after = at(BERLIN, "2026-11-27 00:01")
    assert plan(late, after, day_log(after)).at == at(BERLIN, "2026-11-27 01:00")


def test_next_prompt_is_the_plans_time() -> None:
    from walkbreak.core.planner import next_prompt

    now = at(BERLIN, "2026-11-26 10:06")
    log = day_log(now, bout(at(BERLIN, "2026-11-26 10:00")))
    assert next_prompt(RELAXED, now, log) == plan(RELAXED, now, log).at == at(BERLIN, "2026-11-26 11:05")
    saturday = at(BERLIN, "2026-11-28 10:00")
    assert next_prompt(settings(days=range(5)), saturday, day_log(saturday)) is None
