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
from walkbreak.notify.base import ActionHandler, DeliveryFailed
from walkbreak.notify.icon import ICON_PATH
from walkbreak.notify.server import ServerProbe, session_bus_exists

log = logging.getLogger("walkbreak.notify")


class NotifySendBackend:
    """libnotify's notify-send, with the right app name, icon and timeout, and buttons if it can.

    With `--action` notify-send stays running until a button is pressed (printing its key) or the
    notification closes; SIGINT makes it close the notification. A new prompt therefore first
    stops the previous notify-send, which takes the old prompt off the screen. It counts as
    delivered only once the server answered with the notification's id (`--print-id`): a
    notify-send still running may be one waiting on a server that never answers.
    """

    name = "notify-send"

    def __init__(self, probe: ServerProbe | None = None) -> None:
        self.probe = probe or ServerProbe()
        self._process: asyncio.subprocess.Process | None = None
        self._waiter: asyncio.Task[None] | None = None
        self._options: bytes | None = None
        self.server_id = 0
        """The notification server's id for the prompt on screen (from --print-id; 0 when none)."""

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
        options = await self._help()
        # With buttons it runs on until one is pressed; it prints the id as the server answers, but
        # into a pipe only at exit unless line-buffered (stdbuf). Without stdbuf: no buttons, and
        # delivery is its exit status.
        line_buffered = shutil.which("stdbuf") is not None
        actions = bool(message.actions()) and b"--action" in options and line_buffered
        command = self._command(message, actions, print_id=b"--print-id" in options)
        if actions:
            command = ["stdbuf", "-oL", *command]
        process = await asyncio.create_subprocess_exec(
            *command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL
        )
        first = b""
        try:
            if actions:  # it prints the id once the server answers, then waits for a button
                assert process.stdout is not None
                first = await process.stdout.readline()
                if first.strip().isdigit() and int(first) > 0:  # it prints 0 when the send failed
                    self._process, self.server_id = process, int(first)
                    keys = {key for key, _ in message.actions()}
                    self._waiter = asyncio.create_task(self._await_answer(process, keys, on_action))
                    return
            out, err = await process.communicate()
            out = first + out
        except asyncio.CancelledError:  # the notifier's time limit: the server never answered
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
            raise
        if process.returncode != 0:
            # libnotify prints warnings before the reason; the reason is the last line.
            lines = err.decode(errors="replace").strip().splitlines() or [""]
            raise DeliveryFailed(f"notify-send exited {process.returncode}: {lines[-1]}")
        ids = [int(line) for line in out.split()[:1] if line.isdigit()]
        self.server_id = ids[0] if ids else 0
        self._answer(out, {key for key, _ in message.actions()}, on_action)

    async def close(self) -> None:
        """Stop the notify-send holding the current prompt, which closes the notification (one
        shown without buttons, whose notify-send has exited, is closed by its id)."""
        server_id, self.server_id = self.server_id, 0
        process, self._process = self._process, None
        if process is None and server_id:
            await self.probe.close_notification(server_id)
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

    def _command(self, message: PromptMessage, actions: bool, *, print_id: bool = False) -> list[str]:
        """The notify-send command line for `message`."""
        command = ["notify-send", "--app-name=walkbreak", f"--icon={ICON_PATH}", "--urgency=normal"]
        if print_id:
            command.append("--print-id")
        command.append(f"--expire-time={message.expires_in_seconds * 1000}")
        if actions:
            command += [f"--action={key}={label}" for key, label in message.actions()]
        return [*command, "--", message.title, message.body]

    async def _help(self) -> bytes:
        """notify-send's --help, asked once: --print-id (libnotify 0.7.9) and --action (0.7.10)
        are used where this one has them."""
        if self._options is None:
            probe = await asyncio.create_subprocess_exec(
                "notify-send", "--help", stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
            )
            self._options, _ = await probe.communicate()
        return self._options

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
