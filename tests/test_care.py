"""The care rules, row by row against the advice they implement, and the check-in actions."""

from __future__ import annotations

import itertools
import re
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.builders import BERLIN, apply, at, bout, ids, month_path, prompt, settings
from walkbreak.core import care, care_rules, checkins, tolerance, walk_plans
from walkbreak.core.actions import NotAllowed
from walkbreak.core.care import followup_due
from walkbreak.core.care_rules import RULES, History, step_up, suggest
from walkbreak.core.feelings import Feeling, Flag, FollowUp
from walkbreak.core.model import Advice, CheckIn, ControlKind, DayLog, Outcome, SkipReason
from walkbreak.core.planner import PlanState, plan
from walkbreak.core.settings import CarePlan, plan_in_force, with_plan
from walkbreak.core.status import next_text
from walkbreak.store import Store

PREFS = settings(days=range(5))
NOW = at(BERLIN, "2026-11-26 15:00")  # a Thursday
BASE = CarePlan(5, 5)
BASE_PREFS = with_plan(PREFS, BASE)


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
    assert (advice.bout_minutes, advice.pace, advice.rest_minutes) == (3, "gentle", 60)
    assert advice.reason == "your pain spiked after walking (check-in at 14:50)"
    assert advice.text == "rest 60 minutes, then 3-minute walks, at a comfortable pace only"
    assert advice.answer == "" and advice.checkin_id is not None


def test_soreness_that_lingers_scales_back_without_rest() -> None:
    advice = advise(checkin("2026-11-26 10:00", Feeling.SORE, FollowUp.LINGERING))
    assert advice is not None
    assert (advice.rule, advice.bout_minutes, advice.pace, advice.rest_minutes) == (
        "soreness-lingers",
        3,
        "gentle",
        0,
    )
    assert "had not settled" in advice.reason


def test_soreness_that_settles_is_tolerated_and_suggests_nothing() -> None:
    assert advise(checkin("2026-11-26 10:00", Feeling.SORE, FollowUp.SETTLED)) is None
    assert tolerance.tolerated(checkin("2026-11-26 10:00", Feeling.SORE, FollowUp.SETTLED)) is True
    assert tolerance.tolerated(checkin("2026-11-26 10:00", Feeling.SORE)) is None  # not known yet
    assert tolerance.tolerated(checkin("2026-11-26 10:00", Feeling.SORE, FollowUp.LINGERING)) is False


# Worse each time. Each answer says how the back was after that walk compared with before it.
# The principle (from "pain that ... gets worse each time means scale back" and "slight soreness
# that settles within a few hours means the body tolerates it"): a walk left the back WORSE when
# the answer is "pain spiked", or "slightly sore" that has not settled (unanswered, or still
# sore); "slightly sore" that settled was tolerated, no worse than "same". The rule fires when the
# last three check-ins each left the back worse, or when from one to the next they never improved
# and got worse twice (better → same → slightly sore) — ending with the latest walk leaving it
# worse. A spike as the latest answer is the pain-spiked rule's (it comes first, with rest).
B, S, SO, SP = Feeling.BETTER, Feeling.SAME, Feeling.SORE, Feeling.SPIKED
SPIKE, WORSE, NOTHING = "pain-spiked", "worse-each-time", None

