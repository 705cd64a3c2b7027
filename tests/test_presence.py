"""Idle, screen-lock and do-not-disturb probes: the probe order on answers recorded from real
desktops, the X11 path for real, and the engine holding a due prompt while the user is away.
The D-Bus calls themselves run against a real bus in test_desktop_probes.py."""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.builders import BERLIN, at, settings
from tests.test_engine import day, near, running, settled, until
from walkbreak.desktop.desk import Desk, Presence, parse_hid_idle, parse_word
from walkbreak.desktop.idle import x11_idle
from walkbreak.desktop.presence import Probes

# Recorded from real machines (GNOME 46 Mutter GetIdletime → uint64, KDE 6 ScreenSaver → uint32
# milliseconds like KIdleTime, systemd 255 logind, macOS 14 `ioreg`).
MUTTER = [734512]
KDE_IDLE = [42000]
IOREG = '    |   "HIDIdleTime" = 2345678901\n    |   "HIDKeyboardModifierMappingPairs" = ()\n'


class Variant:
    """What dbus-fast hands back for a property: the value under `.value`."""

    def __init__(self, value: Any) -> None:
        self.value = value


class Recorded:
    """A bus that answers each call from recorded replies, keyed by method (or by property for
    Properties.Get); anything not recorded is an unknown answer."""

    def __init__(self, replies: dict[str, Any]) -> None:
        self.replies = replies
        self.asked: list[str] = []

    async def call(
        self, name: str, path: str, interface: str, member: str, signature: str = "", body: Sequence[Any] = ()
    ) -> list[Any] | None:
        key = str(body[1]) if member == "Get" else member
        self.asked.append(key)
        reply = self.replies.get(key)
        return None if reply is None else list(reply)

    async def get(self, name: str, path: str, interface: str, prop: str) -> Any:
        body = await self.call(name, path, "org.freedesktop.DBus.Properties", "Get", "ss", (interface, prop))
        return body[0].value if body else None

    def close(self) -> None:
        pass


def commands(outputs: dict[str, str | None]):
    """A `run` that answers each command from recorded outputs (by the tool it runs)."""
    asked: list[str] = []

    def run(command: Sequence[str], env: Mapping[str, str]) -> str | None:
        asked.append(command[0])
        return outputs.get(command[0])

    return run, asked


def check(probes: Probes) -> Presence:
    return asyncio.run(probes.check())


def test_parsers_read_recorded_outputs() -> None:
    assert parse_hid_idle(IOREG) == pytest.approx(2.345678901)
    assert parse_word("true\n", "true", "false") is True and parse_word("false\n", "true", "false") is False


@pytest.mark.parametrize(
    "garbage", [None, "", "Error: GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown", "(int32 -1,)"]
)
def test_anything_else_is_unknown_not_a_guess(garbage: str | None) -> None:
    assert parse_hid_idle(garbage) is None
    assert parse_word(garbage, "true", "false") is None


@pytest.mark.parametrize("reply", [[-1], ["734512"], [True], [], [None]])
def test_a_reply_of_the_wrong_kind_is_unknown(reply: list[Any]) -> None:
    bus = Recorded({"GetIdletime": reply, "GetActive": [7]})
    assert check(Probes(DESKTOP, commands({})[0], session=bus, dnd=False)) == Presence(None, None)


DESKTOP = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus", "WAYLAND_DISPLAY": "wayland-0"}


def test_gnome_idle_and_logind_lock() -> None:
    session = Recorded({"GetIdletime": MUTTER})
    system = Recorded({"GetSession": ["/org/freedesktop/login1/session/_32"], "LockedHint": [Variant(True)]})
    probes = Probes(
        {**DESKTOP, "XDG_SESSION_ID": "2"}, commands({})[0], session=session, system=system, dnd=False
    )
    assert check(probes) == Presence(734.512, True, "GNOME Mutter IdleMonitor", "logind LockedHint")
    check(probes)
    assert system.asked.count("GetSession") == 1  # the session's path is asked once


