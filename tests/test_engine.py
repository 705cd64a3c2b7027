"""The engine on the real APScheduler and a real event loop, with a scaled clock and real files.

The clock runs 600× real time (a clock minute is 0.1 s), so a morning takes seconds. The
notification backend here only records what it is asked to show; the real daemon is exercised
in test_desktop.py.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.builders import BERLIN, at, settings
from tests.conftest import run_walkbreak
from tests.recording import RecordingBackend
from walkbreak.clock import ScaledClock
from walkbreak.core.model import Outcome
from walkbreak.core.settings import Settings
from walkbreak.engine import Engine
from walkbreak.notify.notifier import Notifier
from walkbreak.store import Store

SPEED = 600.0
WEEKDAY = settings(target=6)


@asynccontextmanager
async def running(
    data: Path,
    start: datetime,
    prefs: Settings = WEEKDAY,
    backends: list | None = None,
    clock: ScaledClock | None = None,
    **options: Any,
) -> AsyncIterator[tuple[Engine, ScaledClock, list]]:
    """An engine on this loop from clock time `start` (`options` go to Engine); stopped on the way out.

    `clock`: share another engine's clock (as two processes share the system clock); else a new one.
    """
    backends = backends if backends is not None else [RecordingBackend()]
    clock = clock or ScaledClock(start, SPEED)
    options = {"poll_seconds": 0.05, "idle_poll_seconds": 0.05, **options}  # ticks all the time, unless told
    engine = Engine(prefs, Store(data, warn=print), clock, Notifier(backends), **options)
    await engine.start()
    try:
        yield engine, clock, backends
    finally:
        await engine.stop()


async def settled(engine: Engine, clock: ScaledClock, after: datetime | None = None, ticks: int = 3) -> None:
    """Wait, on events rather than for a fixed time, until the clock has passed `after` and the
    engine has ticked `ticks` more times since: what was due by then has had its chance to happen
    (on a slow machine this takes longer, never proves less)."""
    if after is not None:
        await until(lambda: clock.now() >= after)
    seen = engine.ticks
    await until(lambda: engine.ticks >= seen + ticks)


async def until(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Wait (real time) until `condition()` holds."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.02)


def day(data: Path, when: datetime):
    return Store(data, warn=print).day(when.date())


def near(actual: datetime, expected: datetime, slack_minutes: float = 1.0) -> bool:
    return abs((actual - expected).total_seconds()) <= slack_minutes * 60


def test_the_first_prompt_fires_on_time_and_is_recorded(isolated_env: Path) -> None:
    # Expiring after 2 clock hours (12 s real), not 15 minutes (1.5 s): on a loaded machine the
    # prompt could lapse, its job gone, between the plan read as due and the jobs listed.
    lasting = settings(target=6, expire=120)

    async def scenario() -> None:
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:57"), lasting) as (
            engine,
            clock,
            (backend,),
        ):
            await until(lambda: backend.shown)
            (fired,) = day(isolated_env, clock.now()).prompts
            assert near(fired.fired_at, at(BERLIN, "2026-11-26 10:00"))
            assert backend.shown[0].title == "Time for a 5-minute walk"
            assert backend.shown[0].body.startswith("0 of 6 today · ")
            await until(
                lambda: engine.view is not None and engine.view.plan.state == "due"
            )  # re-planned after showing
            assert set(engine.jobs()) == {"prompt", "midnight"}  # one prompt job, replaced on each plan

    asyncio.run(scenario())


def test_an_unanswered_prompt_expires_is_closed_and_counts_as_missed(isolated_env: Path) -> None:
    async def scenario() -> None:
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:59")) as (engine, clock, (backend,)):
            await until(lambda: backend.shown)
            await until(lambda: day(isolated_env, clock.now()).prompts[0].outcome is Outcome.EXPIRED)
            (expired,) = day(isolated_env, clock.now()).prompts
            assert expired.answered_at == expired.fired_at + timedelta(minutes=15)
            await until(lambda: backend.closed >= 1)
            assert engine.view is not None and engine.view.plan.at is not None
            assert near(engine.view.plan.at, expired.answered_at + timedelta(minutes=60))

    asyncio.run(scenario())


def test_a_snoozed_prompt_comes_back_as_the_same_prompt_until_the_limit(isolated_env: Path) -> None:
    async def scenario() -> None:
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:59")) as (engine, clock, (backend,)):
            await until(lambda: backend.shown)
            for n in (1, 2):
                assert await engine.act("snooze") is None
                snoozed_at = clock.now()
                await until(lambda n=n: len(backend.shown) == n + 1)
                (prompt,) = day(isolated_env, clock.now()).prompts
                assert prompt.snoozes == n and prompt.shown_at is not None
                assert near(prompt.shown_at, snoozed_at + timedelta(minutes=10))
                assert backend.shown[-1].body.startswith("back from snooze")
            assert not backend.shown[-1].can_snooze  # the notification drops its Snooze button
            refused = await engine.act("snooze")
            assert refused == "this prompt was snoozed 2 times already: walk now or skip it"
            assert await engine.act("skip") is None
            assert day(isolated_env, clock.now()).prompts[0].outcome is Outcome.SKIPPED

    asyncio.run(scenario())


def test_a_button_press_reaches_the_engine(isolated_env: Path) -> None:
    async def scenario() -> None:
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:59")) as (engine, clock, (backend,)):
            await until(lambda: backend.shown)
            backend.on_action("walk")  # what a notification's "Walk now" button does
            await until(lambda: len(day(isolated_env, clock.now()).bouts) == 1)
            assert day(isolated_env, clock.now()).prompts[0].outcome is Outcome.WALKED
            await until(lambda: backend.closed >= 1)

    asyncio.run(scenario())


def test_a_walk_logged_from_another_shell_closes_the_prompt(isolated_env: Path) -> None:
    async def scenario() -> None:
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:59")) as (engine, clock, (backend,)):
            await until(lambda: backend.shown)
            result = await asyncio.to_thread(
                run_walkbreak, "walk", env={"WALKBREAK_NOW": clock.now().isoformat()}
            )
            assert result.returncode == 0, result.stderr
            await until(lambda: backend.closed >= 1)
            await until(lambda: engine.view is not None and engine.view.tally.bouts == 1)
            assert engine.view.plan.state == "scheduled"

    asyncio.run(scenario())


def test_a_pause_holds_prompts_and_ends_by_itself(isolated_env: Path) -> None:
    async def scenario() -> None:
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:55")) as (engine, clock, (backend,)):
            assert await engine.act("pause", minutes=30) is None
            assert engine.view is not None and engine.view.plan.state == "paused"
            (pause,) = day(isolated_env, clock.now()).controls
            await until(lambda: backend.shown)
            (fired,) = day(isolated_env, clock.now()).prompts
            assert pause.until is not None and fired.fired_at >= pause.until
            assert near(fired.fired_at, pause.until)

    asyncio.run(scenario())


def test_after_a_suspend_no_burst_a_grace_period_and_an_away_record(isolated_env: Path) -> None:
    async def scenario() -> None:
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:20")) as (engine, clock, (backend,)):
            await settled(engine, clock)
            clock.jump(timedelta(hours=3))  # the lid closed at ~09:22, opened at ~12:22
            woke = clock.now()
            await until(lambda: backend.shown)
            records = day(isolated_env, clock.now())
            assert len(records.prompts) == 1, "missed prompts must not be replayed"
            assert records.prompts[0].fired_at >= woke + timedelta(minutes=3), (
                "no prompt in the first minutes"
            )
            (away,) = records.away
            assert near(away.start, woke - timedelta(hours=3), 2) and near(away.end, woke, 2)
            await settled(engine, clock, records.prompts[0].fired_at + timedelta(minutes=5))
            assert len(backend.shown) == 1

    asyncio.run(scenario())


def test_a_short_suspend_outside_work_hours_records_no_away(isolated_env: Path) -> None:
    async def scenario() -> None:
        async with running(isolated_env, at(BERLIN, "2026-11-26 07:00")) as (engine, clock, _):
            await settled(engine, clock)
            clock.jump(timedelta(hours=1))
            await until(lambda: engine._hold_until is not None)  # the wake was noticed
            await settled(engine, clock)
            assert day(isolated_env, clock.now()).away == ()

    asyncio.run(scenario())


def test_midnight_starts_a_new_day(isolated_env: Path) -> None:
    round_the_clock = settings(work=("00:00-24:00",), target=3, interval=240, min_gap=20)

    async def scenario() -> None:
        async with running(isolated_env, at(BERLIN, "2026-11-26 23:57"), round_the_clock) as (
            engine,
            clock,
            _,
        ):
            assert await engine.act("walk") is None
            assert engine.view is not None and engine.view.plan.state == "walking"
            await until(lambda: engine.view.now.date() == at(BERLIN, "2026-11-27 00:00").date())
            assert engine.view.tally.bouts == 0 and engine.view.tally.day.isoformat() == "2026-11-27"
            # The walk begun before midnight ended after it, with no guide: it counts on its own day.
            await until(lambda: day(isolated_env, at(BERLIN, "2026-11-26 12:00")).walking == ())
            (walked,) = day(isolated_env, at(BERLIN, "2026-11-26 12:00")).bouts
            assert walked.minutes == 5 and near(walked.start, at(BERLIN, "2026-11-26 23:57"))

    asyncio.run(scenario())


def test_a_failing_backend_is_passed_over_and_the_working_one_remembered(isolated_env: Path) -> None:
    broken, working = RecordingBackend("broken", fail=True), RecordingBackend("working")

    async def scenario() -> None:
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:59"), backends=[broken, working]) as (
            engine,
            clock,
            _,
        ):
            await until(lambda: working.shown)
            assert await engine.act("snooze") is None
            await until(lambda: len(working.shown) == 2)
            assert engine.notifier._working is working

    asyncio.run(scenario())


def test_a_store_the_engine_cannot_read_does_not_stop_it(isolated_env: Path) -> None:
    async def scenario() -> None:
        isolated_env.mkdir(mode=0o700)
        month = isolated_env / "2026-11.json"
        month.write_text(json.dumps({"_meta": {"1": {"schema": 99}}}))  # from a newer walkbreak
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:50")) as (engine, clock, (backend,)):
            assert engine.view is None  # nothing could be planned
            month.unlink()
            await until(lambda: backend.shown)  # the tick noticed and planning resumed

    asyncio.run(scenario())


@pytest.mark.parametrize("key", ["walk", "skip", "pause"])
def test_every_answer_closes_the_prompt_on_screen(isolated_env: Path, key: str) -> None:
    async def scenario() -> None:
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:59")) as (engine, clock, (backend,)):
            await until(lambda: backend.shown)
            assert await engine.act(key, minutes=60) is None
            await until(lambda: backend.closed >= 1)

    asyncio.run(scenario())


def test_the_followup_after_slight_soreness_comes_at_its_time_once(isolated_env: Path) -> None:
    from tests.builders import bout
    from walkbreak.core.model import CheckIn

    store = Store(isolated_env, warn=print)
    walked = bout(at(BERLIN, "2026-11-26 10:00"))
    store.add(walked)
    store.add(CheckIn("c1", walked.day, at(BERLIN, "2026-11-26 10:05"), "slightly sore", bout_id=walked.id))
    store.add(CheckIn("c2", walked.day, at(BERLIN, "2026-11-26 10:06"), "same", bout_id=walked.id))
    quiet = settings(interval=240)  # no walk prompt before 14:00

    async def scenario() -> None:
        async with running(isolated_env, at(BERLIN, "2026-11-26 12:55"), quiet) as (
            engine,
            clock,
            (backend,),
        ):
            assert "followup" in engine.jobs()
            await until(lambda: backend.shown)
            assert near(clock.now(), at(BERLIN, "2026-11-26 13:05"))
            (message,) = backend.shown
            assert message.title == "Has the soreness settled?" and not message.answers
            assert "At 10:05, after a walk" in message.body
            assert "followup" not in engine.jobs()
            await engine.replan()  # asked once: a re-plan does not ask again
            assert len(backend.shown) == 1
            closed = backend.closed
            answered = CheckIn(
                "c1", walked.day, at(BERLIN, "2026-11-26 10:05"), "slightly sore", bout_id=walked.id
            )
            store.replace(answered._replace(followup="settled", followup_at=clock.now()))
            await until(lambda: backend.closed > closed)  # answered elsewhere: the question goes away

    asyncio.run(scenario())


def test_a_new_day_closes_what_yesterday_left_open(isolated_env: Path) -> None:
    from tests.builders import prompt, snooze

    store = Store(isolated_env, warn=print)
    left = prompt(at(BERLIN, "2026-11-25 17:20"))._replace(snoozes=1)
    store.add(left)
    store.add(snooze(at(BERLIN, "2026-11-25 17:25"), 10)._replace(prompt_id=left.id))

    async def scenario() -> None:
        async with running(isolated_env, at(BERLIN, "2026-11-26 08:00")):
            await until(lambda: store.day(left.day).prompts[0].outcome is Outcome.EXPIRED)

    asyncio.run(scenario())
    assert store.day(left.day).prompts[0].answered_at == at(BERLIN, "2026-11-25 17:30")