EVERY_THREE_ANSWERS: list[tuple[tuple[Feeling, Feeling, Feeling], str | None]] = [
    # oldest → newest: the rule that answers, written out by hand
    ((B, B, B), NOTHING),
    ((B, B, S), NOTHING),
    ((B, B, SO), NOTHING),  # worse once
    ((B, B, SP), SPIKE),
    ((B, S, B), NOTHING),
    ((B, S, S), NOTHING),
    ((B, S, SO), WORSE),  # never better, worse twice, ending sore
    ((B, S, SP), SPIKE),
    ((B, SO, B), NOTHING),
    ((B, SO, S), NOTHING),
    ((B, SO, SO), NOTHING),  # worse once, then no worse: two walks, not three
    ((B, SO, SP), SPIKE),
    ((B, SP, B), NOTHING),
    ((B, SP, S), NOTHING),
    ((B, SP, SO), NOTHING),  # the first walk helped; the last was less bad than the one before
    ((B, SP, SP), SPIKE),
    ((S, B, B), NOTHING),
    ((S, B, S), NOTHING),
    ((S, B, SO), NOTHING),
    ((S, B, SP), SPIKE),
    ((S, S, B), NOTHING),
    ((S, S, S), NOTHING),
    ((S, S, SO), NOTHING),  # worse once
    ((S, S, SP), SPIKE),
    ((S, SO, B), NOTHING),
    ((S, SO, S), NOTHING),
    ((S, SO, SO), NOTHING),  # two sore walks after one that was fine
    ((S, SO, SP), SPIKE),
    ((S, SP, B), NOTHING),
    ((S, SP, S), NOTHING),
    ((S, SP, SO), NOTHING),
    ((S, SP, SP), SPIKE),
    ((SO, B, B), NOTHING),
    ((SO, B, S), NOTHING),
    ((SO, B, SO), NOTHING),  # a walk in between made it better
    ((SO, B, SP), SPIKE),
    ((SO, S, B), NOTHING),
    ((SO, S, S), NOTHING),
    ((SO, S, SO), NOTHING),  # a walk in between left it no worse
    ((SO, S, SP), SPIKE),
    ((SO, SO, B), NOTHING),
    ((SO, SO, S), NOTHING),
    ((SO, SO, SO), WORSE),  # every walk left it sore
    ((SO, SO, SP), SPIKE),
    ((SO, SP, B), NOTHING),
    ((SO, SP, S), NOTHING),
    ((SO, SP, SO), WORSE),  # every walk left it worse
    ((SO, SP, SP), SPIKE),
    ((SP, B, B), NOTHING),
    ((SP, B, S), NOTHING),
    ((SP, B, SO), NOTHING),
    ((SP, B, SP), SPIKE),
    ((SP, S, B), NOTHING),
    ((SP, S, S), NOTHING),
    ((SP, S, SO), NOTHING),
    ((SP, S, SP), SPIKE),
    ((SP, SO, B), NOTHING),
    ((SP, SO, S), NOTHING),
    ((SP, SO, SO), WORSE),  # every walk left it worse
    ((SP, SO, SP), SPIKE),
    ((SP, SP, B), NOTHING),
    ((SP, SP, S), NOTHING),
    ((SP, SP, SO), WORSE),  # every walk left it worse
    ((SP, SP, SP), SPIKE),
]


def test_the_table_has_every_sequence_of_three_answers_once() -> None:
    assert sorted(f for f, _ in EVERY_THREE_ANSWERS) == sorted(itertools.product(Feeling, repeat=3))


@pytest.mark.parametrize(
    ("feelings", "expected"),
    EVERY_THREE_ANSWERS,
    ids=lambda v: "-".join(v) if isinstance(v, tuple) else str(v),
)
def test_every_three_answers_in_a_row(feelings: tuple[Feeling, ...], expected: str | None) -> None:
    times = ("2026-11-26 09:00", "2026-11-26 11:00", "2026-11-26 13:00")
    entries = [checkin(t, f) for t, f in zip(times, feelings, strict=True)]
    advice = advise(*entries)
    assert (advice.rule if advice else None) == expected
    if advice and expected == WORSE:
        assert (advice.direction, advice.pace, advice.bout_minutes, advice.rest_minutes) == (
            "scale-back",
            "gentle",
            3,
            0,
        )
        assert " → ".join(f.value for f in feelings) in advice.reason
        assert advice.checkin_id == entries[-1].id


U, SE, ST = None, FollowUp.SETTLED, FollowUp.LINGERING
LINGERS = "soreness-lingers"

