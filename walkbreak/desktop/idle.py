"""Idle time and the screen lock: is the user at the desk?

Idle: GNOME Mutter's IdleMonitor, KDE's org.freedesktop.ScreenSaver.GetSessionIdleTime (X11 only:
KWin on Wayland answers "not supported"), the X11 screensaver extension (on X11 sessions only),
macOS HIDIdleTime, Windows GetLastInputInfo. Locked: org.freedesktop.ScreenSaver.GetActive,
logind's LockedHint.
"""

from __future__ import annotations

import asyncio
import ctypes
import sys

from walkbreak.desktop import x11
from walkbreak.desktop.desk import (
    SCREENSAVER,
    Desk,
    Probe,
    as_flag,
    as_number,
    graphical,
    parse_hid_idle,
)


async def mutter_idle(desk: Desk) -> float | None:
    """GNOME: milliseconds since the last input, from Mutter's IdleMonitor."""
    if not graphical(desk.env):
        return None
    ms = as_number(
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
    if not graphical(desk.env):
        return None
    ms = as_number(await desk.session.call(*SCREENSAVER, "GetSessionIdleTime"))
    return ms / 1000 if ms is not None else None


async def screensaver_locked(desk: Desk) -> bool | None:
    """Whether the screen saver (the lock screen on GNOME and KDE) is active."""
    if not graphical(desk.env):
        return None
    body = await desk.session.call(*SCREENSAVER, "GetActive")
    return as_flag(body[0]) if body else None


async def logind_locked(desk: Desk) -> bool | None:
    """logind's LockedHint for this session (set by GNOME, KDE and lockers that tell logind), on
    the system bus; the session's object path is asked once."""
    session = desk.env.get("XDG_SESSION_ID")
    if not session or not graphical(desk.env):
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
    return as_flag(await desk.system.get(login1, path, f"{login1}.Session", "LockedHint"))


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
