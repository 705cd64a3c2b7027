"""desktop-notifier: native notifications with buttons on Linux (D-Bus) and Windows (WinRT)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import Callable
from typing import Any

from walkbreak.core.message import PromptMessage
from walkbreak.notify.icon import ICON_PATH
from walkbreak.notify.notifier import ActionHandler, DeliveryFailed
from walkbreak.notify.server import ServerProbe, session_bus_exists

log = logging.getLogger("walkbreak.notify")


class DesktopNotifierBackend:
    """Walk prompts with "Walk now", "Snooze N min" and "Skip" buttons.

    desktop-notifier logs a failed send instead of raising, so delivery is confirmed through its
    `on_dispatched` callback, which runs only once the notification server has taken it.
    """

    name = "desktop-notifier"

    def __init__(self, probe: ServerProbe | None = None) -> None:
        self.probe = probe or ServerProbe()
        self._notifier: Any = None
        self._current: str | None = None
        self._platform_id: int | None = None

    @property
    def server_id(self) -> int:
        """The notification server's id for the prompt on screen (0 when none)."""
        return self._platform_id or 0

    def unavailable(self) -> str | None:
        """Why not here: macOS (it needs a signed app bundle), no session bus, not installed."""
        if sys.platform not in ("linux", "win32"):
            return "used only on Linux and Windows (on macOS it needs a signed app bundle)"
        if sys.platform == "linux" and not session_bus_exists():
            return "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"
        try:
            import desktop_notifier  # noqa: F401
        except ImportError as err:
            return f"the desktop-notifier package cannot be imported ({err})"
        return None

    async def ready(self) -> str | None:
        """On Linux, whether a notification server is on the session bus."""
        return await self.probe.missing() if sys.platform == "linux" else None

    async def show(self, message: PromptMessage, on_action: ActionHandler) -> None:
        """Replace the prompt on screen with this one."""
        from pathlib import Path

        from desktop_notifier import Button, DesktopNotifier, Icon

        if self._notifier is None:
            # It logs a failed send with a traceback; walkbreak says why in one line instead.
            logging.getLogger("desktop_notifier").setLevel(logging.ERROR)
            self._notifier = DesktopNotifier(app_name="walkbreak", app_icon=Icon(path=Path(ICON_PATH)))
        await self.close()

        def pressed(key: str) -> Callable[[], None]:
            def handler() -> None:
                # desktop-notifier forgets a notification once a button is pressed, but servers
                # such as dunst leave it on screen: close it by its server id.
                self._current = None
                asyncio.get_running_loop().create_task(self._close_on_server())
                on_action(key)

            return handler

        buttons = [Button(label, on_pressed=pressed(key), identifier=key) for key, label in message.actions()]
        dispatched = asyncio.Event()
        identifier = await self._notifier.send(
            title=message.title,
            message=message.body,
            buttons=buttons,
            on_dispatched=dispatched.set,
            timeout=message.expires_in_seconds,
        )
        if not dispatched.is_set():
            self._forget_failed_connection()
            missing = await self.ready()
            raise DeliveryFailed(missing or "the notification server did not take the notification")
        self._current = identifier
        ids = getattr(self._notifier._backend, "_platform_to_interface_notification_identifier", None)
        self._platform_id = ids.inverse.get(identifier) if ids is not None else None

    async def close(self) -> None:
        """Remove the prompt this backend put up."""
        current, self._current = self._current, None
        if current is not None and self._notifier is not None:
            with contextlib.suppress(KeyError):  # the user closed it already
                await self._notifier.clear(current)
        self._platform_id = None

    def _forget_failed_connection(self) -> None:
        """After a failed send, start afresh next time.

        desktop-notifier connects to the bus before it asks the server, and when that fails keeps
        neither: each later try would open one more connection, never closed.
        """
        backend = getattr(self._notifier, "_backend", None)
        if backend is not None and getattr(backend, "interface", None) is None:
            bus = getattr(backend, "bus", None)
            if bus is not None:
                with contextlib.suppress(Exception):
                    bus.disconnect()
            self._notifier = None

    async def _close_on_server(self) -> None:
        """Close the notification through the D-Bus interface desktop-notifier holds (Linux only)."""
        platform_id, self._platform_id = self._platform_id, None
        interface = getattr(getattr(self._notifier, "_backend", None), "interface", None)
        if platform_id is None or interface is None:
            return
        try:
            await interface.call_close_notification(platform_id)
        except Exception as err:  # already closed, or the server went away
            log.debug("closing notification %s: %s", platform_id, err)
