"""Faults that must not stop the engine: a store call, a notification backend, a screen and a worker
each fail once; the failure is logged (and shown as a toast in the dashboard) and the next prompt fires."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

import pytest

from tests.builders import BERLIN, at
from tests.recording import RecordingBackend
from tests.test_engine import day, running, until
from tests.test_tui import run
from walkbreak.core.planner import PlanState
from walkbreak.store import Store
from walkbreak.tui.app import WalkbreakApp


class BrokenOnce(RecordingBackend):
    """A backend whose first show raises something unexpected (not even DeliveryFailed)."""

    name = "broken-once"

    def __init__(self) -> None:
        super().__init__()
        self.failed = False

    async def show(self, message, on_action) -> None:  # type: ignore[no-untyped-def]
        if not self.failed:
            self.failed = True
            raise RuntimeError("the desktop went away")
        await super().show(message, on_action)


def test_a_failing_store_call_is_logged_and_the_next_prompt_fires(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    real_days = Store.days
    failures = {"left": 3}

    def flaky(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if failures["left"]:
            failures["left"] -= 1
            raise OSError(5, "Input/output error")
        return real_days(self, *args, **kwargs)

    async def scenario() -> None:
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:58")) as (engine, clock, (backend,)):
            monkeypatch.setattr(Store, "days", flaky)
            await engine.replan()  # fails: the old plan stays
            await until(lambda: backend.shown, seconds=15)
            assert len(day(isolated_env, clock.now()).prompts) == 1

    caplog.set_level(logging.ERROR)
    asyncio.run(scenario())
    assert failures["left"] == 0
    assert any("re-planning failed" in r.message for r in caplog.records)


def test_a_backend_that_raises_is_logged_and_the_next_prompt_still_goes_out(
    isolated_env: Path, caplog: pytest.LogCaptureFixture
) -> None:
    broken = BrokenOnce()

    async def scenario() -> None:
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:59"), backends=[broken]) as (
            engine,
            clock,
            _,
        ):
            await until(lambda: broken.failed)
            await until(lambda: len(day(isolated_env, clock.now()).prompts) == 1)
            assert await engine.act("skip") is None
            await until(lambda: broken.shown, seconds=20)  # the 11:00 prompt reaches the desktop

    caplog.set_level(logging.WARNING)
    asyncio.run(scenario())
    assert any("the desktop went away" in (r.getMessage() + str(r.exc_info)) for r in caplog.records)


def test_a_screen_and_a_worker_failing_become_toasts_and_prompts_go_on(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from walkbreak.tui.screens.history import HistoryScreen

    def broken_load(self) -> None:  # type: ignore[no-untyped-def]
        raise ValueError("history could not be drawn")

    monkeypatch.setattr(HistoryScreen, "load", broken_load)

    async def scenario(app: WalkbreakApp, pilot) -> None:
        await pilot.press("h")
        await until(lambda: any("history could not be drawn" in repr(e) for e in app.errors))
        await pilot.press("escape")

        async def broken_worker() -> None:
            raise RuntimeError("a worker fell over")

        app.run_worker(broken_worker())
        await until(lambda: any("a worker fell over" in repr(e) for e in app.errors))
        assert any("Something went wrong" in str(n.message) for n in app._notifications)
        await until(lambda: app.view.plan.state is PlanState.DUE, seconds=20)  # the engine went on
        app.errors.clear()  # these were the injected faults; run() checks there were no others

    run(isolated_env, "2026-11-26 09:58", scenario)


def test_a_prompt_write_failing_once_is_retried_not_lost_until_midnight(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from walkbreak.core import actions

    real_fire = actions.fire
    failures = {"left": 1}

    def flaky_fire(*args, **kwargs):  # type: ignore[no-untyped-def]
        if failures["left"]:
            failures["left"] -= 1
            raise OSError(28, "No space left on device")
        return real_fire(*args, **kwargs)

    monkeypatch.setattr(actions, "fire", flaky_fire)

    async def scenario() -> None:
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:59")) as (engine, clock, (backend,)):
            await until(lambda: failures["left"] == 0)
            await until(lambda: backend.shown, seconds=10)  # a clock minute later, not at midnight
            (fired,) = day(isolated_env, clock.now()).prompts
            assert fired.fired_at <= at(BERLIN, "2026-11-26 10:03")

    asyncio.run(scenario())


def test_the_lease_file_deleted_by_hand_costs_a_minute_not_the_day(isolated_env: Path) -> None:
    from walkbreak.store.lease import LEASE_FILE, Lease

    async def scenario() -> None:
        lease = Lease(str(isolated_env), "dashboard")
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:59"), lease=lease, lease_seconds=0.05) as (
            engine,
            clock,
            (backend,),
        ):
            (isolated_env / LEASE_FILE).unlink()
            await until(lambda: backend.shown, seconds=10)
            assert len(day(isolated_env, clock.now()).prompts) == 1

    asyncio.run(scenario())
