"""The desktop tests on every notification server walkbreak was tried on: dunst, xfce4-notifyd,
mate-notification-daemon, GNOME's notification-daemon and mako (under a headless sway), each real
and on an X server and bus of its own (tests/desktops.py). For each: a prompt arrives with its
buttons, a real click (or `makoctl invoke`) answers it, a snoozed prompt comes back, a prompt
answered from the shell leaves the screen, a new notification replaces the last in place, and
do-not-disturb holds the prompt.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from tests.builders import BERLIN, at
from tests.conftest import REPO, run_walkbreak
from tests.desktops import SERVERS, Desktop
from tests.test_desktop import DAY, until
from tests.test_desktop_probes import no_process_started, until_checked
from walkbreak.core.model import ControlKind, Outcome
from walkbreak.desktop.presence import Probes
from walkbreak.store import Store

pytestmark = pytest.mark.desktop


@contextlib.contextmanager
def running(server: str) -> Iterator[Desktop]:
    with tempfile.TemporaryDirectory(prefix="walkbreak-desktop-") as directory:
        os.chmod(directory, 0o755)  # mako runs as nobody and reaches the bus socket in it
        session = Desktop(server, Path(directory) / "session")
        try:
            yield session.start()
        finally:
            session.stop()


@pytest.fixture(params=SERVERS)
def desktop(request: pytest.FixtureRequest) -> Iterator[Desktop]:
    with running(request.param) as session:
        yield session


@pytest.fixture(params=[*(server for server in SERVERS if server != "notification-daemon"), "gnome-shell"])
def with_do_not_disturb(request: pytest.FixtureRequest) -> Iterator[Desktop]:
    """The servers with a do-not-disturb setting (GNOME's notification-daemon has none), and
    GNOME Shell (its banners setting)."""
    with running(request.param) as session:
        yield session


@pytest.fixture
def gnome_daemon() -> Iterator[Desktop]:
    """GNOME's notification-daemon 3.20, which keeps a popup on screen after CloseNotification."""
    with running("notification-daemon") as session:
        yield session


class Engine:
    """The real headless engine on the desktop's bus, its clock fast, its log in a file of its own."""

    def __init__(self, desktop: Desktop, tmp_path: Path, bout: int, snooze: int, start: str, speed: float):
        config = tmp_path / "config.toml"
        config.write_text(f"[walk]\nbout_minutes = {bout}\n[snooze]\nminutes = {snooze}\n")
        self.log = tmp_path / "log" / "walkbreak.log"
        self.env = {
            **desktop.env,
            "WALKBREAK_CONFIG": str(config),
            "WALKBREAK_LOG_DIR": str(self.log.parent),
            "WALKBREAK_NOW": start,
            "WALKBREAK_SPEED": str(speed),
            "TZ": "Europe/Berlin",
        }
        self.started, self.speed = datetime.fromisoformat(start), speed
        self.started_at = time.monotonic()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "walkbreak", "run", "--headless"],
            env=self.env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )

    def shell(self, *command: str) -> None:
        """`walkbreak COMMAND` from the shell, at the engine's clock time."""
        now = self.started + timedelta(seconds=(time.monotonic() - self.started_at) * self.speed)
        done = run_walkbreak(
            *command, env={**self.env, "WALKBREAK_NOW": now.isoformat(), "WALKBREAK_SPEED": "1"}
        )
        assert done.returncode == 0, done.stdout + done.stderr

    def logged(self, text: str) -> bool:
        return self.log.exists() and text in self.log.read_text()

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        _, err = self.process.communicate(timeout=20)
        print(err)  # shown when the test fails
        assert self.process.returncode == 0 and "Traceback" not in err, err


def test_a_prompt_arrives_with_buttons_a_click_answers(
    desktop: Desktop, tmp_path: Path, isolated_env: Path
) -> None:
    title = "Time for a 7-minute walk"
    engine = Engine(desktop, tmp_path, bout=7, snooze=11, start="2026-11-26T09:59:55+01:00", speed=120)
    store = Store(isolated_env, warn=print)
    try:
        (first,) = until(lambda: desktop.sent(title), what="the prompt")
        assert first["actions"] == {
            "default": "",
            "walk": "Walk now",
            "snooze": "Snooze 11 min",
            "skip": "Skip",
        }
        (popup,) = until(lambda: desktop.on_screen(title), what="the popup")
        assert {"Walk now", "Snooze 11 min", "Skip"} <= set(popup["buttons"]), popup

        desktop.click(first, "snooze")
        until(lambda: any(c.kind is ControlKind.SNOOZE for c in store.day(DAY).controls), what="the snooze")
        again = until(lambda: desktop.sent(title)[1:], what="the prompt back from snooze")[0]
        assert again["body"].startswith("back from snooze · 0 of 6 today")

        desktop.click(again, "walk")
        until(lambda: store.day(DAY).walking or store.day(DAY).bouts, what="the walk")
        (prompt,) = store.day(DAY).prompts
        assert prompt.outcome is Outcome.WALKED and prompt.snoozes == 1
        until(lambda: not desktop.on_screen(title), what="the answered prompt to leave the screen")
    finally:
        engine.stop()
    assert len(desktop.sent(title)) == 2, "one prompt, shown twice: never piled up"


