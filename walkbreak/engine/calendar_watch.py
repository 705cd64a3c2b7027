"""The engine and the user's calendars: busy time read in a thread, never blocking the engine;
a change re-plans."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import TYPE_CHECKING

from walkbreak.core.settings import CalendarSettings
from walkbreak.engine.presence_watch import EnginePresence

if TYPE_CHECKING:
    from walkbreak.calendar.busy_cache import Cached

log = logging.getLogger("walkbreak.engine")


class EngineCalendar(EnginePresence):
    """Keeps `busy` (today's and the coming days' busy blocks) up to date.

    The engine that sends the prompts refreshes the busy list (files when they change, addresses
    every `calendar.refresh_minutes`); a viewer reads the list it writes. Checked every
    `calendar_seconds` while calendars are configured; never when none are.
    """

    async def _check_calendar(self, *, starting: bool = False) -> None:
        """Refresh the busy list (the engine sending prompts) or read it (a viewer); re-plan if
        it changed. `starting`: before the first plan, which must know the busy time without
        waiting on a server: files are read, addresses' last good copies used."""
        from walkbreak.calendar import busy_cache  # only where a calendar is configured

        if self._reading_calendar:  # one read at a time (a slow fetch outlasts the next tick)
            return
        self._reading_calendar = True
        rules, directory = self.settings.calendar, self.store.directory
        try:
            if self.leading:
                now = self.clock.now()
                cached = await asyncio.to_thread(_refresh, rules, directory, now, not starting)
            else:
                cached = await asyncio.to_thread(busy_cache.load, directory)
        except Exception:
            log.exception("reading the calendars failed; the busy time known stays in use")
            return
        finally:
            self._reading_calendar = False
        cached = busy_cache.configured(cached, rules)
        errors = {name: s.error for name, s in cached.sources.items() if s.error}
        for name, error in errors.items():
            if self._calendar_errors.get(name) != error:
                log.warning("calendar %s: %s (its last good copy stays in use)", name, error)
        self._calendar_errors = errors
        if cached.busy != self.busy:
            log.info("calendar: %d busy block(s) in the days ahead", len(cached.busy))
            self.busy = cached.busy
        elif self.view is None or self.view.calendar == self.calendar_problem:
            return  # nothing new to plan or show
        if not starting:
            await self.replan()  # (at start, the first plan comes next)

    @property
    def calendar_problem(self) -> str:
        """Which calendars could not be read last time ("" when all could)."""
        return "; ".join(f"calendar {name}: {error}" for name, error in sorted(self._calendar_errors.items()))


def _refresh(rules: CalendarSettings, directory: str, now: datetime, fetch: bool) -> Cached:
    """`refresh`, imported in the thread that runs it: icalendar costs ~50 ms at import, which
    the engine's loop (the dashboard's too) must not wait for."""
    from walkbreak.calendar.refresh import refresh

    return refresh(rules, directory, now, fetch=fetch)
