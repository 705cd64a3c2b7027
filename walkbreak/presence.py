"""Is the user at the desk? Idle time and screen lock, from whatever this machine can tell.

Each probe answers "unknown" (None) rather than guessing: a probe that cannot run here, fails,
or gets an answer it does not understand says nothing, and the next one is asked. Probes are
ordered from the most direct to the most general; the first that knows wins, per question.

Idle: GNOME Mutter's IdleMonitor, KDE's org.freedesktop.ScreenSaver.GetSessionIdleTime, the X11
screensaver extension (on X11 sessions only), macOS HIDIdleTime, Windows GetLastInputInfo.
Locked: org.freedesktop.ScreenSaver.GetActive, logind's LockedHint.
Do not disturb: dunst (paused), mako (a do-not-disturb mode), GNOME (banners off), KDE
(notifications inhibited), Windows (the user's notification state).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import re
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from typing import NamedTuple, TypeVar

T = TypeVar("T")

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


Run = Callable[[Sequence[str]], str | None]
"""Runs a command and returns its output, or None when it cannot run or fails."""


def run_command(command: Sequence[str]) -> str | None:
    """A probe command's output; None when it is missing, fails or takes too long."""
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


# Parsers for what the tools print (unit-tested from recorded outputs)


def parse_gdbus_uint(output: str | None) -> int | None:
    """`(uint64 12345,)` or `(uint32 7,)` → 12345 / 7."""
    match = re.fullmatch(r"\(uint(?:32|64) (\d+),\)\s*", output or "")
    return int(match[1]) if match else None


def parse_gdbus_bool(output: str | None) -> bool | None:
    """`(true,)` / `(false,)` → True / False."""
    match = re.fullmatch(r"\((true|false),\)\s*", output or "")
    return match[1] == "true" if match else None


def parse_locked_hint(output: str | None) -> bool | None:
    """loginctl's `LockedHint=yes` / `LockedHint=no`."""
    match = re.search(r"^LockedHint=(yes|no)$", output or "", re.MULTILINE)
    return match[1] == "yes" if match else None


def parse_hid_idle(output: str | None) -> float | None:
    """macOS `ioreg -c IOHIDSystem -d 4` → HIDIdleTime (nanoseconds) in seconds."""
    match = re.search(r'"HIDIdleTime" = (\d+)', output or "")
    return int(match[1]) / 1e9 if match else None


def parse_word(output: str | None, yes: str, no: str) -> bool | None:
    """A tool that prints one word: `yes` → True, `no` → False, anything else unknown."""
    word = (output or "").strip()
    return True if word == yes else False if word == no else None


def parse_gdbus_variant_bool(output: str | None) -> bool | None:
    """A D-Bus property read with gdbus: `(<true>,)` / `(<false>,)`."""
    match = re.fullmatch(r"\(<(true|false)>,\)\s*", output or "")
    return match[1] == "true" if match else None


# The probes