def test_kde_idle_is_in_milliseconds_and_a_failed_call_is_asked_again() -> None:
    replies: dict[str, Any] = {"GetSessionIdleTime": KDE_IDLE, "GetActive": None}  # one call that fails
    bus = Recorded(replies)
    probes = Probes(DESKTOP, commands({})[0], session=bus, system=Recorded({}), dnd=False)
    first = check(probes)
    assert (first.idle_seconds, first.idle_source, first.locked) == (
        42.0,
        "org.freedesktop.ScreenSaver idle time",
        None,
    )
    replies["GetActive"] = [False]
    assert check(probes).locked is False  # not switched off for good by one failure


def test_over_ssh_the_desktops_lock_and_idle_are_not_ours() -> None:
    """A login over SSH has the machine's session bus but no display: its locked desktop is someone else's screen."""
    bus = Recorded({"GetActive": [True], "paused": [Variant(True)]})
    env = {
        "DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus",
        "SSH_CONNECTION": "10.0.0.2 5 10.0.0.1 22",
    }
    run, ran = commands({})
    assert check(Probes(env, run, session=bus, system=Recorded({}))) == Presence(None, None)
    assert bus.asked == [] and ran == []


def test_the_service_reads_the_sessions_variables_from_systemd() -> None:
    """Started by systemd before the desktop exported DISPLAY: the probes still find the session."""
    environment = ["HOME=/home/u", "DISPLAY=:0", "XDG_SESSION_ID=3", "DBUS_SESSION_BUS_ADDRESS=unix:path=/x"]
    session = Recorded({"Environment": [Variant(environment)]})
    system = Recorded({"GetSession": ["/org/freedesktop/login1/session/_33"], "LockedHint": [Variant(True)]})
    env = {"INVOCATION_ID": "abc", "HOME": "/home/u", "XDG_RUNTIME_DIR": "/run/user/1000"}
    probes = Probes(env, commands({})[0], session=session, system=system, dnd=False)
    state = check(probes)
    assert state.locked is True and state.lock_source == "logind LockedHint"
    assert probes.env["DISPLAY"] == ":0" and session.asked.count("Environment") == 1
    check(probes)
    assert session.asked.count("Environment") == 1  # the session's variables are here now


def test_without_a_session_bus_or_display_everything_is_unknown() -> None:
    bus, run = Recorded({}), commands({})
    assert check(Probes({}, run[0], session=bus, system=bus)) == Presence(None, None)
    assert bus.asked == [] and run[1] == []  # nothing to ask: no guessing from a probe that cannot apply


def test_x11_is_not_asked_under_wayland() -> None:
    for env in (
        {"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"},
        {"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"},
    ):
        assert asyncio.run(x11_idle(Desk(env, commands({})[0], Recorded({}), Recorded({})))) is None


def test_x11_idle_for_real_on_xvfb() -> None:
    """Under tools/notify-lab.sh (Xvfb): idle grows without input and a reset brings it back to 0."""
    if not os.environ.get("NOTIFY_LAB_DIR"):
        if os.environ.get("WALKBREAK_REQUIRE_DESKTOP"):
            pytest.fail("WALKBREAK_REQUIRE_DESKTOP is set but no X server is running")
        pytest.skip("needs an X server: run the tests under `tools/notify-lab.sh run -- …`")
    desk = Desk({"DISPLAY": os.environ["DISPLAY"]}, commands({})[0], Recorded({}), Recorded({}))
    first = asyncio.run(x11_idle(desk))
    deadline = time.monotonic() + 30
    later = first
    while later is not None and first is not None and later < first + 1.0 and time.monotonic() < deadline:
        time.sleep(0.1)  # the idle counter grows with real time; wait until it has grown
        later = asyncio.run(x11_idle(desk))
    assert first is not None and later is not None and later >= first + 1.0
    xlib = ctypes.CDLL(ctypes.util.find_library("X11"))
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    xlib.XResetScreenSaver.argtypes = [ctypes.c_void_p]
    xlib.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    display = xlib.XOpenDisplay(desk.env["DISPLAY"].encode())
    xlib.XResetScreenSaver(display)  # what a key press does to the idle counter
    xlib.XSync(display, 0)
    after = asyncio.run(x11_idle(desk))
    assert after is not None and after < later
    state = check(Probes(desk.env, commands({})[0], session=Recorded({}), system=Recorded({})))
    assert state.idle_source == "X11 screensaver extension"


