"""The presence probes on a real D-Bus: each question is a call in this process (no process is
started), a service that is not there is asked once and then again only when the bus says it
appeared, and dunst's pause is read as the property dunstctl reads."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from tests.test_desktop import lab  # noqa: F401 (a fixture)
from tests.test_desktop_late_server import bare_bus  # noqa: F401 (a fixture)
from walkbreak.desktop.presence import Presence, Probes

pytestmark = [pytest.mark.desktop, pytest.mark.xdist_group("desktop")]
SERVER = Path(__file__).parent / "servers" / "desktop_session.py"
MUTTER, SCREENSAVER = "org.gnome.Mutter.IdleMonitor", "org.freedesktop.ScreenSaver"

_SPAWNS: list[str] = []
_WATCHING: list[bool] = [False]


def _audit(event: str, args: Any) -> None:
    if _WATCHING[0] and event in ("subprocess.Popen", "os.posix_spawn", "os.fork", "os.exec", "os.system"):
        _SPAWNS.append(f"{event} {args!r:.200}")


sys.addaudithook(_audit)  # cannot be removed again; it records only while a test watches


@contextmanager
def no_process_started() -> Iterator[None]:
    _SPAWNS.clear()
    _WATCHING[0] = True
    try:
        yield
    finally:
        _WATCHING[0] = False
    assert _SPAWNS == []


def session_service(*options: str) -> subprocess.Popen[str]:
    server = subprocess.Popen([sys.executable, str(SERVER), *options], stdout=subprocess.PIPE, text=True)
    assert server.stdout is not None and server.stdout.readline().strip() == "ready"
    return server


def stop(server: subprocess.Popen[str]) -> None:
    server.terminate()
    server.communicate(timeout=10)


async def until_checked(
    probes: Probes, condition: Callable[[Presence], bool], seconds: float = 20
) -> Presence:
    """Check until `condition` holds (a name's appearance reaches us as a signal, soon but not at once)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while not condition(state := await probes.check()):
        assert asyncio.get_running_loop().time() < deadline, f"still {state}"
        await asyncio.sleep(0.05)
    return state


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    asyncio.run(scenario())


def test_missing_services_are_asked_once_and_again_when_they_appear(bare_bus: str) -> None:  # noqa: F811
    env = {"DBUS_SESSION_BUS_ADDRESS": bare_bus, "DISPLAY": os.environ.get("DISPLAY", ":99")}
    probes = Probes(env, dnd=False)
    sent = probes.desk.session.sent
    servers: list[subprocess.Popen[str]] = []

    async def scenario() -> None:
        with no_process_started():
            for _ in range(3):
                state = await probes.check()
                assert state.locked is None and state.idle_source in ("", "X11 screensaver extension")
        assert (sent[MUTTER], sent[SCREENSAVER]) == (1, 1)  # ServiceUnknown, then not asked again

        servers.append(session_service("--locked"))  # a ScreenSaver without GetSessionIdleTime
        with no_process_started():
            state = await until_checked(probes, lambda state: state.locked is True)
            assert state.lock_source == "org.freedesktop.ScreenSaver active"
            await probes.check()  # (the name may have appeared between two calls of the last check)
            before = sent[SCREENSAVER]
            for _ in range(3):
                assert (await probes.check()).locked is True
        assert sent[SCREENSAVER] == before + 3  # GetActive each time; the missing method not again
        assert sent[MUTTER] == 1

        stop(servers.pop())
        servers.append(session_service("--idle-ms", "5000"))  # now GNOME's idle monitor too
        with no_process_started():
            state = await until_checked(probes, lambda state: state.idle_source == "GNOME Mutter IdleMonitor")
        assert state.idle_seconds == 5.0 and state.locked is False
        probes.close()

    try:
        run(scenario)
    finally:
        for server in servers:
            stop(server)


def test_a_server_that_goes_away_is_unknown_not_an_error(bare_bus: str) -> None:  # noqa: F811
    server = session_service("--idle-ms", "7000", "--locked")
    probes = Probes({"DBUS_SESSION_BUS_ADDRESS": bare_bus, "WAYLAND_DISPLAY": "wayland-0"}, dnd=False)

    async def scenario() -> None:
        assert (await probes.check()).idle_seconds == 7.0
        stop(server)
        state = await until_checked(probes, lambda state: state.idle_seconds is None)
        assert state.locked is None
        probes.close()

    try:
        run(scenario)
    finally:
        if server.returncode is None:
            stop(server)


def test_dunst_pause_is_read_in_process(lab: None) -> None:  # noqa: F811
    probes = Probes(idle=False)

    async def scenario() -> None:
        for paused in (True, False):
            subprocess.run(["dunstctl", "set-paused", str(paused).lower()], check=True)
            with no_process_started():
                state = await probes.check()
            assert (state.dnd, state.dnd_source) == (paused, "dunst")
        probes.close()

    try:
        run(scenario)
    finally:
        subprocess.run(["dunstctl", "set-paused", "false"], check=False)
