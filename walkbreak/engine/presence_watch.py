"""The engine and the desk: idle, lock and do-not-disturb checks, away periods, and the machine
waking from a suspend.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta

from walkbreak import answers, ids
from walkbreak.core import timeline
from walkbreak.core.actions import Changes
from walkbreak.core.away import away_period, without_overlap
from walkbreak.core.model import DayLog
from walkbreak.core.planner import unresolved_prompt
from walkbreak.engine.leading import EngineLease

log = logging.getLogger("walkbreak.engine")


class EnginePresence(EngineLease):
    """Watches the desk: away periods, do-not-disturb, and the machine waking from a suspend."""

    async def _check_presence(self) -> None:
        """Away when the screen is locked or there was no input for `away.idle_minutes`; back when
        neither holds. Coming back after more than a bout of work time away records an `Away`
        period (the dashboard asks "were you walking?") and holds prompts a few minutes."""
        assert self.presence is not None
        try:
            state = await self.presence.check()
        except Exception:
            log.exception("presence check failed")
            return
        now = self.clock.now()
        if (state.dnd is True) != self._dnd:
            self._dnd = state.dnd is True
            log.info("do not disturb %s (%s)", "on: prompts wait" if self._dnd else "off", state.dnd_source)
            await self.replan()
        if state.idle_seconds is None and state.locked is None:
            return  # nothing known (a probe failed): keep what was known, away or here
        idle = (
            None if state.idle_seconds is None else timedelta(seconds=state.idle_seconds * self.clock.speed)
        )
        away = state.locked is True or (
            idle is not None and idle >= timedelta(minutes=self.settings.away.idle_minutes)
        )
        if away and self._away_from is None:
            self._away_from = now - idle if idle is not None else now
            log.info(
                "away since %s (%s)", f"{self._away_from:%H:%M}", "screen locked" if state.locked else "idle"
            )
            await self.replan()
        elif not away and self._away_from is not None:
            since, self._away_from = self._away_from, None
            log.info("back after %s", timeline.elapsed(since, now))
            self._hold_until = now + self.wake_grace
            await self._record_away(since, now)
            await self.replan()

    async def _record_away(self, since: datetime, now: datetime) -> None:
        """Keep the work time between `since` and `now` as an away period (if longer than a bout)."""
        away = away_period(self.settings, since, now, ids.new_id)
        if away is None or not self.leading:  # the engine records it; viewers would repeat it
            return

        def add(day: DayLog) -> Changes:
            kept = without_overlap(away, day, self.settings.walk.bout_minutes)
            return Changes(add=(kept,)) if kept else Changes()

        try:
            async with self._lock:
                await asyncio.to_thread(answers.answer, self.store, now, add)
            log.info("away %s-%s during work hours", f"{away.start:%H:%M}", f"{away.end:%H:%M}")
        except Exception:
            log.exception("could not record the away period")

    async def _woke(self, since: datetime, now: datetime, drift: float) -> None:
        """After a suspend or clock change: no replay, a short hold, and an away record."""
        if drift > 0:
            log.info("woke up or the clock moved on: %s unaccounted for", timedelta(seconds=round(drift)))
        else:
            log.info("the clock went back by %s", timedelta(seconds=round(-drift)))
        self._hold_until = now + self.wake_grace
        if drift < 0:
            await self._reshow_at(now)
        if drift > 0:
            # Idle before the machine slept counts too; the sleep ends that away period.
            since, self._away_from = min(since, self._away_from or since), None
            await self._record_away(since, now)
        await self.replan()

    async def _reshow_at(self, now: datetime) -> None:
        """After the clock went back: the open prompt was shown "later" than now; it was shown a
        moment ago, so it lapses `expire_minutes` from now, not from a time the clock reads later."""

        def restamp(day: DayLog) -> Changes:
            waiting = unresolved_prompt(day)
            if waiting is None or waiting.last_shown <= now:
                return Changes()
            return Changes(replace=(waiting._replace(shown_at=now),))

        try:
            async with self._lock:
                await asyncio.to_thread(answers.answer, self.store, now, restamp)
        except Exception:
            log.exception("could not re-time the open prompt after the clock went back")
