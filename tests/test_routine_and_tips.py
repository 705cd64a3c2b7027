"""The walk's shape for any length and walk plan, and tips that fit the walk and never repeat back to back."""

from __future__ import annotations

import itertools
import re
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.builders import BERLIN, at, bout, prompt, settings
from walkbreak.core.message import prompt_message
from walkbreak.core.model import DayLog
from walkbreak.core.routine import (
    BRISK,
    BRISK_VARIED,
    EASY,
    GENTLE,
    LONGER_WALKS,
    Pace,
    phase_at,
    phases,
)
from walkbreak.core.settings import CarePlan, with_plan
from walkbreak.core.tips import PROMPT_TIPS, TIPS, WALK_TIPS, prompt_tip, walk_tip

PACES = [Pace.COMFORTABLE, Pace.GENTLE, Pace.ROUTINE]
BRISKISH = re.compile(r"brisk|hill|decline|variety|sideways", re.IGNORECASE)
"""Words of the routine's brisk part: never in a tip for a comfortable or gentle walk."""


def shape(minutes: float, pace: str, variety: bool = False) -> list[tuple[str, float]]:
    return [(p.name, p.minutes) for p in phases(minutes, pace, variety)]


def test_the_default_short_walk_is_one_comfortable_part() -> None:
    """The advice: the default five-minute prompt is a comfortable walk, not a squeezed routine."""
    (only,) = phases(5)
    assert (only.name, only.minutes, only.cue) == ("comfortable", 5, EASY)
    assert shape(5, Pace.COMFORTABLE) == [("comfortable", 5)]
    assert shape(12, Pace.COMFORTABLE) == [("comfortable", 12)]  # comfortable is one part at any length


@pytest.mark.parametrize("minutes", [9, 10, 12, 15])
def test_the_routine_from_nine_to_fifteen_minutes_is_thirds_of_three_to_five(minutes: int) -> None:
    parts = phases(minutes, Pace.ROUTINE)
    assert [p.name for p in parts] == ["comfortable", "brisk", "comfortable"]
    assert all(3 <= p.minutes <= 5 for p in parts)
    assert parts[0].minutes == parts[1].minutes == parts[2].minutes
    assert sum(p.minutes for p in parts) == pytest.approx(minutes)
    assert parts[1].cue == BRISK and all(p.cue for p in parts)


@pytest.mark.parametrize("minutes", [2, 5, 8, 8.9])
def test_a_routine_too_short_for_three_parts_of_three_minutes_is_one_comfortable_part(minutes: float) -> None:
    (only,) = phases(minutes, Pace.ROUTINE, variety=True)
    assert (only.name, only.minutes, only.cue) == ("comfortable", minutes, EASY)


def test_the_longer_walks_are_three_four_and_five_minutes_a_part() -> None:
    assert LONGER_WALKS == (9, 12, 15)
    assert [[p.minutes for p in phases(m, Pace.ROUTINE)] for m in LONGER_WALKS] == [
        [3, 3, 3],
        [4, 4, 4],
        [5, 5, 5],
    ]


@given(
    st.one_of(st.integers(2, 15), st.floats(2, 15, allow_nan=False)),
    st.sampled_from(PACES),
    st.booleans(),
)
def test_no_part_is_ever_shorter_than_three_minutes_except_the_one_part_short_walk(
    minutes: float, pace: str, variety: bool
) -> None:
    """Never squeezed: every part of a walk with several parts is 3 minutes or more."""
    parts = phases(minutes, pace, variety)
    assert sum(p.minutes for p in parts) == pytest.approx(minutes)
    if len(parts) == 1:
        assert parts[0].name == "comfortable"
        assert minutes < 9 or pace != Pace.ROUTINE
    else:
        assert pace == Pace.ROUTINE and len(parts) == 3
        assert all(p.minutes >= 3 for p in parts), parts
        assert [p.name for p in parts] == ["comfortable", "brisk", "comfortable"]


def test_after_scaling_back_the_walk_is_gentle_all_the_way() -> None:
    (only,) = phases(3, Pace.GENTLE)
    assert (only.name, only.minutes, only.cue) == ("comfortable", 3, GENTLE)
    assert "Stop if pain spikes" in GENTLE
    assert shape(12, Pace.GENTLE) == [("comfortable", 12)]
    assert phase_at((only,), 1.0) == (0, 2.0)
    assert phase_at((only,), 4.0) == (0, 0.0)


def test_a_pace_not_known_walks_as_one_comfortable_part() -> None:
    assert shape(12, "brisk-ish") == [("comfortable", 12)]