def test_x11_idle_from_several_threads_at_once() -> None:
    """The probe runs in worker threads, and two checks can overlap (the minute's and the prompt
    job's): Xlib asked from two threads at once without XInitThreads crashed the dashboard on
    its way out (a heap corrupted). In a child process, so a crash fails this test only."""
    if not os.environ.get("NOTIFY_LAB_DIR"):
        if os.environ.get("WALKBREAK_REQUIRE_DESKTOP"):
            pytest.fail("WALKBREAK_REQUIRE_DESKTOP is set but no X server is running")
        pytest.skip("needs an X server: run the tests under `tools/notify-lab.sh run -- …`")
    script = (
        "import os, threading\n"
        "from walkbreak.desktop import x11\n"
        "answers = []\n"
        "def ask():\n"
        "    answers.extend(x11.idle_seconds(os.environ['DISPLAY']) for _ in range(200))\n"
        "threads = [threading.Thread(target=ask) for _ in range(6)]\n"
        "[t.start() for t in threads]; [t.join() for t in threads]\n"
        "assert len(answers) == 1200 and None not in answers, answers[:5]\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]


class Scripted:
    """The engine's presence source with answers set by the test (the real probes need a real user)."""

    def __init__(self) -> None:
        self.state = Presence(0.0, False)
        self.checks = 0

    async def check(self) -> Presence:
        self.checks += 1
        return self.state


def test_a_due_prompt_waits_while_away_and_coming_back_asks_were_you_walking(isolated_env: Path) -> None:
    presence = Scripted()
    presence.state = Presence(0.0, True)  # screen locked from 09:55

    async def scenario() -> None:
        options = {"presence": presence, "presence_seconds": 0.05}
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:55"), settings(target=6), **options) as (
            engine,
            clock,
            (backend,),
        ):
            await until(lambda: engine._away_from is not None)
            locked_seen = engine._away_from  # its first check (a clock minute after 09:55 on a busy machine)
            await settled(engine, clock, at(BERLIN, "2026-11-26 10:05"))  # 10:00 passes, screen locked
            assert backend.shown == [] and day(isolated_env, clock.now()).prompts == ()
            assert "prompt" not in engine.jobs()
            presence.state = Presence(0.1, False)  # back: unlocked, input a clock minute ago (600x)
            await until(lambda: day(isolated_env, clock.now()).away)
            back = clock.now()
            (away,) = day(isolated_env, clock.now()).away
            assert away.start == locked_seen and near(away.start, at(BERLIN, "2026-11-26 09:55"), 2)
            assert near(away.end, back, 2)
            await until(lambda: backend.shown, seconds=10)  # the prompt comes after the grace
            (fired,) = day(isolated_env, clock.now()).prompts
            # From when the engine saw the user back (the away period's end), not from when this
            # test saw the away record: on a busy machine that came up to a clock minute later.
            assert fired.fired_at >= away.end + engine.wake_grace - engine.wake_grace / 10

    asyncio.run(scenario())


def test_idle_past_the_limit_counts_from_the_last_input(isolated_env: Path) -> None:
    presence = Scripted()

    async def scenario() -> None:
        prefs = settings(target=6)
        prefs = prefs._replace(away=prefs.away._replace(idle_minutes=10))
        options = {"presence": presence, "presence_seconds": 0.05}
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:30"), prefs, **options) as (
            engine,
            clock,
            _,
        ):
            presence.state = Presence(9 * 60 / 600, None)  # 9 clock minutes idle: still here
            asked = presence.checks
            await until(lambda: presence.checks >= asked + 3)
            assert engine._away_from is None
            presence.state = Presence(12 * 60 / 600, None)  # 12 clock minutes: away since then
            await until(lambda: engine._away_from is not None)
            assert near(engine._away_from, clock.now() - timedelta(minutes=12), 2)

    asyncio.run(scenario())


