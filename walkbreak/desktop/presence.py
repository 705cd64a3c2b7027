"""Is the user at the desk? Idle time and screen lock, from whatever this machine can tell.

Each probe answers "unknown" (None) rather than guessing: a probe that cannot run here, fails,
or gets an answer it does not understand says nothing, and the next one is asked. Probes are
ordered from the most direct to the most general; the first that knows wins, per question.

Idle: GNOME Mutter's IdleMonitor, KDE's org.freedesktop.ScreenSaver.GetSessionIdleTime, the X11
screensaver extension (on X11 sessions only), macOS HIDIdleTime, Windows GetLastInputInfo.
Locked: org.freedesktop.ScreenSaver.GetActive, logind's LockedHint.
Do not disturb: dunst (paused), mako (a do-not-disturb mode), GNOME (banners off), KDE
(notifications inhibited), Windows (the user's notification state).

Everything on D-Bus is a call on one kept connection per bus (`desktop.bus`), and the X11 idle
time is a libXss call: an idle minute starts no process. Only GNOME's setting is read with
`gsettings`, and only after dconf's database file changed.
"""

from __future__ import annotations

import asyncio
import ctypes
import logging
import os
import re
import subprocess
import sys
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from walkbreak.core.named_tuple import NamedTuple
from walkbreak.desktop import x11
from walkbreak.desktop.bus import Bus, session_address, system_address

T = TypeVar("T")
log = logging.getLogger("walkbreak.presence")

TIMEOUT = 2.0
"""Seconds a probe command may take before its answer counts as unknown."""


class Presence(NamedTuple):
    """What the probes know now: seconds since the last input, whether the screen is locked, and
    whether the desktop is in do-not-disturb."""

    idle_seconds: float | None
    locked: bool | None
    idle_source: str = ""
    lock_source: str = ""
    dnd: bool | None = None
    dnd_source: str = ""


Run = Callable[[Sequence[str], Mapping[str, str]], str | None]
"""Runs a command and returns its output, or None when it cannot run or fails."""


def run_command(command: Sequence[str], env: Mapping[str, str]) -> str | None:
    """A probe command's output, run in the session's environment (`gsettings` reads the session's
    dconf database, which a service started before the desktop learns of late); None when it is
    missing, fails or takes too long."""
    try:
        env = {**os.environ, **env}
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, env=env)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


@dataclass
class Desk:
    """What the probes may use: the session's environment, its buses, a way to run a command,
    and what they keep between checks."""

    env: dict[str, str]
    run: Run
    session: Any = None
    system: Any = None
    kept: dict[str, Any] = field(default_factory=dict)
    this_check: dict[str, Any] = field(default_factory=dict)
    """Answers good for one check only (the notification server's name, asked by two probes)."""

    def __post_init__(self) -> None:
        if self.session is None:
            self.session = Bus(lambda: session_address(self.env))
        if self.system is None:
            self.system = Bus(lambda: system_address(self.env))


def parse_hid_idle(output: str | None) -> float | None:
    """macOS `ioreg -c IOHIDSystem -d 4` → HIDIdleTime (nanoseconds) in seconds."""
    match = re.search(r'"HIDIdleTime" = (\d+)', output or "")
    return int(match[1]) / 1e9 if match else None


def parse_word(output: str | None, yes: str, no: str) -> bool | None:
    """A tool that prints one word: `yes` → True, `no` → False, anything else unknown."""
    word = (output or "").strip()
    return True if word == yes else False if word == no else None


def _number(body: list[Any] | None) -> int | None:
    value = body[0] if body else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


# The probes


