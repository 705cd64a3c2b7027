"""The engine's state and the small helpers every part uses: its jobs on APScheduler, the store
read, the view it hands the dashboard, its tick's timer.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import time
from collections.abc import Callable, Collection
from datetime import UTC, date, datetime, timedelta
from typing import Any, Protocol

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from walkbreak import answers, watch
from walkbreak.clock import Clock, local_zone
from walkbreak.config_watch import ConfigWatch
from walkbreak.core import actions, timeline
from walkbreak.core.busy import Busy
from walkbreak.core.feelings import Feeling
from walkbreak.core.message import PromptMessage
from walkbreak.core.model import DayLog, Prompt, Walking
from walkbreak.core.settings import CarePlan, Settings, with_plan
from walkbreak.core.today import DayView, Desk, day_view
from walkbreak.desktop.presence import Presence
from walkbreak.notify.notifier import Notifier
from walkbreak.store import Store
from walkbreak.store.devices import DEVICE_ID, DEVICES
from walkbreak.store.lease import LEASE_FILE, Lease

CALENDAR_FILE = "calendar.json"
"""The busy list in the data dir (`walkbreak.calendar.busy_cache.FILE`, named here so the engine
does not import the calendar package where none is configured)."""

log = logging.getLogger("walkbreak.engine")


def presence_probes(settings: Settings, clock: Clock) -> PresenceSource | None:
    """The idle and lock probes (`away.detect`) and the do-not-disturb probes
    (`notify.respect_dnd`), for the real clock only.

    A scaled clock (the demo, the tests) would turn a second without input into minutes away,
    and a demo should not wait on the desktop's do-not-disturb.
    """
    if clock.speed != 1 or not (settings.away.detect or settings.notify.respect_dnd):
        return None
    from walkbreak.desktop.presence import Probes

    return Probes(idle=settings.away.detect, dnd=settings.notify.respect_dnd)


class PresenceSource(Protocol):
    """Anything that says whether the user is at the desk (`presence.Probes`)."""

    async def check(self) -> Presence:
        """Idle seconds, lock state and do-not-disturb now."""
        ...


CHECK_IN_KEYS = {"better": Feeling.BETTER, "same": Feeling.SAME, "sore": Feeling.SORE}
"""The check-in notification's buttons (core/message.py CHECK_IN_BUTTONS) and what each answers."""

LAPSE_DAYS = 7
"""On a new day, open prompts of this many days back are closed (a long weekend, a holiday)."""
RETRY = timedelta(minutes=1)
"""Clock time after a failed re-plan (a store that could not be read) before the next try."""

MISFIRE_GRACE = 60
"""Real seconds a prompt job may start late (a busy loop); later than that it is dropped."""


class NotDue(Exception):
    """The prompt job ran, but the plan changed underneath it (raised inside the store lock)."""


