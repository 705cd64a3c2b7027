"""Idle and screen-lock probes: parsers on recorded outputs, the probe order, the X11 path for real,
and the engine holding a due prompt while the user is away."""

from __future__ import annotations

import asyncio
import ctypes
import ctypes.util
import os
import time
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

import pytest

from tests.builders import BERLIN, at, settings
from tests.test_engine import day, near, running, settled, until
from walkbreak.presence import (
    Presence,
    Probes,
    parse_gdbus_bool,
    parse_gdbus_uint,
    parse_hid_idle,
    parse_locked_hint,
    x11_idle,
)

# Recorded from real machines (GNOME 46 / KDE 6 `gdbus call`, systemd 255 `loginctl`, macOS 14 `ioreg`).
MUTTER = "(uint64 734512,)\n"
KDE_IDLE = "(uint32 42000,)\n"  # milliseconds, like KIdleTime
ACTIVE, INACTIVE = "(true,)\n", "(false,)\n"
LOCKED_HINT = "LockedHint=yes\n"
IOREG = '    |   "HIDIdleTime" = 2345678901\n    |   "HIDKeyboardModifierMappingPairs" = ()\n'


def test_parsers_read_recorded_outputs() -> None:
    assert parse_gdbus_uint(MUTTER) == 734512 and parse_gdbus_uint(KDE_IDLE) == 42000
    assert parse_gdbus_bool(ACTIVE) is True and parse_gdbus_bool(INACTIVE) is False
    assert parse_locked_hint(LOCKED_HINT) is True and parse_locked_hint("LockedHint=no\n") is False
    assert parse_hid_idle(IOREG) == pytest.approx(2.345678901)


@pytest.mark.parametrize(
    "garbage",
    [None, "", "Error: GDBus.Error:org.freedesktop.DBus.Error.ServiceUnknown", "(int32 -1,)", "(7,)"],
)
def test_anything_else_is_unknown_not_a_guess(garbage: str | None) -> None:
    assert parse_gdbus_uint(garbage) is None
    assert parse_gdbus_bool(garbage) is None
    assert parse_locked_hint(garbage) is None
    assert parse_hid_idle(garbage) is None


def replay(outputs: dict[str, str | None]):
    """A `run` that answers each command from recorded outputs (by the method or tool it calls)."""
    asked: list[str] = []

    def run(command: Sequence[str]) -> str | None:
        key = command[list(command).index("--method") + 1] if command[0] == "gdbus" else command[0]
        asked.append(key)
        return outputs.get(key)

    return run, asked


DESKTOP = {"DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus", "WAYLAND_DISPLAY": "wayland-0"}


def test_gnome_idle_and_logind_lock() -> None:
    run, asked = replay({"org.gnome.Mutter.IdleMonitor.GetIdletime": MUTTER, "loginctl": LOCKED_HINT})
    state = Probes({**DESKTOP, "XDG_SESSION_ID": "2"}, run).check()
    assert state == Presence(734.512, True, "GNOME Mutter IdleMonitor", "logind LockedHint")


def test_kde_idle_is_in_milliseconds_and_a_failed_call_is_asked_again() -> None:
    outputs: dict[str, str | None] = {
        "org.freedesktop.ScreenSaver.GetSessionIdleTime": KDE_IDLE,
        "org.freedesktop.ScreenSaver.GetActive": None,  # one call that fails (a timeout, say)
    }
    run, asked = replay(outputs)
    probes = Probes(DESKTOP, run)
    first = probes.check()
    assert (first.idle_seconds, first.idle_source, first.locked) == (
        42.0,
        "org.freedesktop.ScreenSaver idle time",
        None,
    )
    outputs["org.freedesktop.ScreenSaver.GetActive"] = INACTIVE
    assert probes.check().locked is False  # not switched off for good by one failure


def test_over_ssh_the_desktops_lock_and_idle_are_not_ours() -> None:
    """A login over SSH has the machine's session bus but no display: its locked desktop is someone else's screen."""
    run, asked = replay({"org.freedesktop.ScreenSaver.GetActive": ACTIVE, "dunstctl": "true\n"})
    env = {
        "DBUS_SESSION_BUS_ADDRESS": "unix:path=/run/user/1000/bus",
        "SSH_CONNECTION": "10.0.0.2 5 10.0.0.1 22",
    }
    assert Probes(env, run).check() == Presence(None, None)
    assert asked == []


def test_the_service_reads_the_sessions_variables_from_systemd() -> None:
    """Started by systemd before the desktop exported DISPLAY: the probes still find the session."""
    run, asked = replay(
        {
            "systemctl": "HOME=/home/u\nDISPLAY=:0\nXDG_SESSION_ID=3\nDBUS_SESSION_BUS_ADDRESS=unix:path=/x\n",
            "loginctl": LOCKED_HINT,
        }
    )
    probes = Probes({"INVOCATION_ID": "abc", "HOME": "/home/u"}, run, dnd=False)
    state = probes.check()
    assert state.locked is True and state.lock_source == "logind LockedHint"
    assert probes.env["DISPLAY"] == ":0" and asked.count("systemctl") == 1