def _graphical(env: Mapping[str, str]) -> bool:
    """Whether this process belongs to a desktop session (an SSH login to a machine with a
    locked desktop must not read that desktop's lock or idle time as its own)."""
    return bool(session_address(env) and (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")))


SCREENSAVER = ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver")
NOTIFICATIONS = ("org.freedesktop.Notifications", "/org/freedesktop/Notifications")
XFCONF = ("org.xfce.Xfconf", "/org/xfce/Xfconf", "org.xfce.Xfconf")


async def mutter_idle(desk: Desk) -> float | None:
    """GNOME: milliseconds since the last input, from Mutter's IdleMonitor."""
    if not _graphical(desk.env):
        return None
    ms = _number(
        await desk.session.call(
            "org.gnome.Mutter.IdleMonitor",
            "/org/gnome/Mutter/IdleMonitor/Core",
            "org.gnome.Mutter.IdleMonitor",
            "GetIdletime",
        )
    )
    return ms / 1000 if ms is not None else None


async def screensaver_idle(desk: Desk) -> float | None:
    """KDE: session idle time from org.freedesktop.ScreenSaver, in milliseconds (KIdleTime's unit)."""
    if not _graphical(desk.env):
        return None
    ms = _number(await desk.session.call(*SCREENSAVER, "GetSessionIdleTime"))
    return ms / 1000 if ms is not None else None


async def screensaver_locked(desk: Desk) -> bool | None:
    """Whether the screen saver (the lock screen on GNOME and KDE) is active."""
    if not _graphical(desk.env):
        return None
    body = await desk.session.call(*SCREENSAVER, "GetActive")
    return _flag(body[0]) if body else None


async def logind_locked(desk: Desk) -> bool | None:
    """logind's LockedHint for this session (set by GNOME, KDE and lockers that tell logind), on
    the system bus; the session's object path is asked once."""
    session = desk.env.get("XDG_SESSION_ID")
    if not session or not _graphical(desk.env):
        return None
    login1 = "org.freedesktop.login1"
    path = desk.kept.get(f"logind session {session}")
    if path is None:
        body = await desk.system.call(
            login1, "/org/freedesktop/login1", f"{login1}.Manager", "GetSession", "s", (session,)
        )
        path = body[0] if body and isinstance(body[0], str) else None
        if path is None:
            return None
        desk.kept[f"logind session {session}"] = path
    return _flag(await desk.system.get(login1, path, f"{login1}.Session", "LockedHint"))


async def x11_idle(desk: Desk) -> float | None:
    """X11 sessions only: milliseconds since the last input, from the MIT-SCREEN-SAVER extension.

    Under Wayland the X server (XWayland) only sees X clients' input, so it would guess; it is
    not asked there. Asked in a thread: a stuck X server must not stop the engine's loop.
    """
    env = desk.env
    if not env.get("DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland" or env.get("WAYLAND_DISPLAY"):
        return None
    return await asyncio.to_thread(x11.idle_seconds, env["DISPLAY"])


async def mac_idle(desk: Desk) -> float | None:
    """macOS: HIDIdleTime from the IOHIDSystem registry entry."""
    if sys.platform != "darwin":
        return None
    ioreg = ["ioreg", "-c", "IOHIDSystem", "-d", "4"]
    return parse_hid_idle(await asyncio.to_thread(desk.run, ioreg, desk.env))


async def windows_idle(desk: Desk) -> float | None:
    """Windows: milliseconds since the last input event (GetLastInputInfo)."""
    if sys.platform != "win32":
        return None

    class LastInputInfo(ctypes.Structure):
        _fields_ = [("cbSize", ctypes.c_uint), ("dwTime", ctypes.c_uint)]

    info = LastInputInfo(ctypes.sizeof(LastInputInfo), 0)
    user32, kernel32 = ctypes.windll.user32, ctypes.windll.kernel32
    if not user32.GetLastInputInfo(ctypes.byref(info)):
        return None
    return float((kernel32.GetTickCount() - info.dwTime) & 0xFFFFFFFF) / 1000


async def dunst_paused(desk: Desk) -> bool | None:
    """dunst: notifications paused (its do-not-disturb), the property `dunstctl is-paused` reads."""
    if not _graphical(desk.env):
        return None
    return _flag(await desk.session.get(*NOTIFICATIONS, "org.dunstproject.cmd0", "paused"))


async def mako_dnd(desk: Desk) -> bool | None:
    """mako: a mode named do-not-disturb is active (ListModes before mako 1.10, the Modes property
    after)."""
    if not desk.env.get("WAYLAND_DISPLAY") or not _graphical(desk.env):
        return None
    mako = (NOTIFICATIONS[0], "/fr/emersion/Mako", "fr.emersion.Mako")
    body = await desk.session.call(*mako, "ListModes")
    modes = body[0] if body else await desk.session.get(*mako, "Modes")
    return "do-not-disturb" in modes if isinstance(modes, list) else None


async def gnome_dnd(desk: Desk) -> bool | None:
    """GNOME: do-not-disturb turns notification banners off."""
    if "GNOME" not in desk.env.get("XDG_CURRENT_DESKTOP", "").upper():
        return None
    banners = await _gsetting(desk, "org.gnome.desktop.notifications", "show-banners")
    return None if banners is None else not banners


async def xfce_dnd(desk: Desk) -> bool | None:
    """Xfce: xfce4-notifyd's do-not-disturb, the /do-not-disturb property of its xfconf channel,
    asked of xfconfd (a property never set is off)."""
    if not _graphical(desk.env) or (await _notification_server(desk))[0] != "Xfce Notify Daemon":
        return None
    where = ("xfce4-notifyd", "/do-not-disturb")
    exists = await desk.session.call(*XFCONF, "PropertyExists", "ss", where)
    if not exists or not isinstance(exists[0], bool):
        return None
    if not exists[0]:
        return False
    value = await desk.session.call(*XFCONF, "GetProperty", "ss", where)
    return _flag(getattr(value[0], "value", None)) if value else None


async def mate_dnd(desk: Desk) -> bool | None:
    """MATE: mate-notification-daemon's do-not-disturb setting."""
    if not _graphical(desk.env) or (await _notification_server(desk))[1] != "MATE":
        return None
    return await _gsetting(desk, "org.mate.NotificationDaemon", "do-not-disturb")


async def _notification_server(desk: Desk) -> tuple[str, str]:
    """The notification server's name and vendor ("", "" when none answers)."""
    if "server" not in desk.this_check:
        body = await desk.session.call(
            *NOTIFICATIONS, "org.freedesktop.Notifications", "GetServerInformation"
        )
        desk.this_check["server"] = (str(body[0]), str(body[1])) if body and len(body) >= 2 else ("", "")
    server: tuple[str, str] = desk.this_check["server"]
    return server


async def _gsetting(desk: Desk, schema: str, key: str) -> bool | None:
    """A true/false GSettings key, read with `gsettings` only when dconf's database changed since
    the last read (dconf writes that file on every change; it has no in-process reader here)."""
    config = desk.env.get("XDG_CONFIG_HOME") or os.path.join(desk.env.get("HOME", "~"), ".config")
    try:
        stamp: int | None = os.stat(os.path.join(config, "dconf", "user")).st_mtime_ns
    except OSError:
        stamp = None  # never written: the defaults hold
    seen = desk.kept.get(f"{schema} {key}")
    if seen is not None and seen[0] == stamp:
        return bool(seen[1])
    said = await asyncio.to_thread(desk.run, ["gsettings", "get", schema, key], desk.env)
    answer = parse_word(said, "true", "false")
    if answer is not None:
        desk.kept[f"{schema} {key}"] = (stamp, answer)
    return answer


async def kde_dnd(desk: Desk) -> bool | None:
    """KDE Plasma: the notification server's Inhibited property."""
    if "KDE" not in desk.env.get("XDG_CURRENT_DESKTOP", "").upper() or not _graphical(desk.env):
        return None
    return _flag(await desk.session.get(*NOTIFICATIONS, "org.freedesktop.Notifications", "Inhibited"))


async def windows_dnd(desk: Desk) -> bool | None:
    """Windows: the user's notification state (busy, presenting, quiet time, focus assist)."""
    if sys.platform != "win32":
        return None
    state = ctypes.c_int()
    if ctypes.windll.shell32.SHQueryUserNotificationState(ctypes.byref(state)) != 0:
        return None
    # 3 a full-screen Direct3D game, 4 presentation mode, 6 quiet time; not 2 "busy", which is
    # any full-screen window (a full-screen terminal too).
    return state.value in (3, 4, 6)


Probe = Callable[[Desk], Awaitable[T | None]]

IDLE_PROBES: tuple[tuple[str, Probe[float]], ...] = (
    ("GNOME Mutter IdleMonitor", mutter_idle),
    ("org.freedesktop.ScreenSaver idle time", screensaver_idle),
    ("X11 screensaver extension", x11_idle),
    ("macOS HIDIdleTime", mac_idle),
    ("Windows GetLastInputInfo", windows_idle),
)
LOCK_PROBES: tuple[tuple[str, Probe[bool]], ...] = (
    ("org.freedesktop.ScreenSaver active", screensaver_locked),
    ("logind LockedHint", logind_locked),
)
DND_PROBES: tuple[tuple[str, Probe[bool]], ...] = (
    ("dunst", dunst_paused),
    ("mako", mako_dnd),
    ("GNOME show-banners", gnome_dnd),
    ("KDE Inhibited", kde_dnd),
    # after the desktops told by their variables alone: these two ask the server its name
    ("xfce4-notifyd", xfce_dnd),
    ("MATE do-not-disturb", mate_dnd),
    ("Windows notification state", windows_dnd),
)


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
        if not self.env.get("INVOCATION_ID") or _graphical(self.env):
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