def test_phase_at_moves_through_the_routine() -> None:
    parts = phases(12, Pace.ROUTINE)
    assert phase_at(parts, 0) == (0, 4)
    assert phase_at(parts, 5) == (1, 3)
    assert phase_at(parts, 11) == (2, 1)
    assert phase_at(parts, 13) == (2, 0.0)


def test_variety_goes_in_the_brisk_part() -> None:
    assert phases(9, Pace.ROUTINE, variety=True)[1].cue == BRISK_VARIED
    assert "gentle hill" in BRISK_VARIED and "sideways" in BRISK_VARIED


def test_the_tips_say_what_the_therapist_advised() -> None:
    text = " ".join(TIPS).lower()
    for advice in (
        "supportive shoes",
        "90°",
        "midline",
        "shoulders square",
        "shorter stride",
        "more short walks",
        "full sentences",
    ):
        assert advice in text, advice


@pytest.mark.parametrize("pace", [Pace.COMFORTABLE, Pace.GENTLE])
def test_no_brisk_tip_while_walks_are_comfortable_or_gentle(pace: str) -> None:
    """A tip never contradicts the walk in force: no brisk, hill or variety tip on a comfortable walk."""
    now = at(BERLIN, "2026-11-26 09:00")
    shown = set()
    for n in range(30):  # many days and many showings: every tip of the rotation comes round
        fired = prompt(now + timedelta(days=n, hours=n % 8))
        log = DayLog(fired.day, prompts=(fired,))
        for snoozes in range(3):
            shown.add(prompt_tip(log, fired._replace(snoozes=snoozes), pace))
        shown.add(walk_tip(n, pace))
    assert shown and not any(BRISKISH.search(t) for t in shown), shown
    assert set(PROMPT_TIPS) - shown == {t for t in PROMPT_TIPS if BRISKISH.search(t)}  # only those left out


def test_the_routine_gets_the_brisk_tip_too() -> None:
    shown = set()
    for n in range(8):
        fired = prompt(at(BERLIN, "2026-11-26 09:00") + timedelta(days=n))
        shown.add(prompt_tip(DayLog(fired.day, prompts=(fired,)), fired, Pace.ROUTINE))
    assert shown == set(PROMPT_TIPS)


def test_the_prompt_message_tip_follows_the_walk_plan_in_force() -> None:
    prefs = settings(days=range(5))
    routine = with_plan(prefs, CarePlan(5, 9, Pace.ROUTINE))
    gentle = with_plan(prefs, CarePlan(5, 3, Pace.GENTLE))
    brisk_days = set()
    for n in range(8):
        fired = prompt(at(BERLIN, "2026-11-23 10:00") + timedelta(days=n))
        log = DayLog(fired.day, prompts=(fired,))
        for prefs_now in (prefs, gentle):
            assert not BRISKISH.search(prompt_message(prefs_now, log, fired).body)
        if BRISKISH.search(prompt_message(routine, log, fired).body):
            brisk_days.add(n)
    assert brisk_days  # the routine's prompts do show it
    assert prompt_message(routine, DayLog(fired.day), fired).title == "Time for a 9-minute walk"


@given(
    st.lists(st.sampled_from(["prompt", "snooze", "walk"]), min_size=2, max_size=40),
    st.sampled_from(PACES),
)
def test_prompt_tips_never_repeat_back_to_back(events: list[str], pace: str) -> None:
    """New prompts, prompts back from a snooze, walks logged in between: no prompt tip twice in a row."""
    now = at(BERLIN, "2026-11-26 09:00")
    log = DayLog(now.date())
    shown: list[str] = []
    current = None
    for event in events:
        now += timedelta(minutes=7)
        if event == "prompt" or current is None:
            current = prompt(now)
            log = log._replace(prompts=(*log.prompts, current))
        elif event == "snooze":
            current = current._replace(snoozes=current.snoozes + 1)
            log = log._replace(prompts=(*log.prompts[:-1], current))
        else:
            log = log._replace(bouts=(*log.bouts, bout(now)))
            continue
        shown.append(prompt_tip(log, current, pace))
    assert all(a != b for a, b in itertools.pairwise(shown)), shown


@pytest.mark.parametrize("pace", PACES)
def test_walk_tips_rotate_and_never_echo_a_prompt_tip(pace: str) -> None:
    guides = [walk_tip(n, pace) for n in range(10)]
    assert all(a != b for a, b in itertools.pairwise(guides))
    assert set(guides) <= set(WALK_TIPS)
    assert not set(WALK_TIPS) & set(PROMPT_TIPS)