def test_without_a_session_bus_or_display_everything_is_unknown() -> None:
    run, asked = replay({})
    assert Probes({}, run).check() == Presence(None, None)
    assert asked == []  # nothing to ask: no guessing from a probe that cannot apply


def test_x11_is_not_asked_under_wayland() -> None:
    assert x11_idle({"DISPLAY": ":0", "XDG_SESSION_TYPE": "wayland"}, replay({})[0]) is None
    assert x11_idle({"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0"}, replay({})[0]) is None


def test_x11_idle_for_real_on_xvfb() -> None:
    """Under tools/notify-lab.sh (Xvfb): idle grows without input and a reset brings it back to 0."""
    if not os.environ.get("NOTIFY_LAB_DIR"):
        if os.environ.get("WALKBREAK_REQUIRE_DESKTOP"):
            pytest.fail("WALKBREAK_REQUIRE_DESKTOP is set but no X server is running")
        pytest.skip("needs an X server: run the tests under `tools/notify-lab.sh run -- …`")
    env = {"DISPLAY": os.environ["DISPLAY"]}
    first = x11_idle(env, replay({})[0])
    time.sleep(1.2)
    later = x11_idle(env, replay({})[0])
    assert first is not None and later is not None and later >= first + 1.0
    xlib = ctypes.CDLL(ctypes.util.find_library("X11"))
    xlib.XOpenDisplay.restype = ctypes.c_void_p
    xlib.XOpenDisplay.argtypes = [ctypes.c_char_p]
    xlib.XResetScreenSaver.argtypes = [ctypes.c_void_p]
    xlib.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
    display = xlib.XOpenDisplay(env["DISPLAY"].encode())
    xlib.XResetScreenSaver(display)  # what a key press does to the idle counter
    xlib.XSync(display, 0)
    after = x11_idle(env, replay({})[0])
    assert after is not None and after < 0.5
    state = Probes(env, replay({})[0]).check()
    assert state.idle_source == "X11 screensaver extension"


class Scripted:
    """The engine's presence source with answers set by the test (the real probes need a real user)."""

    def __init__(self) -> None:
        self.state = Presence(0.0, False)
        self.checks = 0

    def check(self) -> Presence:
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
            await settled(engine, clock, at(BERLIN, "2026-11-26 10:05"))  # 10:00 passes, screen locked
            assert backend.shown == [] and day(isolated_env, clock.now()).prompts == ()
            assert "prompt" not in engine.jobs()
            presence.state = Presence(0.1, False)  # back: unlocked, input a clock minute ago (600x)
            await until(lambda: day(isolated_env, clock.now()).away)
            back = clock.now()
            (away,) = day(isolated_env, clock.now()).away
            assert near(away.start, at(BERLIN, "2026-11-26 09:55")) and near(away.end, back, 2)
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


def test_do_not_disturb_parsers_and_probes_from_recorded_outputs() -> None:
    from walkbreak.presence import parse_gdbus_variant_bool, parse_word

    assert parse_word("true\n", "true", "false") is True and parse_word("false\n", "true", "false") is False
    assert parse_word("Failed to connect to bus", "true", "false") is None
    assert (
        parse_gdbus_variant_bool("(<true>,)\n") is True and parse_gdbus_variant_bool("(<false>,)\n") is False
    )
    assert parse_gdbus_variant_bool("(true,)") is None
    bus = DESKTOP
    dunst, _ = replay({"dunstctl": "true\n"})
    assert Probes(bus, dunst, idle=False).check().dnd is True
    gnome, _ = replay({"gsettings": "false\n"})  # GNOME: banners off = do not disturb
    state = Probes({**DESKTOP, "XDG_CURRENT_DESKTOP": "ubuntu:GNOME"}, gnome, idle=False).check()
    assert (state.dnd, state.dnd_source) == (True, "GNOME show-banners")
    not_gnome, asked = replay({"gsettings": "false\n"})
    assert Probes({"XDG_CURRENT_DESKTOP": "KDE"}, not_gnome, idle=False).check().dnd is None
    assert "gsettings" not in asked  # GNOME's setting means nothing on another desktop
    kde, _ = replay({"org.freedesktop.DBus.Properties.Get": "(<true>,)\n"})
    assert Probes({**bus, "XDG_CURRENT_DESKTOP": "KDE"}, kde, idle=False).check().dnd is True
    mako, _ = replay({"makoctl": "default\ndo-not-disturb\n"})
    assert Probes(DESKTOP, mako, idle=False).check().dnd is True


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
