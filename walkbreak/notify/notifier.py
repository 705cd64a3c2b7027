"""The Notifier: tries its backends in order, remembers the one that works, never raises.

A walk prompt is shown through the first backend that delivers it; that backend is tried first
from then on. A backend that fails is tried next time again, and the next one now. At most one
walk prompt is on screen: showing a new one replaces the last (in place where the backend can,
`replaces`), and `close` takes it away.

When nothing delivers (at login the engine often starts before the desktop's notification
server), `failing` says why until a delivery works; the engine tries again at each poll. Such a
streak is logged once when it begins and once when it ends, not at every try, and during it a
backend is asked whether it is `ready` (one in-process D-Bus call) before a real try.
"""

from __future__ import annotations

import asyncio
import functools
import logging
from collections.abc import Sequence

from walkbreak.core.message import PromptMessage
from walkbreak.core.named_tuple import NamedTuple
from walkbreak.notify.base import AnswerHandler, Backend

log = logging.getLogger("walkbreak.notify")

SEND_TIMEOUT = 2.0
"""Seconds a backend may take to hand a notification over (the server's reply with its id) before
it counts as failed: a hung server must not hold a prompt back, nor pass for one that took it."""
TIMED_OUT = f"the notification server did not answer within {SEND_TIMEOUT:g} s"


class TestResult(NamedTuple):
    """How one backend fared in `walkbreak notify-test`."""

    backend: str
    delivered: bool
    detail: str


class Notifier:
    """Shows walk prompts through the first backend that works.

    Args:
        backends: in order of preference.
        on_action: receives the key of a pressed button and what its notification asked
            about; may be set later.
    """

    def __init__(self, backends: Sequence[Backend], on_action: AnswerHandler | None = None) -> None:
        self.backends = list(backends)
        self.on_action = on_action
        self._reasons: dict[str, str | None] = {}
        self._working: Backend | None = None
        self._showing: Backend | None = None
        self.failing: str | None = None
        """Why the last delivery failed (none delivered since); None once one works."""
        self._failed_tries = 0

    def unavailable(self, backend: Backend) -> str | None:
        """Why `backend` cannot be used here (asked once, then remembered)."""
        if backend.name not in self._reasons:
            try:
                self._reasons[backend.name] = backend.unavailable()
            except Exception as err:  # a probe must not stop the others
                self._reasons[backend.name] = f"probe failed: {err!r}"
        return self._reasons[backend.name]

    def check_usable(self) -> None:
        """Set `failing` at once when no backend can be used here at all (no session bus, say),
        so the user is told before the first prompt rather than at it."""
        reasons = [self.unavailable(b) for b in self.backends]
        if reasons and all(reasons) and self.failing is None:
            self.failing = next(r for r in reasons if r)

    async def recheck(self) -> bool:
        """While deliveries fail and nothing waits to be delivered: ask the backends (without
        showing anything) whether one could deliver again; True when `failing` was cleared."""
        if self.failing is None:
            return False
        for backend in self.backends:
            if self.unavailable(backend) is None:
                try:
                    missing = await asyncio.wait_for(backend.ready(), SEND_TIMEOUT)
                except Exception as err:
                    missing = str(err)
                if missing is None:
                    log.info("notifications can be delivered again (%s is ready)", backend.name)
                    self.failing, self._failed_tries = None, 0
                    return True
        return False

    async def show(self, message: PromptMessage) -> str | None:
        """Show the walk prompt, in place of what is on screen; returns the backend's name, or
        None if none delivered it (then nothing of walkbreak's is left on screen)."""
        previous = self._showing
        if not getattr(previous, "replaces", False):
            await self.close()  # else the backend replaces its notification in place
            previous = None
        if not self.backends:
            return None  # notify.backend = "none": nothing to deliver, nothing failing
        usable = [b for b in self.backends if self.unavailable(b) is None]
        if self._working in usable:
            usable.remove(self._working)
            usable.insert(0, self._working)
        why: list[str] = []
        for backend in usable:
            streak = self.failing is not None
            try:
                # Within a failure streak a backend is asked first: a D-Bus call, not a process.
                missing = await asyncio.wait_for(backend.ready(), SEND_TIMEOUT) if streak else None
                if missing is None:
                    pressed = functools.partial(self._dispatch, about=message.about)
                    await asyncio.wait_for(backend.show(message, pressed), SEND_TIMEOUT)
            except TimeoutError:
                missing = TIMED_OUT
            except Exception as err:
                missing = str(err) or type(err).__name__
            if missing is not None:
                why.append(f"{backend.name}: {missing}")
                (log.debug if streak else log.warning)(
                    "notification backend %s failed: %s", backend.name, missing
                )
                continue
            if self.failing is not None:
                tries = self._failed_tries
                log.info(
                    "notifications work again (after %d failed tr%s)", tries, "y" if tries == 1 else "ies"
                )
            if backend is not self._working:
                log.info("notifications go through %s", backend.name)
            self.failing, self._failed_tries = None, 0
            if previous is not None and previous is not backend:
                await self.close()  # the notification of a backend that failed this time
            self._working = self._showing = backend
            return backend.name
        if previous is not None:
            await self.close()
        # Why the preferred backend failed; with none usable, why the first cannot be used here.
        unusable = [self.unavailable(b) for b in self.backends]
        reason = why[0].partition(": ")[2] if why else next((r for r in unusable if r), "no backend")
        if self.failing is None:
            log.error(
                "no notification backend could show %r (%s); trying again while it waits",
                message.title,
                "; ".join(why) or reason,
            )
        self.failing, self._failed_tries = reason, self._failed_tries + 1
        return None

    @property
    def shown_id(self) -> int:
        """The notification server's id for what this notifier shows now (0: none, or not known)."""
        return getattr(self._showing, "server_id", 0) or 0

    async def close_foreign(self, notification_id: int) -> bool:
        """Close a notification another walkbreak process left on screen (it died or hung and this
        one took over), by the server's id; False when no server could be asked."""
        from walkbreak.notify.server import ServerProbe

        probes = [p for p in (getattr(b, "probe", None) for b in self.backends) if p is not None]
        return await (probes[0] if probes else ServerProbe()).close_notification(notification_id)

    async def close(self) -> None:
        """Take the walk prompt off the screen."""
        showing, self._showing = self._showing, None
        if showing is None:
            return
        try:
            await asyncio.wait_for(showing.close(), SEND_TIMEOUT)
        except Exception as err:
            log.warning("could not close the notification from %s: %s", showing.name, err)

    async def test(self, message: PromptMessage) -> list[TestResult]:
        """Send `message` through every backend; say which delivered it and why others did not."""
        results = []
        for backend in self.backends:
            reason = self.unavailable(backend)
            if reason is not None:
                results.append(TestResult(backend.name, False, f"not available: {reason}"))
                continue
            try:
                await asyncio.wait_for(backend.show(message, lambda key: None), SEND_TIMEOUT)
            except TimeoutError:
                results.append(TestResult(backend.name, False, f"failed: {TIMED_OUT}"))
            except Exception as err:
                results.append(TestResult(backend.name, False, f"failed: {err or type(err).__name__}"))
            else:
                results.append(TestResult(backend.name, True, "delivered"))
        return results

    def _dispatch(self, key: str, about: str) -> None:
        """Pass a pressed button on; a failing handler is logged, not raised into the backend."""
        log.info("notification button pressed: %s", key)
        if self.on_action is None:
            return
        try:
            self.on_action(key, about)
        except Exception:
            log.exception("handling the %r button failed", key)
