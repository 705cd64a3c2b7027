"""The dashboard at each size a user may give it, and the walk picked on its timeline.

The snapshot tests' seeded day (two walks, a snooze, a skip) on a stopped clock, in Textual's
pilot at 28×7, 40×12, 80×24 and 120×40.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

from textual.widgets import Digits, Static

from tests.test_snapshots import planned, seeded
from walkbreak.core.message import PromptMessage
from walkbreak.tui.app import WalkbreakApp
from walkbreak.tui.screens.history import HistoryScreen
from walkbreak.tui.widgets.next_prompt import large_digits
from walkbreak.tui.widgets.timeline import Timeline, _Place


def run(
    data: Path,
    size: tuple[int, int],
    scenario: Callable[[WalkbreakApp, object], Awaitable[None]],
    **seed: object,
) -> None:
    async def main() -> None:
        app = seeded(data, **seed)  # type: ignore[arg-type]
        async with app.run_test(size=size) as pilot:
            await planned(pilot)
            await scenario(app, pilot)
        assert app.errors == []

    asyncio.run(main())


def visible(app: WalkbreakApp, selector: str) -> bool:
    """Whether the widget is displayed and lies inside the screen."""
    widget = app.screen.query_one(selector)
    region = widget.region
    return widget.display and region.height > 0 and app.screen.region.contains_region(region)


def text(app: WalkbreakApp, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def test_at_80x24_the_tally_the_countdown_and_the_timeline_show_side_by_side(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        assert all(visible(app, part) for part in ("#tally", "#next", "#timeline"))
        assert app.screen.query_one("#tally").region.y == app.screen.query_one("#next").region.y
        assert "2 of 6 walks" in text(app, "#tally")
        countdown = text(app, "#next").splitlines()
        minutes = app.view.plan.at - app.clock.now()
        top, middle, bottom = large_digits(str(round(minutes.total_seconds() / 60)))
        assert countdown[:3] == [top, middle, f"{bottom} min"]
        assert countdown[2].endswith(" min") and countdown[3].startswith("at ")
        assert not app.screen.query("#walks") and not app.screen.query("#week")  # mounted from 120×40

    run(isolated_env, (80, 24), scenario)


def test_at_120x40_the_walks_stand_beside_the_timeline_and_the_week_under_them(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        assert visible(app, "#walks") and visible(app, "#week")
        walks, timeline = app.screen.query_one("#walks").region, app.screen.query_one("#timeline").region
        assert walks.y == timeline.y and walks.x > timeline.right - 1
        listed = text(app, "#walks").splitlines()
        assert [line[2:7] for line in listed] == ["09:12", "10:15"] and listed[1].startswith("▶")

    run(isolated_env, (120, 40), scenario, past_days=8)


def test_at_40x12_the_essentials_show_without_borders(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        assert visible(app, "#tally") and visible(app, "#next") and visible(app, "#timeline")
        assert app.screen.query_one("#tally").styles.border_top[0] in ("", "none")
        assert text(app, "#next").startswith("Next walk ") and " · in " in text(
            app, "#next"
        )  # no room for digits
        assert not app.screen.query("#too-small")  # mounted only when the screen is too small

    run(isolated_env, (40, 12), scenario)


def test_below_the_smallest_size_a_line_says_the_size_needed(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        assert not app.screen.query_one("#dashboard").display
        assert visible(app, "#too-small")
        assert text(app, "#too-small") == "walkbreak needs 30×8 or more (this is 28×7)"
        await pilot.resize_terminal(40, 12)
        await pilot.pause()
        assert app.screen.query_one("#dashboard").display and not app.screen.query_one("#too-small").display

    run(isolated_env, (28, 7), scenario)


def test_left_right_and_a_click_pick_a_walk_on_the_timeline(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        timeline = app.screen.query_one(Timeline)
        assert "● 10:15 · 6 min" in text(app, "#timeline")  # the latest until one is picked
        timeline.focus()
        await pilot.press("left")
        assert "● 09:12 · 5 min · no check-in" in text(app, "#timeline")
        assert text(app, "#walks").splitlines()[0].startswith("▶ 09:12")
        await pilot.press("left")  # no walk before the first: it stays
        assert timeline.picked == timeline.day_log.bouts[0].id
        place = _Place(app.settings, timeline.day_log, app.clock.now(), timeline.size.width)
        column = place.column(timeline.day_log.bouts[1].start)
        gutter, top = (
            timeline.content_region.x - timeline.region.x,
            timeline.content_region.y - timeline.region.y,
        )
        await pilot.click(Timeline, offset=(gutter + column + 6, top + 1))  # away from every mark
        assert timeline.picked == timeline.day_log.bouts[0].id
        await pilot.click(Timeline, offset=(gutter + column, top + 1))
        assert "● 10:15 · 6 min" in text(app, "#timeline")
        assert text(app, "#walks").splitlines()[1].startswith("▶ 10:15")
        walks = app.screen.query_one("#walks")
        gutter, top = walks.content_region.x - walks.region.x, walks.content_region.y - walks.region.y
        await pilot.click("#walks", offset=(gutter + 3, top))  # the first walk's line
        await pilot.pause()
        assert "● 09:12 · 5 min" in text(app, "#timeline") and timeline.picked == timeline.day_log.bouts[0].id

    run(isolated_env, (120, 40), scenario)


def test_no_toast_for_a_prompt_while_the_dashboard_shows_it(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        prompt = app.view.plan.open_prompt
        message = PromptMessage("Time for a 5-minute walk", "2 of 6 today", 10, True, 15)
        app._engine_prompted(prompt, message)
        await pilot.pause()  # a toast is a message to the app
        assert not app._notifications  # the prompt's panel is on screen
        app.push_screen(HistoryScreen())
        await pilot.pause()
        app._engine_prompted(prompt, message)
        await pilot.pause()
        assert [n.title for n in app._notifications] == ["Time for a 5-minute walk"]

    run(isolated_env, (80, 24), scenario, waiting=True)


def test_the_walk_guide_shows_the_part_large_two_bars_the_next_part_and_only_its_keys(
    isolated_env: Path,
) -> None:
    from datetime import timedelta

    from textual.widgets import ProgressBar

    from walkbreak.tui.screens.walk import WalkScreen
    from walkbreak.tui.widgets.footer import KeysFooter

    async def scenario(app: WalkbreakApp, pilot) -> None:
        await pilot.press("w")
        for _ in range(200):
            if isinstance(app.screen, WalkScreen):
                break
            await asyncio.sleep(0.02)
        guide = app.screen
        assert isinstance(guide, WalkScreen)
        assert str(guide.query_one(KeysFooter).render()).split() == [
            "⏎",
            "I'm",
            "back",
            "esc",
            "Call",
            "it",
            "off",
            "?",
            "Help",
        ]
        app.clock.at += timedelta(minutes=2)
        guide.tick()
        await pilot.pause()
        part, walk = guide.query_one("#part-bar", ProgressBar), guide.query_one("#walk-bar", ProgressBar)
        length = guide.parts[0].minutes
        assert walk.total == guide.minutes and abs(walk.progress - 2) < 0.01
        assert part.total == length and abs(part.progress - min(2, length)) < 0.01
        left = guide.query_one("#left", Digits).value
        assert ":" in left and visible(app, "#left")
        then = str(guide.query_one("#then", Static).render())
        assert then.startswith("Then: ")

    run(isolated_env, (80, 24), scenario, waiting=True)
