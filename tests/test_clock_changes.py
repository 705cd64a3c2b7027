"""A clock set back or forward by hand (or by a bad NTP step) while walkbreak runs: at most one open
prompt, ever, and an away period never covers a walk."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from tests.builders import BERLIN, at, bout, prompt, settings
from tests.recording import RecordingBackend
from tests.test_engine import day, running, settled, until
from walkbreak.core.away import without_overlap
from walkbreak.core.model import Away, DayLog
from walkbreak.core.planner import PlanState, plan
from walkbreak.store import Store

PREFS = settings(interval=60, min_gap=20, expire=15)


def open_prompts(data: Path, when) -> int:
    return sum(p.outcome is None for p in day(data, when).prompts)


def test_a_prompt_shown_after_now_is_still_the_open_one() -> None:
    shown = prompt(at(BERLIN, "2026-11-26 11:00"))
    now = at(BERLIN, "2026-11-26 10:05")  # the clock went back an hour
    found = plan(PREFS, now, DayLog.of(now.date(), [shown]))
    assert found.state is PlanState.DUE and found.open_prompt == shown


def test_an_away_period_is_cut_around_the_walks_of_the_day() -> None:
    walk = bout(at(BERLIN, "2026-11-26 10:40"))
    away = Away("a", walk.day, at(BERLIN, "2026-11-26 10:20"), at(BERLIN, "2026-11-26 11:20"))
    kept = without_overlap(away, DayLog.of(walk.day, [walk]), 5)
    assert kept is not None and (kept.start, kept.end) == (walk.end, away.end)  # the longer side
    short = away._replace(start=at(BERLIN, "2026-11-26 10:36"), end=at(BERLIN, "2026-11-26 10:48"))
    assert without_overlap(short, DayLog.of(walk.day, [walk]), 5) is None  # 4 and 3 minutes left


def test_the_clock_set_back_while_a_prompt_is_open_leaves_one_open_prompt(isolated_env: Path) -> None:
    async def scenario() -> None:
        backend = RecordingBackend()
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:55"), PREFS, [backend]) as (
            engine,
            clock,
            _,
        ):
            await until(lambda: backend.shown)
            fired = day(isolated_env, clock.now()).prompts[0]
            clock.jump(-timedelta(hours=1))
            back = clock.now()
            await until(lambda: engine._hold_until is not None)  # the change was noticed
            counts = []
            while clock.now() < back + timedelta(minutes=40):
                counts.append(open_prompts(isolated_env, clock.now()))
                await asyncio.sleep(0.02)
            assert max(counts) == 1, "never a second open prompt"
            (only,) = day(isolated_env, back).prompts
            assert only.id == fired.id and only.outcome is not None, "it lapsed, and not an hour late"
            assert only.answered_at is not None and only.answered_at < back + timedelta(minutes=20)

    asyncio.run(scenario())


def test_an_away_period_recorded_on_wake_never_covers_a_walk(isolated_env: Path) -> None:
    walk = bout(at(BERLIN, "2026-11-26 10:40"))  # logged while the clock read an hour earlier
    Store(isolated_env, warn=print).add(walk)

    async def scenario() -> None:
        async with running(isolated_env, at(BERLIN, "2026-11-26 10:20"), PREFS) as (engine, clock, _):
            await settled(engine, clock)
            clock.jump(timedelta(hours=1))
            await until(lambda: engine._hold_until is not None)
            await until(lambda: day(isolated_env, clock.now()).away != ())
            (away,) = day(isolated_env, clock.now()).away
            assert away.start >= walk.end or away.end <= walk.start, (away, walk)

    asyncio.run(scenario())
