"""The engine's notifications: the prompt and the questions on the desktop, delivered again when
no backend took them, and the server's id kept in the lease for whoever takes over.
"""

from __future__ import annotations

import asyncio
import logging
import time

from walkbreak.core.message import PromptMessage, prompt_message
from walkbreak.core.model import DayLog, Prompt
from walkbreak.core.planner import Plan, PlanState
from walkbreak.engine.base import EngineBase

log = logging.getLogger("walkbreak.engine")


class EngineDesktop(EngineBase):
    """Puts the prompt and the questions on the desktop, and keeps what is on screen in the lease."""

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

    async def _follow_prompt_on_screen(self, current: Plan, day: DayLog) -> None:
        """Keep the desktop in step with the plan: show a waiting prompt, close an answered one."""
        waiting = current.open_prompt if current.state is PlanState.DUE else None
        if waiting is None:
            self._withdrawn = None
        if waiting is None and self._shown is not None:
            self._shown = self._undelivered = None
            await self._off_desktop()
        elif waiting is not None and waiting.id not in (self._shown, self._withdrawn):
            # Fired by an earlier run, or re-shown after a snooze elsewhere: put it up here, after
            # the dashboard's panel (which needs no notification server).
            self._tell_dashboard()
            await self._show(waiting, day)

    async def _close_left_behind(self) -> None:
        """Close what the holder this one took over from left on the desktop (it died or hung):
        the prompt is shown again from here, and one copy is enough."""
        assert self.lease is not None
        left, self.lease.taken_from = self.lease.taken_from, None
        if left is None or not left.shown:
            return
        if await self.notifier.close_foreign(left.shown):
            log.info("closed the notification %s left on screen", left.describe())
