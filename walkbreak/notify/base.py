"""What the notifier and its backends share: the handler a backend calls with a pressed button,
the error a failed delivery raises, and what a backend is. Below both, so neither imports the other."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from walkbreak.core.message import PromptMessage

ActionHandler = Callable[[str], None]
"""Called with the key of a notification's button when the user presses it ("walk", "snooze",
"skip" on a prompt; "better", "same", "sore" on the check-in after a walk). A backend is given
one with each notification it shows."""
AnswerHandler = Callable[[str, str], None]
"""Called with the key of a pressed button and what its notification asked about
(`PromptMessage.about`), which may be older than what is asked now."""


class DeliveryFailed(Exception):
    """A backend could not hand the notification to the desktop; the message says why."""


class Backend(Protocol):
    """One way of putting a notification on the desktop."""

    name: str

    def unavailable(self) -> str | None:
        """None when this backend can be tried here, else why not (checked once)."""
        ...

    async def ready(self) -> str | None:
        """None when a delivery should work now, else why not (asked without showing anything)."""
        ...

    async def show(self, message: PromptMessage, on_action: ActionHandler) -> None:
        """Show the walk prompt, replacing the one on screen; raises DeliveryFailed."""
        ...

    async def close(self) -> None:
        """Take the walk prompt off the screen, if this backend can."""
        ...
