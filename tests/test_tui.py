"""The dashboard's flows through Textual's pilot, with the real engine at 600× and real files."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from textual.widgets import Input, Static

from tests.builders import BERLIN, at, settings
from tests.conftest import run_walkbreak
from tests.recording import RecordingBackend
from walkbreak.clock import ScaledClock
from walkbreak.core import actions
from walkbreak.core.model import ControlKind, Outcome
from walkbreak.core.planner import PlanState
from walkbreak.core.settings import Settings
from walkbreak.notify.notifier import Notifier
from walkbreak.store import Store
from walkbreak.tui.app import WalkbreakApp
from walkbreak.tui.screens.check_in import CheckInScreen
from walkbreak.tui.screens.choices import ChoiceScreen
from walkbreak.tui.screens.entries import EntriesScreen
from walkbreak.tui.screens.help import HelpScreen
from walkbreak.tui.screens.history import HistoryScreen
from walkbreak.tui.screens.log_walk import LogWalkScreen
from walkbreak.tui.screens.walk import WalkScreen
from walkbreak.tui.walk_flow import SHORTEST_WALK
from walkbreak.tui.widgets.away_panel import AwayPanel
from walkbreak.tui.widgets.prompt_panel import PromptPanel

DAY = at(BERLIN, "2026-11-26 00:00").date()


def make(
    data: Path,
    start: datetime,
    prefs: Settings | None = None,
    speed: float = 600.0,
    backends: list[RecordingBackend] | None = None,
    engine: dict[str, Any] | None = None,
) -> WalkbreakApp:
    app = WalkbreakApp(
        prefs or settings(target=6),
        Store(data, warn=print),
        ScaledClock(start, speed),
        Notifier(backends if backends is not None else [RecordingBackend()]),
    )
    app.engine_options = engine or {}
    return app


async def until(condition: Callable[[], object], seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        await asyncio.sleep(0.02)


def run(
    data: Path, start: str, scenario: Callable[[WalkbreakApp, object], Awaitable[None]], **options: object
) -> None:
    """Run `scenario(app, pilot)` in an 80×24 terminal."""

    async def main() -> None:
        app = make(data, at(BERLIN, start), **options)  # type: ignore[arg-type]
        async with app.run_test(size=(80, 24)) as pilot:
            await until(lambda: app.view is not None)
            await scenario(app, pilot)
        assert app.errors == [], "the dashboard caught errors"

    asyncio.run(main())


def records(data: Path):
    return Store(data, warn=print).day(DAY)


def shown(app: WalkbreakApp, kind: type[PromptPanel | AwayPanel]) -> bool:
    """Whether the dashboard shows its panel of `kind` (mounted the first time it has something)."""
    found = app.screen.query(kind)
    return bool(found) and (found.first().has_class("-waiting") or found.first().has_class("-asking"))


def due(app: WalkbreakApp) -> bool:
    return app.view is not None and app.view.plan.state is PlanState.DUE


async def back_from_the_walk(app: WalkbreakApp, pilot) -> None:  # type: ignore[no-untyped-def]
    """Enter on the walk guide, on to the check-in. Enter comes once the guide has run a minute
    (back sooner is taken for a second Enter, not a walk: 0.1 s at 600×). At 600× a slow machine
    may take long enough for the walk to look much longer than planned: then walkbreak asks how
    long, and its default is taken."""
    guide = app.screen
    assert isinstance(guide, WalkScreen)
    await until(lambda: guide.elapsed() >= SHORTEST_WALK + 0.1)  # the guide rounds to a tenth
    await pilot.press("enter")
    await until(lambda: isinstance(app.screen, CheckInScreen | LogWalkScreen))
    if isinstance(app.screen, LogWalkScreen):
        await pilot.press("enter")
        await until(lambda: isinstance(app.screen, CheckInScreen))


def test_prompt_walk_and_back_adds_one_to_the_tally(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: due(app))
        await until(lambda: shown(app, PromptPanel))
        assert "Walk due now" in str(app.screen.query_one("#next", Static).render())
        await pilot.press("w")
        await until(lambda: isinstance(app.screen, WalkScreen))
        phases = str(app.screen.query_one("#phases", Static).render())
        assert "comfortable 5 min" in phases and "brisk" not in phases  # the short walk: comfortable
        await back_from_the_walk(app, pilot)
        await pilot.press("2")
        await until(lambda: app.view.tally.bouts == 1)
        await until(lambda: len(records(isolated_env).checkins) == 1)
        (prompt,) = records(isolated_env).prompts
        (bout,) = records(isolated_env).bouts
        assert prompt.outcome is Outcome.WALKED and bout.prompt_id == prompt.id
        (checkin,) = records(isolated_env).checkins
        assert (checkin.feeling, checkin.bout_id, checkin.flags) == ("same", bout.id, ())
        assert not shown(app, PromptPanel)
        assert "1 of 6 walks" in str(app.screen.query_one("#tally").render())

    run(isolated_env, "2026-11-26 09:59", scenario)


def test_calling_a_walk_off_leaves_the_prompt_unanswered(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: due(app))
        await pilot.press("w")
        await until(lambda: isinstance(app.screen, WalkScreen))
        await until(lambda: records(isolated_env).prompts[0].outcome is Outcome.WALKED)
        await pilot.press("escape")
        await until(lambda: records(isolated_env).prompts[0].outcome is None)
        assert records(isolated_env).bouts == ()

    run(isolated_env, "2026-11-26 09:59", scenario, speed=60)


def test_a_walk_guide_nobody_comes_back_to_is_given_up_and_the_walk_can_be_changed(
    isolated_env: Path,
) -> None:
    """A guide left open (in a window nobody looks at) must not hold prompts back all day: three
    times the walk's length later it counts at its planned length, and `e` changes it."""

    async def scenario(app: WalkbreakApp, pilot) -> None:
        await pilot.press("w")
        await until(lambda: isinstance(app.screen, WalkScreen))
        (walk,) = records(isolated_env).walking
        await until(lambda: not isinstance(app.screen, WalkScreen))  # given up at 08:20
        assert app.clock.now() >= walk.start + timedelta(minutes=20)
        (bout,) = records(isolated_env).bouts
        assert (bout.id, bout.minutes) == (walk.id, 5) and records(isolated_env).walking == ()
        await until(
            lambda: any(
                "counts as its planned 5 minutes (e changes it)" in n.message for n in app._notifications
            )
        )
        await pilot.press("e")
        await until(lambda: app.screen.__class__.__name__ == "EntriesScreen")
        await pilot.press("enter")
        await until(lambda: isinstance(app.screen, LogWalkScreen))
        app.screen.query_one("#minutes", Input).value = "12"
        await pilot.press("enter")
        await until(lambda: records(isolated_env).bouts[0].minutes == 12)

    run(isolated_env, "2026-11-26 08:00", scenario, speed=300)


