"""What every presence probe works with: the session's environment and buses (`Desk`), a way to run
a command in that session, the answer (`Presence`), and the parsers the probes share."""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from walkbreak.core.named_tuple import NamedTuple
from walkbreak.desktop.bus import Bus, session_address, system_address

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


Run = Callable[[Sequence[str], Mapping[str, str]], str | None]
"""Runs a command and returns its output, or None when it cannot run or fails."""


def run_command(command: Sequence[str], env: Mapping[str, str]) -> str | None:
    """A probe command's output, run in the session's environment (`gsettings` reads the session's
    dconf database, which a service started before the desktop learns of late); None when it is
    missing, fails or takes too long."""
    try:
        env = {**os.environ, **env}
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT, env=env)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


@dataclass
class Desk:
    """What the probes may use: the session's environment, its buses, a way to run a command,
    and what they keep between checks."""

    env: dict[str, str]
    run: Run
    session: Any = None
    system: Any = None
    kept: dict[str, Any] = field(default_factory=dict)
    this_check: dict[str, Any] = field(default_factory=dict)
    """Answers good for one check only (the notification server's name, asked by two probes)."""

    def __post_init__(self) -> None:
        if self.session is None:
            self.session = Bus(lambda: session_address(self.env))
        if self.system is None:
            self.system = Bus(lambda: system_address(self.env))


def parse_hid_idle(output: str | None) -> float | None:
    """macOS `ioreg -c IOHIDSystem -d 4` → HIDIdleTime (nanoseconds) in seconds."""
    match = re.search(r'"HIDIdleTime" = (\d+)', output or "")
    return int(match[1]) / 1e9 if match else None


def parse_word(output: str | None, yes: str, no: str) -> bool | None:
    """A tool that prints one word: `yes` → True, `no` → False, anything else unknown."""
    word = (output or "").strip()
    return True if word == yes else False if word == no else None


def as_number(body: list[Any] | None) -> int | None:
    value = body[0] if body else None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def as_flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None


def graphical(env: Mapping[str, str]) -> bool:
    """Whether this process belongs to a desktop session (an SSH login to a machine with a
    locked desktop must not read that desktop's lock or idle time as its own)."""
    return bool(session_address(env) and (env.get("DISPLAY") or env.get("WAYLAND_DISPLAY")))


SCREENSAVER = ("org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver")
NOTIFICATIONS = ("org.freedesktop.Notifications", "/org/freedesktop/Notifications")
XFCONF = ("org.xfce.Xfconf", "/org/xfce/Xfconf", "org.xfce.Xfconf")


Probe = Callable[[Desk], Awaitable[T | None]]
