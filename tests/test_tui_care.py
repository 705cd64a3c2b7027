"""The care flow on the dashboard: check-in, suggestion, accept, red flag, follow-up (Textual pilot)."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

from textual.widgets import Static

from tests.builders import BERLIN, at, settings
from tests.conftest import run_walkbreak
from tests.test_tui import DAY, back_from_the_walk, records, run, until
from walkbreak.core.model import CheckIn, ControlKind, Outcome
from walkbreak.core.planner import PlanState
from walkbreak.core.settings import CarePlan
from walkbreak.store import Store
from walkbreak.tui.app import WalkbreakApp
from walkbreak.tui.screens.check_in import CheckInScreen
from walkbreak.tui.screens.choices import ChoiceScreen
from walkbreak.tui.screens.red_flag import RedFlagScreen
from walkbreak.tui.screens.walk import WalkScreen
from walkbreak.tui.widgets.away_panel import AwayPanel
from walkbreak.tui.widgets.care_panel import FollowUpPanel, SuggestionPanel


def asking(app: WalkbreakApp, kind: type) -> bool:
    """Whether the dashboard shows its care panel of `kind` (mounted the first time it asks)."""
    found = app.screen.query(kind)
    return bool(found) and found.first().has_class("-asking")


async def walk_and_check_in(app: WalkbreakApp, pilot, *keys: str) -> None:
    """w, Enter when back, then the check-in keys."""
    await pilot.press("w")
    await until(lambda: isinstance(app.screen, WalkScreen))
    await back_from_the_walk(app, pilot)
    await pilot.press(*keys)
    await until(lambda: not isinstance(app.screen, CheckInScreen))


def test_a_spike_suggests_scaling_back_and_accepting_shortens_the_next_walk(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: app.view.plan.state is PlanState.DUE)
        await walk_and_check_in(app, pilot, "4")  # pain spiked
        await until(lambda: asking(app, SuggestionPanel))
        panel = app.screen.query_one(SuggestionPanel)
        text = str(panel.query_one("#suggestion-text", Static).render())
        assert "Scale back: rest 60 minutes, then 3-minute walks, at a comfortable pace only." in text
        assert "Why: your pain spiked after walking (check-in at" in text
        assert app.settings.walk.bout_minutes == 5  # nothing changes before the answer
        await pilot.press("a")
        await until(lambda: app.settings.walk.bout_minutes == 3)
        await until(lambda: not panel.has_class("-asking"))
        (advice,) = records(isolated_env).advice
        assert advice.answer == "accepted" and advice.rest_minutes == 60
        assert Store(isolated_env, warn=print).plan(DAY) == CarePlan(5, 3, "gentle")
        assert any(c.kind is ControlKind.PAUSE for c in records(isolated_env).controls)
        await until(lambda: app.view.plan.state is PlanState.PAUSED)  # the rest
        assert app.view.tally.target_minutes == 18  # 6 walks of 3 minutes
        await pilot.press("w")  # the next walk: three minutes, comfortable all the way
        await until(lambda: isinstance(app.screen, WalkScreen))
        screen = app.screen
        assert screen.minutes == 3
        phases = str(screen.query_one("#phases", Static).render())
        assert "comfortable 3 min" in phases and "brisk" not in phases

    run(isolated_env, "2026-11-26 09:59", scenario)


def test_declining_changes_nothing(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: app.view.plan.state is PlanState.DUE)
        await walk_and_check_in(app, pilot, "4")
        await until(lambda: asking(app, SuggestionPanel))
        await pilot.press("d")
        await until(lambda: records(isolated_env).advice[0].answer == "declined")
        assert app.settings.walk.bout_minutes == 5
        assert Store(isolated_env, warn=print).plan(DAY) == CarePlan()
        assert not any(c.kind is ControlKind.PAUSE for c in records(isolated_env).controls)

    run(isolated_env, "2026-11-26 09:59", scenario)


def test_a_red_flag_says_see_a_doctor_and_holds_prompts_until_resumed(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: app.view.plan.state is PlanState.DUE)
        await walk_and_check_in(app, pilot, "n", "2")  # new numbness, otherwise the same
        await until(lambda: isinstance(app.screen, RedFlagScreen))
        text = str(app.screen.query_one("#red-text", Static).render())
        assert text.startswith("New numbness or tingling is a red flag. Have your back checked soon")
        assert "(press r)" in text
        assert "see a doctor promptly" in str(app.screen.query_one("#red-title", Static).render())
        (checkin,) = records(isolated_env).checkins
        assert checkin.flags == ("new numbness or tingling",) and checkin.feeling == "same"
        await pilot.press("enter")
        await until(lambda: app.view.plan.state is PlanState.HELD)
        assert "held after a red flag" in str(app.screen.query_one("#next", Static).render())
        assert not asking(app, SuggestionPanel)
        await pilot.press("w")  # no walk is guided while held: the note says why
        await until(lambda: isinstance(app.screen, RedFlagScreen))
        assert "guides no walk until a health professional" in str(app.screen.query_one("#red-text").render())
        await pilot.press("escape")
        await pilot.press("r")  # ending the hold asks first
        await until(lambda: isinstance(app.screen, ChoiceScreen))
        assert "Has a doctor said walking is fine?" in str(app.screen.query_one(Static).render())
        await pilot.press("n")
        await until(lambda: not isinstance(app.screen, ChoiceScreen))
        assert Store(isolated_env, warn=print).plan(DAY).held_since is not None
        await pilot.press("r", "y")
        await until(lambda: app.view.plan.state is PlanState.SCHEDULED)
        assert Store(isolated_env, warn=print).plan(DAY).held_since is None

    run(isolated_env, "2026-11-26 09:59", scenario)


def test_slight_soreness_is_followed_up_and_lingering_suggests_scaling_back(isolated_env: Path) -> None:
    prefs = settings(target=6)
    prefs = prefs._replace(care=prefs.care._replace(followup_hours=0.5))

    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: app.view.plan.state is PlanState.DUE)
        await walk_and_check_in(app, pilot, "3")  # slightly sore
        assert not asking(app, FollowUpPanel)
        await until(lambda: asking(app, FollowUpPanel), seconds=15)  # half an hour later (3 s here)
        panel = app.screen.query_one(FollowUpPanel)
        (checkin,) = records(isolated_env).checkins
        assert app.clock.now() - checkin.at >= timedelta(minutes=30)
        assert "Has the soreness settled?" in str(panel.query_one("#followup-question", Static).render())
        await pilot.press("n")  # still sore
        await until(lambda: records(isolated_env).checkins[0].followup == "still sore")
        await until(lambda: asking(app, SuggestionPanel))
        (advice,) = records(isolated_env).advice
        assert advice.rule == "soreness-lingers" and advice.bout_minutes == 3

    run(isolated_env, "2026-11-26 09:59", scenario, prefs=prefs)


def test_a_walk_logged_elsewhere_can_be_checked_in_with_c_once(isolated_env: Path) -> None:
    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: app.view.plan.state is PlanState.DUE)
        logged = await asyncio.to_thread(
            run_walkbreak, "log", "5", env={"WALKBREAK_NOW": app.clock.now().isoformat()}
        )
        assert logged.returncode == 0, logged.stderr
        await until(lambda: app.view.tally.bouts == 1)
        await pilot.press("c")
        await until(lambda: isinstance(app.screen, CheckInScreen))
        await pilot.press("1")
        await until(lambda: len(records(isolated_env).checkins) == 1)
        (bout,) = records(isolated_env).bouts
        assert records(isolated_env).checkins[0].bout_id == bout.id
        assert records(isolated_env).prompts[0].outcome is Outcome.WALKED
        await pilot.press("c")  # one check-in per walk
        await until(lambda: any("Every walk today has its check-in" in n.message for n in app._notifications))
        assert not isinstance(app.screen, CheckInScreen)

    run(isolated_env, "2026-11-26 09:59", scenario)


def test_a_longer_walk_has_three_to_five_minute_parts_and_each_guide_a_new_tip(isolated_env: Path) -> None:
    from walkbreak.tui.screens.choices import ChoiceScreen

    async def scenario(app: WalkbreakApp, pilot) -> None:
        tips = []
        for _ in range(2):
            await pilot.press("l")
            await until(lambda: isinstance(app.screen, ChoiceScreen))
            await pilot.press("2")  # 12 minutes
            await until(lambda: isinstance(app.screen, WalkScreen))
            phases = str(app.screen.query_one("#phases", Static).render())
            assert "comfortable 4 min" in phases and "brisk 4 min" in phases
            tips.append(str(app.screen.query_one("#tip", Static).render()))
            await back_from_the_walk(app, pilot)  # at 600× a loaded machine may be asked how long
            await pilot.press("escape")  # the check-in can be skipped
            await until(lambda: not isinstance(app.screen, CheckInScreen))
        assert tips[0] != tips[1]
        assert len(records(isolated_env).bouts) == 2 and records(isolated_env).checkins == ()

    run(isolated_env, "2026-11-26 09:05", scenario, speed=600)


def test_answer_keys_act_only_on_the_dashboard_and_y_n_answer_the_question_shown(isolated_env: Path) -> None:
    """a/d/y/n answer what the dashboard shows; on the walk guide they do nothing."""
    from walkbreak.core.model import Away

    store = Store(isolated_env, warn=print)
    store.add(Away("w1", DAY, at(BERLIN, "2026-11-26 09:10"), at(BERLIN, "2026-11-26 10:40")))
    store.add(CheckIn("c1", DAY, at(BERLIN, "2026-11-26 09:00"), "slightly sore"))
    prefs = settings(target=6)
    prefs = prefs._replace(care=prefs.care._replace(followup_hours=1))

    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: asking(app, AwayPanel))
        assert not asking(app, FollowUpPanel)  # one y/n question at a time
        await pilot.press("w")
        await until(lambda: isinstance(app.screen, WalkScreen))
        await pilot.press("y", "n", "a", "d", "c", "l")  # nothing on the walk guide answers to these
        await pilot.pause()
        assert isinstance(app.screen, WalkScreen)
        assert records(isolated_env).away[0].answer == "" and records(isolated_env).checkins[0].followup == ""
        await pilot.press("escape")
        await until(lambda: not isinstance(app.screen, WalkScreen))
        await pilot.press("n")  # not walking while away
        await until(lambda: records(isolated_env).away[0].answer == "not walking")
        await until(lambda: asking(app, FollowUpPanel))
        await pilot.press("y")  # now y answers the follow-up
        await until(lambda: records(isolated_env).checkins[0].followup == "settled")
        assert records(isolated_env).bouts == ()

    run(isolated_env, "2026-11-26 10:50", scenario, prefs=prefs, speed=1)


def test_no_longer_walk_after_scaling_back(isolated_env: Path) -> None:
    from walkbreak.core.actions import Changes

    with Store(isolated_env, warn=print).batch(DAY) as batch:
        batch.apply(Changes(plan=(("base_minutes", 5), ("bout_minutes", 3), ("pace", "gentle"))))

    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: app.settings.walk.bout_minutes == 3)
        await pilot.press("l")
        await until(lambda: any("walks stay short and comfortable" in n.message for n in app._notifications))
        assert not isinstance(app.screen, WalkScreen) and app.screen.__class__.__name__ == "DashboardScreen"

    run(isolated_env, "2026-11-26 09:05", scenario, speed=1)
