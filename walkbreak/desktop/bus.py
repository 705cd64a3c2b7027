"""One kept D-Bus connection for the desktop probes: each question is a call on it, in this
process, instead of a `gdbus`, `dunstctl` or `loginctl` process a minute.

A service that is not on the bus (or an object, interface, method or property a service does not
have) is remembered and not asked again until the bus says that name changed owner (a match on
NameOwnerChanged for that name alone, so no other bus traffic wakes us), or after FORGET_AFTER
in case that signal was missed. A call that merely failed or timed out is asked again next time.
Probes never start a service (NO_AUTOSTART): asking whether the user is idle must not launch a
screensaver daemon.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

TIMEOUT = 2.0
"""Seconds a connection or a call may take before its answer counts as unknown."""
FORGET_AFTER = 600.0
"""Seconds after which a service remembered as absent is asked again anyway."""
RECONNECT_AFTER = 30.0
"""Seconds between attempts to reach a bus that could not be reached."""

ABSENT_NAME = frozenset(
    {"org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner"}
)
ABSENT_CALL = frozenset(
    {
        "org.freedesktop.DBus.Error.UnknownObject",
        "org.freedesktop.DBus.Error.UnknownInterface",
        "org.freedesktop.DBus.Error.UnknownMethod",
        "org.freedesktop.DBus.Error.UnknownProperty",
        "org.freedesktop.DBus.Error.InvalidArgs",  # some servers' answer to a property they lack
        "org.freedesktop.DBus.Error.NotSupported",
    }
)
DBUS = "org.freedesktop.DBus"
PROPERTIES = "org.freedesktop.DBus.Properties"


def session_address(env: Mapping[str, str]) -> str | None:
    """The session bus named in the environment, or the one at its usual place under systemd."""
    if env.get("DBUS_SESSION_BUS_ADDRESS"):
        return env["DBUS_SESSION_BUS_ADDRESS"]
    runtime = env.get("XDG_RUNTIME_DIR", "")
    path = os.path.join(runtime, "bus")
    return f"unix:path={path}" if runtime and os.path.exists(path) else None


def system_address(env: Mapping[str, str]) -> str:
    return env.get("DBUS_SYSTEM_BUS_ADDRESS") or "unix:path=/run/dbus/system_bus_socket"


class Bus:
    """Calls on one bus (session or system), connected on first use and kept open."""

    def __init__(
        self, address: Callable[[], str | None], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._address = address
        self._clock = clock
        self._bus: Any = None
        self._unreachable_at = -1e9
        self._absent: dict[tuple[str, ...], float] = {}
        """(name,) or (name, path, interface, member, *arguments) → when it was found absent."""
        self._watched: set[str] = set()
        self.sent: Counter[str] = Counter()
        """Calls sent to each name (what the probes cost; the tests read it)."""

    async def call(
        self, name: str, path: str, interface: str, member: str, signature: str = "", body: Sequence[Any] = ()
    ) -> list[Any] | None:
        """The reply's values; None when the bus, the service or the answer is not there."""
        call_key = (name, path, interface, member, *map(str, body))
        if self._remembered_absent((name,)) or self._remembered_absent(call_key):
            return None
        bus = await self._connected()
        if bus is None:
            return None
        from dbus_fast import Message, MessageFlag, MessageType

        try:
            await self._watch(bus, name)
            self.sent[name] += 1
            message = Message(
                destination=name,
                path=path,
                interface=interface,
                member=member,
                signature=signature,
                body=list(body),
                flags=MessageFlag.NO_AUTOSTART,
            )
            reply = await asyncio.wait_for(bus.call(message), TIMEOUT)
        except Exception:  # a timeout, a lost connection: ask again next time
            if not bus.connected:
                self.close()
            return None
        if reply.message_type != MessageType.ERROR:
            return list(reply.body)
        if reply.error_name in ABSENT_NAME:
            self._absent[(name,)] = self._clock()
        elif reply.error_name in ABSENT_CALL:
            self._absent[call_key] = self._clock()
        return None

    async def get(self, name: str, path: str, interface: str, prop: str) -> Any:
        """One property's value, or None."""
        body = await self.call(name, path, PROPERTIES, "Get", "ss", (interface, prop))
        return getattr(body[0], "value", None) if body else None

    def close(self) -> None:
        """Drop the connection (opened again when next needed) and what was remembered on it."""
        bus, self._bus = self._bus, None
        self._watched.clear()
        self._absent.clear()
        if bus is not None:
            with contextlib.suppress(Exception):
                bus.disconnect()

    def _remembered_absent(self, key: tuple[str, ...]) -> bool:
        since = self._absent.get(key)
        if since is None:
            return False
        if self._clock() - since < FORGET_AFTER:
            return True
        del self._absent[key]
        return False

    async def _connected(self) -> Any:
        if self._bus is not None and self._bus.connected:
            return self._bus
        self.close()
        address = self._address()
        if address is None or self._clock() - self._unreachable_at < RECONNECT_AFTER:
            return None
        try:
            from dbus_fast.aio import MessageBus

            self._bus = await asyncio.wait_for(MessageBus(bus_address=address).connect(), TIMEOUT)
        except Exception:  # no bus there, refused, dbus-fast missing: these probes say "unknown"
            self._unreachable_at = self._clock()
            return None
        self._bus.add_message_handler(self._on_message)
        return self._bus

    async def _watch(self, bus: Any, name: str) -> None:
        """Be told when `name` gets or loses an owner (a server started, restarted or replaced)."""
        if name in self._watched:
            return
        await add_match(bus, owner_changes(name))
        self._watched.add(name)

    def _on_message(self, message: Any) -> None:
        if message.member == "NameOwnerChanged" and message.interface == DBUS and message.body:
            name = message.body[0]
            for key in [key for key in self._absent if key[0] == name]:
                del self._absent[key]


def owner_changes(name: str) -> str:
    """The match rule for the bus's NameOwnerChanged signals about `name` alone."""
    return f"type='signal',sender='{DBUS}',interface='{DBUS}',member='NameOwnerChanged',arg0='{name}'"


async def add_match(bus: Any, rule: str) -> None:
    """Ask the bus to send this connection the signals `rule` matches."""
    from dbus_fast import Message

    add = Message(
        destination=DBUS,
        path="/org/freedesktop/DBus",
        interface=DBUS,
        member="AddMatch",
        signature="s",
        body=[rule],
    )
    await asyncio.wait_for(bus.call(add), TIMEOUT)
