"""The walk's shape for any length, and tips that never repeat back to back."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.builders import BERLIN, at, bout, prompt
from walkbreak.core.model import DayLog
from walkbreak.core.routine import BRISK_VARIED, GENTLE, LONGER_WALKS, phase_at, phases
from walkbreak.core.tips import PROMPT_TIPS, TIPS, WALK_TIPS, prompt_tip, walk_tip


def test_a_five_minute_walk_is_one_and_a_half_two_one_and_a_half() -> None:
    assert [(p.name, p.minutes) for p in phases(5)] == [
        ("comfortable", 1.5),
        ("brisk", 2.0),
        ("comfortable", 1.5),
    ]


@pytest.mark.parametrize("minutes", [9, 10, 12, 15])
def test_from_nine_to_fifteen_minutes_each_part_is_three_to_five(minutes: int) -> None:
    parts = phases(minutes)
    assert [p.name for p in parts] == ["comfortable", "brisk", "comfortable"]
    assert all(3 <= p.minutes <= 5 for p in parts)
    assert sum(p.minutes for p in parts) == pytest.approx(minutes)
    assert all(p.cue for p in parts)


def test_the_longer_walks_are_three_four_and_five_minutes_a_part() -> None:
    assert [phases(m)[1].minutes for m in LONGER_WALKS] == [3, 4, 5]


def test_after_scaling_back_the_walk_is_comfortable_all_the_way() -> None:
    (only,) = phases(3, "comfortable")
    assert (only.name, only.minutes, only.cue) == ("comfortable", 3, GENTLE)
    assert phase_at((only,), 1.0) == (0, 2.0)
    assert phase_at((only,), 4.0) == (0, 0.0)


def test_variety_goes_in_the_brisk_part() -> None:
    assert phases(6, variety=True)[1].cue == BRISK_VARIED
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
    ):
        assert advice in text, advice


@given(st.lists(st.sampled_from(["prompt", "snooze", "walk"]), min_size=2, max_size=40))
def test_prompt_tips_never_repeat_back_to_back(events: list[str]) -> None:
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
        shown.append(prompt_tip(log, current))
    assert all(a != b for a, b in itertools.pairwise(shown)), shown


def test_walk_tips_rotate_and_never_echo_a_prompt_tip() -> None:
    guides = [walk_tip(n) for n in range(10)]
    assert all(a != b for a, b in itertools.pairwise(guides))
    assert not set(WALK_TIPS) & set(PROMPT_TIPS)