SORE_RUNS: list[tuple[tuple[FollowUp | None, ...], str | None]] = [
    # "slightly sore" check-ins in a row, oldest → newest, each with its follow-up answer:
    # U not answered yet, SE settled, ST still sore. The newest still sore is the
    # soreness-lingers rule's; otherwise three in a row not settled is worse each time.
    ((U,), NOTHING),
    ((ST,), LINGERS),
    ((SE,), NOTHING),
    ((U, U), NOTHING),  # two walks are not a trend
    ((SE, U), NOTHING),
    ((ST, U), NOTHING),
    ((U, U, U), WORSE),
    ((SE, U, U), NOTHING),  # the first settled: tolerated
    ((U, SE, U), NOTHING),
    ((ST, U, U), WORSE),
    ((U, ST, U), WORSE),
    ((ST, ST, U), WORSE),
    ((U, U, SE), NOTHING),  # the newest settled: tolerated
    ((U, U, ST), LINGERS),
    ((U, U, U, U), WORSE),  # four sore in a row
    ((SE, U, U, U), WORSE),  # the last three
    ((U, U, SE, U), NOTHING),
    ((U, U, U, SE), NOTHING),
    ((U, U, U, U, U), WORSE),
    ((SE, SE, SE, SE, SE), NOTHING),  # sore every time, but it always settled
    ((U, SE, U, SE, U), NOTHING),
    ((SE, SE, U, U, U), WORSE),
    ((U, U, U, SE, U), NOTHING),
    ((ST, ST, ST, ST, U), WORSE),
    ((SE, SE, SE, SE, U), NOTHING),
    ((U, U, U, U, ST), LINGERS),
]


@pytest.mark.parametrize(
    ("followups", "expected"),
    SORE_RUNS,
    ids=lambda v: "-".join(str(f) for f in v) if isinstance(v, tuple) else str(v),
)
def test_runs_of_slight_soreness(followups: tuple[FollowUp | None, ...], expected: str | None) -> None:
    entries = [checkin(f"2026-11-26 {9 + n:02d}:00", SO, f) for n, f in enumerate(followups)]
    advice = advise(*entries)
    assert (advice.rule if advice else None) == expected
    if advice:
        assert advice.direction == "scale-back" and advice.pace == "gentle"


def test_worse_each_time_counts_check_ins_across_days_and_only_up_to_the_trigger() -> None:
    run = [checkin("2026-11-24 16:00", SO), checkin("2026-11-25 10:00", SO), checkin("2026-11-26 09:00", SO)]
    later = checkin("2026-11-26 11:00", B)
    advice = suggest(History(NOW, (*run, later), (), BASE, trigger=run[-1]), ids)
    assert advice is not None and advice.rule == WORSE and advice.checkin_id == run[-1].id
    assert advise(*run, later) is None  # answering the newest, which is better
    assert advice.reason == (
        "your back was worse after each of your last 3 walks (slightly sore → slightly sore → slightly sore)"
    )


def test_a_run_answered_with_a_scale_back_is_not_offered_again_until_it_is_past() -> None:
    sore = [checkin(f"2026-11-26 {9 + n:02d}:00", SO) for n in range(6)]
    first = advise(*sore[:3])
    assert first is not None and first.rule == WORSE
    declined = (first._replace(answer="declined"),)
    assert advise(*sore[:4], advice=declined) is None  # the run holds the answered check-in
    assert advise(*sore[:5], advice=declined) is None
    again = advise(*sore, advice=declined)  # three new walks, each worse
    assert again is not None and again.rule == WORSE and again.checkin_id == sore[5].id


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


def test_walks_tolerated_over_several_days_scale_up_to_the_routine() -> None:
    advice = advise(*tolerated_days(3))
    assert advice is not None
    assert (advice.rule, advice.direction, advice.bout_minutes, advice.pace, advice.variety) == (
        "tolerated-for-days",
        "scale-up",
        9,
        "routine",
        False,
    )
    assert advice.reason == "your walks were tolerated on 3 days (6 check-ins, none worse)"
    assert advice.text == "9-minute walks, comfortable, brisk, comfortable"


# The edge of the week the scale-up reads: today and the 6 days before (7 calendar days).


