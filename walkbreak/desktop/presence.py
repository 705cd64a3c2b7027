"""Is the user at the desk, and may a prompt go out? Idle time, the screen lock and do not
disturb, from whatever this machine can tell.

Each probe answers "unknown" (None) rather than guessing: a probe that cannot run here, fails,
or gets an answer it does not understand says nothing, and the next one is asked. Probes are
ordered from the most direct to the most general; the first that knows wins, per question.

The probes: idle time and the lock in `idle.py`, do not disturb in `dnd.py`, what they share in
`desk.py`.

Everything on D-Bus is a call on one kept connection per bus (`desktop.bus`), and the X11 idle
time is a libXss call: an idle minute starts no process. Only GNOME's and MATE's settings are
read with `gsettings`, and only after dconf's database file changed.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Mapping, Sequence
from typing import Any

from walkbreak.desktop.desk import (
    Desk,
    Presence,
    Probe,
    Run,
    T,
    graphical,
    run_command,
)
from walkbreak.desktop.dnd import DND_PROBES
from walkbreak.desktop.idle import IDLE_PROBES, LOCK_PROBES

__all__ = ["Presence", "Probes"]

log = logging.getLogger("walkbreak.presence")


class Probes:
    """Asks the probes in order; the first that knows answers each question.

    Under systemd (the autostart service) the desktop's variables (DISPLAY, WAYLAND_DISPLAY,
    XDG_CURRENT_DESKTOP, XDG_SESSION_ID) reach the user manager only once the session exports
    them, so they are read from the user manager's Environment property at each check while they
    are missing.
    """

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        run: Run = run_command,
        *,
        idle: bool = True,
        dnd: bool = True,
        session: Any = None,
        system: Any = None,
    ) -> None:
        self.desk = Desk(dict(os.environ if env is None else env), run, session, system)
        self.idle = idle
        self.dnd = dnd
        self._one_check = asyncio.Lock()  # the periodic check and the prompt job's may overlap

    @property
    def env(self) -> dict[str, str]:
        return self.desk.env

    async def check(self) -> Presence:
        """Idle seconds, lock state and do-not-disturb now, each None when no probe knows
        (or when that question is turned off)."""
        async with self._one_check:
            self.desk.this_check.clear()
            await self._import_session_environment()
            idle, idle_source = await self._first(IDLE_PROBES) if self.idle else (None, "")
            locked, lock_source = await self._first(LOCK_PROBES) if self.idle else (None, "")
            dnd, dnd_source = await self._first(DND_PROBES) if self.dnd else (None, "")
            return Presence(idle, locked, idle_source, lock_source, dnd, dnd_source)

    def close(self) -> None:
        """Drop the bus connections (a later check opens them again)."""
        for bus in (self.desk.session, self.desk.system):
            bus.close()

    async def _import_session_environment(self) -> None:
        if not self.env.get("INVOCATION_ID") or graphical(self.env):
            return  # not a systemd service, or the session's variables are here already
        # Asked at each check until they come (systemd signals no change of it): one in-process
        # D-Bus call a minute, and only for a service started before, or outside, a desktop session.
        systemd = (
            "org.freedesktop.systemd1",
            "/org/freedesktop/systemd1",
            "org.freedesktop.systemd1.Manager",
        )
        variables = await self.desk.session.get(*systemd, "Environment")
        arrived = []
        for line in variables if isinstance(variables, list) else []:
            name, sep, value = str(line).partition("=")
            if sep and name in SESSION_VARIABLES and name not in self.env:
                self.env[name] = value
                arrived.append(line)
        if arrived:
            log.info("the desktop session's variables reached the user manager: %s", ", ".join(arrived))

    async def _first(self, probes: Sequence[tuple[str, Probe[T]]]) -> tuple[T | None, str]:
        for name, probe in probes:
            try:
                answer = await probe(self.desk)
            except Exception:  # a probe must never stop the engine
                answer = None
            if answer is not None:
                return answer, name
        return None, ""


SESSION_VARIABLES = frozenset(
    {
        "DISPLAY",
        "WAYLAND_DISPLAY",
        "XDG_CURRENT_DESKTOP",
        "XDG_SESSION_ID",
        "XDG_SESSION_TYPE",
        "DBUS_SESSION_BUS_ADDRESS",
    }
)
"""What the probes need from the desktop session."""
