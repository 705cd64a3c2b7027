"""Real desktops for tests that choose the notification server: a sibling of tools/notify-lab.sh
(which runs dunst for the rest of the suite).

Each `Desktop` runs one server on an X server (Xvfb) and a session bus of its own, laid out as
notify-lab's (the bus socket and the bus monitor's `bus.jsonl` in one directory), so
`notify-lab.sh sent` reads what the server was sent; two desktops never share a screen, so tests
run side by side. What is on screen, and a user's click:

- xfce4-notifyd, mate-notification-daemon and GNOME's notification-daemon draw GTK popups. Their
  texts and buttons are read through the accessibility bus (AT-SPI, as a screen reader reads
  them; tests/servers/popups.py), and a button is clicked with the pointer (xdotool, at the
  button's centre on screen).
- mako runs under a headless sway (Wayland), both as the user `nobody` (sway refuses to run as
  root); `makoctl list` says what is on screen, `makoctl invoke` presses a button.
- dunst, configured as notify-lab configures it; a button is pressed through its context menu
  (notify-lab's `press`).
- GNOME Shell 43 headless (Wayland, a virtual monitor), with a system bus of its own (it will not
  start without one; logind is not on it, so its lock screen is off). It has no pointer here:
  what it shows is not read back or clicked.
- KWin 5.27 on a virtual framebuffer, for Plasma's screen lock, which it hosts on Wayland. KDE's
  notification server and do-not-disturb are plasmashell's: it needs the Plasma desktop shell
  package as well (plasma-workspace alone starts an "invalid corona"), which these tests do not
  install.
"""

from __future__ import annotations

import glob
import json
import os
import pwd
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.test_desktop import until

LAB = REPO / "tools" / "notify-lab.sh"
POPUPS = Path(__file__).parent / "servers" / "popups.py"
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, for python3-pyatspi
SERVERS = ("dunst", "xfce4-notifyd", "mate-notification-daemon", "notification-daemon", "mako")
GTK = {
    "xfce4-notifyd": "/usr/lib/*/xfce4/notifyd/xfce4-notifyd",
    "mate-notification-daemon": "/usr/lib/mate-notification-daemon/mate-notification-daemon",
    "notification-daemon": "/usr/lib/notification-daemon/notification-daemon",
}
"""The GTK servers' programs (a glob: the directory may name the architecture)."""


def needed(*programs: str) -> list[str]:
    """Each program's path (a glob allowed); skips the test (fails it in CI) when one is missing."""
    found = []
    for program in programs:
        paths = sorted(glob.glob(program)) if "/" in program else [shutil.which(program) or ""]
        if not paths or not paths[0]:
            if os.environ.get("WALKBREAK_REQUIRE_DESKTOP"):
                pytest.fail(f"WALKBREAK_REQUIRE_DESKTOP is set but {program} is not installed")
            pytest.skip(f"needs {program} (.ci/run installs it)")
        found.append(paths[0])
    return found