def test_the_scale_up_window_is_today_and_the_six_days_before() -> None:
    assert care_rules.history_days(NOW.date()) == (
        date(2026, 11, 20),
        date(2026, 11, 26),
    )  # what the store reads
    six_back = [
        checkin("2026-11-20 10:00", B),  # 6 days before Thursday 26: inside
        checkin("2026-11-20 12:00", S),
        checkin("2026-11-23 10:00", B),
        checkin("2026-11-23 12:00", S),
        checkin("2026-11-26 10:00", B),
    ]
    inside = advise(*six_back)
    assert inside is not None and inside.rule == "tolerated-for-days"
    assert inside.reason == "your walks were tolerated on 3 days (5 check-ins, none worse)"
    seven_back = [checkin(f"2026-11-19 {c.at:%H:%M}", Feeling(c.feeling)) for c in six_back[:2]]
    assert advise(*seven_back, *six_back[2:]) is None  # 7 days back is outside: 2 days, 3 check-ins


def test_a_spike_six_days_back_holds_the_scale_up_and_seven_days_back_does_not() -> None:
    recent = tolerated_days(3)  # Tue 24 to Thu 26
    assert advise(checkin("2026-11-20 16:00", SP), *recent) is None
    later = advise(checkin("2026-11-19 16:00", SP), *recent)
    assert later is not None and later.rule == "tolerated-for-days"


# A follow-up answer can complete the scale-up.


def four_tolerated() -> list[CheckIn]:
    """Tolerated walks on Tue 24 and Wed 25: one more tolerated day makes a scale-up."""
    return [
        checkin("2026-11-24 10:00", S),
        checkin("2026-11-24 12:00", B),
        checkin("2026-11-25 10:00", S),
        checkin("2026-11-25 12:00", B),
    ]


def test_soreness_answered_settled_completes_the_scale_up() -> None:
    sore = checkin("2026-11-26 10:05", SO)
    assert advise(*four_tolerated(), sore) is None  # not known yet whether it settles
    settled = sore._replace(followup=FollowUp.SETTLED.value, followup_at=at(BERLIN, "2026-11-26 13:05"))
    advice = suggest(History(NOW, (*four_tolerated(), settled), (), BASE, trigger=settled), ids)
    assert advice is not None
    assert (advice.rule, advice.direction, advice.checkin_id) == ("tolerated-for-days", "scale-up", sore.id)
    assert advice.reason == "your walks were tolerated on 3 days (5 check-ins, none worse)"


def test_soreness_answered_settled_after_a_later_walk_completes_the_scale_up() -> None:
    """The follow-up comes hours later, usually after another walk: its answer triggers the rules."""
    sore = checkin("2026-11-26 10:05", SO)
    later = checkin("2026-11-26 12:05", B)
    assert advise(*four_tolerated(), sore, later) is None  # the morning's soreness may not settle
    settled = sore._replace(followup=FollowUp.SETTLED.value, followup_at=at(BERLIN, "2026-11-26 13:05"))
    advice = suggest(History(NOW, (*four_tolerated(), settled, later), (), BASE, trigger=settled), ids)
    assert advice is not None
    assert (advice.rule, advice.direction, advice.checkin_id) == ("tolerated-for-days", "scale-up", sore.id)
    assert advice.reason == "your walks were tolerated on 3 days (6 check-ins, none worse)"


def test_a_follow_up_answered_from_a_front_end_triggers_the_scale_up_for_that_check_in() -> None:
    """Through `checkins.suggestion`, as `answers.care_answer` calls it with the answered check-in."""
    sore = checkin("2026-11-26 10:05", SO)
    later = checkin("2026-11-26 12:05", B)
    earlier = [
        DayLog(date(2026, 11, 24), checkins=tuple(four_tolerated()[:2])),
        DayLog(date(2026, 11, 25), checkins=tuple(four_tolerated()[2:])),
    ]
    today = DayLog(NOW.date(), checkins=(sore, later))
    answered = checkins.answer_followup(at(BERLIN, "2026-11-26 13:05"), today, sore.id, settled=True)
    after = apply(today, answered)
    changes = checkins.suggestion(BASE_PREFS, NOW, earlier, after, ids, trigger_id=sore.id)
    (advice,) = changes.add
    assert isinstance(advice, Advice)
    assert (advice.rule, advice.checkin_id, advice.bout_minutes) == ("tolerated-for-days", sore.id, 9)


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
    head, body = care.red_flag_text((Flag.NUMBNESS.value, Flag.WEAKNESS.value), resume="press r")
    assert head == "Please see a doctor promptly."
    assert body == (
        "New numbness or tingling is a red flag. Leg weakness is a red flag. "
        "Have your back checked soon rather than walking it off. "
        "Your walk prompts are held until you resume them (press r); "
        "do that once a health professional says walking is fine."
    )