def test_do_not_disturb_probes_from_recorded_replies() -> None:
    none = commands({})[0]
    dunst = Recorded({"paused": [Variant(True)]})
    assert check(Probes(DESKTOP, none, session=dunst, idle=False)).dnd is True
    gnome_env = {**DESKTOP, "XDG_CURRENT_DESKTOP": "ubuntu:GNOME", "XDG_CONFIG_HOME": "/nonexistent"}
    gnome, ran = commands({"gsettings": "false\n"})  # GNOME: banners off = do not disturb
    probes = Probes(gnome_env, gnome, session=Recorded({}), idle=False)
    state = check(probes)
    assert (state.dnd, state.dnd_source) == (True, "GNOME show-banners")
    check(probes)
    assert ran == ["gsettings"]  # read again only when dconf's database changes
    not_gnome, ran = commands({"gsettings": "false\n"})
    assert (
        check(Probes({"XDG_CURRENT_DESKTOP": "KDE"}, not_gnome, session=Recorded({}), idle=False)).dnd is None
    )
    assert ran == []  # GNOME's setting means nothing on another desktop
    kde = Recorded({"Inhibited": [Variant(True)]})
    assert check(Probes({**DESKTOP, "XDG_CURRENT_DESKTOP": "KDE"}, none, session=kde, idle=False)).dnd is True
    mako = Recorded({"ListModes": [["default", "do-not-disturb"]]})  # mako 1.7 to 1.9
    assert check(Probes(DESKTOP, none, session=mako, idle=False)).dnd is True
    newer = Recorded({"Modes": [Variant(["default"])]})  # mako 1.10: a property
    assert check(Probes(DESKTOP, none, session=newer, idle=False)).dnd is False


def test_gnome_setting_is_read_again_after_dconf_writes(tmp_path: Path) -> None:
    outputs: dict[str, str | None] = {"gsettings": "true\n"}
    run, ran = commands(outputs)
    env = {**DESKTOP, "XDG_CURRENT_DESKTOP": "GNOME", "XDG_CONFIG_HOME": str(tmp_path)}
    probes = Probes(env, run, session=Recorded({}), idle=False)
    assert check(probes).dnd is False and check(probes).dnd is False and ran == ["gsettings"]
    (tmp_path / "dconf").mkdir()
    (tmp_path / "dconf" / "user").write_bytes(b"GVariant")  # what `gsettings set` makes dconf do
    outputs["gsettings"] = "false\n"
    assert check(probes).dnd is True and ran == ["gsettings", "gsettings"]


def test_a_due_prompt_waits_through_do_not_disturb(isolated_env: Path) -> None:
    presence = Scripted()
    presence.state = Presence(None, None, dnd=True, dnd_source="dunst")

    async def scenario() -> None:
        options = {"presence": presence, "presence_seconds": 0.05}
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:58"), settings(target=6), **options) as (
            engine,
            clock,
            (backend,),
        ):
            await until(lambda: engine._dnd)
            await settled(engine, clock, at(BERLIN, "2026-11-26 10:02"))  # 10:00 passes in do-not-disturb
            assert backend.shown == [] and day(isolated_env, clock.now()).prompts == ()
            assert (
                engine.view is not None and engine.view.waiting == "do not disturb is on"
            )  # the dashboard says why
            presence.state = Presence(None, None, dnd=False)
            await until(lambda: backend.shown)  # not lost: it comes as soon as DND ends
            assert day(isolated_env, clock.now()).away == ()  # DND is not time away

    asyncio.run(scenario())


def test_the_prompt_job_asks_afresh_before_it_fires(isolated_env: Path) -> None:
    """Presence is polled once a minute; a do-not-disturb begun since the last poll still holds the prompt."""
    presence = Scripted()

    async def scenario() -> None:
        options = {"presence": presence, "presence_seconds": 1000}
        async with running(isolated_env, at(BERLIN, "2026-11-26 09:59"), settings(target=6), **options) as (
            engine,
            clock,
            (backend,),
        ):
            presence.state = Presence(None, None, dnd=True, dnd_source="dunst")  # no poll will see this
            await until(lambda: engine._dnd)  # the prompt job asked at 10:00 and found it
            await settled(engine, clock)
            assert backend.shown == [] and day(isolated_env, clock.now()).prompts == ()

    asyncio.run(scenario())
