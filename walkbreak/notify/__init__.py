"""Desktop notifications for walk prompts: ordered backends behind one `Notifier` (`notifier.py`);
what they share is in `base.py`; `build_notifier` chooses the backends (`notify.backend`)."""

from __future__ import annotations

from walkbreak.core.settings import NotifySettings
from walkbreak.notify.base import Backend
from walkbreak.notify.notifier import Notifier

__all__ = ["Notifier", "build_notifier"]


def build_notifier(settings: NotifySettings) -> Notifier:
    """The backends for this machine in order of preference, as `notify.backend` asks.

    "auto": the freedesktop server over D-Bus (buttons; Linux and BSD desktops) or
    desktop-notifier (buttons; Windows), then plyer, then notify-send or osascript, then the
    terminal's own notification escape where the terminal is known to show it (over SSH). A named
    backend is used alone; "none" sends nothing.
    """
    from walkbreak.notify.commands import NotifySendBackend, OsascriptBackend
    from walkbreak.notify.desktop import DesktopNotifierBackend
    from walkbreak.notify.freedesktop import FreedesktopBackend
    from walkbreak.notify.plyer_backend import PlyerBackend
    from walkbreak.notify.server import ServerProbe
    from walkbreak.notify.terminal import TerminalBackend

    probe = ServerProbe()  # one session-bus connection for every backend that asks the server
    every: list[Backend] = [
        FreedesktopBackend(probe),
        DesktopNotifierBackend(),
        PlyerBackend(probe),
        NotifySendBackend(probe),
        OsascriptBackend(),
        TerminalBackend(forced=settings.backend == "terminal"),
    ]
    if settings.backend == "none":
        return Notifier([])
    if settings.backend == "auto":
        return Notifier(every)
    return Notifier([b for b in every if b.name == settings.backend])
