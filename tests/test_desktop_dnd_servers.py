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
from walkbreak.desktop.presence import Probes

pytestmark = [pytest.mark.desktop, pytest.mark.xdist_group("desktop")]


def program(pattern: str) -> str:
    """The installed program matching `pattern` (a glob: its directory has the architecture)."""
    found = sorted(glob.glob(pattern))
    if not found:
        if os.environ.get("WALKBREAK_REQUIRE_DESKTOP"):
            pytest.fail(f"WALKBREAK_REQUIRE_DESKTOP is set but {pattern} is not installed")
        pytest.skip(f"needs {pattern} (tools/notify-lab.sh install)")
    return found[0]


class Desktop:
    """A desktop session's environment on a bus and config dir of its own, and its servers."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.servers: list[subprocess.Popen[bytes]] = []

    def serve(self, command: str, name: str) -> None:
        """Start `command` on the session bus and wait until it owns `name`."""
        self.servers.append(
            subprocess.Popen([command], env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        )
        until(lambda: owned(self.env, name), seconds=30)


@pytest.fixture
def desktop(bare_bus: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Desktop]:  # noqa: F811
    if not os.environ.get("NOTIFY_LAB_DIR"):
        if os.environ.get("WALKBREAK_REQUIRE_DESKTOP"):
            pytest.fail("WALKBREAK_REQUIRE_DESKTOP is set but no X server is running")
        pytest.skip("needs an X server: run the tests under `tools/notify-lab.sh run -- …`")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # gsettings reads dconf's file there
    session = Desktop(
        {**os.environ, "DBUS_SESSION_BUS_ADDRESS": bare_bus, "XDG_CONFIG_HOME": str(tmp_path / "config")}
    )
    try:
        yield session
    finally:
        for server in session.servers:
            server.terminate()
            server.wait(10)


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


def test_xfce4_notifyd_do_not_disturb_is_seen(desktop: Desktop) -> None:
    desktop.serve(program("/usr/lib/*/xfce4/xfconf/xfconfd"), "org.xfce.Xfconf")
    desktop.serve(program("/usr/lib/*/xfce4/notifyd/xfce4-notifyd"), "org.freedesktop.Notifications")
    probes = probes_in(desktop.env)
    dnd = ("xfconf-query", "-c", "xfce4-notifyd", "-p", "/do-not-disturb", "-n", "-t", "bool", "-s")

    async def scenario() -> None:
        state = await until_checked(probes, lambda s: s.dnd is not None)
        assert (state.dnd, state.dnd_source) == (False, "xfce4-notifyd")  # never set: off
        tool(desktop.env, *dnd, "true")
        with no_process_started():  # asked of xfconfd in this process
            state = await until_checked(probes, lambda s: s.dnd is True)
        assert state.dnd_source == "xfce4-notifyd"
        tool(desktop.env, *dnd, "false")
        await until_checked(probes, lambda s: s.dnd is False)
        probes.close()

    asyncio.run(scenario())


def test_mate_notification_daemon_do_not_disturb_is_seen(desktop: Desktop) -> None:
    if shutil.which("gsettings") is None:
        pytest.skip("needs gsettings (libglib2.0-bin)")
    desktop.serve(program("/usr/libexec/dconf-service"), "ca.desrt.dconf")  # gsettings writes through it
    desktop.serve(
        program("/usr/lib/mate-notification-daemon/mate-notification-daemon"), "org.freedesktop.Notifications"
    )
    probes = probes_in(desktop.env)
    key = ("gsettings", "set", "org.mate.NotificationDaemon", "do-not-disturb")

    async def scenario() -> None:
        state = await until_checked(probes, lambda s: s.dnd is not None)
        assert (state.dnd, state.dnd_source) == (False, "MATE do-not-disturb")
        tool(desktop.env, *key, "true")
        state = await until_checked(probes, lambda s: s.dnd is True)
        asked = probes.desk.session.sent["org.freedesktop.Notifications"]
        with no_process_started():  # dconf's file unchanged: gsettings is not run again
            assert (await probes.check()).dnd is True
        assert probes.desk.session.sent["org.freedesktop.Notifications"] == asked + 1  # its name, once
        tool(desktop.env, *key, "false")
        await until_checked(probes, lambda s: s.dnd is False)
        probes.close()

    asyncio.run(scenario())
