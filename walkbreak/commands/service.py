"""`walkbreak service install|uninstall|status [--print]`: start the headless engine at login."""

from __future__ import annotations

import os
import subprocess
import sys

from walkbreak.commands.context import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from walkbreak.desktop.service import SESSION_TARGET, ServiceFile, service_file
from walkbreak.paths import make_private_dirs
from walkbreak.store.storage import write_atomically


def run(action: str, config_option: str | None, *, show: bool) -> int:
    """Install, remove or report the autostart service; `show` prints the file and changes nothing.

    The service runs with what this shell runs with: the config named by --config or
    WALKBREAK_CONFIG (checked first: a broken one would restart it for ever), and
    WALKBREAK_DATA_DIR.
    """
    from walkbreak import config, paths
    from walkbreak.errors import ConfigError

    path, named = paths.config_file(config_option)
    if named and action == "install":
        try:
            config.load(path, must_exist=True)
        except ConfigError as err:
            print(f"walkbreak service: {err}", file=sys.stderr)
            return EXIT_USAGE
    environment = {name: os.environ[name] for name in (paths.DATA_ENV,) if os.environ.get(name)}
    try:
        service = service_file(
            sys.platform,
            os.path.abspath(path) if named else None,
            os.path.expanduser("~"),
            os.environ.get("XDG_CONFIG_HOME") or None,
            {name: os.path.abspath(os.path.expanduser(value)) for name, value in environment.items()},
            graphical=sys.platform.startswith("linux") and action == "install" and _session_target_active(),
        )
    except ValueError as why:
        print(f"walkbreak service: {why}", file=sys.stderr)
        return EXIT_FAILED
    if show:
        print(service.text, end="")
        return EXIT_OK
    if action == "install":
        return _install(service)
    if action == "uninstall":
        return _uninstall(service)
    return _status(service)


def _install(service: ServiceFile) -> int:
    before = _read(service.path)
    make_private_dirs(os.path.dirname(service.path))
    if before != service.text:
        write_atomically(service.path, service.text)
    print(f"{'wrote' if before is None else 'updated' if before != service.text else 'kept'} {service.path}")
    restart = (service.restart,) if before is not None and before != service.text else ()
    for command in (*service.start, *restart):  # an updated file: the running engine restarts on it
        problem = _call(command)
        if problem:
            print(
                f"walkbreak service: {problem}\nThe file is in place; start it yourself with: "
                + " && ".join(" ".join(c) for c in service.start),
                file=sys.stderr,
            )
            return EXIT_FAILED
    print(f"started; it {service.starts}")
    return EXIT_OK


def _uninstall(service: ServiceFile) -> int:
    if _read(service.path) is None:
        print(f"nothing to remove: {service.path} does not exist")
        return EXIT_OK
    for command in service.stop:
        problem = _call(command)
        if problem:
            print(f"walkbreak service: {problem} (removing the file anyway)", file=sys.stderr)
    os.remove(service.path)
    print(f"removed {service.path}; walkbreak no longer starts at login")
    return EXIT_OK


def _status(service: ServiceFile) -> int:
    if _read(service.path) is None:
        print(f"not installed ({service.path} does not exist); walkbreak service install adds it")
        return EXIT_FAILED
    print(f"installed: {service.path}")
    try:
        result = subprocess.run(service.status, capture_output=True, text=True, timeout=20)
    except (OSError, subprocess.TimeoutExpired) as err:
        print(f"could not ask {service.status[0]}: {err}", file=sys.stderr)
        return EXIT_FAILED
    print((result.stdout or result.stderr).rstrip())
    return EXIT_OK if result.returncode == 0 else EXIT_FAILED


def _session_target_active() -> bool:
    """Whether this desktop session started graphical-session.target (asked of systemd)."""
    try:
        result = subprocess.run(
            ("systemctl", "--user", "is-active", SESSION_TARGET), capture_output=True, text=True, timeout=20
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.stdout.strip() == "active"


def _call(command: tuple[str, ...]) -> str:
    """Run a service manager command; "" when it worked, else why not."""
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
    except FileNotFoundError:
        return f"{command[0]} is not installed here"
    except subprocess.TimeoutExpired:
        return f"{' '.join(command)} did not answer within 30 s"
    if result.returncode != 0:
        return f"{' '.join(command)} failed: {(result.stderr or result.stdout).strip() or result.returncode}"
    return ""


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return None
