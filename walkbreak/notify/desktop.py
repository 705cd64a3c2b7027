"""desktop-notifier: native notifications with buttons on Windows (WinRT).

On Linux and BSD desktops the freedesktop backend speaks to the notification server itself (see
its docstring for why); macOS would need a signed app bundle.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sys
from collections.abc import Callable
from typing import Any

from walkbreak.core.message import PromptMessage
from walkbreak.notify.base import ActionHandler, DeliveryFailed
from walkbreak.notify.icon import ICON_PATH

log = logging.getLogger("walkbreak.notify")


class DesktopNotifierBackend:
    """Walk prompts with "Walk now", "Snooze N min" and "Skip" buttons.

    desktop-notifier logs a failed send instead of raising, so delivery is confirmed through its
    `on_dispatched` callback, which runs only once the system has taken it.
    """

    name = "desktop-notifier"

    def __init__(self) -> None:
        self._notifier: Any = None
        self._current: str | None = None

    def unavailable(self) -> str | None:
        """Why not here: not Windows, or not installed."""
        if sys.platform != "win32":
            return "used on Windows (Linux and BSD desktops use the freedesktop backend)"
        try:
            import desktop_notifier  # noqa: F401
        except ImportError as err:
            return f"the desktop-notifier package cannot be imported ({err})"
        return None

    async def ready(self) -> str | None:
        return None

    async def show(self, message: PromptMessage, on_action: ActionHandler) -> None:
        """Replace the prompt on screen with this one."""
        from pathlib import Path

        from desktop_notifier import Button, DesktopNotifier, Icon

        if self._notifier is None:
            # It logs a failed send with a traceback; walkbreak says why in one line instead.
            logging.getLogger("desktop_notifier").setLevel(logging.ERROR)
            self._notifier = DesktopNotifier(app_name="walkbreak", app_icon=Icon(path=Path(ICON_PATH)))
        await self.close()

        def pressed(key: str) -> Callable[[], None]:
            def handler() -> None:
                self._current = None
                on_action(key)

            return handler

        buttons = [Button(label, on_pressed=pressed(key), identifier=key) for key, label in message.actions()]
        dispatched = asyncio.Event()
        identifier = await self._notifier.send(
            title=message.title,
            message=message.body,
            buttons=buttons,
            on_dispatched=dispatched.set,
            timeout=message.expires_in_seconds,
        )
        if not dispatched.is_set():
            self._notifier = None  # start afresh next time
            raise DeliveryFailed("Windows did not take the notification")
        self._current = identifier

    async def close(self) -> None:
        """Remove the prompt this backend put up."""
        current, self._current = self._current, None
        if current is not None and self._notifier is not None:
            with contextlib.suppress(KeyError):  # the user closed it already
                await self._notifier.clear(current)
