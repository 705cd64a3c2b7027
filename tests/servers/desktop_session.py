# ruff: noqa: F821 (the annotations are D-Bus signatures, which dbus-fast reads)
"""The desktop services walkbreak's presence probes ask on GNOME and KDE, for a session that has
none (the notify-lab bus): Mutter's IdleMonitor and org.freedesktop.ScreenSaver, with the answers
given on the command line. Used by test_desktop_probes.py to see the probes' calls on a real bus.

    python desktop_session.py --idle-ms 5000 --locked   # both names
    python desktop_session.py --locked                  # ScreenSaver only, without GetSessionIdleTime
"""

import argparse
import asyncio

from dbus_fast.aio import MessageBus
from dbus_fast.service import ServiceInterface, method


class IdleMonitor(ServiceInterface):
    def __init__(self, idle_ms: int) -> None:
        super().__init__("org.gnome.Mutter.IdleMonitor")
        self.idle_ms = idle_ms

    @method()
    def GetIdletime(self) -> "t":
        return self.idle_ms


class ScreenSaver(ServiceInterface):
    def __init__(self, locked: bool) -> None:
        super().__init__("org.freedesktop.ScreenSaver")
        self.locked = locked

    @method()
    def GetActive(self) -> "b":
        return self.locked


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--idle-ms", type=int)
    parser.add_argument("--locked", action="store_true")
    options = parser.parse_args()
    bus = await MessageBus().connect()
    if options.idle_ms is not None:
        bus.export("/org/gnome/Mutter/IdleMonitor/Core", IdleMonitor(options.idle_ms))
        await bus.request_name("org.gnome.Mutter.IdleMonitor")
    bus.export("/org/freedesktop/ScreenSaver", ScreenSaver(options.locked))
    await bus.request_name("org.freedesktop.ScreenSaver")
    print("ready", flush=True)
    await asyncio.Future()


asyncio.run(main())