def test_the_red_flags_are_the_advices_words() -> None:
    assert [f.value for f in Flag] == [
        "new numbness or tingling",
        "leg weakness",
        "severe pain",
        "pain after a fall or accident",
    ]


FLAG_ORDERS = [order for n in range(len(Flag) + 1) for order in itertools.permutations(Flag, n)]


@pytest.mark.parametrize("flags", FLAG_ORDERS, ids=lambda f: "+".join(x.name for x in f) or "none")
def test_every_combination_of_red_flags_reads_plainly(flags: tuple[Flag, ...]) -> None:
    head, body = care.red_flag_text([f.value for f in flags], resume="walkbreak resume")
    assert head == "Please see a doctor promptly."
    sentences = [part for part in re.split(r"(?<=[.;]) ", body)]
    assert all(part[0].isupper() or part.startswith("do that") for part in sentences), sentences
    assert body.endswith(".") and "  " not in body and ".." not in body
    assert not re.search(r"\b(\w+) \1\b", body, re.IGNORECASE), body  # no word twice in a row
    assert " and " not in body and "after walking" not in body
    assert body.count("after a fall") == (Flag.FALL in flags)  # only inside "pain after a fall or accident"
    named = [care.RED_FLAG_SENTENCES[f] for f in flags]
    assert body.startswith(" ".join(named) if flags else "You noted a red flag.")
    assert [body.index(n) for n in named] == sorted(body.index(n) for n in named)  # in the order ticked
    assert "held until you resume them (walkbreak resume)" in body


def test_red_flag_text_names_how_to_resume_where_it_is_read() -> None:
    cli = care.red_flag_text([Flag.SEVERE.value], resume="walkbreak resume")[1]
    assert "(walkbreak resume)" in cli and "(r" not in cli
    anywhere = care.red_flag_text([Flag.SEVERE.value])[1]
    assert "(r on the dashboard, or walkbreak resume)" in anywhere


def test_a_flag_stored_in_older_words_reads_in_todays() -> None:
    assert care.red_flag_text(["after a fall"]) == care.red_flag_text([Flag.FALL.value])
    assert care.red_flag_text(["after a fall", Flag.FALL.value])[1].count("fall") == 1  # said once
    day = date(2026, 11, 26)
    old = CheckIn("c1", day, at(BERLIN, "2026-11-26 09:10"), "same", ("after a fall", "leg weakness"))
    (line,) = care.events([DayLog(day, checkins=(old,))])
    assert line == "Thu 26 Nov 09:10  red flag: pain after a fall or accident, leg weakness"


def test_scaling_back_never_goes_below_two_minutes_or_lengthens_a_short_walk() -> None:
    spike = checkin("2026-11-26 14:50", Feeling.SPIKED)
    advice = advise(spike, plan_now=CarePlan(3, 3))
    assert advice is not None and advice.bout_minutes == 2
    one = advise(spike, plan_now=CarePlan(1, 1))
    assert one is not None and one.bout_minutes == 1  # the rest is still offered
    linger = checkin("2026-11-26 10:00", Feeling.SORE, FollowUp.LINGERING)
    floor = advise(linger, plan_now=CarePlan(5, 2, "gentle"))
    assert floor is not None and (floor.bout_minutes, floor.rest_minutes) == (
        2,
        60,
    )  # nothing to take off: rest


