"""Do-not-disturb on real notification servers beyond dunst: xfce4-notifyd (its xfconf channel,
asked of xfconfd in this process) and mate-notification-daemon (its GSettings key). Each runs on a
session bus of its own under notify-lab's X server, and do-not-disturb is turned on and off with
the desktop's own tools (xfconf-query, gsettings), as a user's settings dialog does."""

from __future__ import annotations

import asyncio
import glob
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.test_desktop import until
from tests.test_desktop_late_server import bare_bus  # noqa: F401 (a fixture)
from tests.test_desktop_probes import no_process_started, until_checked
from walkbreak.presence import Probes

pytestmark = [pytest.mark.desktop, pytest.mark.xdist_group("desktop")]


def program(pattern: str) -> str:
    """The installed program matching `pattern` (a glob: its directory has the architecture)."""
    found = sorted(glob.glob(pattern))
    if not found:
        if os.environ.get("WALKBREAK_REQUIRE_DESKTOP"):
            pytest.fail(f"WALKBREAK_REQUIRE_DESKTOP is set but {pattern} is not installed")
        pytest.skip(f"needs {pattern} (tools/notify-lab.sh install)")
    return found[0]


@pytest.fixture
def desktop(bare_bus: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:  # noqa: F811
    """The environment of a desktop session on its own bus and config dir (the servers go in
    `servers`, stopped afterwards)."""
    if not os.environ.get("NOTIFY_LAB_DIR"):
        if os.environ.get("WALKBREAK_REQUIRE_DESKTOP"):
            pytest.fail("WALKBREAK_REQUIRE_DESKTOP is set but no X server is running")
        pytest.skip("needs an X server: run the tests under `tools/notify-lab.sh run -- …`")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # gsettings reads dconf's file there
    env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": bare_bus, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    servers.clear()
    try:
        yield env
    finally:
        for server in servers:
            server.terminate()
            server.wait(10)


servers: list[subprocess.Popen[bytes]] = []


def serve(env: dict[str, str], command: str, name: str) -> None:
    """Start `command` on the session bus and wait until it owns `name`."""
    servers.append(subprocess.Popen([command], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
    until(lambda: owned(env, name), seconds=30)


def owned(env: dict[str, str], name: str) -> bool:
    ask = ("--dest=org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus.NameHasOwner")
    reply = subprocess.run(
        ["dbus-send", "--session", "--print-reply", *ask, f"string:{name}"],
        env=env,
        capture_output=True,
        text=True,
    )
    return "boolean true" in reply.stdout


def probes_in(env: dict[str, str]) -> Probes:
    names = ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "XDG_CONFIG_HOME", "HOME")
    return Probes({name: env[name] for name in names if name in env}, idle=False)


def tool(env: dict[str, str], *command: str) -> None:
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr


def test_xfce4_notifyd_do_not_disturb_is_seen(desktop: dict[str, str]) -> None:
    serve(desktop, program("/usr/lib/*/xfce4/xfconf/xfconfd"), "org.xfce.Xfconf")
    serve(desktop, program("/usr/lib/*/xfce4/notifyd/xfce4-notifyd"), "org.freedesktop.Notifications")
    probes = probes_in(desktop)
    dnd = ("xfconf-query", "-c", "xfce4-notifyd", "-p", "/do-not-disturb", "-n", "-t", "bool", "-s")

    async def scenario() -> None:
        state = await until_checked(probes, lambda s: s.dnd is not None)
        assert (state.dnd, state.dnd_source) == (False, "xfce4-notifyd")  # never set: off
        tool(desktop, *dnd, "true")
        with no_process_started():  # asked of xfconfd in this process
            state = await until_checked(probes, lambda s: s.dnd is True)
        assert state.dnd_source == "xfce4-notifyd"
        tool(desktop, *dnd, "false")
        await until_checked(probes, lambda s: s.dnd is False)
        probes.close()

    asyncio.run(scenario())


def test_mate_notification_daemon_do_not_disturb_is_seen(desktop: dict[str, str]) -> None:
    if shutil.which("gsettings") is None:
        pytest.skip("needs gsettings (libglib2.0-bin)")
    serve(desktop, program("/usr/libexec/dconf-service"), "ca.desrt.dconf")  # gsettings writes through it
    serve(
        desktop,
        program("/usr/lib/mate-notification-daemon/mate-notification-daemon"),
        "org.freedesktop.Notifications",
    )
    probes = probes_in(desktop)
    key = ("gsettings", "set", "org.mate.NotificationDaemon", "do-not-disturb")

    async def scenario() -> None:
        state = await until_checked(probes, lambda s: s.dnd is not None)
        assert (state.dnd, state.dnd_source) == (False, "MATE do-not-disturb")
        tool(desktop, *key, "true")
        state = await until_checked(probes, lambda s: s.dnd is True)
        asked = probes.desk.session.sent["org.freedesktop.Notifications"]
        with no_process_started():  # dconf's file unchanged: gsettings is not run again
            assert (await probes.check()).dnd is True
        assert probes.desk.session.sent["org.freedesktop.Notifications"] == asked + 1  # its name, once
        tool(desktop, *key, "false")
        await until_checked(probes, lambda s: s.dnd is False)
        probes.close()

    asyncio.run(scenario())
