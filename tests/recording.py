"""A notification backend for tests: records what it is asked to show, or fails on demand."""

from __future__ import annotations

from walkbreak.core.message import PromptMessage
from walkbreak.notify.base import ActionHandler, DeliveryFailed


class RecordingBackend:
    """Remembers every prompt it is asked to show and every close; can be told to fail."""

    def __init__(self, name: str = "recording", fail: bool = False) -> None:
        self.name = name
        self.fail = fail
        self.shown: list[PromptMessage] = []
        self.closed = 0
        self.on_action: ActionHandler | None = None
        """The buttons of the newest notification; `pressed[i]` those of `shown[i]`."""
        self.pressed: list[ActionHandler] = []

    def unavailable(self) -> str | None:
        return None

    async def ready(self) -> str | None:
        return "told to fail" if self.fail else None

    async def show(self, message: PromptMessage, on_action: ActionHandler) -> None:
        if self.fail:
            raise DeliveryFailed("told to fail")
        self.shown.append(message)
        self.pressed.append(on_action)
        self.on_action = on_action

    async def close(self) -> None:
        self.closed += 1
