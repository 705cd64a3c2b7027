"""A walk counts once, when it has been taken: walks under way, and walks that must fit (pure rules)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from tests.builders import BERLIN, apply, at, bout, ids, prompt, settings
from walkbreak.core import walking
from walkbreak.core.actions import NotAllowed
from walkbreak.core.model import DayLog, Outcome, Source
from walkbreak.core.planner import PlanState, plan
from walkbreak.core.settings import CarePlan
from walkbreak.core.tally import day_tally

PREFS = settings(target=6)
FIRED = at(BERLIN, "2026-11-26 10:00")
NOBODY = "1@elsewhere-gone"


def gone(token: str) -> bool:
    return False


def alive(token: str) -> bool:
    return True


def test_walk_now_answers_the_prompt_and_counts_only_once_the_walk_has_ended() -> None:
    waiting = prompt(FIRED)
    log = DayLog.of(FIRED.date(), [waiting])
    now = FIRED + timedelta(minutes=2)
    walk, changes = walking.start(PREFS, now, log, ids)
    during = apply(log, changes)
    assert (walk.start, walk.minutes, walk.prompt_id, walk.guide) == (now, 5.0, waiting.id, "")
    assert during.prompts[0].outcome is Outcome.WALKED and during.prompts[0].answered_at == now
    assert day_tally(PREFS, during).bouts == 0  # credited only once taken
    assert plan(PREFS, now, during).state is PlanState.WALKING
    assert plan(PREFS, now, during).walking == walk
    # Nothing shows it: at its planned end it counts, as planned, as the bout with its id.
    assert walking.ended(during, now + timedelta(minutes=4), gone) == walking.ended(during, now, alive)
    after = apply(during, walking.ended(during, walk.end, gone))
    (taken,) = after.bouts
    assert (taken.id, taken.start, taken.minutes, taken.source, taken.prompt_id) == (
        walk.id,
        now,
        5.0,
        Source.PROMPT,
        waiting.id,
    )
    assert after.walking == () and day_tally(PREFS, after).bouts == 1
    assert walking.settled(during, walk.end, gone) == after
    assert plan(PREFS, walk.end, after).at == walk.end + timedelta(minutes=60)


def test_a_guide_that_is_open_ends_the_walk_with_its_real_length() -> None:
    log = DayLog(FIRED.date())
    walk, changes = walking.start(PREFS, FIRED, log, ids, minutes=12, guide="42@here")
    during = apply(log, changes)
    assert walk.prompt_id is None  # no prompt was waiting
    late = FIRED + timedelta(minutes=30)
    assert walking.ended(during, late, alive).add == ()  # its guide is open: it decides
    assert walking.ended(during, late, gone).add != ()  # its guide was killed: the engine does
    _, back = walking.finish(walk, 13.5)
    (taken,) = apply(during, back).bouts
    assert (taken.id, taken.minutes, taken.source) == (walk.id, 13.5, Source.MANUAL)


def test_one_walk_at_a_time_and_none_while_held_after_a_red_flag() -> None:
    log = DayLog(FIRED.date())
    walk, changes = walking.start(PREFS, FIRED, log, ids)
    with pytest.raises(NotAllowed, match="you are on a walk already \\(since 10:00\\)"):
        walking.start(PREFS, FIRED + timedelta(minutes=1), apply(log, changes), ids)
    held = PREFS._replace(plan=CarePlan(held_since=FIRED))
    with pytest.raises(walking.HeldAfterRedFlag, match="see a doctor"):
        walking.start(held, FIRED, log, ids)


def test_calling_a_walk_off_leaves_its_prompt_waiting_again() -> None:
    waiting = prompt(FIRED)
    log = DayLog.of(FIRED.date(), [waiting])
    walk, changes = walking.start(PREFS, FIRED, log, ids)
    during = apply(log, changes)
    after = apply(during, walking.cancel(walk, during))
    assert after.walking == () and after.bouts == ()
    assert after.prompts[0].outcome is None and after.prompts[0].answered_at is None


def test_a_walk_begun_elsewhere_is_taken_over_by_one_guide_only() -> None:
    log = DayLog(FIRED.date())
    walk, changes = walking.start(PREFS, FIRED, log, ids)
    during = apply(log, changes)
    assert walking.needs_guide(walk, alive)
    guided, adopted = walking.adopt(during, walk.id, "7@here", alive)
    shown = apply(during, adopted)
    assert guided.guide == "7@here" and not walking.needs_guide(shown.walking[0], alive)
    with pytest.raises(NotAllowed, match="another walkbreak shows the walk guide"):
        walking.adopt(shown, walk.id, "8@here", alive)
    _, taken = walking.adopt(shown, walk.id, "8@here", gone)  # that guide was killed
    assert taken.replace[0].guide == "8@here"
    with pytest.raises(NotAllowed, match="ended already"):
        walking.adopt(DayLog(FIRED.date()), walk.id, "8@here", alive)


@pytest.mark.parametrize(
    ("start", "minutes", "why"),
    [
        ("10:49", 5, "overlaps the walk 10:50–10:55 recorded already"),
        ("10:52", 5, "would end at 10:57, in the future"),
        ("10:45", 6, "overlaps the walk 10:50–10:55 recorded already"),
        ("07:00", 240, "would end at 11:00, in the future"),
        ("08:00", 172, "overlaps the walk 09:30–09:35 recorded already \\(and 1 more\\)"),
    ],
)
def test_a_walk_that_overlaps_another_or_ends_in_the_future_is_refused(
    start: str, minutes: float, why: str
) -> None:
    now = at(BERLIN, "2026-11-26 10:55")
    log = DayLog.of(now.date(), [bout(at(BERLIN, "2026-11-26 09:30")), bout(at(BERLIN, "2026-11-26 10:50"))])
    begin = at(BERLIN, f"2026-11-26 {start}")
    with pytest.raises(NotAllowed, match=why):
        walking.record(PREFS, now, log, ids, begin, minutes)
    forced = apply(log, walking.record(PREFS, now, log, ids, begin, minutes, force=True))
    assert len(forced.bouts) == 3


def test_walks_end_to_end_fit_and_a_walk_being_changed_does_not_clash_with_itself() -> None:
    now = at(BERLIN, "2026-11-26 10:55")
    first = bout(at(BERLIN, "2026-11-26 10:40"))
    log = DayLog.of(now.date(), [first])
    after = apply(log, walking.record(PREFS, now, log, ids, at(BERLIN, "2026-11-26 10:45"), 10))
    assert len(after.bouts) == 2  # 10:40–10:45 then 10:45–10:55
    walking.check_fits(log, first.start, 7, now, ignore=first.id)  # longer, overlapping only itself
    under_way, _ = walking.start(PREFS, now - timedelta(minutes=4), log, ids)
    with pytest.raises(NotAllowed, match="overlaps the walk 10:51–10:56 under way already"):
        walking.check_fits(log._replace(walking=(under_way,)), now - timedelta(minutes=2), 1, now)


def test_a_walk_begun_before_midnight_is_under_way_after_it_and_never_counts_today() -> None:
    from walkbreak.core.planner import with_carried

    yesterday = DayLog(at(BERLIN, "2026-11-26 00:00").date())
    walk, changes = walking.start(PREFS, at(BERLIN, "2026-11-26 23:58"), yesterday, ids)
    yesterday = apply(yesterday, changes)
    today = with_carried(yesterday, DayLog(at(BERLIN, "2026-11-27 00:00").date()))
    just_after = at(BERLIN, "2026-11-27 00:01")
    assert plan(PREFS, just_after, today).state is PlanState.WALKING
    with pytest.raises(NotAllowed, match="on a walk already \\(since 23:58\\)"):
        walking.start(PREFS, just_after, today, ids)
    with pytest.raises(NotAllowed, match="overlaps the walk 23:58–00:03 under way"):
        walking.check_fits(today, just_after - timedelta(minutes=1), 1, just_after)
    later = walking.settled(today, at(BERLIN, "2026-11-27 00:04"), gone)
    assert later.walking == () and later.bouts == ()  # it ended, and counts on its own day
    assert walking.ended(today, at(BERLIN, "2026-11-27 00:04"), gone) == walking.ended(
        today, just_after, gone
    )
    assert walking.ended(yesterday, at(BERLIN, "2026-11-27 00:04"), gone).add[0].id == walk.id


def test_a_guide_nobody_comes_back_to_is_given_up_three_walks_later() -> None:
    log = DayLog(FIRED.date())
    walk, changes = walking.start(PREFS, FIRED, log, ids, guide="7@here")
    during = apply(log, changes)
    assert walking.overdue_at(walk) == FIRED + timedelta(minutes=20)  # 5 min: 15 more at least
    assert walking.ended(during, FIRED + timedelta(minutes=19), alive).add == ()
    (counted,) = apply(during, walking.ended(during, FIRED + timedelta(minutes=20), alive)).bouts
    assert counted.minutes == 5  # as planned: nobody said otherwise
    long, _ = walking.start(PREFS, FIRED, log, ids, minutes=15, guide="7@here")
    assert walking.overdue_at(long) == FIRED + timedelta(minutes=45)


def test_deleting_a_walk_from_a_prompt_reopens_the_prompt_and_a_deleted_walk_takes_no_check_in() -> None:
    from walkbreak.core import checkins
    from walkbreak.core.feelings import Feeling

    waiting = prompt(FIRED)
    log = DayLog.of(FIRED.date(), [waiting])
    walk, changes = walking.start(PREFS, FIRED, log, ids)
    taken = apply(log, changes)
    taken = apply(taken, walking.finish(walk, 5)[1])
    gone_too = apply(taken, checkins.remove_walk(taken, taken.bouts[0]))
    assert gone_too.bouts == () and gone_too.prompts[0].outcome is None  # not walked after all
    later = FIRED + timedelta(minutes=30)
    with pytest.raises(NotAllowed, match="deleted meanwhile"):
        checkins.check_in(PREFS, later, gone_too, ids, Feeling.SPIKED, (), walk.id)
