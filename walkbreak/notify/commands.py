"""The last resort: the desktop's own command-line tools (notify-send, osascript)."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import shutil
import signal
import subprocess
import sys

from walkbreak.core.message import PromptMessage
from walkbreak.notify.icon import ICON_PATH
from walkbreak.notify.notifier import ActionHandler, DeliveryFailed
from walkbreak.notify.server import ServerProbe, session_bus_exists

log = logging.getLogger("walkbreak.notify")

ACCEPTED_WITHIN = 1.5
"""Seconds after which a notify-send still waiting for a button press counts as delivered."""


class NotifySendBackend:
    """libnotify's notify-send, with the right app name, icon and timeout, and buttons if it can.

    With `--action` notify-send stays running until a button is pressed (printing its key) or the
    notification closes; SIGINT makes it close the notification. A new prompt therefore first
    stops the previous notify-send, which takes the old prompt off the screen.
    """

    name = "notify-send"

    def __init__(self, probe: ServerProbe | None = None) -> None:
        self.probe = probe or ServerProbe()
        self._process: asyncio.subprocess.Process | None = None
        self._waiter: asyncio.Task[None] | None = None
        self._has_actions: bool | None = None

    def unavailable(self) -> str | None:
        """Why not: not a freedesktop system, or notify-send is not installed."""
        if sys.platform in ("darwin", "win32"):
            return "notify-send is for Linux and BSD desktops"
        if shutil.which("notify-send") is None:
            return "notify-send not found (Debian/Ubuntu: apt install libnotify-bin)"
        if not session_bus_exists():
            return "no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set)"
        return None

    async def ready(self) -> str | None:
        """Whether a notification server is on the session bus (asked in-process, not by notify-send)."""
        return await self.probe.missing()

    async def show(self, message: PromptMessage, on_action: ActionHandler) -> None:
        """Replace the prompt on screen with this one."""
        await self.close()
        command = self._command(message, bool(message.actions()) and await self._supports_actions())
        process = await asyncio.create_subprocess_exec(
            *command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
        )
        try:
            await asyncio.wait_for(process.wait(), ACCEPTED_WITHIN)
        except TimeoutError:  # still waiting for a button: the server took it
            self._process = process
            keys = {key for key, _ in message.actions()}
            self._waiter = asyncio.create_task(self._await_answer(process, keys, on_action))
            return
        out, err = await process.communicate()
        if process.returncode != 0:
            # libnotify prints warnings before the reason; the reason is the last line.
            lines = err.decode(errors="replace").strip().splitlines() or [""]
            raise DeliveryFailed(f"notify-send exited {process.returncode}: {lines[-1]}")
        self._answer(out, {key for key, _ in message.actions()}, on_action)

    async def close(self) -> None:
        """Stop the notify-send holding the current prompt, which closes the notification."""
        process, self._process = self._process, None
        waiter, self._waiter = self._waiter, None
        if waiter is not None:
            waiter.cancel()
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGINT)
            try:
                await asyncio.wait_for(process.wait(), 3)
            except TimeoutError:
                process.kill()

    def _command(self, message: PromptMessage, actions: bool) -> list[str]:
        """The notify-send command line for `message`."""
        command = ["notify-send", "--app-name=walkbreak", f"--icon={ICON_PATH}", "--urgency=normal"]
        command.append(f"--expire-time={message.expires_in_seconds * 1000}")
        if actions:
            command += [f"--action={key}={label}" for key, label in message.actions()]
        return [*command, "--", message.title, message.body]

    async def _supports_actions(self) -> bool:
        """Whether this notify-send has --action (libnotify 0.7.10 and later); asked once."""
        if self._has_actions is None:
            probe = await asyncio.create_subprocess_exec(
                "notify-send", "--help", stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
            )
            out, _ = await probe.communicate()
            self._has_actions = b"--action" in out
        return self._has_actions

    async def _await_answer(
        self, process: asyncio.subprocess.Process, keys: set[str], on_action: ActionHandler
    ) -> None:
        """Wait for the pressed button's key, which notify-send prints when it exits."""
        out, _ = await process.communicate()
        if self._process is process:
            self._process = None
        self._answer(out, keys, on_action)

    @staticmethod
    def _answer(out: bytes, keys: set[str], on_action: ActionHandler) -> None:
        """Pass on the key of the button pressed, if one of `keys` was."""
        key = out.decode(errors="replace").strip().splitlines()[-1:] if out.strip() else []
        if key and key[0] in keys:
            on_action(key[0])


class OsascriptBackend:
    """macOS's `display notification` through osascript (no buttons)."""

    name = "osascript"

    def unavailable(self) -> str | None:
        """Why not: not macOS, or osascript missing."""
        if sys.platform != "darwin":
            return "osascript is for macOS"
        if shutil.which("osascript") is None:
            return "osascript not found"
        return None

    async def ready(self) -> str | None:
        """Nothing to ask beforehand."""
        return None

    async def show(self, message: PromptMessage, on_action: ActionHandler) -> None:
        """Run osascript; raises DeliveryFailed when it fails."""
        process = await asyncio.create_subprocess_exec(
            *osascript_command(message), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        _, err = await process.communicate()
        if process.returncode != 0:
            raise DeliveryFailed(
                f"osascript exited {process.returncode}: {err.decode(errors='replace').strip()}"
            )

    async def close(self) -> None:
        """macOS offers no way to withdraw it from here."""


def osascript_command(message: PromptMessage) -> list[str]:
    """The osascript command that shows `message`, with its text quoted for AppleScript."""
    script = (
        f"display notification {_applescript_string(message.body)} "
        f'with title {_applescript_string(message.title)} sound name "default"'
    )
    return ["osascript", "-e", script]


def _applescript_string(text: str) -> str:
    """`text` as an AppleScript string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