def test_snooze_puts_it_off_and_it_comes_back(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: due(app))
        await pilot.press("s")
        await until(lambda: any(c.kind is ControlKind.SNOOZE for c in records(isolated_env).controls))
        await until(lambda: not due(app))
        assert not shown(app, PromptPanel)
        await until(lambda: due(app))  # 10 clock minutes later
        assert records(isolated_env).prompts[0].snoozes == 1

    run(isolated_env, "2026-11-26 09:59", scenario, speed=300)


def test_a_panels_buttons_do_what_their_keys_do(isolated_env: Path) -> None:
    """A click on the prompt's Snooze, and on the away question's Yes, runs the app's action."""

    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: due(app) and shown(app, PromptPanel))
        await until(lambda: app.screen.query_one("#snooze").region.area)  # laid out, to be clicked
        await pilot.click("#snooze")
        await until(lambda: any(c.kind is ControlKind.SNOOZE for c in records(isolated_env).controls))
        app.clock.jump(timedelta(hours=1))  # the machine slept
        await until(
            lambda: shown(app, AwayPanel) and app.screen.query_one("#away-yes").region.area, seconds=10
        )
        await pilot.click("#away-yes")
        await until(lambda: app.view.tally.bouts == 1)
        assert records(isolated_env).away[0].answer == "walking"

    run(isolated_env, "2026-11-26 09:59", scenario, speed=300, engine={"idle_poll_seconds": 0.1})


