"""The dashboard keeps the core loop's promises: where prompts go when the desktop cannot show
them, one walk at a time, walks that are real, red flags respected (Textual pilot, real engine)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest
from textual.widgets import Static

from tests.builders import BERLIN, at
from tests.recording import RecordingBackend
from tests.test_tui import back_from_the_walk, due, make, records, run, until
from walkbreak import answers, ids
from walkbreak.core import actions
from walkbreak.core.model import Outcome
from walkbreak.tui.app import WalkbreakApp
from walkbreak.tui.screens.check_in import CheckInScreen
from walkbreak.tui.screens.entries import EntriesScreen
from walkbreak.tui.screens.help import HelpScreen
from walkbreak.tui.screens.log_walk import LogWalkScreen
from walkbreak.tui.screens.walk import WalkScreen


def title(app: WalkbreakApp) -> str:
    """The title bar and the notices under the tally."""
    return "\n".join(str(part.render()) for part in app.screen.query("#title-bar, #notices").results(Static))


def test_the_dashboard_warns_while_no_notification_can_be_delivered(isolated_env: Path) -> None:
    backend = RecordingBackend("broken", fail=True)

    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: due(app))
        await until(lambda: "Desktop notifications unavailable" in title(app))
        assert "⚠ prompts show only here" in title(app).splitlines()[0]
        assert "prompts show only here (told to fail)" in title(app)
        backend.fail = False
        await until(lambda: backend.shown)  # delivered at a later tick
        await until(lambda: "unavailable" not in title(app))

    run(isolated_env, "2026-11-26 09:59", scenario, backends=[backend])


def test_a_short_screen_says_only_in_its_title_that_prompts_show_only_here(isolated_env: Path) -> None:
    """At 40×12 the notice under the tally would take five of the twelve lines: the title's ⚠
    says it; at 80×24 the notice says why too (it was shown at every size: `display` set on
    the widget overrode the short screen's rule)."""

    async def scenario() -> None:
        app = make(
            isolated_env, at(BERLIN, "2026-11-26 09:59"), backends=[RecordingBackend("broken", fail=True)]
        )
        async with app.run_test(size=(40, 12)) as pilot:
            await until(lambda: "⚠ prompts show only here" in title(app))
            await pilot.pause()
            notices = app.screen.query("#notices")
            assert notices and "Desktop notifications unavailable" in str(notices.first(Static).render())
            assert not notices.first().display
            await pilot.resize_terminal(80, 24)
            await until(lambda: app.screen.query_one("#notices").display)

    asyncio.run(scenario())


def test_a_question_shown_right_after_mounting_is_not_blank() -> None:
    """The dashboard mounts a care panel and may show a question before the panel has composed."""
    from textual.app import App, ComposeResult
    from textual.containers import Vertical

    from walkbreak.core.model import Advice
    from walkbreak.tui.widgets.care_panel import SuggestionPanel

    day = at(BERLIN, "2026-11-26 10:00")
    first = Advice(
        "a1", day.date(), day, "pain-spiked", "scale-back", "why one", "3-minute walks", 3, "gentle"
    )
    second = first._replace(id="a2", reason="why two", text="2-minute walks")

    class Host(App[None]):
        def compose(self) -> ComposeResult:
            yield Vertical(id="box")

    async def scenario() -> None:
        app = Host()
        async with app.run_test() as pilot:
            panel = SuggestionPanel(first, id="suggestion")
            app.query_one("#box").mount(panel)
            panel.show(second)  # before it has composed
            await until(lambda: bool(panel.query("#suggestion-text")))
            await pilot.pause()
            text = str(panel.query_one("#suggestion-text", Static).render())
            assert "2-minute walks" in text and "why two" in text
            assert panel.has_class("-asking") and panel.shown == second

    asyncio.run(scenario())


def shown_keys(app: WalkbreakApp) -> set[str]:
    """The keys the footer offers on the current screen."""
    return {key for key, active in app.screen.active_bindings.items() if active.binding.show}


def test_the_walk_guide_is_modal_one_walk_is_logged_once(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: due(app))
        await pilot.press("w")
        await until(lambda: isinstance(app.screen, WalkScreen))
        assert shown_keys(app) == {"enter", "escape", "question_mark"}
        # Today `w` then `m` then Enter logged a second walk over the running one; s, k, e opened dialogs.
        for key in ("w", "m", "s", "k", "e", "l", "p", "r", "h", "c", "u", "a", "d", "y", "n", "q", "ctrl+p"):
            await pilot.press(key)
        await pilot.press("question_mark")  # help acts over the guide
        await until(lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await until(lambda: isinstance(app.screen, WalkScreen))
        assert [type(s).__name__ for s in app.screen_stack] == ["DashboardScreen", "WalkScreen"]
        await until(lambda: app.clock.now() - app.screen.start > timedelta(minutes=3))
        await back_from_the_walk(app, pilot)
        focused = app.focused
        await pilot.press("tab")  # Tab moves between the check-in's buttons
        await until(lambda: app.focused is not focused)
        await pilot.press("2")
        await until(lambda: len(records(isolated_env).checkins) == 1)
        (walk,) = records(isolated_env).bouts
        assert (
            records(isolated_env).walking == () and records(isolated_env).prompts[0].outcome is Outcome.WALKED
        )
        assert records(isolated_env).controls == ()  # no snooze, skip or pause slipped through
        assert app.is_running
        assert "m" in shown_keys(app) and "w" in shown_keys(app)  # the footer has its keys back

    run(isolated_env, "2026-11-26 09:59", scenario, speed=60)  # 20 s before an unanswered guide is given up


def test_walk_now_on_a_notification_opens_the_guide_and_counts_when_back(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: due(app))
        assert app.engine is not None
        app.engine.request("walk")  # as the notification's button calls it
        await until(lambda: isinstance(app.screen, WalkScreen))
        (walk,) = records(isolated_env).walking
        assert walk.guide == answers.this_guide()  # this dashboard ends it, not the engine
        assert app.view is not None and app.view.tally.bouts == 0  # not credited before it is taken
        assert "Walking now" in str(app.screen_stack[0].query_one("#next", Static).render())
        await until(lambda: app.clock.now() > walk.end + timedelta(minutes=1))  # past its planned end
        assert records(isolated_env).bouts == ()  # the guide is open: the walk is not ended for it
        await back_from_the_walk(app, pilot)
        await pilot.press("1")
        await until(lambda: len(records(isolated_env).checkins) == 1)
        (bout,) = records(isolated_env).bouts
        assert bout.id == walk.id and bout.minutes >= walk.minutes  # the real length (or the one asked)
        assert records(isolated_env).checkins[0].bout_id == bout.id

    run(isolated_env, "2026-11-26 09:59", scenario, speed=120)


def test_a_walk_that_overlaps_is_refused_with_a_toast_and_deleting_takes_its_check_in(
    isolated_env: Path,
) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        now = app.clock.now()
        await app.write(
            lambda day: actions.log_walk(app.settings, now, day, ids.new_id, now - timedelta(minutes=5), 5)
        )
        await pilot.press("m")
        await until(lambda: isinstance(app.screen, LogWalkScreen))
        await pilot.press("enter")  # the defaults: the bout length, ending now — over the walk just logged
        await until(lambda: any("overlaps the walk" in n.message for n in app._notifications))
        assert len(records(isolated_env).bouts) == 1
        await pilot.press("c")
        await until(lambda: isinstance(app.screen, CheckInScreen))
        await pilot.press("3")  # slightly sore: a follow-up would come
        await until(lambda: len(records(isolated_env).checkins) == 1)
        await pilot.press("e")
        await until(lambda: isinstance(app.screen, EntriesScreen))
        await pilot.press("d")
        await until(lambda: records(isolated_env).bouts == () and records(isolated_env).checkins == ())
        await pilot.press("u")
        await until(
            lambda: len(records(isolated_env).checkins) == 1 and len(records(isolated_env).bouts) == 1
        )

    run(isolated_env, "2026-11-26 09:30", scenario, speed=1)


def test_a_walk_whose_guide_was_killed_is_taken_over_by_an_open_dashboard(isolated_env: Path) -> None:
    """Another dashboard showed the walk guide and was killed: this one shows it from then on."""
    import subprocess
    import sys

    from walkbreak.core.model import Walking
    from walkbreak.machine import host_name
    from walkbreak.store import Store

    other = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    start = at(BERLIN, "2026-11-26 10:00")
    walk = Walking("w1", start.date(), start, 9.0, guide=f"{other.pid}@{host_name()}")
    Store(isolated_env, warn=print).add(walk)

    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: app.view is not None and app.view.plan.state == "walking")
        await until(lambda: app.engine is not None and app.engine.ticks >= 1, seconds=20)
        assert not isinstance(app.screen, WalkScreen)  # the other dashboard shows it
        other.kill()
        other.wait()
        await until(lambda: isinstance(app.screen, WalkScreen), seconds=20)
        assert app.screen.start == start and app.screen.minutes == 9
        (taken,) = records(isolated_env).walking
        assert taken.guide == answers.this_guide()

    try:
        run(isolated_env, "2026-11-26 10:02", scenario, speed=1)
    finally:
        other.kill()


def test_when_the_walk_cannot_be_saved_the_guide_comes_back_for_another_try(
    isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from walkbreak.errors import StoreError

    async def scenario(app: WalkbreakApp, pilot) -> None:
        await pilot.press("w")
        await until(lambda: isinstance(app.screen, WalkScreen))
        await until(lambda: app.clock.now() - app.screen.start > timedelta(minutes=2))
        real = app.store.batch
        failures = []

        def refuse_once(day):  # type: ignore[no-untyped-def]
            if not failures:
                failures.append(day)
                raise StoreError("cannot write to the data dir (injected)")
            return real(day)

        monkeypatch.setattr(app.store, "batch", refuse_once)
        await pilot.press("enter")
        await until(lambda: any("Could not save" in n.message for n in app._notifications))
        await until(lambda: isinstance(app.screen, WalkScreen))  # back, still under way
        assert len(records(isolated_env).walking) == 1 and records(isolated_env).bouts == ()
        await back_from_the_walk(app, pilot)
        await pilot.press("escape")  # no check-in this time
        await until(lambda: len(records(isolated_env).bouts) == 1 and records(isolated_env).walking == ())

    run(isolated_env, "2026-11-26 09:30", scenario, speed=60)
