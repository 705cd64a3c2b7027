"""An idle engine sleeps: no tick for a minute at a time, yet another process's write, midnight,
a suspend and the lease holder's end are each seen when they happen, not at the next tick."""

from __future__ import annotations

import asyncio
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest

from tests.builders import BERLIN, at, settings
from tests.conftest import run_walkbreak
from tests.test_engine import day, running, until
from walkbreak.clock import ScaledClock

LONG = {"poll_seconds": 1000.0, "idle_poll_seconds": 1000.0}
"""Far longer than any test: whatever the engine sees, it saw without a tick coming due."""
pytestmark = pytest.mark.skipif(not os.path.exists("/proc/self/fd"), reason="inotify: Linux only")


def test_idle_means_no_ticks(isolated_env: Path) -> None:
    async def scenario() -> None:
        idle = {"idle_poll_seconds": 1000.0}  # and ticks every 0.05 s while something waits on them
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:10"), **idle) as (engine, clock, _):
            await until(lambda: engine.view is not None)
            seen = engine.ticks
            await asyncio.sleep(1)  # a poll of 0.05 s would tick some twenty times
            assert engine.ticks <= seen + 1

    asyncio.run(scenario())


def test_a_walk_logged_in_another_process_is_seen_at_once(isolated_env: Path) -> None:
    async def scenario() -> None:
        slow = ScaledClock(at(BERLIN, "2026-11-26 09:10"), 60)  # the first prompt job is 50 s away
        async with running(isolated_env, slow.now(), clock=slow, **LONG) as (engine, clock, _):
            await until(lambda: engine.view is not None)
            logged = await asyncio.to_thread(
                run_walkbreak, "log", "5", env={"WALKBREAK_DATA_DIR": str(isolated_env), "TZ": "Europe/Berlin",
                                                "WALKBREAK_NOW": clock.now().isoformat()}
            )  # fmt: skip
            assert logged.returncode == 0, logged.stderr
            await until(lambda: engine.view is not None and engine.view.tally.bouts == 1)

    asyncio.run(scenario())


def test_midnight_comes_without_a_tick_due(isolated_env: Path) -> None:
    round_the_clock = settings(work=("00:00-24:00",), target=3, interval=240, min_gap=20)

    async def scenario() -> None:
        async with running(isolated_env, at(BERLIN, "2026-11-26 23:58"), round_the_clock, **LONG) as (
            engine,
            clock,
            _,
        ):
            await until(lambda: engine.view is not None and engine.view.now.date().day == 27, seconds=30)

    asyncio.run(scenario())


def test_a_suspend_is_caught_by_the_prompt_job_itself(isolated_env: Path) -> None:
    """The lid opens after the prompt's time: on waking the prompt job runs at once (its time has
    passed), before any tick; it sees the jump itself and holds the prompt for the grace period
    instead of firing into the first seconds awake."""

    async def scenario() -> None:
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:20"), **LONG) as (
            engine,
            clock,
            (backend,),
        ):
            await until(lambda: "prompt" in engine.jobs())
            clock.jump(timedelta(hours=3))  # no tick will come to notice this
            woke = clock.now()
            await engine._fire()  # what the scheduler does on waking: the job's time has passed
            assert backend.shown == [] and engine._hold_until is not None
            await until(lambda: backend.shown, seconds=20)
            (prompt,) = day(isolated_env, clock.now()).prompts
            assert prompt.fired_at >= woke + engine.wake_grace
            assert day(isolated_env, clock.now()).away != ()

    asyncio.run(scenario())


def test_the_ticks_alarm_counts_time_asleep() -> None:
    """The tick's timer is a CLOCK_BOOTTIME timerfd (read back from the kernel), so a tick that
    came due while the machine slept rings as it wakes; it rings once per set, and moves when set
    again."""
    from walkbreak.watch import CLOCK_BOOTTIME, Alarm

    async def scenario() -> None:
        rang: list[float] = []
        alarm = Alarm(lambda: rang.append(time.monotonic()))
        try:
            fdinfo = Path(f"/proc/self/fdinfo/{alarm.fd}").read_text()
            assert f"clockid: {CLOCK_BOOTTIME}" in fdinfo
            alarm.set(1000)
            alarm.set(0)  # moved: rings at once instead
            await until(lambda: len(rang) == 1)
            set_at = time.monotonic()
            alarm.set(0.2)
            await until(lambda: len(rang) == 2)
            assert rang[1] - set_at >= 0.19
            await asyncio.sleep(0.3)
            assert len(rang) == 2  # once per set
        finally:
            alarm.close()

    asyncio.run(scenario())


def test_the_end_of_a_process_is_seen_once_and_at_once() -> None:
    import subprocess
    import sys

    from walkbreak.watch import process_exit

    async def scenario() -> None:
        ended: list[str] = []
        running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
        gone = subprocess.Popen([sys.executable, "-c", "pass"])
        gone.wait()
        try:
            assert process_exit(running.pid, lambda: ended.append("running")) is not None
            assert process_exit(gone.pid, lambda: ended.append("gone")) is not None
            await until(lambda: ended == ["gone"])  # ended before it was watched: said soon
            running.kill()
            await until(lambda: ended == ["gone", "running"])
            await asyncio.sleep(0.1)
            assert ended == ["gone", "running"]  # once each
        finally:
            running.kill()
            running.wait()

    asyncio.run(scenario())
