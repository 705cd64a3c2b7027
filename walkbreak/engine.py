"""The engine: plans prompts from the store and fires them, on APScheduler in the running loop.

Data flows one way: an answer or a timer writes to the store, then the engine re-plans from
the store. The engine polls the month file's mtime every few seconds, so a walk logged from
another shell shows up here without a socket. Nothing scheduled is kept in APScheduler between
runs: on start the engine rebuilds its plan from the store.

Suspend and clock changes: APScheduler sleeps on the monotonic clock, which stops while the
machine sleeps, and does not look again on resume. A tick every few seconds compares wall-clock
progress with monotonic progress; a jump means the machine woke or the clock was changed. The
engine then re-plans from now, never replays a missed prompt, holds prompts for a few minutes,
and records the work time slept through as an `Away` period the dashboard can ask about.
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

from walkbreak import answers, ids, watch
from walkbreak.clock import Clock, local_zone
from walkbreak.config_watch import ConfigWatch
from walkbreak.core import actions, checkins, timeline, walking
from walkbreak.core.actions import Changes, NotAllowed
from walkbreak.core.away import away_period, without_overlap
from walkbreak.core.care import followup_due
from walkbreak.core.feelings import Feeling
from walkbreak.core.message import PromptMessage, checkin_message, followup_message, prompt_message
from walkbreak.core.model import DayLog, Prompt, SkipReason, Walking
from walkbreak.core.planner import Plan, PlanState, expiry_of, plan, unresolved_prompt
from walkbreak.core.settings import CarePlan, Settings, with_plan
from walkbreak.core.today import DayView, day_view
from walkbreak.desktop.presence import Presence
from walkbreak.notify.notifier import Notifier
from walkbreak.paths import make_private_dirs
from walkbreak.store import Store
from walkbreak.store.lease import LEASE_FILE, Lease

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


class Engine:
    """Hosts the scheduler for one data dir.

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
        self._scheduler: AsyncIOScheduler | None = None
        self._lock = asyncio.Lock()
        self._hold_until: datetime | None = None
        self._shown: str | None = None
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

    # Life cycle

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
        make_private_dirs(self.store.directory)  # (to be watched; the first answer would make it)
        config_folder = [os.path.dirname(self.config.path)] if self.config else []
        self._watch = watch.files(self.store.directory, self._files_changed, also=config_folder)
        self.notifier.on_action = self.request
        if self.lease is not None:
            await self._claim(first=True)
        if self.leading:
            self.notifier.check_usable()
            await self._note_delivery()
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

    # Answers from the dashboard, notification buttons and the engine's own host

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

    # Planning

    async def replan(self) -> None:
        """Read the day from the store, close lapsed prompts, and schedule what comes next."""
        try:
            async with self._lock:
                await self._replan()
        except Exception:
            log.exception("re-planning failed; keeping the previous plan and trying again in a minute")
            # Nothing else may come to re-plan (a prompt job that failed is gone): retry.
            self._retry_soon()

    async def _replan(self) -> None:
        now = self.clock.now()
        day, care, walks = await asyncio.to_thread(self._read, now)
        # The walk plan in force changes when a suggestion is accepted or a red flag holds prompts.
        self.settings = with_plan(self.settings, care)
        lapsed = actions.lapse(self.settings, now, day)
        if lapsed.replace and self.leading:
            log.info("%d prompt(s) went unanswered and expired", len(lapsed.replace))
            day = await asyncio.to_thread(
                answers.answer, self.store, now, lambda d: actions.lapse(self.settings, now, d)
            )
        if self.leading and self._lapsed_before != now.date():
            # A new day: close what the last days left open (a prompt snoozed past the end of work,
            # or one whose snooze ended while no walkbreak ran).
            await asyncio.to_thread(self._lapse_days, now)
            self._lapsed_before = now.date()
        if self._hold_until and self._hold_until <= now:
            self._hold_until = None
        self.view = self._view_of(now, day)
        current = self.view.plan
        if self.leading:
            await self._follow_prompt_on_screen(current, day)
            self._schedule_prompt(current, day)
            await self._follow_walks(now, day, walks)
            await self._follow_up(now, day)
        else:
            self._unschedule("prompt")  # a viewer fires nothing and shows no notifications
        zone = now.tzinfo
        assert zone is not None
        tomorrow = timeline.start_of_day(now.date() + timedelta(days=1), zone).astimezone(zone)
        self._schedule("midnight", tomorrow, self.replan)
        self._tokens = self._store_tokens(now)
        log.debug("plan: %s", current)
        self.view = self.view._replace(notifications=self.notifications)  # as the prompt shown found it
        self._tick_sooner()
        self._tell_dashboard()

    def _schedule_prompt(self, current: Plan, day: DayLog) -> None:
        """The one prompt job: the open prompt's expiry, or the next prompt (unless it must wait)."""
        if current.state is PlanState.DUE and current.open_prompt:
            lapses = expiry_of(self.settings, current.open_prompt, day)
            self._schedule("prompt", lapses, self._lapse_due)
        elif current.at is not None and self._away_from is None and not self._dnd:
            # While the user is away or the desktop is in do-not-disturb, a due prompt waits.
            self._schedule("prompt", current.at, self._fire)
        else:
            self._unschedule("prompt")

    async def _claim(self, first: bool = False) -> None:
        """Renew the lease, or take it when the holder has stopped; follow whichever role results."""
        assert self.lease is not None
        try:
            holder = await asyncio.to_thread(self.lease.claim)
        except Exception:
            log.exception("could not read or renew the engine lease")
            if first:  # better two engines than none: this one prompts until the lease works
                self.leading = True
            return
        leading = holder.owner == self.lease.me.owner
        self._follow_holder(None if leading or holder.host != self.lease.me.host else holder.pid)
        if leading:
            self._held_at = time.monotonic()
        text = "" if leading else f"prompts come from {holder.describe()}"
        notes = self.notifications if leading else holder.notifications
        changed_holder = (text, notes) != (self.holder_text, self.notifications)
        self.holder_text, self.notifications = text, notes
        if leading == self.leading and not first:
            if changed_holder:
                await self.replan()  # another took over, or its notifications failed or work again
            return
        self.leading = leading
        if leading:
            log.info("this walkbreak sends the prompts%s", "" if first else " (took over)")
            self.notifications = ""  # the last holder's trouble; this one finds out at its first prompt
            await self._close_left_behind()
        else:
            log.info("%s; this one takes over if it stops", self.holder_text)
            self._unschedule("prompt")
            if self._shown is not None or self._question is not None:
                self._shown = self._question = None
                await self.notifier.close()
        if not first:
            await self.replan()

    def _follow_holder(self, pid: int | None) -> None:
        """As a viewer, watch the holder's process (on this machine) so that its end, even by
        kill -9, is seen at once rather than at the next lease check."""
        if self._holder_exit is not None and self._holder_exit[0] == pid:
            return
        if self._holder_exit is not None:
            self._holder_exit[1]()
            self._holder_exit = None
        if pid is not None:
            cancel = watch.process_exit(pid, self._holder_ended)
            self._holder_exit = (pid, cancel) if cancel is not None else None

    def _holder_ended(self) -> None:
        if self._holder_exit is not None:
            log.info("the process holding the lease (pid %d) ended", self._holder_exit[0])
        self._holder_exit = None
        self._lease_at = -math.inf  # the next tick, now, checks the lease and takes it over
        self._files_changed()

    def _lapse_days(self, now: datetime) -> None:
        yesterday = now.date() - timedelta(days=1)
        for day, past in self.store.days(
            yesterday - timedelta(days=LAPSE_DAYS - 1), yesterday, (Prompt,)
        ).items():
            if any(p.outcome is None for p in past.prompts):
                with self.store.batch(day) as batch:
                    batch.apply(actions.lapse(self.settings, now, batch.day_log()))

    def _read(self, now: datetime) -> tuple[DayLog, CarePlan, tuple[Walking, ...]]:
        return (
            answers.planning_log(self.store, now),
            self.store.plan(now.date()),
            answers.walks_under_way(self.store, now),
        )

    async def _close_left_behind(self) -> None:
        """Close what the holder this one took over from left on the desktop (it died or hung):
        the prompt is shown again from here, and one copy is enough."""
        assert self.lease is not None
        left, self.lease.taken_from = self.lease.taken_from, None
        if left is None or not left.shown:
            return
        if await self.notifier.close_foreign(left.shown):
            log.info("closed the notification %s left on screen", left.describe())

    async def _follow_prompt_on_screen(self, current: Plan, day: DayLog) -> None:
        """Keep the desktop in step with the plan: show a waiting prompt, close an answered one."""
        waiting = current.open_prompt if current.state is PlanState.DUE else None
        if waiting is None and self._shown is not None:
            self._shown = self._undelivered = None
            await self._off_desktop()
        elif waiting is not None and waiting.id != self._shown:
            # Fired by an earlier run, or re-shown after a snooze elsewhere: put it up here, after
            # the dashboard's panel (which needs no notification server).
            self._tell_dashboard()
            await self._show(waiting, day)

    async def _follow_up(self, now: datetime, day: DayLog) -> None:
        """Ask "has the soreness settled?" when a follow-up comes due, and schedule the next one.

        Asked once per check-in as a notification (never over a walk prompt on screen: then it
        goes out once that prompt is answered); the dashboard asks until it is answered.
        """
        if self._question and self._question[0] == "followup":
            still_open = any(c.id == self._question[1] and not c.followup for c in day.checkins)
            if not still_open:  # answered (here or anywhere): take the question off the desktop
                await self._take_down_question()
        due = {c.id: followup_due(self.settings, c) for c in day.checkins if c.id not in self._asked}
        ready = [c for c in day.checkins if (at := due.get(c.id)) is not None and at <= now]
        if ready and self._desktop_free():
            self._asked.update(c.id for c in ready)
            message = followup_message(ready[-1])
            log.info("follow-up: %s", message.title)
            await self._ask(("followup", ready[-1].id), message)
            if self.on_followup:
                try:
                    self.on_followup(message)
                except Exception:
                    log.exception("the dashboard failed to show the follow-up")
        later = [at for at in due.values() if at is not None and at > now]
        if later:
            self._schedule("followup", min(later), self.replan)
        else:
            self._unschedule("followup")

    async def _follow_walks(self, now: datetime, day: DayLog, walks: tuple[Walking, ...]) -> None:
        """Walks under way (`walks`, as stored): one no walk guide shows ends at its planned end;
        after it, the check-in is asked as a notification (answered or expired like a prompt)."""
        for walk in walks:
            if walk.id in self._checkins_asked:
                continue  # ended (its end not written yet) and asked about already
            guided = not walking.needs_guide(walk, answers.guide_alive)
            self._walks_seen[walk.id] = guided and now < walking.overdue_at(walk)
        if walks:  # the next to count without its guide: at its end, or when its guide is overdue
            first = min(walks, key=lambda w: walking.ends_at(w, answers.guide_alive))
            ends = walking.ends_at(first, answers.guide_alive)
            self._schedule("walk-end", max(ends, now), lambda: self._end_walks(first.day))
        else:
            self._unschedule("walk-end")
        checked = {c.bout_id for c in day.checkins}
        for bout in day.bouts:
            if self._walks_seen.get(bout.id, True):
                continue  # not a walk seen to end without its guide (a guide asks, or it was logged)
            if bout.id in checked or not self.settings.care.check_in or now >= bout.end + self._expiry:
                del self._walks_seen[bout.id]  # answered, not asked for, or too long ago to ask
            elif self._desktop_free():  # else asked later (after the prompt, the DND, the absence)
                del self._walks_seen[bout.id]
                self._checkins_asked.add(bout.id)
                log.info("check-in asked after the walk from %s", f"{bout.start:%H:%M}")
                await self._ask(("checkin", bout.id), checkin_message(self.settings, bout))
        known = {w.id for w in walks} | {b.id for b in day.bouts}
        self._walks_seen = {k: v for k, v in self._walks_seen.items() if k in known}
        asked = self._question if self._question and self._question[0] == "checkin" else None
        if asked:
            after = next((b for b in day.bouts if b.id == asked[1]), None)
            if after is None or after.id in checked or now >= after.end + self._expiry:
                await self._take_down_question()  # answered anywhere, deleted, or expired
            else:
                self._schedule("question", after.end + self._expiry, self.replan)

    async def _end_walks(self, on: date) -> None:
        """The walk-end job: write the walks of `on` no guide shows that have ended (then re-plan)."""
        try:
            async with self._lock:
                await asyncio.to_thread(
                    answers.answer, self.store, self.clock.now(), lambda day: Changes(), on
                )
        except Exception:
            log.exception("could not record the walk that ended; trying again in a minute")
            self._retry_soon()
        await self.replan()

    @property
    def _expiry(self) -> timedelta:
        """How long a question on the desktop waits for an answer (as long as a prompt)."""
        return timedelta(minutes=self.settings.prompts.expire_minutes)

    def _desktop_free(self) -> bool:
        """Whether a question may go on the desktop now: no prompt there, not in do-not-disturb
        and not away (a question never replaces a walk prompt)."""
        return self._shown is None and not self._dnd and self._away_from is None

    async def _ask(self, question: tuple[str, str], message: PromptMessage) -> None:
        """Put a question (not a walk prompt) on the desktop, replacing the last one."""
        self._question = question
        await self._on_desktop(message)

    async def _take_down_question(self) -> None:
        """Take the question off the desktop (a walk prompt there stays)."""
        if self._question is not None and self._shown is None:
            await self._off_desktop()
        self._question = None
        self._unschedule("question")

    async def _show(self, prompt: Prompt, day: DayLog) -> None:
        """Tell the dashboard (its panel and bell need no server), then put the prompt on the
        desktop, over any question."""
        self._shown, self._question = prompt.id, None
        message = prompt_message(self.settings, day, prompt)
        if self.on_prompt:
            try:
                self.on_prompt(prompt, message)
            except Exception:
                log.exception("the dashboard failed to show the prompt")
        await self._on_desktop(message)
        self._undelivered = prompt.id if self.notifier.failing else None
        self._tick_sooner()
        await self._note_delivery()

    async def _on_desktop(self, message: PromptMessage) -> str | None:
        """Put `message` on the desktop if this process still holds the lease, and keep the
        server's id for it there; the backend's name, or None when not shown.

        A holder stopped (SIGSTOP, a hung disk) past its lease wakes up to find another engine
        showing the prompt: checked here before a show, unless this process renewed the lease less
        than `lease_seconds` ago (far inside its TTL), so it never adds a second copy.
        """
        if self.lease is not None and time.monotonic() - self._held_at >= self.lease_seconds:
            try:
                holder = await asyncio.to_thread(self.lease.claim)
            except Exception:
                holder = None  # the lease cannot be read: better a prompt twice than none
            if holder is not None and holder.owner == self.lease.me.owner:
                self._held_at = time.monotonic()
            elif holder is not None:
                log.info("not shown: %s sends the prompts now", holder.describe())
                self._track(asyncio.get_running_loop().create_task(self._claim()))  # follow at once
                return None
        shown = await self.notifier.show(message)
        await self._note_shown()
        return shown

    async def _off_desktop(self) -> None:
        """Take what this process shows off the desktop."""
        await self.notifier.close()
        await self._note_shown()

    async def _note_shown(self) -> None:
        """Keep the server's id for what is on screen in the lease, for whoever takes over."""
        if self.lease is not None and self.leading:
            try:
                await asyncio.to_thread(self.lease.note, shown=self.notifier.shown_id)
            except Exception:
                log.exception("could not note the notification on screen in the lease")

    async def _redeliver(self) -> None:
        """Try again to put the waiting prompt on the desktop (at login the engine often starts
        before the notification server): each tick until delivered, answered or expired."""
        self._redelivering = True
        try:
            async with self._lock:
                view = self.view
                waiting = view.plan.open_prompt if view and view.plan.state is PlanState.DUE else None
                if view is None or waiting is None or waiting.id != self._undelivered or not self.leading:
                    self._undelivered = None
                    return
                if await self._on_desktop(prompt_message(self.settings, view.log, waiting)) is not None:
                    log.info("the prompt of %s reached the desktop", f"{waiting.last_shown:%H:%M}")
                    self._undelivered = None
                await self._publish_delivery()
        except Exception:
            log.exception("delivering the prompt again failed")
        finally:
            self._redelivering = False

    async def _recheck_delivery(self) -> None:
        """Clear the warning once a backend says it could deliver again (before the next prompt)."""
        try:
            if await self.notifier.recheck():
                await self._publish_delivery()
        except Exception:
            log.exception("asking whether notifications work again failed")

    async def _note_delivery(self) -> bool:
        """Keep why prompts cannot reach the desktop where viewers and `status` read it; True
        when that changed."""
        problem = self.notifier.failing or ""
        if problem == self.notifications:
            return False
        self.notifications = problem
        if self.lease is not None and self.leading:
            try:
                await asyncio.to_thread(self.lease.note, notifications=problem)
            except Exception:
                log.exception("could not note the notification trouble in the lease")
        return True

    async def _publish_delivery(self) -> None:
        """Note whether prompts reach the desktop, and show the dashboard when that changed."""
        if await self._note_delivery() and self.view is not None:
            self.view = self.view._replace(notifications=self.notifications)
            self._tell_dashboard()

    def _view_of(self, now: datetime, day: DayLog) -> DayView:
        """The day as planned at `now`, with why prompts wait or fail."""
        waiting = "do not disturb is on" if self._dnd else "you seem away" if self._away_from else ""
        return day_view(self.settings, now, day, self._hold_until)._replace(
            waiting=waiting,
            engine=self.holder_text,
            notifications=self.notifications,
            config=self.config.problem if self.config else "",
        )

    def _tell_dashboard(self) -> None:
        """Hand the view to the dashboard (a failure there is logged, never raised here)."""
        if self.on_change and self.view is not None:
            try:
                self.on_change(self.view)
            except Exception:
                log.exception("the dashboard failed to take the new plan")

    # Jobs

    async def _fire(self) -> None:
        """The prompt job: record the prompt (new, or back from a snooze) and show it."""
        jump = self._clock_jump()
        if jump is not None:  # the machine woke (or the clock was set) since the last tick
            await self._woke(*jump)
            return
        if self.presence is not None:
            # Presence is polled once a minute; ask again now, so a prompt does not go out into
            # a do-not-disturb or a lock that began since (a change re-plans, holding the prompt).
            await self._check_presence()
            if self._away_from is not None or self._dnd:
                return
        try:
            async with self._lock:
                now = self.clock.now()
                # A red flag or an accepted suggestion written a moment ago must count now.
                self.settings = with_plan(self.settings, await asyncio.to_thread(self.store.plan, now.date()))
                fired: list[Prompt] = []

                def decide(day: DayLog) -> Changes:
                    if self.lease is not None and not self.lease.holds():  # read under the store's lock
                        raise NotDue("another walkbreak sends the prompts")
                    if self._away_from is not None or self._dnd:
                        raise NotDue("do not disturb" if self._dnd else "the user is away")
                    current = plan(self.settings, now, day, self._hold_until)
                    due = current.at is not None and current.at <= now + timedelta(seconds=self.clock.speed)
                    if current.state not in (PlanState.SCHEDULED, PlanState.PAUSED) or not due:
                        raise NotDue(str(current))
                    prompt, changes = actions.fire(now, day, ids.new_id, current.snoozed)
                    fired.append(prompt)
                    return changes

                try:
                    day = await asyncio.to_thread(answers.answer, self.store, now, decide)
                except NotDue as why:
                    log.info("prompt job ran but the plan had changed (%s); re-planning", why)
                    self._retry_soon()
                else:
                    log.info(
                        "prompt %s at %s", "back from snooze" if fired[0].snoozes else "fired", f"{now:%H:%M}"
                    )
                    self.view = self._view_of(now, day)
                    self._tell_dashboard()  # the panel first: it needs no notification server
                    await self._show(fired[0], day)
        except Exception:
            log.exception("firing the prompt failed; trying again in a minute")
            self._retry_soon()
        await self.replan()

    def _retry_soon(self) -> None:
        """Re-plan a clock minute from now. The re-plan at the end of a prompt job that did not
        fire schedules the prompt for a time already past, which APScheduler drops while this job
        still runs (one instance at a time): without this, nothing would fire until midnight."""
        self._schedule("retry", self.clock.now() + RETRY, self.replan)

    async def _lapse_due(self) -> None:
        """The expiry job: the open prompt went unanswered (re-planning records it as expired)."""
        await self.replan()

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

    def _files_changed(self, names: Collection[str] = ()) -> None:
        """A file in the data dir or the config's folder was written: tick now, not when due. The
        lease changed (taken over, given up, or the holder's notes): check it now too."""
        if LEASE_FILE in names:
            self._lease_at = -math.inf
        if self._ticker is not None and self._scheduler is not None:
            self._arm_tick(0)

    def _arm_tick(self, seconds: float) -> None:
        if self._ticker is not None:
            self._ticker.set(seconds)
            self._tick_due = time.monotonic() + seconds

    def _tick_sooner(self) -> None:
        """Something now waits on the tick (a walk under way, a prompt no backend took): bring
        the next tick forward if it was set for later."""
        seconds = self._tick_in()
        if self._scheduler is not None and time.monotonic() + seconds < self._tick_due:
            self._arm_tick(seconds)

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
        return max(self.poll_seconds, min(due))

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
            if self.presence is not None and mono - self._presence_at >= self.presence_seconds:
                self._presence_at = mono
                self._track(asyncio.get_running_loop().create_task(self._check_presence()))
        except Exception:
            log.exception("tick failed")
        finally:
            if self._scheduler is not None:
                self._arm_tick(self._tick_in())

    def _reconfigure(self, new: Settings) -> None:
        """Take up settings read again from the config file: the walk plan in force stays, and a
        new time zone moves the clock's day at once."""
        self.settings = with_plan(new, self.settings.plan)
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

    # Scheduling helpers

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

    def _store_tokens(self, now: datetime) -> tuple[int, ...]:
        """What changes when another process writes today's or yesterday's records.

        Yesterday is in another file only on the first of a month; the same file is stat'ed once.
        """
        today, yesterday = now.date(), now.date() - timedelta(days=1)
        if today.month == yesterday.month:
            return (self.store.changed_token(today),)
        return (self.store.changed_token(today), self.store.changed_token(yesterday))

    def jobs(self) -> dict[str, datetime]:
        """The scheduled jobs and their real run times (for tests and `doctor`)."""
        if self._scheduler is None:
            return {}
        return {job.id: job.next_run_time for job in self._scheduler.get_jobs()}