def test_a_prompt_answered_from_the_shell_leaves_the_screen(
    desktop: Desktop, tmp_path: Path, isolated_env: Path
) -> None:
    title = "Time for a 8-minute walk"
    engine = Engine(desktop, tmp_path, bout=8, snooze=10, start="2026-11-26T09:59:58+01:00", speed=60)
    try:
        (shown,) = until(lambda: desktop.sent(title), what="the prompt")
        until(lambda: desktop.on_screen(title), what="the popup")
        engine.shell("skip")
        until(lambda: desktop.sent(title)[0]["closed_reason"] is not None, what="NotificationClosed")
        if desktop.server == "notification-daemon":
            # It says closed but keeps the popup until its own timeout: a click on it is ignored,
            # as that prompt is over (skipped), with a line in the log.
            assert desktop.on_screen(title)
            desktop.click(shown, "walk")
            until(
                lambda: engine.logged("pressed on the notification of an earlier prompt"), what="the log line"
            )
        else:
            until(lambda: not desktop.on_screen(title), what="the popup to leave the screen")
        day = Store(isolated_env, warn=print).day(DAY)
        assert day.prompts[0].outcome is Outcome.SKIPPED and day.bouts == () and not day.walking
    finally:
        engine.stop()


def test_do_not_disturb_holds_the_prompt(
    with_do_not_disturb: Desktop, isolated_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    desktop = with_do_not_disturb
    from tests.builders import settings
    from tests.test_engine import settled
    from tests.test_engine import until as until_async
    from walkbreak.clock import ScaledClock
    from walkbreak.desktop.presence import Probes
    from walkbreak.engine import Engine as RealEngine
    from walkbreak.notify import build_notifier

    for name in (
        "DBUS_SESSION_BUS_ADDRESS",
        "DISPLAY",
        "XDG_CONFIG_HOME",
        "WAYLAND_DISPLAY",
        "XDG_CURRENT_DESKTOP",
    ):
        if name in desktop.env:
            monkeypatch.setenv(name, desktop.env[name])
    title = "Time for a 4-minute walk"
    desktop.do_not_disturb(True)

    async def scenario() -> None:
        prefs = settings(target=6, bout=4)
        clock = ScaledClock(at(BERLIN, "2026-11-26 09:59"), 120)
        engine = RealEngine(
            prefs, Store(isolated_env, warn=print), clock, build_notifier(prefs.notify),
            poll_seconds=0.1, presence=Probes(idle=False), presence_seconds=0.2,
        )  # fmt: skip
        await engine.start()
        try:
            await until_async(lambda: engine._dnd, seconds=20)
            await settled(engine, clock, at(BERLIN, "2026-11-26 10:02"))  # 10:00 passes in do-not-disturb
            assert not desktop.sent(title) and Store(isolated_env, warn=print).day(DAY).prompts == ()
            desktop.do_not_disturb(False)
            deadline = time.monotonic() + 20
            while not desktop.sent(title) and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
            assert desktop.sent(title), "the prompt came once do-not-disturb ended"
        finally:
            await engine.stop()

    asyncio.run(scenario())


def test_a_new_notification_replaces_the_last_in_place(
    desktop: Desktop, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A prompt over a check-in question takes its place (replaces_id): one popup, never two."""
    from walkbreak.core.message import PromptMessage
    from walkbreak.notify.freedesktop import FreedesktopBackend
    from walkbreak.notify.notifier import Notifier

    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", desktop.env["DBUS_SESSION_BUS_ADDRESS"])
    question = PromptMessage(
        "How does your back feel?", "Your walk", 0, False, 600, buttons=(("same", "Same"),)
    )
    prompt = PromptMessage("Time for a 9-minute walk", "1 of 6 today", 10, True, 600)

    async def scenario() -> None:
        notifier = Notifier([FreedesktopBackend()])
        assert await notifier.show(question) == "freedesktop"
        await asyncio.to_thread(until, lambda: desktop.on_screen(question.title), 20, "the question")
        assert await notifier.show(prompt) == "freedesktop"
        await asyncio.to_thread(until, lambda: desktop.on_screen(prompt.title), 20, "the prompt")
        assert desktop.on_screen(question.title) == []
        await notifier.close()

    asyncio.run(scenario())
    (asked,), (replacing,) = desktop.sent(question.title), desktop.sent(prompt.title)
    assert (replacing["replaces_id"], replacing["id"]) == (asked["id"], asked["id"])


def test_after_the_server_restarts_a_prompt_replaces_no_one_elses(monkeypatch: pytest.MonkeyPatch) -> None:
    """A restarted server counts ids from 1 again: the live prompt's id may now be another
    program's notification, which a new prompt must not replace."""
    from walkbreak.core.message import PromptMessage
    from walkbreak.notify.freedesktop import FreedesktopBackend
    from walkbreak.notify.notifier import Notifier

    first = PromptMessage("Time for a 11-minute walk", "0 of 6 today", 10, True, 600)
    second = PromptMessage("Time for a 12-minute walk", "0 of 6 today", 10, True, 600)
    with running("dunst") as dunst:
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", dunst.env["DBUS_SESSION_BUS_ADDRESS"])

        async def scenario() -> None:
            notifier = Notifier([FreedesktopBackend()])
            assert await notifier.show(first) == "freedesktop"
            await asyncio.to_thread(dunst.restart_dunst)
            other = await asyncio.to_thread(
                subprocess.run, ["notify-send", "Another program"], env=dunst.env, capture_output=True
            )
            assert other.returncode == 0, other.stderr
            assert await notifier.show(second) == "freedesktop"
            await notifier.close()

        asyncio.run(scenario())
        (shown,), (theirs,), (after,) = (
            dunst.sent(t) for t in (first.title, "Another program", second.title)
        )
        assert theirs["id"] == shown["id"], "the restarted dunst gave the other program our old id"
        assert after["replaces_id"] == 0 and after["id"] != theirs["id"]
        assert dunst.on_screen("Another program"), "theirs is still on screen"


def test_walk_now_on_a_popup_left_up_after_a_snooze_walks(
    gnome_daemon: Desktop, tmp_path: Path, isolated_env: Path
) -> None:
    """The prompt snoozed from the shell is closed, but this server leaves its popup up: Walk now
    on it answers the prompt, which still waits (it used to be lost, and the prompt expired)."""
    title = "Time for a 6-minute walk"
    engine = Engine(gnome_daemon, tmp_path, bout=6, snooze=20, start="2026-11-26T09:59:58+01:00", speed=60)
    store = Store(isolated_env, warn=print)
    try:
        (shown,) = until(lambda: gnome_daemon.sent(title), what="the prompt")
        until(lambda: gnome_daemon.on_screen(title), what="the popup")
        engine.shell("snooze")
        until(lambda: gnome_daemon.sent(title)[0]["closed_reason"] is not None, what="NotificationClosed")
        assert gnome_daemon.on_screen(title), "notification-daemon keeps the closed popup"
        gnome_daemon.click(shown, "walk")
        until(lambda: store.day(DAY).walking, what="the walk")
        (prompt,) = store.day(DAY).prompts
        assert (prompt.outcome, prompt.snoozes) == (Outcome.WALKED, 1)
        assert engine.logged("'walk' pressed on an earlier notification")
    finally:
        engine.stop()


@pytest.fixture
def gnome_shell() -> Iterator[Desktop]:
    """GNOME Shell 43 headless. Its banners take no click here (a headless shell has no pointer),
    so buttons are checked as sent and offered, not pressed."""
    with running("gnome-shell") as session:
        yield session


def test_gnome_shell_takes_the_prompt_with_its_buttons_and_closes_it(
    gnome_shell: Desktop, monkeypatch: pytest.MonkeyPatch
) -> None:
    from walkbreak.core.message import PromptMessage
    from walkbreak.notify.freedesktop import FreedesktopBackend
    from walkbreak.notify.notifier import Notifier
    from walkbreak.notify.server import ServerProbe

    monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", gnome_shell.env["DBUS_SESSION_BUS_ADDRESS"])
    prompt = PromptMessage("Time for a 3-minute walk", "0 of 6 today", 10, True, 600)

    async def scenario() -> str:
        probe = ServerProbe()
        assert await probe.missing() is None
        notifier = Notifier([FreedesktopBackend(probe)])
        assert await notifier.show(prompt) == "freedesktop"
        await notifier.close()
        return probe.server

    assert asyncio.run(scenario()).startswith("gnome-shell ")
    (shown,) = gnome_shell.sent(prompt.title)
    assert shown["actions"] == {"default": "", "walk": "Walk now", "snooze": "Snooze 10 min", "skip": "Skip"}
    until(
        lambda: gnome_shell.sent(prompt.title)[0]["closed_reason"] == 3, what="closed by walkbreak (reason 3)"
    )


def test_gnome_shell_idle_time_and_banners_setting_are_read(
    gnome_shell: Desktop, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.test_desktop_probes import no_process_started, until_checked
    from walkbreak.desktop.presence import Probes

    names = ("DBUS_SESSION_BUS_ADDRESS", "XDG_CONFIG_HOME", "WAYLAND_DISPLAY", "XDG_CURRENT_DESKTOP", "HOME")
    probes = Probes({name: gnome_shell.env[name] for name in names})

    async def scenario() -> None:
        # GNOME Shell on a loaded machine may take a minute to offer its idle monitor (as its
        # notifications: tests/desktops.py): waited for, not slept.
        first = await until_checked(probes, lambda s: s.idle_seconds is not None, 90)
        assert first.idle_source == "GNOME Mutter IdleMonitor"
        with no_process_started():  # asked of Mutter in this process
            later = await until_checked(
                probes, lambda s: (s.idle_seconds or 0) > (first.idle_seconds or 0) + 0.5
            )
        assert later.idle_source == "GNOME Mutter IdleMonitor"
        assert (later.dnd, later.dnd_source) == (False, "GNOME show-banners")
        gnome_shell.do_not_disturb(True)
        assert (await until_checked(probes, lambda s: s.dnd is True)).dnd_source == "GNOME show-banners"
        gnome_shell.do_not_disturb(False)
        await until_checked(probes, lambda s: s.dnd is False)
        probes.close()

    asyncio.run(scenario())


def test_kde_kwin_screen_lock_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """KWin hosts Plasma's screen locker on Wayland: locked as the lock shortcut does it (its
    org.freedesktop.ScreenSaver Lock), the probe reads it. KWin offers no idle time over D-Bus on
    Wayland (GetSessionIdleTime: "not supported on this platform"), so idle is unknown there."""
    from tests.test_desktop_probes import until_checked
    from walkbreak.desktop.presence import Probes

    with running("kwin") as kwin:
        names = ("DBUS_SESSION_BUS_ADDRESS", "WAYLAND_DISPLAY", "XDG_CURRENT_DESKTOP", "HOME")
        probes = Probes({name: kwin.env[name] for name in names}, dnd=False)

        async def scenario() -> None:
            state = await until_checked(probes, lambda s: s.locked is not None)
            assert (state.locked, state.lock_source) == (False, "org.freedesktop.ScreenSaver active")
            assert state.idle_seconds is None  # not offered on Wayland: said "unknown", never guessed
            locking = ("org.freedesktop.ScreenSaver", "/ScreenSaver", "org.freedesktop.ScreenSaver", "Lock")
            locked = subprocess.run(["busctl", "--user", "call", *locking], env=kwin.env, capture_output=True)
            assert locked.returncode == 0, locked.stderr
            await until_checked(probes, lambda s: s.locked is True)
            probes.close()

        asyncio.run(scenario())


def probes_in(desktop: Desktop) -> Probes:
    names = ("DBUS_SESSION_BUS_ADDRESS", "DISPLAY", "XDG_CONFIG_HOME", "HOME")
    return Probes({name: desktop.env[name] for name in names if name in desktop.env}, idle=False)


def test_xfce4_notifyd_do_not_disturb_is_seen() -> None:
    """Its xfconf channel, asked of xfconfd in this process."""
    with running("xfce4-notifyd") as desktop:
        probes = probes_in(desktop)

        async def scenario() -> None:
            state = await until_checked(probes, lambda s: s.dnd is not None)
            assert (state.dnd, state.dnd_source) == (False, "xfce4-notifyd")  # never set: off
            desktop.do_not_disturb(True)
            with no_process_started():  # asked of xfconfd in this process
                state = await until_checked(probes, lambda s: s.dnd is True)
            assert state.dnd_source == "xfce4-notifyd"
            desktop.do_not_disturb(False)
            await until_checked(probes, lambda s: s.dnd is False)
            probes.close()

        asyncio.run(scenario())


def test_mate_notification_daemon_do_not_disturb_is_seen() -> None:
    """Its GSettings key, read again only when dconf's file changed."""
    with running("mate-notification-daemon") as desktop:
        probes = probes_in(desktop)

        async def scenario() -> None:
            state = await until_checked(probes, lambda s: s.dnd is not None)
            assert (state.dnd, state.dnd_source) == (False, "MATE do-not-disturb")
            desktop.do_not_disturb(True)
            state = await until_checked(probes, lambda s: s.dnd is True)
            asked = probes.desk.session.sent["org.freedesktop.Notifications"]
            with no_process_started():  # dconf's file unchanged: gsettings is not run again
                assert (await probes.check()).dnd is True
            assert probes.desk.session.sent["org.freedesktop.Notifications"] == asked + 1  # its name, once
            desktop.do_not_disturb(False)
            await until_checked(probes, lambda s: s.dnd is False)
            probes.close()

        asyncio.run(scenario())
