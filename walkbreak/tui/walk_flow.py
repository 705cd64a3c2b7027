"""The dashboard's walks: start one here, show the guide for one begun elsewhere, end it once.

A walk is a `Walking` record from the moment the user leaves (here, from a notification's
"Walk now", or `walkbreak walk`) until they are back: then it becomes one bout with the real
length, and the check-in follows. The guide leaves its token on the walk, so no other process
ends it meanwhile; a walk begun elsewhere is taken over by the first dashboard that sees it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import TYPE_CHECKING

from walkbreak import answers
from walkbreak.core import walking
from walkbreak.core.actions import Changes, NotAllowed
from walkbreak.core.model import DayLog, Walking
from walkbreak.core.routine import phases
from walkbreak.core.settings import plan_in_force
from walkbreak.core.tips import walk_tip

if TYPE_CHECKING:
    from walkbreak.tui.app import WalkbreakApp

log = logging.getLogger("walkbreak.tui")

SHORTEST_WALK = 1.0
"""Minutes: "I'm back" sooner than this logs nothing (a second Enter more often than a walk)."""


async def start(app: WalkbreakApp, minutes: float | None = None, pace: str | None = None) -> None:
    """Leave for a walk from the dashboard (`minutes`: a longer walk, walked at `pace`).

    The caller has set `app.guiding` (to "") before scheduling this, so a second key press
    cannot start a second walk meanwhile; it is cleared once the walk (and its check-in) is over.
    """
    try:
        if plan_in_force(app.settings).held_since is not None:
            await show_hold(app)
            return
        now = app.clock.now()
        started: list[Walking] = []

        def leave(day: DayLog) -> Changes:
            token = answers.this_guide()
            walk, changes = walking.start(app.settings, now, day, answers.new_id, minutes, token)
            started.append(walk)
            return changes

        if await app.write(leave):
            await guide(app, started[-1], pace)
    finally:
        app.guiding = None


async def take_over(app: WalkbreakApp, walk: Walking) -> None:
    """Show the guide for a walk begun elsewhere (or whose guide was closed), if no other does.

    Like `start`, runs with `app.guiding` set by the caller, and clears it at the end.
    """
    token = answers.this_guide()
    taken: list[Walking] = []

    def adopt(day: DayLog) -> Changes:
        guided, changes = walking.adopt(day, walk.id, token, answers.guide_alive)
        taken.append(guided)
        return changes

    try:
        await asyncio.to_thread(answers.answer, app.store, app.clock.now(), adopt)
        await guide(app, taken[-1], None)
    except NotAllowed as why:  # another dashboard shows it, or it has ended: nothing to do here
        log.info("not guiding the walk from %s: %s", f"{walk.start:%H:%M}", why)
    finally:
        app.guiding = None


async def guide(app: WalkbreakApp, walk: Walking, pace: str | None) -> None:
    """The walk guide for `walk` until the user is back; then the bout, and the check-in."""
    from walkbreak.tui.screens.log_walk import LogWalkScreen
    from walkbreak.tui.screens.walk import WalkScreen

    app.guiding = walk.id
    try:
        care = plan_in_force(app.settings)
        walked = pace or care.pace
        parts = phases(walk.minutes, walked, care.variety)
        # The next walking tip, also after a restart (today's walks so far move the rotation on).
        count = len(app.view.log.bouts) if app.view else 0
        app.guided = max(app.guided + 1, walk.start.toordinal() + count)
        tip = walk_tip(app.guided, walked)
        result = await app.push_screen_wait(WalkScreen(walk.minutes, walk.start, parts, tip))
        minutes, start = result.minutes, walk.start
        if minutes is not None and minutes > max(3 * walk.minutes, walk.minutes + 15):
            asked = await app.push_screen_wait(
                LogWalkScreen(
                    f"You were gone {minutes:g} minutes. How long did you walk?",
                    app.clock.now(),
                    walk.minutes,
                    walk.start,
                )
            )
            start, minutes = asked if asked is not None else (start, None)
        if minutes is None or minutes < SHORTEST_WALK:
            await app.write(lambda day: walking.cancel(_current(day, walk), day), day=walk.day)
            app.notify(
                "Walk called off." if minutes is None else "Back within a minute: not logged as a walk."
            )
            return
        length = minutes
        bouts = []

        def back(day: DayLog) -> Changes:
            bout, changes = walking.finish(_current(day, walk), length, start)
            bouts.append(bout)
            return changes

        if not await app.write(back, undo="the walk", day=walk.day):
            return
        app.notify(f"{minutes:g} minutes logged. Nice.")
        if app.settings.care.check_in:
            await app.check_in_for(bouts[-1].id)
    finally:
        app.guiding = None


async def show_hold(app: WalkbreakApp) -> None:
    """No walk is guided while prompts are held after a red flag: the note says why."""
    from walkbreak.tui.screens.red_flag import RedFlagScreen

    held = plan_in_force(app.settings).held_since
    await app.push_screen_wait(RedFlagScreen(held_since=held))


def needing_guide(app: WalkbreakApp) -> Walking | None:
    """Today's walk under way that no open guide shows, unless this dashboard guides one now."""
    view = app.view
    if view is None or app.guiding is not None:
        return None
    walk = walking.under_way(view.log)
    return walk if walk is not None and walking.needs_guide(walk, answers.guide_alive) else None


def _current(day: DayLog, walk: Walking) -> Walking:
    """`walk` as the store has it now; refused when it was ended or called off elsewhere."""
    found = next((w for w in day.walking if w.id == walk.id), None)
    if found is None:
        raise NotAllowed("this walk was ended elsewhere already")
    return found
