"""The small things a new user found on the dashboard (issue 14), each through Textual's pilot
with the real engine, or on the pure text where that is what changed."""

from __future__ import annotations

import asyncio
from pathlib import Path

from textual.widgets import Button, Static

from tests.builders import BERLIN, at, bout, settings
from tests.test_tui import due, make, records, run, shown, until
from walkbreak.store import Store
from walkbreak.tui.app import WalkbreakApp
from walkbreak.tui.screens.choices import ChoiceScreen
from walkbreak.tui.screens.help import HelpScreen
from walkbreak.tui.screens.welcome import WelcomeScreen, first_start, work_days
from walkbreak.tui.widgets.prompt_panel import PromptPanel


def toasts(app: WalkbreakApp) -> list[str]:
    return [str(n.message) for n in app._notifications]


def test_the_snooze_button_goes_after_the_last_snooze(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: due(app) and shown(app, PromptPanel))
        button = app.screen.query_one("#snooze", Button)
        assert button.display
        for _ in range(app.settings.snooze.max_per_prompt):
            await until(lambda: due(app) and shown(app, PromptPanel))
            await pilot.press("s")
            await until(lambda: not due(app))
        await until(lambda: due(app) and shown(app, PromptPanel), seconds=20)  # back after the last snooze
        assert not button.display  # as the notification: Walk now and Skip only

    run(isolated_env, "2026-11-26 09:59", scenario)


