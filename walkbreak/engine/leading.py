"""The engine's role: the one that sends prompts (it holds the lease on the data dir) or a viewer
that plans and shows the day, and takes over when the holder stops.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time

from walkbreak import watch
from walkbreak.engine.desktop import EngineDesktop

log = logging.getLogger("walkbreak.engine")


class EngineLease(EngineDesktop):
    """Holds the lease and sends the prompts, or views the day and takes over when the holder stops."""

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