LINGER = checkin("2026-11-26 10:00", Feeling.SORE, FollowUp.LINGERING)


@pytest.mark.parametrize(
    ("now_walking", "after", "rest"),
    [
        # from the routine: back to the configured short length, gentle (no brisk, no variety)
        (CarePlan(5, 9, "routine"), CarePlan(5, 5, "gentle"), 0),
        (CarePlan(5, 15, "routine", variety=True), CarePlan(5, 5, "gentle"), 0),
        (CarePlan(12, 12, "routine", variety=True), CarePlan(12, 12, "gentle"), 0),  # the brisk part goes
        # from the comfortable walk: 2 minutes less, gentle
        (CarePlan(5, 5), CarePlan(5, 3, "gentle"), 0),
        (CarePlan(10, 10), CarePlan(10, 8, "gentle"), 0),
        (CarePlan(3, 3), CarePlan(3, 2, "gentle"), 0),  # never under 2
        (CarePlan(2, 2), CarePlan(2, 2, "gentle"), 60),  # cannot get shorter: rest
        # from a gentle walk: 2 minutes less again, then rest
        (CarePlan(5, 5, "gentle"), CarePlan(5, 3, "gentle"), 0),
        (CarePlan(5, 3, "gentle"), CarePlan(5, 2, "gentle"), 0),
        (CarePlan(5, 2, "gentle"), CarePlan(5, 2, "gentle"), 60),
    ],
)
def test_a_scale_back_from_each_walk_goes_to_the_gentle_walk(
    now_walking: CarePlan, after: CarePlan, rest: int
) -> None:
    advice = advise(LINGER, plan_now=now_walking)
    assert advice is not None and advice.direction == "scale-back"
    assert (advice.bout_minutes, advice.pace, advice.variety, advice.rest_minutes) == (
        after.bout_minutes,
        after.pace,
        after.variety,
        rest,
    )
    assert advice.text == walk_plans.describe(after, rest)
    spiked = advise(checkin("2026-11-26 14:50", SP), plan_now=now_walking)
    assert spiked is not None and (spiked.bout_minutes, spiked.pace, spiked.rest_minutes) == (
        after.bout_minutes,
        "gentle",
        60,
    )  # after a spike always a little rest first


def test_the_scale_up_ladder_comfort_first_then_the_routine_then_variety_then_distance() -> None:
    """Advice: frequency and comfort first, distance later, then variety; parts of 3–5 minutes."""
    steps = []
    current = CarePlan(5, 2, "gentle")
    while len(steps) < 20:
        step = step_up(current, 15)
        if step is None:
            break
        current, words = step
        assert current.base_minutes == 5
        steps.append((current.bout_minutes, current.pace, current.variety, words))
    variety = "add variety in the brisk part: gentle hills, slight declines, sideways steps on a safe surface"
    assert steps == [
        (3, "gentle", False, "one more minute, still gentle"),
        (4, "gentle", False, "one more minute, still gentle"),
        (5, "gentle", False, "one more minute, still gentle"),
        (5, "comfortable", False, "back to the usual comfortable walk, and the longer walk"),
        (9, "routine", False, "the routine: 9-minute walks, comfortable, brisk, comfortable"),
        (9, "routine", True, variety),
        (12, "routine", True, "one more minute per part"),
        (15, "routine", True, "one more minute per part"),
    ]  # and nothing past the 15-minute routine


@pytest.mark.parametrize(
    ("now_walking", "next_walk"),
    [
        (CarePlan(5, 3, "comfortable"), CarePlan(5, 4, "comfortable")),  # shorter than configured
        (CarePlan(5, 7, "comfortable"), CarePlan(5, 9, "routine")),  # a schema-2 6–8 minute walk
        (CarePlan(12, 12, "comfortable"), CarePlan(12, 12, "routine")),  # a long configured walk
        (CarePlan(5, 9, "routine", variety=True), CarePlan(5, 12, "routine", variety=True)),
        (CarePlan(5, 13, "routine", variety=True), CarePlan(5, 15, "routine", variety=True)),
        (CarePlan(5, 15, "routine"), CarePlan(5, 15, "routine", variety=True)),
        (CarePlan(5, 6, "routine"), CarePlan(5, 9, "routine")),  # too short to be a routine
    ],
)
def test_step_up_from_walks_off_the_usual_ladder(now_walking: CarePlan, next_walk: CarePlan) -> None:
    step = step_up(now_walking, 15)
    assert step is not None and step[0] == next_walk
    assert step_up(CarePlan(5, 15, "routine", variety=True), 15) is None