class Desktop:
    """One notification server on an X server and a session bus of its own."""

    def __init__(self, server: str, directory: Path) -> None:
        needed("dbus-daemon", "busctl")
        self.server = server
        self.dir = directory
        self.dir.mkdir(mode=0o755, exist_ok=True)  # mako's user reaches the bus socket in it
        self.processes: list[subprocess.Popen[bytes]] = []
        self.env = {
            **os.environ,
            "DBUS_SESSION_BUS_ADDRESS": f"unix:path={self.dir / 'bus'}",
            "NOTIFY_LAB_DIR": str(self.dir),
            "XDG_CONFIG_HOME": str(self.dir / "config"),  # dconf's and xfconf's settings
        }
        self.env.pop("NO_AT_BRIDGE", None)  # GTK servers must register with the accessibility bus

    # Starting and stopping

    def start(self) -> Desktop:
        self._x_server()
        self._bus()
        starts = {
            "dunst": self._start_dunst,
            "xfce4-notifyd": self._start_xfce4_notifyd,
            "mate-notification-daemon": self._start_mate_notification_daemon,
            "notification-daemon": self._start_notification_daemon,
            "mako": self._start_mako,
            "gnome-shell": self._start_gnome_shell,
            "kwin": self._start_kwin,
        }
        self._desktop_from = len(self.processes)
        starts[self.server]()
        if self.server != "kwin":  # KDE's notification server is plasmashell's, not KWin's
            # (up to 90 s: GNOME Shell once took over 30 s to start in a clean-clone CI run)
            until(self._answers, seconds=90, what=f"{self.server} to answer on the bus")
        return self

    def restart_dunst(self) -> None:
        """Stop dunst and start it again (it counts notification ids from 1 again)."""
        assert self.server == "dunst"
        (dunst,) = self.processes[self._desktop_from :]
        dunst.terminate()
        dunst.wait(10)
        del self.processes[self._desktop_from :]
        self._start_dunst()
        until(self._answers, seconds=30, what="dunst to answer on the bus")

    def _answers(self) -> bool:
        """Whether the notification server answers (its name may be owned before its object is there)."""
        ask = (
            "org.freedesktop.Notifications",
            "/org/freedesktop/Notifications",
            "org.freedesktop.Notifications",
        )
        reply = subprocess.run(
            ["busctl", "--user", "call", *ask, "GetServerInformation"], env=self.env, capture_output=True
        )
        return reply.returncode == 0

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)

    def _run(self, *command: str, user: str | None = None, env: dict[str, str] | None = None) -> None:
        if user:
            account = pwd.getpwnam(user)
            prefix = ["setpriv", f"--reuid={account.pw_uid}", f"--regid={account.pw_gid}", "--clear-groups"]
        else:
            prefix = []
        self.processes.append(
            subprocess.Popen(
                [*prefix, *command],
                env=env or self.env,
                stdout=subprocess.DEVNULL,
                stderr=open(self.dir / f"{Path(command[0]).name}.log", "wb"),  # noqa: SIM115
            )
        )

    def _x_server(self) -> None:
        """An X server of its own: popups of two servers (or notify-lab's dunst) never overlap,
        so a click lands on the popup it aims at."""
        (xvfb,) = needed("Xvfb")
        read, write = os.pipe()  # Xvfb picks a free display and writes its number there once ready
        self.processes.append(
            subprocess.Popen(
                [xvfb, "-displayfd", str(write), "-screen", "0", "1280x800x24", "-nolisten", "tcp"],
                pass_fds=(write,),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        os.close(write)
        with os.fdopen(read) as answer:
            self.env["DISPLAY"] = ":" + answer.readline().strip()

    def _bus(self) -> None:
        self._dbus_daemon("bus", "session")
        os.chmod(self.dir / "bus", 0o777)
        monitor = (
            "busctl",
            "--user",
            "--json=short",
            "monitor",
            "--match",
            "interface=org.freedesktop.Notifications",
        )
        self.processes.append(
            subprocess.Popen(
                [*monitor, "--match", "type=method_return,sender=org.freedesktop.Notifications"],
                env=self.env,
                stdout=open(self.dir / "bus.jsonl", "wb"),  # noqa: SIM115
                stderr=open(self.dir / "monitor.log", "wb"),  # noqa: SIM115
            )
        )
        until(lambda: "Monitoring" in (self.dir / "monitor.log").read_text(), what="the bus monitor")

    def _dbus_daemon(self, socket: str, kind: str) -> None:
        """A bus any user may reach, at `socket` in this desktop's directory."""
        (self.dir / f"{socket}.conf").write_text(
            f"<busconfig><type>{kind}</type><listen>unix:path={self.dir / socket}</listen>"
            "<auth>EXTERNAL</auth><policy context='default'><allow user='*'/>"
            "<allow send_destination='*' eavesdrop='true'/><allow eavesdrop='true'/><allow own='*'/>"
            "</policy></busconfig>"
        )
        self._run("dbus-daemon", f"--config-file={self.dir / socket}.conf", "--nofork", "--nopidfile")
        until(lambda: (self.dir / socket).exists(), what=f"the {kind} bus")

    def _wait_for_name(self, name: str) -> None:
        def owned() -> bool:
            reply = subprocess.run(
                ["busctl", "--user", "status", name], env=self.env, capture_output=True, text=True
            )
            return reply.returncode == 0

        until(owned, seconds=30, what=f"{name} on the bus")

    def _start_dunst(self) -> None:
        (dunst,) = needed("dunst")
        (self.dir / "dunstrc").write_text(
            "[global]\nstack_duplicates = false\nidle_threshold = 0\nnotification_limit = 0\n"
            f"dmenu = {LAB} _menu {self.dir}\n"
        )
        self._run(dunst, "-config", str(self.dir / "dunstrc"))

    def _start_gtk(self, program: str) -> None:
        """A GTK server, after the accessibility bus it registers with as it starts."""
        launcher, python = needed("/usr/libexec/at-spi-bus-launcher", SYSTEM_PYTHON)
        pyatspi = subprocess.run([python, "-c", "import pyatspi"], capture_output=True)
        if pyatspi.returncode:
            needed("python3-pyatspi")  # skips, or fails in CI
        self._run(launcher)
        self._wait_for_name("org.a11y.Bus")
        self._run(program)

    def _start_xfce4_notifyd(self) -> None:
        xfconfd, server = needed("/usr/lib/*/xfce4/xfconf/xfconfd", GTK["xfce4-notifyd"])
        self._run(xfconfd)
        self._wait_for_name("org.xfce.Xfconf")
        self._start_gtk(server)

    def _start_mate_notification_daemon(self) -> None:
        dconf, server, _ = needed("/usr/libexec/dconf-service", GTK["mate-notification-daemon"], "gsettings")
        self._run(dconf)
        self._wait_for_name("ca.desrt.dconf")
        self._start_gtk(server)

    def _start_notification_daemon(self) -> None:
        (server,) = needed(GTK["notification-daemon"])
        self._start_gtk(server)

    def _start_mako(self) -> None:
        sway, mako = needed("sway", "mako")
        runtime = self.dir / "runtime"
        runtime.mkdir(mode=0o700)
        nobody = pwd.getpwnam("nobody")
        os.chown(runtime, nobody.pw_uid, nobody.pw_gid)
        (self.dir / "sway.conf").write_text("output HEADLESS-1 resolution 1280x800\n")
        (self.dir / "mako.conf").write_text("default-timeout=0\n[mode=do-not-disturb]\ninvisible=1\n")
        wayland = {
            "PATH": os.environ["PATH"],
            "HOME": str(runtime),
            "XDG_RUNTIME_DIR": str(runtime),
            "DBUS_SESSION_BUS_ADDRESS": self.env["DBUS_SESSION_BUS_ADDRESS"],
        }
        headless = {"WLR_BACKENDS": "headless", "WLR_LIBINPUT_NO_DEVICES": "1", "WLR_RENDERER": "pixman"}
        self._run(sway, "-c", str(self.dir / "sway.conf"), user="nobody", env={**wayland, **headless})
        until(lambda: (runtime / "wayland-1").exists(), what="sway's Wayland socket")
        self.env["WAYLAND_DISPLAY"] = str(runtime / "wayland-1")  # a Wayland session's, for walkbreak
        self._run(
            mako,
            "-c",
            str(self.dir / "mako.conf"),
            user="nobody",
            env={**wayland, "WAYLAND_DISPLAY": "wayland-1"},
        )

    def _start_gnome_shell(self) -> None:
        """GNOME Shell headless (Wayland, a virtual monitor), with the gjs service that owns
        org.freedesktop.Notifications for it (D-Bus-activated on a real desktop)."""
        shell, gjs, dconf, _ = needed("gnome-shell", "gjs", "/usr/libexec/dconf-service", "gsettings")
        service = "/usr/share/gnome-shell/org.gnome.Shell.Notifications"
        runtime = self.dir / "runtime"
        runtime.mkdir(mode=0o700)
        self._dbus_daemon("system-bus", "system")  # it needs one (logind, accounts: absent, it copes)
        self.env.update(
            DBUS_SYSTEM_BUS_ADDRESS=f"unix:path={self.dir / 'system-bus'}",
            XDG_CURRENT_DESKTOP="GNOME",
            XDG_RUNTIME_DIR=str(runtime),
            WAYLAND_DISPLAY=str(runtime / "wayland-0"),
        )
        self._run(dconf)
        self._wait_for_name("ca.desrt.dconf")
        shell_env = {**self.env, "HOME": str(self.dir / "home")}
        self._run(
            shell, "--headless", "--virtual-monitor", "1280x800", "--wayland", "--no-x11", env=shell_env
        )
        self._wait_for_name("org.gnome.Shell")
        self._run(gjs, service, env=shell_env)

    def _start_kwin(self) -> None:
        """KWin (Plasma 5.27) on a virtual framebuffer: on Wayland it hosts Plasma's screen locker
        (org.freedesktop.ScreenSaver). Run from a copy: the installed binary carries a file
        capability (cap_sys_resource), and a container that may not grant it refuses to start it."""
        (installed,) = needed("kwin_wayland")
        kwin = self.dir / "kwin_wayland"
        shutil.copyfile(installed, kwin)  # without the capability (it only raises a resource limit)
        kwin.chmod(0o755)
        runtime = self.dir / "runtime"
        runtime.mkdir(mode=0o700)
        self.env.update(
            XDG_CURRENT_DESKTOP="KDE",
            XDG_RUNTIME_DIR=str(runtime),
            WAYLAND_DISPLAY=str(runtime / "wayland-kwin"),
        )
        self._run(
            str(kwin),
            "--virtual",
            "--socket",
            "wayland-kwin",
            env={**self.env, "HOME": str(self.dir / "home")},
        )
        self._wait_for_name("org.freedesktop.ScreenSaver")

    # What the server was sent, and what is on screen

    def sent(self, title: str) -> list[dict[str, Any]]:
        """Each notification the server took with `title` (any, if empty), oldest first, as the
        bus saw them."""
        out = subprocess.run([str(LAB), "sent"], env=self.env, capture_output=True, text=True, check=True)
        return [
            n
            for n in json.loads(out.stdout)
            if n["summary"] == (title or n["summary"]) and n["id"] is not None
        ]

    def on_screen(self, title: str) -> list[dict[str, Any]]:
        """The popups on screen showing `title`: their texts and buttons (label → where)."""
        if self.server in GTK:
            app = "xfce4-notifyd" if self.server == "xfce4-notifyd" else self.server
            out = subprocess.run(
                [SYSTEM_PYTHON, str(POPUPS), app], env=self.env, capture_output=True, text=True, timeout=30
            )
            assert out.returncode == 0, out.stderr
            return [p for p in json.loads(out.stdout) if title in p["texts"]]
        if self.server == "mako":
            listed = self._makoctl("list")
            shown = listed["data"][0] if isinstance(listed, dict) else listed
            return [
                {"texts": [n["summary"]["data"]], "buttons": {v: k for k, v in n["actions"]["data"].items()}}
                for n in shown
                if n["summary"]["data"] == title
            ]
        # dunst: on screen from its Notify until it is closed or replaced by a later Notify
        every = self.sent("")
        replaced = {
            id(n) for i, n in enumerate(every) if any(m["replaces_id"] == n["id"] for m in every[i + 1 :])
        }
        return [
            {"texts": [title], "buttons": {label: key for key, label in n["actions"].items()}}
            for n in every
            if n["summary"] == title and n["closed_reason"] is None and id(n) not in replaced
        ]

    def click(self, notification: dict[str, Any], key: str) -> None:
        """Press the button `key` of `notification` (as `sent` gave it) as a user would."""
        before = len(self._invoked())
        if self.server == "dunst":
            subprocess.run([str(LAB), "press", f"[{notification['id']},{key}]"], env=self.env, check=True)
        elif self.server == "mako":
            self._makoctl("invoke", "-n", str(notification["id"]), key)
        else:
            label = notification["actions"][key]
            (popup,) = until(lambda: self.on_screen(notification["summary"]), what="the popup on screen")
            x, y = popup["buttons"][label]
            subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "1"], env=self.env, check=True)
        until(lambda: len(self._invoked()) > before, seconds=10, what=f"ActionInvoked for {key}")

    def _invoked(self) -> list[str]:
        text = (self.dir / "bus.jsonl").read_text()
        return [line for line in text.splitlines() if '"member":"ActionInvoked"' in line]

    def _makoctl(self, *arguments: str) -> Any:
        out = subprocess.run(
            ["makoctl", *arguments], env=self.env, capture_output=True, text=True, timeout=10
        )
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout) if out.stdout.strip() else None

    # Do not disturb, turned on as the desktop's own tools do it

    def do_not_disturb(self, on: bool) -> None:
        value = "true" if on else "false"
        commands = {
            "dunst": ["dunstctl", "set-paused", value],
            "xfce4-notifyd": [
                "xfconf-query",
                "-c",
                "xfce4-notifyd",
                "-p",
                "/do-not-disturb",
                "-n",
                "-t",
                "bool",
                "-s",
                value,
            ],
            "mate-notification-daemon": [
                "gsettings",
                "set",
                "org.mate.NotificationDaemon",
                "do-not-disturb",
                value,
            ],
            "mako": ["makoctl", "mode", "-a" if on else "-r", "do-not-disturb"],
            "gnome-shell": [
                "gsettings",
                "set",
                "org.gnome.desktop.notifications",
                "show-banners",
                str(not on).lower(),
            ],
        }
        done = subprocess.run(commands[self.server], env=self.env, capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr
