"""The care rules, row by row against the advice they implement, and the check-in actions."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.builders import BERLIN, apply, at, bout, ids, prompt, settings
from walkbreak.core import care, checkins
from walkbreak.core.actions import NotAllowed
from walkbreak.core.care import RULES, History, followup_due, step_up, suggest
from walkbreak.core.feelings import Feeling, Flag, FollowUp
from walkbreak.core.model import Advice, CheckIn, ControlKind, DayLog, Outcome, SkipReason
from walkbreak.core.planner import PlanState, plan
from walkbreak.core.settings import CarePlan, plan_in_force, with_plan
from walkbreak.core.status import next_text
from walkbreak.store import Store

PREFS = settings(days=range(5))
NOW = at(BERLIN, "2026-11-26 15:00")  # a Thursday
BASE = CarePlan(5, 5)


def checkin(
    when: str, feeling: Feeling, followup: FollowUp | None = None, flags: tuple[Flag, ...] = ()
) -> CheckIn:
    moment = at(BERLIN, when)
    return CheckIn(
        ids(),
        moment.date(),
        moment,
        feeling.value,
        tuple(f.value for f in flags),
        followup=followup.value if followup else "",
        followup_at=moment + timedelta(hours=3) if followup else None,
    )


def advise(*entries: CheckIn, plan_now: CarePlan = BASE, advice: tuple[Advice, ...] = ()) -> Advice | None:
    return suggest(History(NOW, entries, advice, plan_now), ids)


def rule(name: str) -> care.Rule:
    return next(r for r in RULES if r.name == name)


# The table: every row is tied to a line of the advice, and each has its own test below.


def test_every_row_names_the_advice_it_follows() -> None:
    assert [r.name for r in RULES] == [
        "pain-spiked",
        "soreness-lingers",
        "worse-each-time",
        "tolerated-for-days",
    ]
    assert all(r.advice and r.direction in ("scale-back", "scale-up") for r in RULES)


def test_pain_spike_scales_back_with_rest_then_a_gentle_return() -> None:
    advice = advise(checkin("2026-11-26 10:00", Feeling.SAME), checkin("2026-11-26 14:50", Feeling.SPIKED))
    assert advice is not None
    assert (advice.rule, advice.direction) == ("pain-spiked", "scale-back")
    assert (advice.bout_minutes, advice.pace, advice.rest_minutes) == (3, "comfortable", 60)
    assert advice.reason == "your pain spiked after walking (check-in at 14:50)"
    assert advice.text == "rest 60 minutes, then 3-minute walks, at a comfortable pace only"
    assert advice.answer == "" and advice.checkin_id is not None


def test_soreness_that_lingers_scales_back_without_rest() -> None:
    advice = advise(checkin("2026-11-26 10:00", Feeling.SORE, FollowUp.LINGERING))
    assert advice is not None
    assert (advice.rule, advice.bout_minutes, advice.pace, advice.rest_minutes) == (
        "soreness-lingers",
        3,
        "comfortable",
        0,
    )
    assert "had not settled" in advice.reason


def test_soreness_that_settles_is_tolerated_and_suggests_nothing() -> None:
    assert advise(checkin("2026-11-26 10:00", Feeling.SORE, FollowUp.SETTLED)) is None
    assert care.tolerated(checkin("2026-11-26 10:00", Feeling.SORE, FollowUp.SETTLED)) is True
    assert care.tolerated(checkin("2026-11-26 10:00", Feeling.SORE)) is None  # not known yet
    assert care.tolerated(checkin("2026-11-26 10:00", Feeling.SORE, FollowUp.LINGERING)) is False


@pytest.mark.parametrize(
    ("feelings", "scales_back"),
    [
        ((Feeling.BETTER, Feeling.SAME, Feeling.SORE), True),
        ((Feeling.SAME, Feeling.SORE, Feeling.SORE), False),  # not worse at the last step
        ((Feeling.SAME, Feeling.SAME, Feeling.SORE), False),  # not worse at the first step
        ((Feeling.SORE, Feeling.SAME, Feeling.SORE), False),  # got better in between
        ((Feeling.SORE, Feeling.SORE, Feeling.SORE), False),  # the same, not worse
        ((Feeling.BETTER, Feeling.SAME, Feeling.SAME), False),  # worse, but not sore
        ((Feeling.SAME, Feeling.SORE), False),  # too few walks to call a trend
    ],
)
def test_pain_that_gets_worse_each_time_scales_back(feelings: tuple[Feeling, ...], scales_back: bool) -> None:
    times = ("2026-11-25 10:00", "2026-11-26 09:30", "2026-11-26 11:00")[-len(feelings) :]
    advice = advise(*(checkin(t, f) for t, f in zip(times, feelings, strict=True)))
    assert (advice is not None and advice.rule == "worse-each-time") is scales_back
    if advice:
        assert advice.pace == "comfortable" and advice.bout_minutes == 3
        assert " → ".join(f.value for f in feelings) in advice.reason


def test_a_run_answered_with_a_scale_back_is_not_suggested_again() -> None:
    run = [checkin("2026-11-26 09:00", Feeling.BETTER), checkin("2026-11-26 10:00", Feeling.SAME)]
    sore = checkin("2026-11-26 11:00", Feeling.SORE, FollowUp.LINGERING)
    first = advise(*run, sore)
    assert first is not None and first.rule == "soreness-lingers"
    declined = first._replace(answer="declined")
    assert advise(*run, sore, advice=(declined,)) is None  # neither lingering again nor the worse run


def test_still_sore_answered_after_a_later_walk_still_scales_back() -> None:
    """The follow-up comes hours later, usually after another walk: the answer is about the earlier one."""
    sore = checkin("2026-11-26 10:05", Feeling.SORE, FollowUp.LINGERING)
    later = checkin("2026-11-26 12:05", Feeling.BETTER)
    advice = suggest(History(NOW, (sore, later), (), BASE, trigger=sore), ids)
    assert advice is not None and advice.rule == "soreness-lingers" and advice.checkin_id == sore.id
    assert "you noted at 10:05 had not settled" in advice.reason


def tolerated_days(days: int, per_day: int = 2, start: date = date(2026, 11, 26)) -> list[CheckIn]:
    entries = []
    for back in range(days - 1, -1, -1):
        day = start - timedelta(days=back)
        for n in range(per_day):
            entries.append(checkin(f"{day} {10 + 2 * n:02d}:00", Feeling.SAME if n else Feeling.BETTER))
    return entries


def test_walks_tolerated_over_several_days_scale_up_by_one_minute() -> None:
    advice = advise(*tolerated_days(3))
    assert advice is not None
    assert (advice.rule, advice.direction, advice.bout_minutes, advice.pace) == (
        "tolerated-for-days",
        "scale-up",
        6,
        "routine",
    )
    assert advice.reason == "your walks were tolerated on 3 days (6 check-ins, none worse)"


@pytest.mark.parametrize(
    ("entries", "why"),
    [
        (tolerated_days(2, per_day=3), "only two days"),
        (tolerated_days(3, per_day=1), "too few check-ins"),
        ([*tolerated_days(3)[:-1], checkin("2026-11-26 12:00", Feeling.SORE)], "soreness not settled yet"),
        ([checkin("2026-11-23 10:00", Feeling.SPIKED), *tolerated_days(3)], "a spike within the week"),
    ],
)
def test_no_scale_up_without_enough_tolerated_walks(entries: list[CheckIn], why: str) -> None:
    advice = advise(*entries)
    assert advice is None or advice.direction != "scale-up", why


def test_a_recent_suggestion_holds_the_next_scale_up_back() -> None:
    declined = Advice(
        "a1",
        date(2026, 11, 25),
        at(BERLIN, "2026-11-25 10:00"),
        "x",
        "scale-up",
        "",
        "",
        6,
        "routine",
        answer="declined",
    )
    assert advise(*tolerated_days(4), advice=(declined,)) is None
    old = declined._replace(day=date(2026, 11, 22))
    assert advise(*tolerated_days(4), advice=(old,)) is not None


def test_the_same_check_in_never_makes_the_same_suggestion_twice() -> None:
    spike = checkin("2026-11-26 14:50", Feeling.SPIKED)
    first = advise(spike)
    assert first is not None
    assert advise(spike, advice=(first,)) is None


def test_a_red_flag_makes_no_suggestion_but_its_own_message() -> None:
    assert advise(checkin("2026-11-26 14:50", Feeling.SPIKED, flags=(Flag.NUMBNESS,))) is None
    head, body = care.red_flag_text((Flag.NUMBNESS.value, Flag.WEAKNESS.value))
    assert head == "Please see a doctor promptly."
    assert body.startswith("New numbness or tingling and leg weakness after walking is a reason")
    assert "resume" in body


def test_scaling_back_never_goes_below_two_minutes_or_lengthens_a_short_walk() -> None:
    spike = checkin("2026-11-26 14:50", Feeling.SPIKED)
    advice = advise(spike, plan_now=CarePlan(3, 3))
    assert advice is not None and advice.bout_minutes == 2
    one = advise(spike, plan_now=CarePlan(1, 1))
    assert one is not None and one.bout_minutes == 1  # the rest is still offered
    linger = checkin("2026-11-26 10:00", Feeling.SORE, FollowUp.LINGERING)
    floor = advise(linger, plan_now=CarePlan(5, 2, "comfortable"))
    assert floor is not None and (floor.bout_minutes, floor.rest_minutes) == (
        2,
        60,
    )  # nothing to take off: rest


def test_the_scale_up_ladder_minute_then_brisk_then_variety() -> None:
    steps = []
    current: CarePlan | None = CarePlan(5, 3, "comfortable")
    while current is not None and len(steps) < 20:
        step = step_up(current, 15)
        if step is None:
            break
        current, words = step
        steps.append((current.bout_minutes, current.pace, current.variety, words))
    assert steps[:5] == [
        (4, "comfortable", False, "one more minute, still at a comfortable pace"),
        (5, "comfortable", False, "one more minute, still at a comfortable pace"),
        (5, "routine", False, "bring back the brisk middle part"),
        (6, "routine", False, "one more minute per walk"),
        (6, "routine", True, steps[4][3]),
    ]
    assert "gentle hills, slight declines, sideways steps" in steps[4][3]
    assert steps[-1][:3] == (15, "routine", True)  # stops at the 15-minute routine


# Follow-up timing


def test_followup_comes_hours_later_or_at_the_end_of_work() -> None:
    morning = checkin("2026-11-26 10:05", Feeling.SORE)
    assert followup_due(PREFS, morning) == at(BERLIN, "2026-11-26 13:05")
    afternoon = checkin("2026-11-26 15:40", Feeling.SORE)
    assert followup_due(PREFS, afternoon) == at(BERLIN, "2026-11-26 17:30")  # work ends first
    late = checkin("2026-11-26 17:00", Feeling.SORE)
    assert followup_due(PREFS, late) == at(BERLIN, "2026-11-26 20:00")  # less than an hour left
    night = checkin("2026-11-26 22:30", Feeling.SORE)
    assert followup_due(PREFS, night) is None  # it would be tomorrow
    longer = PREFS._replace(care=PREFS.care._replace(followup_hours=1.5))
    assert followup_due(longer, morning) == at(BERLIN, "2026-11-26 11:35")


def test_only_slight_soreness_gets_a_followup_and_only_until_answered() -> None:
    assert followup_due(PREFS, checkin("2026-11-26 10:05", Feeling.SAME)) is None
    assert followup_due(PREFS, checkin("2026-11-26 10:05", Feeling.SPIKED)) is None
    assert followup_due(PREFS, checkin("2026-11-26 10:05", Feeling.SORE, FollowUp.SETTLED)) is None
    sore = checkin("2026-11-26 10:05", Feeling.SORE)
    assert care.followup_waiting(PREFS, (sore,), at(BERLIN, "2026-11-26 13:04")) is None
    assert care.followup_waiting(PREFS, (sore,), at(BERLIN, "2026-11-26 13:05")) == sore


# The walk plan in force


def test_an_accepted_plan_applies_only_while_the_config_keeps_its_bout() -> None:
    shorter = CarePlan(5, 3, "comfortable")
    applied = with_plan(PREFS, shorter)
    assert applied.walk.bout_minutes == 3 and plan_in_force(applied) == shorter
    assert with_plan(applied, shorter).walk.bout_minutes == 3  # applying twice changes nothing
    edited = with_plan(settings(bout=10), shorter)
    assert edited.walk.bout_minutes == 10 and plan_in_force(edited) == CarePlan(10, 10)


def test_a_red_flag_holds_prompts_until_resumed() -> None:
    now = at(BERLIN, "2026-11-26 10:02")
    fired = prompt(at(BERLIN, "2026-11-26 10:00"))
    log = DayLog(now.date(), prompts=(fired,))
    changes = checkins.check_in(PREFS, now, log, ids, Feeling.SAME, (Flag.WEAKNESS,), None)
    (entry,) = changes.add
    assert isinstance(entry, CheckIn) and entry.flags == ("leg weakness",)
    (closed,) = changes.replace
    assert closed.outcome is Outcome.SKIPPED and closed.reason == SkipReason.BACK_PAIN.value
    assert dict(changes.plan) == {"held_since": now}  # set on the stored plan under the lock
    held = with_plan(PREFS, CarePlan()._replace(**dict(changes.plan)))
    later = apply(log, changes)
    assert (
        plan(held, now + timedelta(days=2), DayLog((now + timedelta(days=2)).date())).state is PlanState.HELD
    )
    assert "red flag" in next_text(plan(held, now, later), now)
    from walkbreak.core import actions

    resumed = actions.resume(held, now + timedelta(hours=1), later, ids)
    assert dict(resumed.plan) == {"held_since": None}
    assert resumed.add[0].kind is ControlKind.RESUME


def test_accepting_a_spike_suggestion_rests_then_shortens_the_walk() -> None:
    now = at(BERLIN, "2026-11-26 11:00")
    advice = advise(checkin("2026-11-26 10:50", Feeling.SPIKED))
    assert advice is not None
    log = DayLog(now.date(), advice=(advice,))
    changes = checkins.answer_advice(PREFS, now, log, ids, advice.id, accept=True)
    assert dict(changes.plan) == {
        "base_minutes": 5,
        "bout_minutes": 3,
        "pace": "comfortable",
        "variety": False,
    }
    (pause,) = changes.add
    assert pause.kind is ControlKind.PAUSE and pause.until == now + timedelta(minutes=60)
    assert changes.replace[0].answer == "accepted"
    after = apply(log, changes)
    assert (
        plan(with_plan(PREFS, CarePlan()._replace(**dict(changes.plan))), now, after).state
        is PlanState.PAUSED
    )
    with pytest.raises(NotAllowed, match="accepted already"):
        checkins.answer_advice(PREFS, now, after, ids, advice.id, accept=False)
    declined = checkins.answer_advice(PREFS, now, log, ids, advice.id, accept=False)
    assert declined.plan == () and declined.add == () and declined.replace[0].answer == "declined"


# Kept in the store


def test_the_plan_is_kept_in_the_month_file_and_carried_into_a_new_month(tmp_path: Path) -> None:
    store = Store(tmp_path, warn=print)
    assert store.plan(date(2026, 11, 26)) == CarePlan()
    shorter = CarePlan(5, 3, "comfortable", held_since=at(BERLIN, "2026-11-26 10:00"))
    from walkbreak.core.actions import Changes

    with store.batch(date(2026, 11, 26)) as batch:
        batch.apply(
            Changes(add=(bout(at(BERLIN, "2026-11-26 10:00")),), plan=tuple(shorter._asdict().items()))
        )
    assert store.plan(date(2026, 11, 30)) == shorter
    store.add(bout(at(BERLIN, "2026-12-01 10:00")))  # a new month file starts with the plan
    (tmp_path / "2026-11.json").rename(tmp_path / "elsewhere.json")
    assert store.plan(date(2026, 12, 1)) == shorter


def test_the_rest_after_a_spike_never_shortens_a_longer_pause() -> None:
    now = at(BERLIN, "2026-11-26 11:00")
    advice = advise(checkin("2026-11-26 10:50", Feeling.SPIKED))
    assert advice is not None
    from tests.builders import pause

    paused = DayLog(
        now.date(),
        controls=(pause(now - timedelta(minutes=5), at(BERLIN, "2026-11-26 17:30")),),
        advice=(advice,),
    )
    changes = checkins.answer_advice(PREFS, now, paused, ids, advice.id, accept=True)
    assert changes.add == ()  # no rest pause: the longer one stands
    assert plan(PREFS, now + timedelta(hours=2), apply(paused, changes)).state is PlanState.PAUSED


def test_plan_changes_from_two_processes_keep_each_other(tmp_path: Path) -> None:
    """A resume in one shell and an accepted suggestion in the dashboard: both stick."""
    from walkbreak.core.actions import Changes

    store = Store(tmp_path, warn=print)
    day = date(2026, 11, 26)
    with store.batch(day) as batch:
        batch.apply(Changes(plan=(("held_since", at(BERLIN, "2026-11-26 09:00")),)))
    with store.batch(day) as batch:  # the dashboard's accept, decided on settings read before
        batch.apply(Changes(plan=(("base_minutes", 5), ("bout_minutes", 3), ("pace", "comfortable"))))
    with store.batch(day) as batch:  # `walkbreak resume` from a shell
        batch.apply(Changes(plan=(("held_since", None),)))
    assert store.plan(day) == CarePlan(5, 3, "comfortable")