class EngineBase:
    """What every part of the engine shares: its state, its jobs on APScheduler and its tick's timer.

    Args:
        settings: the user's settings.
        store: the records.
        clock: the time (the system clock, or a scaled one for the demo and tests).
        notifier: shows and closes walk prompts on the desktop.
        poll_seconds: real seconds between ticks (store poll, wake and midnight checks) while
            something waits on them: a prompt no backend took, a walk under way whose guide may
            vanish, or a data dir that cannot be watched for changes.
        idle_poll_seconds: real seconds between ticks otherwise, at most: a write to the data dir
            or the config's folder wakes the engine at once (inotify), and the next tick comes
            when the lease or presence is next due. A suspend is seen as the machine wakes (the
            tick's timer counts time asleep), and the prompt job checks for one itself.
        wake_grace_minutes: clock minutes with no prompt after the machine wakes.
        jump_seconds: clock seconds of disagreement between wall and monotonic time that mean
            the machine slept or the clock was changed.
        on_change: called with an DayView after every re-plan.
        on_prompt: called with the prompt and its message whenever one is shown.
        on_followup: called with the message when a follow-up question is sent.
        presence: idle and screen-lock probes (None: not asked); while the user is away a due
            prompt waits, and coming back after work time away records an `Away` period.
        presence_seconds: real seconds between presence checks.
        lease: the claim on being the one engine for this data dir (None: always the engine).
            Without the lease the engine is a viewer: it plans and shows the day, fires nothing,
            and takes over when the holder stops.
        lease_seconds: real seconds between renewing (or trying to take) the lease.
        recheck_seconds: real seconds between asking whether notifications work again, while
            they fail and no prompt waits (one D-Bus call each time).
        config: the config file, read again when it changes (None: the settings never change).
        calendar_seconds: real seconds between looks at the calendars (while any is configured):
            a file's change is seen within this, an address is fetched when it is due.
    """

    def __init__(
        self,
        settings: Settings,
        store: Store,
        clock: Clock,
        notifier: Notifier,
        *,
        poll_seconds: float = 5.0,
        idle_poll_seconds: float = 60.0,
        wake_grace_minutes: float = 3.0,
        jump_seconds: float = 90.0,
        on_change: Callable[[DayView], None] | None = None,
        on_prompt: Callable[[Prompt, PromptMessage], None] | None = None,
        on_followup: Callable[[PromptMessage], None] | None = None,
        presence: PresenceSource | None = None,
        presence_seconds: float = 60.0,
        lease: Lease | None = None,
        lease_seconds: float = 60.0,
        recheck_seconds: float = 60.0,
        config: ConfigWatch | None = None,
        calendar_seconds: float = 60.0,
    ) -> None:
        self.settings = settings
        self.config = config
        self.store = store
        self.clock = clock
        self.notifier = notifier
        self.poll_seconds = poll_seconds
        self.idle_poll_seconds = idle_poll_seconds
        self.wake_grace = timedelta(minutes=wake_grace_minutes)
        self.jump_seconds = jump_seconds
        self.on_change = on_change
        self.on_prompt = on_prompt
        self.on_followup = on_followup
        self._asked: set[str] = set()
        self.presence = presence
        self.presence_seconds = presence_seconds
        self.calendar_seconds = calendar_seconds
        self._calendar_at = math.inf
        """When (monotonic) the calendars were last looked at; none before `start` has read them
        for the first plan (a tick during its lease claim could not tell whose list to take)."""
        self._calendar_errors: dict[str, str] = {}
        self._reading_calendar = False
        self.busy: tuple[Busy, ...] = ()
        """Busy blocks from the user's calendars, as last read."""
        self._presence_at = 0.0
        self._away_from: datetime | None = None
        self._dnd = False
        self._lapsed_before: date | None = None
        self.lease = lease
        self.lease_seconds = lease_seconds
        self.recheck_seconds = recheck_seconds
        self.leading = lease is None
        self.holder_text = ""
        self._lease_at = time.monotonic()
        self._held_at = -math.inf
        """When (monotonic) this process last found the lease its own."""
        self._question: tuple[str, str] | None = None
        """The question on the desktop instead of a prompt: ("followup", check-in id) or
        ("checkin", bout id) for the check-in after a walk no guide showed."""
        self._walks_seen: dict[str, bool] = {}
        """Walks under way seen here, by id: whether a walk guide shows them (and is not overdue)."""
        self._checkins_asked: set[str] = set()
        """Walks whose check-in was asked here (once each, though the walk's end is written later)."""
        self._guides_gone: set[str] = set()
        """Walks (id and guide) whose guide was seen to go, closed or killed: re-planned for once."""
        self._undelivered: str | None = None
        """The prompt on "screen" that no backend delivered: tried again at each tick."""
        self._redelivering = False
        self._recheck_at = time.monotonic()
        self.notifications = ""
        """Why prompts cannot reach the desktop ("" while they can): this engine's, or the holder's."""
        self.view: DayView | None = None
        self._planned = False
        """Whether `start` has made its first plan. No plan before it: a tick or a file change while
        it claims the lease and reads the calendars would plan (and fire) without the busy time."""
        self._scheduler: AsyncIOScheduler | None = None
        self._lock = asyncio.Lock()
        self._hold_until: datetime | None = None
        self._shown: str | None = None
        self._withdrawn: str | None = None
        """The prompt taken off the desktop as a meeting began: not put back there."""
        self._tokens: tuple[int, ...] = ()
        self._last_wall: datetime | None = None
        self._last_mono = 0.0
        self._tasks: set[asyncio.Task[Any]] = set()
        self._ticker: watch.Alarm | None = None
        self._tick_due = math.inf
        """When (monotonic) the ticker rings next."""
        self._watch: watch.Watch | None = None
        self._holder_exit: tuple[int, Callable[[], None]] | None = None
        """The holder's pid whose end this viewer watches, and what cancels that watch."""
        self.ticks = 0
        """Ticks so far (tests wait on it rather than on the clock)."""
        self.desks: tuple[Desk, ...] = ()
        """The other devices whose files the store reads, as of the last read."""

    def _schedule(self, job: str, at: datetime | None, call: Callable[[], Any]) -> None:
        """Run `call` when the clock reads `at` (converted to real time for a scaled clock)."""
        if self._scheduler is None or at is None:
            return
        wait = max(0.0, timeline.elapsed(self.clock.now(), at).total_seconds() / self.clock.speed)
        run_at = datetime.now(UTC) + timedelta(seconds=wait)
        self._scheduler.add_job(self._tracked(call), "date", run_date=run_at, id=job, replace_existing=True)

    def _tracked(self, job: Callable[[], Any]) -> Callable[[], Any]:
        """`job` as a coroutine whose task `stop` waits for, so a stop never cuts a write short."""

        async def run() -> None:
            task = asyncio.current_task()
            if task is not None:
                self._track(task)
            await job()

        return run

    def _track(self, task: asyncio.Task[Any]) -> None:
        """Remember a task until it is done."""
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _unschedule(self, job: str) -> None:
        """Drop a job if it is scheduled."""
        if self._scheduler is not None and self._scheduler.get_job(job) is not None:
            self._scheduler.remove_job(job)

    def jobs(self) -> dict[str, datetime]:
        """The scheduled jobs and their real run times (for tests and `doctor`)."""
        if self._scheduler is None:
            return {}
        return {job.id: job.next_run_time for job in self._scheduler.get_jobs()}

    def _store_tokens(self, now: datetime) -> tuple[int, ...]:
        """What changes when another process writes today's or yesterday's records.

        Yesterday is in another file only on the first of a month; the same file is stat'ed once.
        """
        today, yesterday = now.date(), now.date() - timedelta(days=1)
        if today.month == yesterday.month:
            return (self.store.changed_token(today),)
        return (self.store.changed_token(today), self.store.changed_token(yesterday))

    @property
    def _expiry(self) -> timedelta:
        """How long a question on the desktop waits for an answer (as long as a prompt)."""
        return timedelta(minutes=self.settings.prompts.expire_minutes)

    def _desktop_free(self) -> bool:
        """Whether a question may go on the desktop now: no prompt there, not in do-not-disturb
        and not away (a question never replaces a walk prompt)."""
        return self._shown is None and not self._dnd and self._away_from is None

    def _read(self, now: datetime) -> tuple[DayLog, CarePlan, tuple[Walking, ...]]:
        zone = now.tzinfo
        self.desks = tuple(
            Desk(name, datetime.fromtimestamp(arrived, zone)) for name, arrived in self.store.other_desks()
        )
        return (
            answers.planning_log(self.store, now),
            self.store.plan(now.date()),
            answers.walks_under_way(self.store, now),
        )

    def _lapse_days(self, now: datetime) -> None:
        yesterday = now.date() - timedelta(days=1)
        for day, past in self.store.days(
            yesterday - timedelta(days=LAPSE_DAYS - 1), yesterday, (Prompt,)
        ).items():
            if any(p.outcome is None for p in past.prompts):
                with self.store.batch(day) as batch:
                    batch.apply(actions.lapse(self.settings, now, batch.day_log()))

    def _view_of(self, now: datetime, day: DayLog) -> DayView:
        """The day as planned at `now`, with why prompts wait or fail."""
        waiting = "do not disturb is on" if self._dnd else "you seem away" if self._away_from else ""
        return day_view(self.settings, now, day, self._hold_until, self.busy)._replace(
            waiting=waiting,
            calendar=self.calendar_problem,
            engine=self.holder_text,
            notifications=self.notifications,
            config=self.config.problem if self.config else "",
            desks=self.desks,
        )

    def _tell_dashboard(self) -> None:
        """Hand the view to the dashboard (a failure there is logged, never raised here)."""
        if self.on_change and self.view is not None:
            try:
                self.on_change(self.view)
            except Exception:
                log.exception("the dashboard failed to take the new plan")

    def _retry_soon(self) -> None:
        """Re-plan a clock minute from now. The re-plan at the end of a prompt job that did not
        fire schedules the prompt for a time already past, which APScheduler drops while this job
        still runs (one instance at a time): without this, nothing would fire until midnight."""
        self._schedule("retry", self.clock.now() + RETRY, self.replan)

    def _arm_tick(self, seconds: float) -> None:
        if self._ticker is not None:
            self._ticker.set(seconds)
            self._tick_due = time.monotonic() + seconds

    def _tick_in(self) -> float:
        """Real seconds to the next tick: `poll_seconds` while something waits on the tick, else
        when the lease, presence or a delivery re-check is next due, at most `idle_poll_seconds`
        (midnight, prompts and walk ends are jobs of their own)."""
        walking = self.view is not None and self.view.log.walking
        if self._watch is None or self._undelivered is not None or walking:
            return self.poll_seconds
        mono = time.monotonic()
        due = [self.idle_poll_seconds]
        if self.lease is not None:
            due.append(self._lease_at + self.lease_seconds - mono)
        if self.presence is not None:
            due.append(self._presence_at + self.presence_seconds - mono)
        if self.notifications and self.leading:
            due.append(self._recheck_at + self.recheck_seconds - mono)
        if self.settings.calendar.sources:
            due.append(self._calendar_at + self.calendar_seconds - mono)
        return max(self.poll_seconds, min(due))

    def _tick_sooner(self) -> None:
        """Something now waits on the tick (a walk under way, a prompt no backend took): bring
        the next tick forward if it was set for later."""
        seconds = self._tick_in()
        if self._scheduler is not None and time.monotonic() + seconds < self._tick_due:
            self._arm_tick(seconds)

    def _files_changed(self, names: Collection[str] = ()) -> None:
        """A file in the data dir or the config's folder was written: tick now, not when due. The
        lease changed (taken over, given up, or the holder's notes): check it now too."""
        if LEASE_FILE in names:
            self._lease_at = -math.inf
        if CALENDAR_FILE in names and not self.leading:
            self._calendar_at = -math.inf  # the engine sending prompts read the calendars: take its list
        for name in names:
            if self._watch is not None and DEVICE_ID.match(name):  # another device's first files
                self._watch.add(os.path.join(self.store.directory, DEVICES, name))
        if self._ticker is not None and self._scheduler is not None:
            self._arm_tick(0)

    def _clock_jump(self) -> tuple[datetime, datetime, float] | None:
        """(when last seen, now, drift) if the wall clock moved more than `jump_seconds` away from
        the monotonic clock since the last look (a suspend, or the clock set); else None."""
        now, mono = self.clock.now(), time.monotonic()
        assert self._last_wall is not None
        expected = (mono - self._last_mono) * self.clock.speed
        drift = timeline.elapsed(self._last_wall, now).total_seconds() - expected
        since = self._last_wall
        self._last_wall, self._last_mono = now, mono
        return (since, now, drift) if abs(drift) > self.jump_seconds else None

    def _reconfigure(self, new: Settings) -> None:
        """Take up settings read again from the config file: the walk plan in force stays, and a
        new time zone moves the clock's day at once."""
        self.settings = with_plan(new, self.settings.plan)
        self._calendar_at = -math.inf  # a calendar added or changed is read at the next tick
        self.clock.use_zone(local_zone(new.work.timezone))
        self._last_wall = self.clock.now()  # the same instant, told in the new zone

    def _guide_closed(self) -> bool:
        """Whether the walk guide showing a walk under way has gone (closed, or its process killed):
        then a dashboard takes the walk over, or the engine ends it at its planned end."""
        walks = self.view.log.walking if self.view is not None else ()
        gone = {f"{w.id} {w.guide}" for w in walks if w.guide and not answers.guide_alive(w.guide)}
        gone -= self._guides_gone
        self._guides_gone |= gone
        return bool(gone)

    async def replan(self) -> None:
        """Re-plan from the store: `EnginePlanning.replan`."""
        raise NotImplementedError

    @property
    def calendar_problem(self) -> str:
        """Which calendars fail: `EngineCalendar.calendar_problem`."""
        raise NotImplementedError

    async def _check_calendar(self, *, starting: bool = False) -> None:
        """Read the calendars: `EngineCalendar._check_calendar`."""
        raise NotImplementedError

    async def _claim(self, first: bool = False) -> None:
        """Take or renew the lease: `EngineLease._claim`."""
        raise NotImplementedError
