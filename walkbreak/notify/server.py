"""Is a notification server on the session bus? One in-process D-Bus call; nothing is shown.

Asked by `walkbreak doctor`, by the notifier while deliveries fail (so a prompt waiting for the
desktop's notification server costs one D-Bus call per retry instead of a process per backend),
and to word why a delivery failed. The connection stays open between calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from collections.abc import Sequence
from typing import Any

from walkbreak.desktop.bus import session_address

NAME = "org.freedesktop.Notifications"
PATH = "/org/freedesktop/Notifications"
TIMEOUT = 3.0
"""Seconds to wait for the bus or the server (an activatable server may take a moment to start)."""


class ServerProbe:
    """Asks the session bus for the freedesktop notification server (Linux and BSD desktops)."""

    def __init__(self) -> None:
        self._bus: Any = None
        self.server = ""
        """The server's name and version from its last answer, e.g. "dunst 1.9.0"."""

    async def missing(self) -> str | None:
        """None when a notification server answers; else why none can take a notification."""
        if sys.platform in ("darwin", "win32"):
            return None  # no freedesktop server there; the backends for those systems say for themselves
        if not session_bus_exists():
            return "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"
        try:
            from dbus_fast import MessageType
        except ImportError as err:
            return f"dbus-fast cannot be imported ({err})"
        try:
            reply = await self.call("GetServerInformation")
        except Exception as err:  # no bus at that address, a refused connection, a timeout
            self.close()
            return f"the session bus cannot be reached ({err or type(err).__name__})"
        if reply.message_type == MessageType.ERROR:
            if reply.error_name == "org.freedesktop.DBus.Error.ServiceUnknown":
                return "no notification server is running on the session bus"
            detail = reply.body[0] if reply.body else ""
            return (
                f"the notification server did not answer ({reply.error_name}{': ' if detail else ''}{detail})"
            )
        body: list[Any] = list(reply.body or [])
        name, _vendor, version, *_ = [*body, "", "", ""]
        self.server = f"{name} {version}".strip()
        return None

    async def connection(self) -> Any:
        """The kept session-bus connection, opened now if needed; None when it cannot be had
        (`missing` says why)."""
        if sys.platform in ("darwin", "win32") or not session_bus_exists():
            return None
        try:
            return await self._connect()
        except Exception:
            self.close()
            return None

    async def _connect(self) -> Any:
        if self._bus is None or not self._bus.connected:
            from dbus_fast.aio import MessageBus

            self._bus = await asyncio.wait_for(MessageBus().connect(), TIMEOUT)
        return self._bus

    async def call(self, member: str, signature: str = "", body: Sequence[Any] = ()) -> Any:
        """The notification server's reply (an error reply too) to one call on the kept
        connection; raises when the bus cannot be reached or the call times out."""
        from dbus_fast import Message

        bus = await self._connect()
        message = Message(
            destination=NAME, path=PATH, interface=NAME, member=member, signature=signature, body=list(body)
        )
        return await asyncio.wait_for(bus.call(message), TIMEOUT)

    async def close_notification(self, notification_id: int) -> bool:
        """Ask the server to close notification `notification_id` (this process's, or one another
        process showed: an engine that died or hung); True when it answered without an error."""
        if await self.connection() is None:
            return False
        from dbus_fast import MessageType

        try:
            reply = await self.call("CloseNotification", "u", [notification_id])
        except Exception:
            return False
        return bool(reply.message_type != MessageType.ERROR)

    def close(self) -> None:
        """Drop the connection (it is opened again when next needed)."""
        bus, self._bus = self._bus, None
        if bus is not None:
            with contextlib.suppress(Exception):
                bus.disconnect()


def session_bus_exists() -> bool:
    """Whether a D-Bus session bus can be reached (named in the environment or at its usual place)."""
    return session_address(os.environ) is not None
