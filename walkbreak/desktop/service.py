"""Autostart: a systemd user unit (Linux) or a launchd agent (macOS) that runs the headless engine.

The files are built here as text; `commands.service` writes them and asks systemctl or launchctl
to start them.
"""

from __future__ import annotations

import os
import plistlib
import sys
from collections.abc import Mapping, Sequence

from walkbreak.core.named_tuple import NamedTuple

UNIT_NAME = "walkbreak.service"
AGENT_LABEL = "org.walkbreak.engine"


class ServiceFile(NamedTuple):
    """Where the autostart file goes, what it holds, and the commands that start and stop it."""

    path: str
    text: str
    start: tuple[tuple[str, ...], ...]
    stop: tuple[tuple[str, ...], ...]
    status: tuple[str, ...]
    restart: tuple[str, ...]
    starts: str = "will start again at each login (walkbreak service status shows it)"
    """When the engine starts, as `walkbreak service install` tells the user."""


def engine_command(config: str | None) -> list[str]:
    """The command the service runs: this Python, this walkbreak, headless."""
    command = [sys.executable, "-m", "walkbreak"]
    if config:
        command += ["--config", os.path.abspath(config)]
    return [*command, "run", "--headless"]


SESSION_TARGET = "graphical-session.target"


def systemd_unit(
    command: Sequence[str], environment: Mapping[str, str] | None = None, *, graphical: bool = False
) -> str:
    """A systemd user unit that runs the engine and restarts it if it fails.

    `graphical`: the desktop starts graphical-session.target (GNOME, KDE Plasma, sway with its
    systemd integration), so the engine starts and stops with the desktop session, as mako and
    waybar do. Else it starts with the user manager at login (default.target), as redshift does,
    and the engine reads the desktop's variables from the user manager once the session exports
    them (presence.Probes).
    """
    settings = "".join(
        f"Environment={_environment_word(name, value)}\n" for name, value in (environment or {}).items()
    )
    bound = f"PartOf={SESSION_TARGET}\n" if graphical else ""
    return f"""\
[Unit]
Description=walkbreak: short walk prompts through the workday
{bound}After={SESSION_TARGET}

[Service]
Type=exec
ExecStart={" ".join(_exec_word(part) for part in command)}
{settings}Restart=on-failure
RestartSec=30

[Install]
WantedBy={SESSION_TARGET if graphical else "default.target"}
"""


def launchd_agent(command: Sequence[str], log_path: str, environment: Mapping[str, str] | None = None) -> str:
    """A launchd agent that starts the engine at login and again if it exits with an error."""
    agent = {
        "Label": AGENT_LABEL,
        "ProgramArguments": list(command),
        "RunAtLoad": True,
        "KeepAlive": {"SuccessfulExit": False},
        "StandardErrorPath": log_path,
        "ProcessType": "Interactive",
    }
    if environment:
        agent["EnvironmentVariables"] = dict(environment)
    return plistlib.dumps(agent).decode("utf-8")


def service_file(
    platform: str,
    config: str | None,
    home: str,
    config_home: str | None,
    environment: Mapping[str, str] | None = None,
    *,
    graphical: bool = False,
) -> ServiceFile:
    """The autostart file for `platform` ("linux" or "darwin"); ValueError elsewhere.

    `config` is the config file the user named (passed on with --config); `environment` the
    walkbreak variables the engine must see too (WALKBREAK_DATA_DIR); `graphical` whether the
    systemd unit follows graphical-session.target (`systemd_unit`).
    """
    command = engine_command(config)
    if platform.startswith("linux"):
        path = os.path.join(config_home or os.path.join(home, ".config"), "systemd", "user", UNIT_NAME)
        starts = (
            f"starts and stops with your desktop session ({SESSION_TARGET})"
            if graphical
            else f"starts at each login (default.target: this desktop does not start {SESSION_TARGET}; "
            "the engine reads DISPLAY and the rest from systemd once the session exports them)"
        )
        return ServiceFile(
            path,
            systemd_unit(command, environment, graphical=graphical),
            start=(
                ("systemctl", "--user", "daemon-reload"),
                # reenable: a unit installed before under the other target loses that link
                ("systemctl", "--user", "reenable", UNIT_NAME),
                ("systemctl", "--user", "start", UNIT_NAME),
            ),
            stop=(("systemctl", "--user", "disable", "--now", UNIT_NAME),),
            status=("systemctl", "--user", "--no-pager", "status", UNIT_NAME),
            restart=("systemctl", "--user", "restart", UNIT_NAME),
            starts=starts,
        )
    if platform == "darwin":
        path = os.path.join(home, "Library", "LaunchAgents", f"{AGENT_LABEL}.plist")
        log_path = os.path.join(home, "Library", "Logs", "walkbreak.log")
        return ServiceFile(
            path,
            launchd_agent(command, log_path, environment),
            start=(("launchctl", "load", "-w", path),),
            stop=(("launchctl", "unload", "-w", path),),
            status=("launchctl", "list", AGENT_LABEL),
            restart=("launchctl", "kickstart", "-k", f"gui/{os.getuid()}/{AGENT_LABEL}"),
        )
    raise ValueError(
        f"autostart is not built for {platform}: run `walkbreak run --headless` from your session's "
        "startup programs (on Windows: Task Scheduler, at log on)"
    )


def _exec_word(word: str) -> str:
    """A word for ExecStart=: `%` (specifiers) and `$` (variables) are expanded there, so doubled."""
    return _systemd_quote(word.replace("%", "%%").replace("$", "$$"))


def _environment_word(name: str, value: str) -> str:
    """NAME=value for Environment=: specifiers are expanded there (`%` doubled) but variables
    are not, so a `$` stays one `$` (doubled, it reached the engine as `$$`: another data dir)."""
    return _systemd_quote(f"{name}={value}".replace("%", "%%"))


def _systemd_quote(word: str) -> str:
    """`word` as one word of a unit line: quoted when it holds a space, a quote, a backslash or
    a control character, with `\\` and `"` escaped and control characters as \\xNN (systemd
    unescapes C escapes in both ExecStart= and Environment=; a raw newline would end the line)."""
    if not any(c in word for c in " \t\"'\\") and word.isprintable():
        return word
    escaped = word.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + "".join(c if c.isprintable() else _c_escape(c) for c in escaped) + '"'


def _c_escape(character: str) -> str:
    """`character` as the C escape systemd reads back as it (\\u for what is not ASCII)."""
    code = ord(character)
    return f"\\x{code:02x}" if code < 0x80 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"
