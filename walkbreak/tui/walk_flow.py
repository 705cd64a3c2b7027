"""The dashboard's walks: start one here, show the guide for one begun elsewhere, end it once.

A walk is a `Walking` record from the moment the user leaves (here, from a notification's
"Walk now", or `walkbreak walk`) until they are back: then it becomes one bout with the real
length, and the check-in follows. The guide leaves its token on the walk, so no other process
ends it meanwhile; a walk begun elsewhere is taken over by the first dashboard that sees it.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from walkbreak import answers, ids
from walkbreak.core import walking
from walkbreak.core.actions import Changes, NotAllowed
from walkbreak.core.model import DayLog, Walking
from walkbreak.core.routine import phases
from walkbreak.core.settings import plan_in_force
from walkbreak.core.status import format_minutes
from walkbreak.core.tips import walk_tip

if TYPE_CHECKING:
    from walkbreak.tui.app_answers import AppAnswers

log = logging.getLogger("walkbreak.tui")

SHORTEST_WALK = 1.0
"""Minutes: "I'm back" sooner than this logs nothing (a second Enter more often than a walk)."""


async def start(app: AppAnswers, minutes: float | None = None, pace: str | None = None) -> None:
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
            walk, changes = walking.start(app.settings, now, day, ids.new_id, minutes, token)
            started.append(walk)
            return changes

        if await app.write(leave):
            await guide(app, started[-1], pace)
    finally:
        app.guiding = None


async def take_over(app: AppAnswers, walk: Walking) -> None:
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


async def guide(app: AppAnswers, walk: Walking, pace: str | None) -> None:
    """The walk guide for `walk` until the user is back; then the bout, and the check-in.

    If the end of the walk cannot be saved (a data dir gone read-only), the guide comes back so
    Enter can be pressed again; if the walk was ended elsewhere meanwhile, the guide closes.
    """
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
        while True:
            result = await app.push_screen_wait(WalkScreen(walk.minutes, walk.start, parts, tip))
            if result.elsewhere:
                _say_ended_elsewhere(app, walk)
                return
            bout_id = await _end(app, walk, result.minutes)
            if bout_id is not None or not await _still_under_way(app, walk):
                break
        if bout_id and app.settings.care.check_in:
            await app.check_in_for(bout_id)
    finally:
        app.guiding = None


async def _end(app: AppAnswers, walk: Walking, minutes: float | None) -> str | None:
    """Back from `walk` after `minutes` (None: called off): write it; the bout's id, or None when
    nothing counts (called off, too short, or the write failed: the toast says so)."""
    from walkbreak.tui.screens.log_walk import LogWalkScreen

    start, asked_for = walk.start, False
    if minutes is not None and app.clock.now() >= walking.overdue_at(walk):
        asked = await app.push_screen_wait(
            LogWalkScreen(
                f"You were gone {format_minutes(minutes)}. How long did you walk?",
                app.clock.now(),
                walk.minutes,
                walk.start,
            )
        )
        start, minutes = asked if asked is not None else (start, None)
        asked_for = True
    if minutes is None or minutes < SHORTEST_WALK:
        if await app.write(lambda day: walking.cancel(_current(day, walk), day), day=walk.day):
            # Back within a minute is a second Enter more often than a walk: it must not count.
            app.notify(
                "Walk called off." if minutes is None else "Back within a minute: not logged as a walk."
            )
        return None
    length, bouts = minutes, []

    def back(day: DayLog) -> Changes:
        # The guide's own length ends about now (rounded to a tenth of a minute, perhaps a few
        # seconds ahead): only a length typed in may not end in the future.
        until = app.clock.now() if asked_for else start + timedelta(minutes=length)
        walking.check_fits(day, start, length, until, ignore=walk.id)
        bout, changes = walking.finish(_current(day, walk), length, start)
        bouts.append(bout)
        return changes

    if not await app.write(back, undo="the walk", day=walk.day):
        return None
    app.notify(f"{format_minutes(minutes)} logged. Nice.")  # as the guide said it: whole minutes
    return bouts[-1].id


async def _still_under_way(app: AppAnswers, walk: Walking) -> bool:
    """Whether `walk` is still a walk under way in the store (after a write about it failed)."""
    walks = await asyncio.to_thread(answers.walks_under_way, app.store, app.clock.now())
    return any(w.id == walk.id for w in walks)


def close_if_ended(app: AppAnswers) -> None:
    """Close the walk guide this dashboard shows when its walk was ended elsewhere (nobody
    came back to the guide in time, so it counted at its planned length)."""
    from walkbreak.tui.screens.walk import WalkScreen

    view, screen = app.view, app.screen
    if not app.guiding or view is None or not isinstance(screen, WalkScreen):
        return
    if all(w.id != app.guiding for w in view.log.walking):
        screen.ended_elsewhere()


def _say_ended_elsewhere(app: AppAnswers, walk: Walking) -> None:
    """Tell what became of a walk ended without this guide."""
    counted = next((b for b in app.view.log.bouts if b.id == walk.id), None) if app.view else None
    if counted is None:
        app.notify(f"The walk from {walk.start:%H:%M} was ended elsewhere.")
    else:
        app.notify(
            f"Nobody came back to the walk guide: the walk from {walk.start:%H:%M} counts as its "
            f"planned {counted.minutes:g} minutes (e changes it).",
            timeout=10,
        )


async def show_hold(app: AppAnswers) -> None:
    """No walk is guided while prompts are held after a red flag: the note says why."""
    from walkbreak.tui.screens.red_flag import RedFlagScreen

    held = plan_in_force(app.settings).held_since
    await app.push_screen_wait(RedFlagScreen(held_since=held))


def needing_guide(app: AppAnswers) -> Walking | None:
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
