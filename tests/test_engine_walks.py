"""The engine and walks under way: a walk no guide shows ends at its planned end, and the check-in
is then asked as a notification with buttons, answered or expired like a prompt (real
APScheduler at 600×, real files; the real daemon in test_desktop.py)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from tests.builders import BERLIN, at, settings
from tests.conftest import run_walkbreak
from tests.test_engine import day, running, settled, until
from walkbreak.core.model import Outcome

NOW = at(BERLIN, "2026-11-26 09:59")


def test_walk_now_on_a_notification_counts_at_its_end_and_asks_the_check_in(isolated_env: Path) -> None:
    async def scenario() -> None:
        async with running(isolated_env, NOW) as (engine, clock, (backend,)):
            await until(lambda: backend.shown)
            assert backend.on_action is not None
            backend.on_action("walk")  # the prompt's button
            await until(lambda: engine.view is not None and engine.view.plan.state == "walking")
            (walk,) = day(isolated_env, clock.now()).walking
            assert day(isolated_env, clock.now()).bouts == ()  # not credited before it is taken
            assert day(isolated_env, clock.now()).prompts[0].outcome is Outcome.WALKED
            await until(lambda: len(backend.shown) == 2)  # at its planned end: the check-in
            question = backend.shown[1]
            assert question.title == "How does your back feel after this walk?"
            assert question.actions() == (("better", "Better"), ("same", "Same"), ("sore", "Slightly sore"))
            assert "walkbreak checkin spiked" in question.body and "after a fall" in question.body
            (bout,) = day(isolated_env, clock.now()).bouts
            assert (bout.id, bout.minutes, bout.prompt_id) == (walk.id, 5.0, walk.prompt_id)
            assert clock.now() >= walk.end
            closed = backend.closed
            backend.on_action("same")
            await until(lambda: len(day(isolated_env, clock.now()).checkins) == 1)
            (checkin,) = day(isolated_env, clock.now()).checkins
            assert (checkin.feeling, checkin.bout_id) == ("same", bout.id)
            await until(lambda: backend.closed > closed)  # answered: taken off the desktop
            assert await engine.act("sore") == "that check-in is not asked now"
            assert [m.title for m in backend.shown].count(question.title) == 1  # asked once

    asyncio.run(scenario())


def test_a_button_on_an_older_notification_answers_only_what_is_still_asked(isolated_env: Path) -> None:
    """Servers such as GNOME's notification-daemon leave a closed popup on screen: its buttons
    answer the prompt it showed while that still waits (here snoozed), and nothing after."""

    async def scenario() -> None:
        async with running(isolated_env, NOW) as (engine, clock, (backend,)):
            await until(lambda: backend.shown)
            first = backend.pressed[0]
            (prompt,) = day(isolated_env, clock.now()).prompts
            assert await engine.act("snooze") is None  # on the dashboard: the popup is closed
            first("walk")  # Walk now on the popup left up: the same prompt, snoozed
            await until(lambda: day(isolated_env, clock.now()).walking)
            assert day(isolated_env, clock.now()).prompts[0].outcome is Outcome.WALKED
            await until(lambda: len(backend.shown) == 2)  # the walk ended: the check-in
            over = "pressed on the notification of an earlier prompt, which is over"
            assert await engine.act("walk", about=prompt.id) == over  # no second walk for it
            assert await engine.act("skip", about=prompt.id) == over
            assert await engine.act("same", about="another walk") == "that check-in is not asked now"
            assert day(isolated_env, clock.now()).checkins == ()
            backend.pressed[1]("same")
            await until(lambda: day(isolated_env, clock.now()).checkins)
            (bout,) = day(isolated_env, clock.now()).bouts
            assert day(isolated_env, clock.now()).checkins[0].bout_id == bout.id

    asyncio.run(scenario())


def test_a_check_in_question_answered_elsewhere_or_left_is_taken_down(isolated_env: Path) -> None:
    prefs = settings(target=6, expire=10)

    async def scenario() -> None:
        async with running(isolated_env, NOW, prefs) as (engine, clock, (backend,)):
            await until(lambda: backend.shown)
            assert await engine.act("walk") is None
            await until(lambda: len(backend.shown) == 2)
            closed = backend.closed
            checked = await asyncio.to_thread(
                run_walkbreak, "checkin", "better", env={"WALKBREAK_NOW": clock.now().isoformat()}
            )
            assert checked.returncode == 0, checked.stderr
            await until(lambda: backend.closed > closed)  # answered in a shell: closed here
            # The next walk's question is left unanswered: it goes after expire_minutes, unrecorded.
            assert await engine.act("walk") is None
            await until(lambda: len(backend.shown) == 3)
            asked_at, closed = clock.now(), backend.closed
            await until(lambda: backend.closed > closed)
            assert clock.now() - asked_at >= timedelta(minutes=9)
            assert len(day(isolated_env, clock.now()).checkins) == 1

    asyncio.run(scenario())


def test_no_check_in_question_when_check_ins_are_off(isolated_env: Path) -> None:
    prefs = settings(target=6)
    prefs = prefs._replace(care=prefs.care._replace(check_in=False))

    async def scenario() -> None:
        async with running(isolated_env, NOW, prefs) as (engine, clock, (backend,)):
            await until(lambda: backend.shown)
            assert await engine.act("walk") is None
            await until(lambda: len(day(isolated_env, clock.now()).bouts) == 1)
            await settled(engine, clock, day(isolated_env, clock.now()).bouts[0].end + timedelta(minutes=1))
            assert len(backend.shown) == 1

    asyncio.run(scenario())


def test_a_check_in_due_in_do_not_disturb_is_asked_once_it_ends(isolated_env: Path) -> None:
    from tests.test_presence import Scripted
    from walkbreak.desktop.presence import Presence

    presence = Scripted()

    async def scenario() -> None:
        options = {"presence": presence, "presence_seconds": 0.05}
        async with running(isolated_env, NOW, **options) as (engine, clock, (backend,)):
            await until(lambda: backend.shown)
            assert await engine.act("walk") is None
            presence.state = Presence(None, None, dnd=True, dnd_source="dunst")
            await until(lambda: engine._dnd)
            (walk,) = day(isolated_env, clock.now()).walking
            await until(lambda: len(day(isolated_env, clock.now()).bouts) == 1)  # ended, in DND
            await settled(engine, clock, walk.end + timedelta(minutes=2))
            assert len(backend.shown) == 1  # not asked into do-not-disturb
            presence.state = Presence(None, None, dnd=False)
            await until(lambda: len(backend.shown) == 2)
            assert backend.shown[1].title == "How does your back feel after this walk?"

    asyncio.run(scenario())
