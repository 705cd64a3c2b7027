"""Prompts through the terminal itself: the OSC 777 / OSC 9 desktop-notification escapes.

For a user running walkbreak over SSH or in a container, where no desktop notification service
can be reached: the terminal emulator on their own machine shows the notification. Support is
guessed from what terminals tell their programs (TERM, TERM_PROGRAM and the variables some set);
a terminal we cannot recognise is left alone unless `notify.backend = "terminal"` asks for it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from walkbreak.core.message import PromptMessage
from walkbreak.notify.base import ActionHandler, DeliveryFailed

OSC9 = "osc9"
"""ESC ] 9 ; text BEL — iTerm2's, also Terminal.app and VS Code."""
OSC777 = "osc777"
"""ESC ] 777 ; notify ; title ; body BEL — urxvt's, also foot, kitty, WezTerm, Ghostty, Windows Terminal."""

_PROGRAMS = {"iTerm.app": OSC9, "Apple_Terminal": OSC9, "vscode": OSC9, "WezTerm": OSC777, "ghostty": OSC777}
_TERMS = ("foot", "xterm-kitty", "rxvt-unicode", "xterm-ghostty", "contour")
_MARKERS = {
    "KITTY_WINDOW_ID": OSC777,
    "WEZTERM_PANE": OSC777,
    "GHOSTTY_RESOURCES_DIR": OSC777,
    "WT_SESSION": OSC777,
}


def escape_style(env: Mapping[str, str]) -> str | None:
    """Which escape the terminal in `env` shows as a notification, or None when unknown.

    Inside tmux TERM and TERM_PROGRAM name tmux, so only what the outer terminal left in the
    environment (its own variables, iTerm2's LC_TERMINAL) can tell.
    """
    inside_tmux = bool(env.get("TMUX"))
    if env.get("LC_TERMINAL") == "iTerm2":
        return OSC9
    if not inside_tmux:
        program = _PROGRAMS.get(env.get("TERM_PROGRAM", ""))
        if program:
            return program
        if env.get("TERM", "").startswith(_TERMS):
            return OSC777
    return next((style for name, style in _MARKERS.items() if env.get(name)), None)


def escape(message: PromptMessage, style: str, inside_tmux: bool) -> bytes:
    """The bytes that make the terminal show `message` (wrapped for tmux's passthrough)."""
    title, body = _clean(message.title), _clean(message.body)
    if style == OSC9:
        sequence = f"\x1b]9;{title}: {body}\x07"
    else:
        sequence = f"\x1b]777;notify;{title.replace(';', ',')};{body}\x07"
    if inside_tmux:  # needs `set -g allow-passthrough on` (tmux 3.3 and later)
        sequence = "\x1bPtmux;" + sequence.replace("\x1b", "\x1b\x1b") + "\x1b\\"
    return sequence.encode("utf-8")


def _tmux_option(name: str) -> str:
    """A tmux option's value as the running tmux server has it ("" when tmux cannot say)."""
    import subprocess

    try:
        result = subprocess.run(["tmux", "show", "-gv", name], capture_output=True, text=True, timeout=2)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return result.stdout.strip() if result.returncode == 0 else ""


def _clean(text: str) -> str:
    """Text with control characters removed: an ESC or BEL inside would end the escape early."""
    return "".join(c for c in text if c >= " " and not "\x7f" <= c <= "\x9f")  # C0, DEL and C1


class TerminalBackend:
    """Writes the escape to the controlling terminal (`/dev/tty`), so it reaches the terminal
    even when walkbreak's output goes elsewhere. No buttons: answers come from the dashboard or
    a shell (`walkbreak walk`, `snooze`, `skip`)."""

    name = "terminal"

    def __init__(
        self, env: Mapping[str, str] | None = None, tty: str = "/dev/tty", *, forced: bool = False
    ) -> None:
        self.env = os.environ if env is None else env
        self.tty = tty
        self.forced = forced
        self.style = escape_style(self.env) or (OSC777 if forced else None)

    def unavailable(self) -> str | None:
        """Why not: no terminal to write to, or one not known to show these notifications."""
        if self.style is None:
            seen = ", ".join(f"{k}={self.env.get(k)}" for k in ("TERM", "TERM_PROGRAM") if self.env.get(k))
            return (
                f"this terminal ({seen or 'unknown'}) is not known to show OSC 9/777 notifications; "
                'notify.backend = "terminal" sends them anyway'
            )
        try:
            os.close(os.open(self.tty, os.O_WRONLY | os.O_NOCTTY))
        except OSError as err:
            return f"no terminal to write to ({self.tty}: {err.strerror})"
        if self.env.get("TMUX") and _tmux_option("allow-passthrough") not in ("on", "all"):
            return (
                "tmux drops the escape: add `set -g allow-passthrough on` to ~/.tmux.conf (tmux 3.3 or later)"
            )
        return None

    async def ready(self) -> str | None:
        """Nothing to ask beforehand (`unavailable` checked the terminal)."""
        return None

    async def show(self, message: PromptMessage, on_action: ActionHandler) -> None:
        """Send the notification escape to the terminal."""
        assert self.style is not None
        data = escape(message, self.style, bool(self.env.get("TMUX")))
        try:
            fd = os.open(self.tty, os.O_WRONLY | os.O_NOCTTY)
            try:
                os.write(fd, data)
            finally:
                os.close(fd)
        except OSError as err:
            raise DeliveryFailed(f"could not write to {self.tty}: {err.strerror}") from None

    async def close(self) -> None:
        """A terminal notification cannot be taken back."""
