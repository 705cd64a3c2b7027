"""A prompt nothing delivered is tried again until it is delivered, answered or expired, and the
user is told where they look (dashboard title, `status --json`) while nothing can deliver."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path

import pytest

from tests.builders import BERLIN, at
from tests.conftest import run_walkbreak
from tests.recording import RecordingBackend
from tests.test_engine import day, running, settled, until
from walkbreak.core.message import PromptMessage
from walkbreak.core.model import Outcome
from walkbreak.notify.notifier import Notifier
from walkbreak.store.lease import Lease

MESSAGE = PromptMessage("Time for a 5-minute walk", "0 of 6 today", 10, True, 900)


class FlakyBackend(RecordingBackend):
    """Fails (and says it is not ready) until `fail` is set to False; counts every call."""

    def __init__(self) -> None:
        super().__init__("flaky", fail=True)
        self.tries = self.asked = 0

    async def ready(self) -> str | None:
        self.asked += 1
        return "no notification server is running" if self.fail else None

    async def show(self, message: PromptMessage, on_action) -> None:  # type: ignore[no-untyped-def]
        self.tries += 1
        await super().show(message, on_action)


def test_a_failure_streak_is_logged_once_and_retried_by_asking_not_showing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    backend = FlakyBackend()
    notifier = Notifier([backend])

    async def scenario() -> None:
        with caplog.at_level(logging.INFO, logger="walkbreak.notify"):
            assert await notifier.show(MESSAGE) is None
            assert notifier.failing == "told to fail"  # why the first, real try failed
            for _ in range(4):
                assert await notifier.show(MESSAGE) is None
            assert notifier.failing == "no notification server is running"  # the latest answer
            assert (backend.tries, backend.asked) == (1, 4)  # after the first failure: asked, not tried
            backend.fail = False
            assert await notifier.show(MESSAGE) == "flaky"
            assert notifier.failing is None and backend.shown == [MESSAGE]

    asyncio.run(scenario())
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1 and "trying again" in errors[0].getMessage()
    assert sum("work again (after 5 failed tries)" in r.getMessage() for r in caplog.records) == 1


def test_no_backends_at_all_is_a_choice_not_a_failure() -> None:
    notifier = Notifier([])
    assert asyncio.run(notifier.show(MESSAGE)) is None
    assert notifier.failing is None


def test_an_undelivered_prompt_is_delivered_once_the_desktop_can_and_status_says_why_meanwhile(
    isolated_env: Path,
) -> None:
    backend = FlakyBackend()

    async def scenario() -> None:
        lease = Lease(str(isolated_env), "headless engine")
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:59"), backends=[backend], lease=lease) as (
            engine,
            clock,
            _,
        ):
            await until(lambda: engine.view is not None and engine.view.notifications != "")
            assert engine.view is not None and engine.view.plan.state == "due"
            assert engine.view.notifications in ("told to fail", "no notification server is running")
            status = await asyncio.to_thread(
                run_walkbreak, "status", "--json", env={"WALKBREAK_NOW": clock.now().isoformat()}
            )
            facts = json.loads(status.stdout)
            assert facts["notifications"] in ("told to fail", "no notification server is running")
            assert "no-notifications" in facts["class"]
            assert "desktop notifications unavailable" in facts["tooltip"]
            await until(lambda: backend.asked >= 3)  # retried at each tick while it waits
            assert backend.shown == []
            backend.fail = False
            await until(lambda: len(backend.shown) == 1)
            assert backend.shown[0].title == "Time for a 5-minute walk"
            await until(lambda: engine.view is not None and engine.view.notifications == "")
            assert lease.holder() is not None and lease.holder().notifications == ""  # type: ignore[union-attr]
            (prompt,) = day(isolated_env, clock.now()).prompts
            assert prompt.outcome is None  # still waiting for an answer, now on the desktop
            retries = backend.asked
            await settled(engine, clock)  # once delivered, it is not sent again
            assert len(backend.shown) == 1 and backend.asked == retries

    asyncio.run(scenario())


def test_an_undelivered_prompt_stops_being_retried_once_it_expires(isolated_env: Path) -> None:
    backend = FlakyBackend()

    async def scenario() -> None:
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:59"), backends=[backend]) as (
            engine,
            clock,
            _,
        ):
            await until(lambda: len(day(isolated_env, clock.now()).prompts) == 1)
            await until(lambda: day(isolated_env, clock.now()).prompts[0].outcome is Outcome.EXPIRED)
            await until(lambda: engine._undelivered is None)
            asked = backend.asked
            await settled(engine, clock)
            assert backend.asked == asked and backend.shown == []

    asyncio.run(scenario())


def test_with_no_backend_usable_at_all_the_warning_comes_before_any_prompt(isolated_env: Path) -> None:
    from tests.test_notify import CountingProbe

    gone = CountingProbe("gone", "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)")

    async def scenario() -> None:
        async with running(isolated_env, at(BERLIN, "2026-11-26 07:00"), backends=[gone]) as (engine, _, _):
            assert engine.view is not None and engine.view.plan.state == "scheduled"
            assert engine.view.notifications == "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"

    asyncio.run(scenario())


def test_the_warning_goes_once_the_desktop_can_deliver_again_before_the_next_prompt(
    isolated_env: Path,
) -> None:
    backend = FlakyBackend()

    async def scenario() -> None:
        async with running(
            isolated_env, at(BERLIN, "2026-11-26 09:59"), backends=[backend], recheck_seconds=0.2
        ) as (engine, clock, _):
            await until(lambda: len(day(isolated_env, clock.now()).prompts) == 1)
            await until(lambda: day(isolated_env, clock.now()).prompts[0].outcome is Outcome.EXPIRED)
            assert engine.view is not None and engine.view.notifications != ""  # nothing delivered since
            backend.fail = False  # the notification server is back; no prompt is due for an hour
            await until(lambda: engine.view is not None and engine.view.notifications == "")
            assert backend.shown == [] and engine.view.plan.state == "scheduled"

    asyncio.run(scenario())