def test_each_walk_plan_in_words() -> None:
    assert walk_plans.describe(CarePlan(5, 5)) == (
        "5-minute walks at a comfortable pace; a longer walk (9–15 minutes) when you have time"
    )
    assert walk_plans.describe(CarePlan(5, 3, "gentle"), 60) == (
        "rest 60 minutes, then 3-minute walks, at a comfortable pace only"
    )
    assert walk_plans.describe(CarePlan(5, 9, "routine")) == "9-minute walks, comfortable, brisk, comfortable"
    assert walk_plans.describe(CarePlan(5, 12, "routine", variety=True)) == (
        "12-minute walks, comfortable, brisk, comfortable, with gentle hills, slight declines or sideways steps"
    )
    assert walk_plans.describe(CarePlan(5, 6, "routine", variety=True)) == walk_plans.describe(CarePlan(5, 6))
    assert CarePlan().pace == "comfortable"  # the default walk


def test_the_longer_walk_is_offered_unless_walks_are_gentle_or_prompts_held() -> None:
    assert walk_plans.longer_walk_refused(CarePlan(5, 5)) is None
    assert walk_plans.longer_walk_refused(CarePlan(5, 9, "routine")) is None
    gentle = walk_plans.longer_walk_refused(CarePlan(5, 3, "gentle"))
    assert gentle is not None and "short and comfortable" in gentle
    held = CarePlan(5, 5, held_since=at(BERLIN, "2026-11-26 09:00"))
    assert walk_plans.longer_walk_refused(held) == (
        "Prompts are held after a red flag: please see a doctor before walking more."
    )
    assert walk_plans.longer_walk_refused(held._replace(pace="gentle")) == walk_plans.longer_walk_refused(
        held
    )


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
    shorter = CarePlan(5, 3, "gentle")
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
        "pace": "gentle",
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
    shorter = CarePlan(5, 3, "gentle", held_since=at(BERLIN, "2026-11-26 10:00"))
    from walkbreak.core.actions import Changes

    with store.batch(date(2026, 11, 26)) as batch:
        batch.apply(
            Changes(add=(bout(at(BERLIN, "2026-11-26 10:00")),), plan=tuple(shorter._asdict().items()))
        )
    assert store.plan(date(2026, 11, 30)) == shorter
    store.add(bout(at(BERLIN, "2026-12-01 10:00")))  # a new month file starts with the plan
    month_path(tmp_path).rename(tmp_path / "elsewhere.json")
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
        batch.apply(Changes(plan=(("base_minutes", 5), ("bout_minutes", 3), ("pace", "gentle"))))
    with store.batch(day) as batch:  # `walkbreak resume` from a shell
        batch.apply(Changes(plan=(("held_since", None),)))
    assert store.plan(day) == CarePlan(5, 3, "gentle")


def test_no_longer_walk_shorter_than_the_walk_in_force() -> None:
    from walkbreak.core.walk_plans import describe, longer_walk_refused, longer_walks

    ten = CarePlan(10, 10, "comfortable")
    assert longer_walks(ten) == (12, 15) and longer_walk_refused(ten) is None
    assert "a longer walk (12–15 minutes)" in describe(ten)
    twenty = CarePlan(20, 20, "comfortable")
    assert longer_walks(twenty) == () and describe(twenty) == "20-minute walks at a comfortable pace"
    assert longer_walk_refused(twenty) == "Your walks are 20 minutes already; the longer walk is 15 at most."