def test_k_with_no_prompt_waiting_says_so_before_asking_why(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        assert not due(app)
        await pilot.press("k")
        await pilot.pause()
        assert not isinstance(app.screen, ChoiceScreen)
        await until(lambda: "No prompt is waiting: nothing to skip." in toasts(app))

    run(isolated_env, "2026-11-26 09:00", scenario, speed=1)


def test_a_d_y_n_with_nothing_to_answer_say_so(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        for key in ("a", "d", "y", "n"):
            await pilot.press(key)
        await until(lambda: len(toasts(app)) == 4)
        assert toasts(app) == [
            "No suggestion is waiting: nothing to accept.",
            "No suggestion is waiting: nothing to decline.",
            "Nothing to answer yes or no to now.",
            "Nothing to answer yes or no to now.",
        ]

    run(isolated_env, "2026-11-26 09:00", scenario, speed=1)


def test_undo_says_what_the_next_u_takes_and_U_puts_it_back(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await pilot.press("m")  # a walk logged by hand
        await until(lambda: app.screen.__class__.__name__ == "LogWalkScreen")
        await pilot.press("enter")
        await until(lambda: app.view.tally.bouts == 1)
        assert len(app.undo_stack) == 1
        await pilot.press("u")
        await until(lambda: app.view.tally.bouts == 0)
        assert "Undid the walk you logged (U redoes it)." in toasts(app)
        await pilot.press("U")
        await until(lambda: app.view.tally.bouts == 1)
        assert "Redid the walk you logged." in toasts(app)
        assert len(records(isolated_env).bouts) == 1
        await pilot.press("U")
        await until(lambda: "Nothing to redo." in toasts(app))
        await pilot.press("u")
        await until(lambda: app.view.tally.bouts == 0)
        app.clear_notifications()
        await pilot.press("u")
        await until(lambda: "Nothing to undo." in toasts(app))

    run(isolated_env, "2026-11-26 09:00", scenario, speed=1)


def test_q_in_the_dashboard_that_sends_the_prompts_warns_first(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: app.engine is not None and app.engine.leading)
        await pilot.press("q")
        await until(lambda: any("they stop when it closes" in t for t in toasts(app)))
        assert app.is_running
        await pilot.press("q")
        await until(lambda: not app.is_running)

    run(isolated_env, "2026-11-26 09:00", scenario, speed=1)


def test_minutes_read_whole_in_the_tally(isolated_env: Path) -> None:
    Store(isolated_env, warn=print).add(bout(at(BERLIN, "2026-11-26 09:10"), 13.3))

    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: app.view.tally.bouts == 1)
        assert "13 of 30 min" in str(app.screen.query_one("#tally").render())
        assert "13.3" not in str(app.screen.query_one("#tally").render())

    run(isolated_env, "2026-11-26 09:30", scenario, speed=1)


def test_the_longer_walk_lists_its_parts_once(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await pilot.press("l")
        await until(lambda: isinstance(app.screen, ChoiceScreen))
        labels = [str(b.label) for b in app.screen.query(Button)]
        assert labels[0] == "9 minutes: 3 + 3 + 3 (1)"

    run(isolated_env, "2026-11-26 09:00", scenario, speed=1)


def test_before_work_it_says_when_work_starts(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: "work from 09:00" in str(app.screen.query_one("#next").render()))
        assert "at 10:00 · work from 09:00" in str(app.screen.query_one("#next").render())
        await pilot.resize_terminal(60, 20)  # no room for the countdown: in words
        await until(lambda: "work starts 09:00" in str(app.screen.query_one("#next").render()))
        assert str(app.screen.query_one("#next").render()).startswith("Next walk 10:00 · in 1 h 30 min")

    run(isolated_env, "2026-11-26 08:30", scenario, speed=1)


def test_on_a_day_off_it_says_when_the_next_walk_comes(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: "day off" in str(app.screen.query_one("#next").render()))
        assert (
            str(app.screen.query_one("#next").render()) == "No prompts today (day off) · next walk Mon 10:00"
        )

    async def main() -> None:
        app = make(isolated_env, at(BERLIN, "2026-11-28 11:00"), settings(target=6, days=range(5)), speed=1)
        async with app.run_test(size=(80, 24)) as pilot:
            await scenario(app, pilot)

    asyncio.run(main())


def test_esc_closes_the_keys_panel_the_palette_opened(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        app.action_show_help_panel()
        await until(lambda: app.screen.query("HelpPanel"))
        await pilot.press("escape")
        await until(lambda: not app.screen.query("HelpPanel"))

    run(isolated_env, "2026-11-26 09:00", scenario, speed=1)


def test_the_welcome_shows_once_on_the_very_first_start(tmp_path: Path) -> None:
    assert first_start(str(tmp_path), has_history=lambda: False)
    assert not first_start(str(tmp_path), has_history=lambda: False)  # marked: once
    assert (tmp_path / ".welcomed").stat().st_mode & 0o777 == 0o600
    other = tmp_path / "upgraded"
    other.mkdir()
    assert not first_start(str(other), has_history=lambda: True)  # a user with history is no new user
    assert work_days(frozenset(range(5))) == "Mon–Fri" and work_days(frozenset({0, 1, 3})) == "Mon, Tue, Thu"


def test_the_welcome_says_what_is_in_force_and_enter_or_question_mark_go_on(isolated_env: Path) -> None:
    async def main() -> None:
        app = make(isolated_env, at(BERLIN, "2026-11-26 09:00"), speed=1)
        app.welcome = "/home/me/.config/walkbreak/config.toml"
        async with app.run_test(size=(80, 24)) as pilot:
            await until(lambda: isinstance(app.screen, WelcomeScreen))
            await pilot.pause()
            text = " ".join(str(s.render()) for s in app.screen.query(Static))
            assert "5-minute walk about every 60 minutes" in text
            assert "09:00–12:30, 13:30–17:30 · 6 walks a day" in text
            assert "/home/me/.config/walkbreak/config.toml" in text and "not medical advice" in text
            await pilot.press("question_mark")
            await until(lambda: isinstance(app.screen, HelpScreen))
            await pilot.press("escape")
            await until(lambda: app.screen.__class__.__name__ == "DashboardScreen")

    asyncio.run(main())


def test_the_guide_and_the_toast_say_the_same_minutes(isolated_env: Path) -> None:
    """The guide said "Done: 6 min walked" while the toast said "7 minutes logged"."""
    from datetime import timedelta

    from tests.test_snapshots import planned, seeded
    from walkbreak.tui.screens.walk import WalkScreen

    async def main() -> None:
        app = seeded(isolated_env, waiting=True)
        async with app.run_test(size=(80, 24)) as pilot:
            await planned(pilot)
            await pilot.press("w")
            await until(lambda: isinstance(app.screen, WalkScreen))
            app.clock.at += timedelta(minutes=6, seconds=33)  # 6.55 minutes: 6.6 when logged
            app.screen.tick()
            await pilot.pause()
            said = str(app.screen.query_one("#part", Static).render())
            assert said == "Done: 7 min walked"
            await pilot.press("enter")
            await until(lambda: any("logged" in t for t in toasts(app)))
            assert "7 min logged. Nice." in toasts(app)

    asyncio.run(main())
