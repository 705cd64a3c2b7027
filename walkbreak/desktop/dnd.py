"""Do not disturb: dunst (paused), mako (a do-not-disturb mode), GNOME (banners off), KDE
(notifications inhibited), Xfce's and MATE's notification daemons (their settings), Windows (the
user's notification state)."""

from __future__ import annotations

import asyncio
import ctypes
import os
import sys

from walkbreak.desktop.desk import (
    NOTIFICATIONS,
    XFCONF,
    Desk,
    Probe,
    as_flag,
    graphical,
    parse_word,
)


async def dunst_paused(desk: Desk) -> bool | None:
    """dunst: notifications paused (its do-not-disturb), the property `dunstctl is-paused` reads."""
    if not graphical(desk.env):
        return None
    return as_flag(await desk.session.get(*NOTIFICATIONS, "org.dunstproject.cmd0", "paused"))


async def mako_dnd(desk: Desk) -> bool | None:
    """mako: a mode named do-not-disturb is active (ListModes before mako 1.10, the Modes property
    after)."""
    if not desk.env.get("WAYLAND_DISPLAY") or not graphical(desk.env):
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
    if not graphical(desk.env) or (await _notification_server(desk))[0] != "Xfce Notify Daemon":
        return None
    where = ("xfce4-notifyd", "/do-not-disturb")
    exists = await desk.session.call(*XFCONF, "PropertyExists", "ss", where)
    if not exists or not isinstance(exists[0], bool):
        return None
    if not exists[0]:
        return False
    value = await desk.session.call(*XFCONF, "GetProperty", "ss", where)
    return as_flag(getattr(value[0], "value", None)) if value else None


async def mate_dnd(desk: Desk) -> bool | None:
    """MATE: mate-notification-daemon's do-not-disturb setting."""
    if not graphical(desk.env) or (await _notification_server(desk))[1] != "MATE":
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
    if "KDE" not in desk.env.get("XDG_CURRENT_DESKTOP", "").upper() or not graphical(desk.env):
        return None
    return as_flag(await desk.session.get(*NOTIFICATIONS, "org.freedesktop.Notifications", "Inhibited"))


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
