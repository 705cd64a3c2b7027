"""The engine as a whole: it starts and stops, takes answers, and ticks (the other parts are
its base classes, one job each)."""

from __future__ import annotations

import asyncio
import logging
import os
import time
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from walkbreak import answers, ids, watch
from walkbreak.core import checkins
from walkbreak.core.actions import Changes, NotAllowed
from walkbreak.core.model import DayLog, SkipReason
from walkbreak.engine.base import CHECK_IN_KEYS, MISFIRE_GRACE
from walkbreak.engine.planning import EnginePlanning
from walkbreak.store.devices import device_dirs

log = logging.getLogger("walkbreak.engine")


class Engine(EnginePlanning):
    """Hosts the scheduler for one data dir (its arguments: `EngineBase`)."""

    async def start(self) -> None:
        """Start the scheduler on the running loop and plan from the store."""
        self._scheduler = AsyncIOScheduler(
            event_loop=asyncio.get_running_loop(),
            timezone=UTC,
            job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": MISFIRE_GRACE},
        )
        self._scheduler.start()
        self._ticker = watch.Alarm(self._tick)
        self._arm_tick(self.poll_seconds)
        self._last_wall, self._last_mono = self.clock.now(), time.monotonic()
        self.store.prepare_directory()  # (to be watched; the first answer would make it)
        mine = os.path.dirname(self.store.month_file(self.clock.now().date()))
        config_folder = [os.path.dirname(self.config.path)] if self.config else []
        devices = [os.path.dirname(mine), *device_dirs(self.store.directory)]
        self._watch = watch.files(self.store.directory, self._files_changed, also=[*config_folder, *devices])
        self.notifier.on_action = self.request
        if self.lease is not None:
            await self._claim(first=True)
        if self.leading:
            self.notifier.check_usable()
            await self._note_delivery()
        if self.settings.calendar.sources:
            await self._check_calendar(starting=True)
        self._calendar_at = time.monotonic()  # the ticks' looks from here
        self._planned = True
        await self.replan()

    async def stop(self) -> None:
        """Stop the scheduler, let work under way finish, and take any prompt off the screen."""
        if self._ticker is not None:
            self._ticker.close()
        if self._watch is not None:
            self._watch.close()
        self._follow_holder(None)
        if self._scheduler is not None:
            self._scheduler.pause()  # no new jobs; APScheduler's shutdown would cancel running ones
            await asyncio.sleep(0)  # let a job task created just now register itself
            if self._tasks:
                await asyncio.wait(list(self._tasks), timeout=10)
            self._scheduler.shutdown(wait=False)
            self._scheduler = None
        await self.notifier.close()
        close = getattr(self.presence, "close", None)
        if close is not None:
            close()  # its bus connections
        if self.lease is not None and self.leading:
            await asyncio.to_thread(self.lease.release)  # a viewer takes over at its next check

    def request(self, key: str, about: str = "") -> None:
        """A notification's button, from a synchronous callback: runs `act` soon. `about` is what
        that notification asked (it may be an older one a server left on screen)."""
        self._track(asyncio.get_running_loop().create_task(self.act(key, about=about)))

    async def act(
        self, key: str, reason: SkipReason = SkipReason.NOT_GIVEN, minutes: int | None = None, about: str = ""
    ) -> str | None:
        """Answer with "walk", "snooze", "skip", "pause" or "resume" — or "better", "same" or
        "sore" to the check-in question on the desktop; returns why not, if refused. With
        `about` (a notification's prompt or walk) only while that is still asked."""
        now = self.clock.now()
        if key in CHECK_IN_KEYS:
            return await self._check_in(key, now, about)
        decide = answers.decision(key, self.settings, now, reason, minutes, about)
        try:
            async with self._lock:
                await asyncio.to_thread(answers.answer, self.store, now, decide)
        except NotAllowed as why:
            log.info("%s refused: %s", key, why)
            return str(why)
        except Exception:
            log.exception("could not record %s", key)
            return "could not record it (see the log)"
        log.info("answered: %s", key)
        await self.replan()
        return None

    async def _check_in(self, key: str, now: datetime, about: str = "") -> str | None:
        """A check-in answered on the notification that asked it."""
        asked = self._question[1] if self._question and self._question[0] == "checkin" else None
        if asked is None or (about and about != asked):
            log.info("check-in button %r ignored: that check-in is not asked now", key)
            return "that check-in is not asked now"
        feeling = CHECK_IN_KEYS[key]

        def decide(day: DayLog) -> Changes:
            return checkins.check_in(self.settings, now, day, ids.new_id, feeling, (), asked)

        try:
            async with self._lock:
                await asyncio.to_thread(answers.care_answer, self.store, self.settings, now, decide)
        except NotAllowed as why:
            log.info("check-in refused: %s", why)
            return str(why)
        except Exception:
            log.exception("could not record the check-in")
            return "could not record it (see the log)"
        log.info("checked in from the notification: %s", feeling.value)
        await self.replan()
        return None

    def _tick(self) -> None:
        """Notice a wake or clock change, a new day, or another process's write; renew the lease
        and ask about presence when due.

        A plain loop timer rather than an APScheduler job: this runs all day, and the check is a
        clock reading and two stat calls, so it should cost no more than that while idle.
        """
        self.ticks += 1
        try:
            mono = time.monotonic()
            jump = self._clock_jump()
            now = self.clock.now()
            if jump is not None:
                self._track(asyncio.get_running_loop().create_task(self._woke(*jump)))
            elif (
                self.view is None
                or now.date() != self.view.now.date()
                or self._store_tokens(now) != self._tokens
                or self._guide_closed()
            ):
                self._track(asyncio.get_running_loop().create_task(self.replan()))
            if self._undelivered is not None and not self._redelivering:
                self._track(asyncio.get_running_loop().create_task(self._redeliver()))
            elif self.notifications and self.leading and mono - self._recheck_at >= self.recheck_seconds:
                self._recheck_at = mono  # no prompt waits: ask now and then whether it would get through
                self._track(asyncio.get_running_loop().create_task(self._recheck_delivery()))
            if self.config is not None:
                before = self.config.problem
                new = self.config.changed(self.settings)
                if new is not None:
                    self._reconfigure(new)
                if new is not None or self.config.problem != before:
                    self._track(asyncio.get_running_loop().create_task(self.replan()))
            if self.lease is not None and mono - self._lease_at >= self.lease_seconds:
                self._lease_at = mono
                self._track(asyncio.get_running_loop().create_task(self._claim()))
            if self.settings.calendar.sources and mono - self._calendar_at >= self.calendar_seconds:
                self._calendar_at = mono
                self._track(asyncio.get_running_loop().create_task(self._check_calendar()))
            if self.presence is not None and mono - self._presence_at >= self.presence_seconds:
                self._presence_at = mono
                self._track(asyncio.get_running_loop().create_task(self._check_presence()))
        except Exception:
            log.exception("tick failed")
        finally:
            if self._scheduler is not None:
                self._arm_tick(self._tick_in())
