# ruff: noqa: F821, F722 (the annotations are D-Bus signatures, which dbus-fast reads)
"""A notification server that takes the name on the session bus and answers GetServerInformation,
but never answers Notify: a desktop whose notification daemon hangs (for test_hung_server.py)."""

import asyncio

from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface, method


class Hung(ServiceInterface):
    def __init__(self) -> None:
        super().__init__("org.freedesktop.Notifications")
        self.calls = 0

    @method()
    def GetServerInformation(self) -> "ssss":
        return ["hung", "walkbreak tests", "1", "1.2"]

    @method()
    def GetCapabilities(self) -> "as":
        return ["actions", "body"]

    @method()
    async def Notify(
        self,
        app_name: "s",
        replaces_id: "u",
        app_icon: "s",
        summary: "s",
        body: "s",
        actions: "as",
        hints: "a{sv}",
        expire_timeout: "i",
    ) -> "u":
        print(f"Notify {summary}", flush=True)
        await asyncio.Future()  # never answers
        return 0

    @method()
    def CloseNotification(self, notification_id: "u") -> None:
        pass


async def main() -> None:
    bus = await MessageBus().connect()
    bus.export("/org/freedesktop/Notifications", Hung())
    await bus.request_name("org.freedesktop.Notifications")
    print("ready", flush=True)
    await asyncio.Future()


asyncio.run(main())