def test_skip_asks_why_with_one_key(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: due(app))
        await pilot.press("k")
        await until(lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("m")
        await until(lambda: records(isolated_env).prompts[0].outcome is Outcome.SKIPPED)
        assert records(isolated_env).prompts[0].reason == "meeting"

    run(isolated_env, "2026-11-26 09:59", scenario, speed=60)


def test_manual_log_then_undo(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await pilot.press("m")
        await until(lambda: isinstance(app.screen, LogWalkScreen))
        app.screen.query_one("#minutes", Input).value = "7"
        app.screen.query_one("#start", Input).value = "08:30"
        await pilot.press("enter")
        await until(lambda: app.view.tally.bouts == 1)
        walk = records(isolated_env).bouts[0]
        assert (walk.start.strftime("%H:%M"), walk.minutes) == ("08:30", 7.0)
        await pilot.press("u")
        await until(lambda: app.view.tally.bouts == 0)
        assert records(isolated_env).bouts == ()

    run(isolated_env, "2026-11-26 09:00", scenario, speed=1)


def test_a_bad_manual_entry_is_explained_and_nothing_saved(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await pilot.press("m")
        await until(lambda: isinstance(app.screen, LogWalkScreen))
        app.screen.query_one("#minutes", Input).value = "lots"
        await pilot.press("enter")
        assert "Minutes must be a number" in str(app.screen.query_one("#error", Static).render())
        app.screen.query_one("#minutes", Input).value = "5"
        app.screen.query_one("#start", Input).value = "23:00"
        await pilot.press("enter")
        assert "in the future" in str(app.screen.query_one("#error", Static).render())
        await pilot.press("escape")
        assert records(isolated_env).bouts == ()

    run(isolated_env, "2026-11-26 09:00", scenario, speed=1)


def test_edit_and_delete_todays_walks_with_undo(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await app.write(
            lambda day: actions.log_walk(
                app.settings, app.clock.now(), day, lambda: "b1", at(BERLIN, "2026-11-26 08:00"), 5
            )
        )
        await pilot.press("e")
        await until(lambda: isinstance(app.screen, EntriesScreen))
        await pilot.press("enter")
        await until(lambda: isinstance(app.screen, LogWalkScreen))
        app.screen.query_one("#minutes", Input).value = "9"
        await pilot.press("enter")
        await until(lambda: records(isolated_env).bouts[0].minutes == 9)
        await until(lambda: isinstance(app.screen, EntriesScreen))
        await pilot.press("d")
        await until(lambda: records(isolated_env).bouts == ())
        await pilot.press("u")
        await until(lambda: records(isolated_env).bouts and records(isolated_env).bouts[0].minutes == 9)
        await pilot.press("u")
        await until(lambda: records(isolated_env).bouts and records(isolated_env).bouts[0].minutes == 5)

    run(isolated_env, "2026-11-26 09:00", scenario, speed=1)


def test_pause_and_resume(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await pilot.press("p")
        await until(lambda: isinstance(app.screen, ChoiceScreen))
        await pilot.press("2")  # one hour
        await until(lambda: app.view.plan.state is PlanState.PAUSED)
        assert "Paused until 10:00" in str(app.screen.query_one("#next", Static).render())
        await pilot.press("r")
        await until(lambda: app.view.plan.state is PlanState.SCHEDULED)

    run(isolated_env, "2026-11-26 09:00", scenario, speed=1)


def test_history_screen(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await pilot.press("h")
        await until(lambda: isinstance(app.screen, HistoryScreen))
        await until(lambda: "streak: 0 days" in str(app.screen.query_one("#totals", Static).render()))
        totals = str(app.screen.query_one("#totals", Static).render())
        # On the first day, the days before it count for nothing (not as days without walks).
        assert "last 30 days: 0/6 walks, 0 min, target met on 0 of 1 work days" in totals
        assert "since 26 Nov 2026 (1 day)" in totals
        assert "23 Nov" in str(app.screen.query_one("#weeks", Static).render())  # a Monday's label
        assert "Nov" in str(app.screen.query_one("#year", Static).render())
        await pilot.press("escape")
        assert not isinstance(app.screen, HistoryScreen)

    run(isolated_env, "2026-11-26 09:00", scenario, speed=1)


def test_help_says_it_is_not_medical_advice(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await pilot.press("question_mark")
        await until(lambda: isinstance(app.screen, HelpScreen))
        names = [c.title for c in app.get_system_commands(app.screen)]
        assert {"Walk now", "Snooze", "Skip", "Log a walk", "Pause prompts", "History", "Undo"} <= set(names)

    run(isolated_env, "2026-11-26 09:00", scenario, speed=1)


def test_a_walk_logged_from_another_shell_shows_up(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        result = await asyncio.to_thread(
            run_walkbreak,
            "log",
            "6",
            env={"WALKBREAK_NOW": app.clock.now().isoformat(), "TZ": "Europe/Berlin"},
        )
        assert result.returncode == 0, result.stderr
        await until(lambda: app.view.tally.bouts == 1, seconds=10)  # the engine polls every 5 s
        assert "1 of 6 walks" in str(app.screen.query_one("#tally").render())

    run(isolated_env, "2026-11-26 09:00", scenario, speed=1)


def test_midnight_resets_the_tally_while_open(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        now = app.clock.now()
        await app.write(
            lambda day: actions.log_walk(app.settings, now, day, lambda: "b1", now - timedelta(minutes=5), 5)
        )
        await until(lambda: app.view.tally.bouts == 1)
        assert len(records(isolated_env).bouts) == 1, "the walk belongs to the 26th"
        await until(lambda: app.view.now.date() > DAY)
        assert app.view.tally.bouts == 0
        assert "0 of 3 walks" in str(app.screen.query_one("#tally").render())

    run(
        isolated_env,
        "2026-11-26 23:40",
        scenario,
        prefs=settings(work=("00:00-24:00",), target=3, interval=240),
        speed=300,
    )


def test_away_question_logs_the_walk(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await asyncio.sleep(0.2)
        app.clock.jump(timedelta(hours=1))  # the machine slept
        await until(lambda: shown(app, AwayPanel), seconds=10)
        await pilot.press("y")
        await until(lambda: app.view.tally.bouts == 1)
        assert records(isolated_env).away[0].answer == "walking"
        assert not shown(app, AwayPanel)

    # A real suspend rings the engine's tick as the machine wakes; a jump of the test's clock
    # does not, so the tick comes every 0.1 s here.
    run(isolated_env, "2026-11-26 10:00", scenario, speed=1, engine={"idle_poll_seconds": 0.1})


def test_an_error_in_a_widget_becomes_a_toast_and_the_engine_goes_on(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        def broken(*_: object) -> None:
            raise RuntimeError("injected")

        app.screen.query_one("#tally").show = broken  # type: ignore[method-assign]
        await until(lambda: app.errors, seconds=10)  # the next redraw fails
        assert app.is_running
        await until(lambda: due(app))  # the engine still fires the 10:00 prompt
        assert len(records(isolated_env).prompts) == 1
        app.errors.clear()

    run(isolated_env, "2026-11-26 09:58", scenario, speed=120)


def test_back_within_a_minute_logs_nothing_and_the_prompt_still_waits(isolated_env: Path) -> None:
    """A second Enter right after the first is not a walk."""

    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: due(app))
        await pilot.press("w")
        await until(lambda: isinstance(app.screen, WalkScreen))
        await pilot.press("enter")
        await until(lambda: not isinstance(app.screen, WalkScreen))
        await until(lambda: records(isolated_env).prompts[0].outcome is None)
        assert records(isolated_env).bouts == () and app.view.tally.bouts == 0
        assert due(app)

    run(isolated_env, "2026-11-26 10:00", scenario, speed=1)


def test_the_footer_shows_each_screens_keys_and_a_click_presses_one(isolated_env: Path) -> None:
    from walkbreak.tui.widgets.footer import KeysFooter

    def footer(app: WalkbreakApp) -> str:
        return str(app.screen.query_one(KeysFooter).render())

    async def scenario(app: WalkbreakApp, pilot) -> None:
        line = footer(app)
        assert line.startswith(" w Walk  s Snooze  k Skip ") and line.rstrip().endswith("▏^p palette")
        assert len(line) == 80 and "Longer walk" not in line  # a key the help lists, not the footer
        await pilot.click(KeysFooter, offset=(line.index(" h History") + 3, 0))
        await until(lambda: isinstance(app.screen, HistoryScreen))
        await until(lambda: footer(app).startswith(" esc Back "))
        await pilot.click(KeysFooter, offset=(footer(app).index("esc") + 1, 0))
        await until(lambda: not isinstance(app.screen, HistoryScreen))
        await until(lambda: footer(app).startswith(" w Walk "))

    run(isolated_env, "2026-11-26 09:59", scenario)