def _graphical(env: Mapping[str, str]) -> bool:
    """Whether this process belongs to a desktop session (an SSH login to a machine with a
    locked desktop must not read that desktop's lock or idle time as its own)."""
    return bool(env.get("DBUS_SESSION_BUS_ADDRESS") and (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")))


def _gdbus(dest: str, path: str, method: str) -> list[str]:
    return ["gdbus", "call", "--session", "--dest", dest, "--object-path", path, "--method", method]


def mutter_idle(env: Mapping[str, str], run: Run) -> float | None:
    """GNOME: milliseconds since the last input, from Mutter's IdleMonitor."""
    if not _graphical(env):
        return None
    ms = parse_gdbus_uint(
        run(
            _gdbus(
                "org.gnome.Mutter.IdleMonitor",
                "/org/gnome/Mutter/IdleMonitor/Core",
                "org.gnome.Mutter.IdleMonitor.GetIdletime",
            )
        )
    )
    return ms / 1000 if ms is not None else None


def screensaver_idle(env: Mapping[str, str], run: Run) -> float | None:
    """KDE: session idle time from org.freedesktop.ScreenSaver, in milliseconds (KIdleTime's unit)."""
    if not _graphical(env):
        return None
    ms = parse_gdbus_uint(
        run(
            _gdbus(
                "org.freedesktop.ScreenSaver",
                "/org/freedesktop/ScreenSaver",
                "org.freedesktop.ScreenSaver.GetSessionIdleTime",
            )
        )
    )
    return ms / 1000 if ms is not None else None


def screensaver_locked(env: Mapping[str, str], run: Run) -> bool | None:
    """Whether the screen saver (the lock screen on GNOME and KDE) is active."""
    if not _graphical(env):
        return None
    return parse_gdbus_bool(
        run(
            _gdbus(
                "org.freedesktop.ScreenSaver",
                "/org/freedesktop/ScreenSaver",
                "org.freedesktop.ScreenSaver.GetActive",
            )
        )
    )


def logind_locked(env: Mapping[str, str], run: Run) -> bool | None:
    """logind's LockedHint for this session (set by GNOME, KDE and lockers that tell logind)."""
    session = env.get("XDG_SESSION_ID")
    if not session or not _graphical(env):
        return None
    return parse_locked_hint(run(["loginctl", "show-session", session, "-p", "LockedHint"]))


def x11_idle(env: Mapping[str, str], run: Run) -> float | None:
    """X11 sessions only: milliseconds since the last input, from the MIT-SCREEN-SAVER extension.

    Under Wayland the X server (XWayland) only sees X clients' input, so it would guess; it is
    not asked there.
    """
    if not env.get("DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland" or env.get("WAYLAND_DISPLAY"):
        return None
    return _xss_idle_ms(env["DISPLAY"])


class _XScreenSaverInfo(ctypes.Structure):
    _fields_ = [
        ("window", ctypes.c_ulong),
        ("state", ctypes.c_int),
        ("kind", ctypes.c_int),
        ("til_or_since", ctypes.c_ulong),
        ("idle", ctypes.c_ulong),
        ("eventMask", ctypes.c_ulong),
    ]


_LIBRARIES: list[tuple[ctypes.CDLL, ctypes.CDLL] | None] = []
"""libX11 and libXss, looked up once (find_library runs ldconfig)."""


def _x_libraries() -> tuple[ctypes.CDLL, ctypes.CDLL] | None:
    if not _LIBRARIES:
        xlib_path, xss_path = ctypes.util.find_library("X11"), ctypes.util.find_library("Xss")
        _LIBRARIES.append((ctypes.CDLL(xlib_path), ctypes.CDLL(xss_path)) if xlib_path and xss_path else None)
    return _LIBRARIES[0]


def _xss_idle_ms(display_name: str) -> float | None:
    libraries = _x_libraries()
    if libraries is None:
        return None
    xlib, xss = libraries
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    xlib.XDefaultRootWindow.restype = ctypes.c_ulong
    xlib.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
    xlib.XCloseDisplay.argtypes = [ctypes.c_void_p]
    xlib.XFree.argtypes = [ctypes.c_void_p]
    xss.XScreenSaverQueryExtension.argtypes = [
        ctypes.c_void_p,
        ctypes.POINTER(ctypes.c_int),
        ctypes.POINTER(ctypes.c_int),
    ]
    xss.XScreenSaverAllocInfo.restype = ctypes.POINTER(_XScreenSaverInfo)
    xss.XScreenSaverQueryInfo.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.POINTER(_XScreenSaverInfo)]
    display = xlib.XOpenDisplay(display_name.encode())
    if not display:
        return None
    try:
        event, error = ctypes.c_int(), ctypes.c_int()
        if not xss.XScreenSaverQueryExtension(display, ctypes.byref(event), ctypes.byref(error)):
            return None
        info = xss.XScreenSaverAllocInfo()
        try:
            if not xss.XScreenSaverQueryInfo(display, xlib.XDefaultRootWindow(display), info):
                return None
            return float(info.contents.idle) / 1000
        finally:
            xlib.XFree(info)
    finally:
        xlib.XCloseDisplay(display)


def mac_idle(env: Mapping[str, str], run: Run) -> float | None:
    """macOS: HIDIdleTime from the IOHIDSystem registry entry."""
    if sys.platform != "darwin":
        return None
    return parse_hid_idle(run(["ioreg", "-c", "IOHIDSystem", "-d", "4"]))


def windows_idle(env: Mapping[str, str], run: Run) -> float | None:
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


def dunst_paused(env: Mapping[str, str], run: Run) -> bool | None:
    """dunst: notifications paused (its do-not-disturb)."""
    return parse_word(run(["dunstctl", "is-paused"]), "true", "false") if _graphical(env) else None


def mako_dnd(env: Mapping[str, str], run: Run) -> bool | None:
    """mako: a mode named do-not-disturb is active."""
    if not env.get("WAYLAND_DISPLAY"):
        return None
    modes = run(["makoctl", "mode"])
    return None if modes is None else "do-not-disturb" in modes.split()


def gnome_dnd(env: Mapping[str, str], run: Run) -> bool | None:
    """GNOME: do-not-disturb turns notification banners off."""
    if "GNOME" not in env.get("XDG_CURRENT_DESKTOP", "").upper():
        return None
    banners = parse_word(
        run(["gsettings", "get", "org.gnome.desktop.notifications", "show-banners"]), "true", "false"
    )
    return None if banners is None else not banners


def kde_dnd(env: Mapping[str, str], run: Run) -> bool | None:
    """KDE Plasma: the notification server's Inhibited property."""
    if "KDE" not in env.get("XDG_CURRENT_DESKTOP", "").upper() or not _graphical(env):
        return None
    command = _gdbus(
        "org.freedesktop.Notifications",
        "/org/freedesktop/Notifications",
        "org.freedesktop.DBus.Properties.Get",
    )
    return parse_gdbus_variant_bool(run([*command, "org.freedesktop.Notifications", "Inhibited"]))


def windows_dnd(env: Mapping[str, str], run: Run) -> bool | None:
    """Windows: the user's notification state (busy, presenting, quiet time, focus assist)."""
    if sys.platform != "win32":
        return None
    state = ctypes.c_int()
    if ctypes.windll.shell32.SHQueryUserNotificationState(ctypes.byref(state)) != 0:
        return None
    # 3 a full-screen Direct3D game, 4 presentation mode, 6 quiet time; not 2 "busy", which is
    # any full-screen window (a full-screen terminal too).
    return state.value in (3, 4, 6)


IDLE_PROBES: tuple[tuple[str, Callable[[Mapping[str, str], Run], float | None]], ...] = (
    ("GNOME Mutter IdleMonitor", mutter_idle),
    ("org.freedesktop.ScreenSaver idle time", screensaver_idle),
    ("X11 screensaver extension", x11_idle),
    ("macOS HIDIdleTime", mac_idle),
    ("Windows GetLastInputInfo", windows_idle),
)
LOCK_PROBES: tuple[tuple[str, Callable[[Mapping[str, str], Run], bool | None]], ...] = (
    ("org.freedesktop.ScreenSaver active", screensaver_locked),
    ("logind LockedHint", logind_locked),
)
DND_PROBES: tuple[tuple[str, Callable[[Mapping[str, str], Run], bool | None]], ...] = (
    ("dunst", dunst_paused),
    ("mako", mako_dnd),
    ("GNOME show-banners", gnome_dnd),
    ("KDE Inhibited", kde_dnd),
    ("Windows notification state", windows_dnd),
)


class Probes:
    """Asks the probes in order; the first that knows answers each question.

    Under systemd (the autostart service) the desktop's variables (DISPLAY, WAYLAND_DISPLAY,
    XDG_CURRENT_DESKTOP, XDG_SESSION_ID) reach the user manager only once the session exports
    them, so they are read from `systemctl --user show-environment` while they are missing.
    """

    def __init__(
        self,
        env: Mapping[str, str] | None = None,
        run: Run = run_command,
        *,
        idle: bool = True,
        dnd: bool = True,
    ) -> None:
        self.env = dict(os.environ if env is None else env)
        self.run = run
        self.idle = idle
        self.dnd = dnd
        self._imported_at = -1e9

    def check(self) -> Presence:
        """Idle seconds, lock state and do-not-disturb now, each None when no probe knows
        (or when that question is turned off)."""
        self._import_session_environment()
        idle, idle_source = self._first(IDLE_PROBES) if self.idle else (None, "")
        locked, lock_source = self._first(LOCK_PROBES) if self.idle else (None, "")
        dnd, dnd_source = self._first(DND_PROBES) if self.dnd else (None, "")
        return Presence(idle, locked, idle_source, lock_source, dnd, dnd_source)

    def _import_session_environment(self) -> None:
        if not self.env.get("INVOCATION_ID") or _graphical(self.env):
            return  # not a systemd service, or the session's variables are here already
        now = time.monotonic()
        if now - self._imported_at < IMPORT_EVERY:
            return
        self._imported_at = now
        for line in (self.run(["systemctl", "--user", "show-environment"]) or "").splitlines():
            name, sep, value = line.partition("=")
            if sep and name in SESSION_VARIABLES and name not in self.env:
                self.env[name] = value

    def _first(
        self, probes: Sequence[tuple[str, Callable[[Mapping[str, str], Run], T | None]]]
    ) -> tuple[T | None, str]:
        for name, probe in probes:
            try:
                answer = probe(self.env, self.run)
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
IMPORT_EVERY = 300.0
"""Seconds between reads of systemd's user environment while the session's variables are missing."""
