"""The desktop's notification server, asked over D-Bus in this process (Linux and BSD desktops).

desktop-notifier is not used here for two reasons, both seen on GNOME's notification-daemon 3.20:
it sends every notification as a new one (replaces_id 0), so a prompt could only be replaced by
closing the last one first; and it forgets a notification once it is closed, while that server
leaves a closed popup on screen until its own timeout, so a button pressed on it was lost. This
backend replaces the live prompt in place, and remembers what it showed, so a button pressed on
an older popup reaches the engine with what that popup asked about (the engine decides whether
that is still asked).
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections import OrderedDict
from pathlib import Path
from typing import Any

from walkbreak.core.message import PromptMessage
from walkbreak.desktop.bus import DBUS, add_match, owner_changes
from walkbreak.notify.base import ActionHandler, DeliveryFailed
from walkbreak.notify.icon import ICON_PATH
from walkbreak.notify.server import NAME, PATH, ServerProbe, session_bus_exists

log = logging.getLogger("walkbreak.notify")

REMEMBERED = 32
"""Notifications whose buttons are still passed on after they were closed or replaced (a day's
prompts and check-ins; older popups have timed out on any server)."""
URGENCY_NORMAL = 1
CLICKED = "default"
"""The key a server sends when the notification itself, not a button, is clicked: it answers nothing."""


class FreedesktopBackend:
    """Walk prompts with "Walk now", "Snooze N min" and "Skip" buttons, over the session bus."""

    name = "freedesktop"
    replaces = True
    """A new prompt takes the place of the last on screen (the Notifier need not close it first)."""

    def __init__(self, probe: ServerProbe | None = None) -> None:
        self.probe = probe or ServerProbe()
        self._live = 0
        """The server's id for the notification on screen now (0: none)."""
        self._shown: OrderedDict[int, tuple[str, ActionHandler]] = OrderedDict()
        """Each notification shown, newest last: the server (its unique bus name) and the handler
        of its buttons."""
        self._listening_on: Any = None
        self._closing: asyncio.Task[bool] | None = None

    @property
    def server_id(self) -> int:
        """The notification server's id for the prompt on screen (0 when none)."""
        return self._live

    def unavailable(self) -> str | None:
        """Why not here: macOS and Windows have no such server, no session bus, no dbus-fast."""
        if sys.platform in ("darwin", "win32"):
            return "used on Linux and BSD desktops (a freedesktop notification server)"
        if not session_bus_exists():
            return "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"
        try:
            import dbus_fast  # noqa: F401
        except ImportError as err:
            return f"the dbus-fast package cannot be imported ({err})"
        return None

    async def ready(self) -> str | None:
        return await self.probe.missing()

    async def show(self, message: PromptMessage, on_action: ActionHandler) -> None:
        """Show `message`, replacing the live prompt in place (the server's replaces_id)."""
        bus = await self.probe.connection()
        if bus is None:
            raise DeliveryFailed(await self.probe.missing() or "the session bus cannot be reached")
        await self._listen(bus)
        capabilities = await self._call("GetCapabilities")
        actions: list[str] = []
        if "actions" in (capabilities[0] if capabilities else ()):
            actions = [CLICKED, ""]
            for key, label in message.actions():
                actions += [key, label]
        from dbus_fast import Variant

        reply = await self._call(
            "Notify",
            "susssasa{sv}i",
            [
                "walkbreak",
                self._live,
                Path(ICON_PATH).as_uri(),
                message.title,
                message.body,
                actions,
                {"urgency": Variant("y", URGENCY_NORMAL)},
                message.expires_in_seconds * 1000,
            ],
            sender=True,
        )
        if reply is None:
            raise DeliveryFailed(await self.probe.missing() or "the notification server refused it")
        (notification_id,), server = reply
        self._live = notification_id
        self._shown.pop(notification_id, None)
        self._shown[notification_id] = (server, on_action)
        while len(self._shown) > REMEMBERED:
            self._shown.popitem(last=False)

    async def close(self) -> None:
        """Take the live prompt off the screen (it is remembered for a button pressed on it)."""
        live, self._live = self._live, 0
        if live:
            await self.probe.close_notification(live)  # an error: closed already

    async def _call(
        self, member: str, signature: str = "", body: list[Any] | None = None, sender: bool = False
    ) -> Any:
        """The reply's values (with the replying server's bus name when `sender`), or None on an
        error reply (logged)."""
        from dbus_fast import MessageType

        reply = await self.probe.call(member, signature, body or [])
        if reply.message_type == MessageType.ERROR:
            log.debug("%s: %s %s", member, reply.error_name, reply.body)
            return None
        return (reply.body, reply.sender) if sender else reply.body

    async def _listen(self, bus: Any) -> None:
        """Hear the server's ActionInvoked and NotificationClosed signals on this connection."""
        if self._listening_on is bus:
            return
        for rule in (f"type='signal',interface='{NAME}',path='{PATH}'", owner_changes(NAME)):
            await add_match(bus, rule)
        bus.add_message_handler(self._on_signal)
        self._listening_on = bus

    def _on_signal(self, message: Any) -> None:
        if message.member == "NameOwnerChanged" and message.interface == DBUS:
            # Another server (or the same, restarted) counts ids afresh: ours now name others'.
            self._live = 0
            self._shown.clear()
            return
        if message.interface != NAME or message.path != PATH or len(message.body or ()) < 2:
            return
        notification_id, detail = message.body[:2]
        shown = self._shown.get(notification_id)
        if shown is None or shown[0] != message.sender:
            return  # another program's, or from a server that has since been replaced
        if message.member == "NotificationClosed":
            if notification_id == self._live:
                self._live = 0  # dismissed or timed out; a server may still leave it up
        elif message.member == "ActionInvoked" and detail != CLICKED:
            del self._shown[notification_id]  # one answer per notification
            if notification_id == self._live:
                # Servers such as dunst leave a notification on screen after a button: close it.
                self._live = 0
                closing = self.probe.close_notification(notification_id)
                self._closing = asyncio.get_running_loop().create_task(closing)
            else:
                log.info("%r pressed on an earlier notification (%d)", detail, notification_id)
            shown[1](detail)
