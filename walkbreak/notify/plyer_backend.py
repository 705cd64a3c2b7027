"""plyer: the portable baseline, used only where it is known to deliver.

Known traps (each seen on plyer 2.1): on Linux without dbus-python plyer shells out to
`notify-send -t 0` (never expires, no icon, no app name) and warns on stderr, which would draw
over the dashboard; with a `/app` directory present it assumes Flatpak and drops notifications
silently. Where either applies, this backend declines and the notify-send backend does the job.
"""

from __future__ import annotations

import asyncio
import importlib.util
import os
import sys
import warnings

from walkbreak.core.message import PromptMessage
from walkbreak.notify.base import ActionHandler
from walkbreak.notify.icon import ICON_PATH
from walkbreak.notify.server import ServerProbe


class PlyerBackend:
    """A plain notification (plyer has no buttons)."""

    name = "plyer"

    def __init__(self, probe: ServerProbe | None = None) -> None:
        self.probe = probe or ServerProbe()

    def unavailable(self) -> str | None:
        """Why plyer is not used here, if it is not."""
        if importlib.util.find_spec("plyer") is None:
            return "the plyer package is not installed"
        if sys.platform.startswith("linux"):
            if os.path.isdir("/app"):
                return "a /app directory makes plyer assume Flatpak and drop notifications silently"
            if importlib.util.find_spec("dbus") is None:
                return (
                    "without dbus-python plyer runs `notify-send -t 0` (never expires) and warns on "
                    "stderr; the notify-send backend does this properly"
                )
        return None

    async def ready(self) -> str | None:
        """On Linux plyer goes through the session bus's notification server."""
        return await self.probe.missing() if sys.platform.startswith("linux") else None

    async def show(self, message: PromptMessage, on_action: ActionHandler) -> None:
        """Send the notification from a thread (plyer blocks)."""
        await asyncio.to_thread(self._send, message)

    async def close(self) -> None:
        """plyer cannot take a notification back; it times out by itself."""

    @staticmethod
    def _send(message: PromptMessage) -> None:
        """plyer's notify, with its warnings kept off the terminal."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from plyer import notification

            notification.notify(
                title=message.title,
                message=message.body,
                app_name="walkbreak",
                app_icon=ICON_PATH,
                timeout=message.expires_in_seconds,
            )
