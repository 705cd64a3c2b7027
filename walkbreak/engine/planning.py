"""The engine's plan: re-planning from the store, the prompt job, the follow-up and the check-in
after a walk, walks that end without their guide.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime, timedelta

from walkbreak import answers, ids
from walkbreak.core import actions, timeline, walking
from walkbreak.core.actions import Changes
from walkbreak.core.care import followup_due
from walkbreak.core.message import checkin_message, followup_message
from walkbreak.core.model import DayLog, Prompt, Walking
from walkbreak.core.planner import Plan, PlanState, expiry_of, plan
from walkbreak.core.settings import with_plan
from walkbreak.engine.base import NotDue
from walkbreak.engine.calendar_watch import EngineCalendar

log = logging.getLogger("walkbreak.engine")


class EnginePlanning(EngineCalendar):
    """Plans from the store and fires the prompt; asks the check-in after a walk and the follow-up."""

    async def replan(self) -> None:
        """Read the day from the store, close lapsed prompts, and schedule what comes next."""
        if not self._planned:
            return  # `start` plans once it knows the busy time
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
        """The one prompt job: the open prompt's expiry, or the next prompt (unless it must wait);
        and while the open prompt is on the desktop, the meeting job at the next meeting's start."""
        begins: list[datetime] = []
        if current.state is PlanState.DUE and current.open_prompt:
            lapses = expiry_of(self.settings, current.open_prompt, day)
            self._schedule("prompt", lapses, self._lapse_due)
            if self._shown == current.open_prompt.id:
                now = self.clock.now()
                begins = [
                    max(b.start, now)
                    for b in self.busy
                    if b.end > now and (lapses is None or b.start < lapses)
                ]
        elif current.at is not None and self._away_from is None and not self._dnd:
            # While the user is away or the desktop is in do-not-disturb, a due prompt waits.
            self._schedule("prompt", current.at, self._fire)
        else:
            self._unschedule("prompt")
        if begins:  # it leaves the desktop when a meeting begins (the dashboard keeps it)
            self._schedule("meeting", min(begins), self._meeting_begins)
        else:
            self._unschedule("meeting")

    async def _meeting_begins(self) -> None:
        """The meeting job: take the prompt off the desktop, never to come back there (it stays
        in the dashboard, and is answered or lapses as any other)."""
        if self._shown is not None:
            log.info("a meeting begins: the prompt leaves the desktop (the dashboard keeps it)")
            self._withdrawn, self._shown, self._undelivered = self._shown, None, None
            await self._off_desktop()

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
                    current = plan(self.settings, now, day, self._hold_until, self.busy)
                    due = current.at is not None and current.at <= now + timedelta(seconds=self.clock.speed)
                    if current.state not in (PlanState.SCHEDULED, PlanState.PAUSED) or not due:
                        raise NotDue(str(current))
                    # Named by its place in the day: every desk sending it writes one record.
                    number = len(day.prompts) + 1
                    prompt, changes = actions.fire(
                        now, day, lambda: ids.prompt_id(now.date(), number), current.snoozed
                    )
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

    async def _lapse_due(self) -> None:
        """The expiry job: the open prompt went unanswered (re-planning records it as expired)."""
        await self.replan()
