"""`walkbreak service install` under a real systemd user manager.

The manager is systemd's own (`systemd --user`), run in a mount namespace of its own: a tmpfs
over /run/systemd tells it the machine booted with systemd (this machine's PID 1 is not systemd),
and it gets a cgroup of its own to put its services in, and a home and runtime dir of its own.
It runs as the test's user (root, which the namespace and the cgroup need; another user could not
run this machine's Python, which lives in root's home). `walkbreak service
install` then talks to it with the real `systemctl --user`, and the engine it starts is the real
headless engine.
"""

from __future__ import annotations

import contextlib
import os
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.test_desktop import until

SYSTEMD = next((p for p in ("/lib/systemd/systemd", "/usr/lib/systemd/systemd") if os.path.exists(p)), None)
CGROUPS = ("/sys/fs/cgroup/systemd", "/sys/fs/cgroup/unified")

ODD = "walk data 100% $HOME ${X} \"double\" 'single' back\\slash"
"""A data dir name with what a unit line treats specially (issue 13: a `$` became `$$`)."""


class UserManager:
    """A running `systemd --user` and the environment of its user's commands."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.runtime = home / "run"
        self.env = {
            "HOME": str(home),
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "XDG_RUNTIME_DIR": str(self.runtime),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_STATE_HOME": str(home / "state"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "LANG": "C.UTF-8",
        }

    def run(self, *command: str, **env: str) -> subprocess.CompletedProcess[str]:
        """`command` with the manager's user environment (and `env`)."""
        variables = [f"{name}={value}" for name, value in {**self.env, **env}.items()]
        return subprocess.run(
            ["env", "-i", *variables, *command],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=REPO,
        )

    def systemctl(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run("systemctl", "--user", *args)

    def walkbreak(self, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
        return self.run(sys.executable, "-m", "walkbreak", *args, **env)

    def main_pid(self) -> int:
        return int(
            self.systemctl("show", "-p", "MainPID", "--value", "walkbreak.service").stdout.strip() or 0
        )


def _cannot_run() -> str:
    """Why a user manager cannot be run here, or ""."""
    if sys.platform != "linux":
        return "systemd is Linux's"
    if SYSTEMD is None or not shutil.which("systemctl"):
        return "needs systemd (systemd and systemctl)"
    if os.geteuid() != 0:
        return "needs root to give the manager a mount namespace and a cgroup of its own"
    if not shutil.which("unshare"):
        return "needs unshare (util-linux)"
    if not all(os.access(path, os.W_OK) for path in CGROUPS):
        return f"needs writable cgroup hierarchies at {' and '.join(CGROUPS)}"
    return ""


@pytest.fixture
def manager() -> Iterator[UserManager]:
    why = _cannot_run()
    if why:
        if os.environ.get("WALKBREAK_REQUIRE_DESKTOP"):
            pytest.fail(f"WALKBREAK_REQUIRE_DESKTOP is set but a systemd user manager cannot run: {why}")
        pytest.skip(why)
    home = Path(tempfile.mkdtemp(prefix="walkbreak-systemd-"))
    user = UserManager(home)
    user.runtime.mkdir(mode=0o700)
    cgroup = f"walkbreak-test-{os.getpid()}-{time.monotonic_ns()}"
    start = "\n".join(
        [
            "set -e",
            "mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/system",
            *(f"mkdir {h}/{cgroup} && echo $$ > {h}/{cgroup}/cgroup.procs" for h in CGROUPS),
            f"exec env -i {' '.join(shlex.quote(f'{k}={v}') for k, v in user.env.items())} {SYSTEMD} --user",
        ]
    )
    process = subprocess.Popen(
        ["unshare", "-m", "--propagation", "private", "sh", "-c", start],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        until(lambda: (user.runtime / "systemd" / "private").exists() or process.poll() is not None, 30)
        if process.poll() is not None:
            pytest.fail(f"systemd --user did not start: {process.stderr.read() if process.stderr else ''}")
        yield user
    finally:
        process.terminate()  # the manager stops its services as it exits
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for hierarchy in CGROUPS:
            for directory, _, _ in sorted(os.walk(f"{hierarchy}/{cgroup}"), reverse=True):
                with contextlib.suppress(OSError):  # a process still leaving: emptied later
                    os.rmdir(directory)
        shutil.rmtree(home, ignore_errors=True)


def environment_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().decode()
    return dict(item.partition("=")[::2] for item in raw.split("\0") if item)


def test_the_engine_runs_on_the_data_dir_it_was_given(manager: UserManager) -> None:
    data = manager.home / ODD
    installed = manager.walkbreak("service", "install", WALKBREAK_DATA_DIR=str(data))
    assert installed.returncode == 0, installed.stderr
    assert "starts at each login (default.target" in installed.stdout  # no desktop session here
    until(lambda: (data / "engine.json").exists())  # the lease: the engine runs on that dir
    pid = manager.main_pid()
    assert pid and environment_of(pid)["WALKBREAK_DATA_DIR"] == str(data)
    assert [p.name for p in manager.home.iterdir() if p.name.startswith("walk data")] == [ODD]
    removed = manager.walkbreak("service", "uninstall", WALKBREAK_DATA_DIR=str(data))
    assert removed.returncode == 0, removed.stderr
    until(lambda: not Path(f"/proc/{pid}").exists())
    assert manager.systemctl("is-enabled", "walkbreak.service").stdout.strip() in ("", "not-found")


def test_on_a_desktop_with_a_session_target_the_engine_follows_the_session(manager: UserManager) -> None:
    """GNOME and KDE start graphical-session.target with the session (from their own session
    target, as this test's stands in for): the unit is then bound to it, started and stopped
    with it."""
    units = manager.home / "config" / "systemd" / "user"
    units.mkdir(parents=True)
    (units / "desk-session.target").write_text(
        "[Unit]\nBindsTo=graphical-session.target\nBefore=graphical-session.target\n"
    )
    assert manager.systemctl("daemon-reload").returncode == 0
    started = manager.systemctl("start", "desk-session.target")
    assert started.returncode == 0, started.stderr
    assert manager.systemctl("is-active", "graphical-session.target").stdout.strip() == "active"

    installed = manager.walkbreak("service", "install")
    assert installed.returncode == 0, installed.stderr
    assert "starts and stops with your desktop session" in installed.stdout
    unit = (units / "walkbreak.service").read_text()
    assert "PartOf=graphical-session.target\n" in unit and "WantedBy=graphical-session.target\n" in unit
    until(lambda: manager.main_pid() != 0)

    assert manager.systemctl("stop", "desk-session.target").returncode == 0  # logging out
    until(lambda: manager.systemctl("is-active", "walkbreak.service").stdout.strip() == "inactive")
    assert manager.systemctl("start", "desk-session.target").returncode == 0  # logging in again
    until(lambda: manager.systemctl("is-active", "walkbreak.service").stdout.strip() == "active")


PROBE_AS_A_SERVICE = """
import asyncio, pathlib, sys
from walkbreak.desktop.presence import Probes

async def main():
    probes = Probes()
    print("before:", (await probes.check()).idle_source or "none", flush=True)
    go = pathlib.Path(sys.argv[1])
    while not go.exists():
        await asyncio.sleep(0.05)
    print("after:", (await probes.check()).idle_source or "none", flush=True)

asyncio.run(main())
"""


def test_a_session_exported_after_the_service_started_reaches_its_probes(manager: UserManager) -> None:
    """The service started before the desktop (no DISPLAY); the desktop then exports its
    variables to the manager (`systemctl --user import-environment`, as GNOME and the sway
    guides do): the probes' next check reads them from the manager and finds the X server."""
    display = os.environ.get("DISPLAY")
    if not display:
        if os.environ.get("WALKBREAK_REQUIRE_DESKTOP"):
            pytest.fail("WALKBREAK_REQUIRE_DESKTOP is set but no X server is running")
        pytest.skip("needs an X server: run the tests under `tools/notify-lab.sh run -- …`")
    said, go = manager.home / "probe.out", manager.home / "go"
    service = subprocess.Popen(
        ["env", "-i", *(f"{k}={v}" for k, v in manager.env.items()), "systemd-run", "--user", "--wait", "--quiet",
         f"--working-directory={REPO}", f"--property=StandardOutput=file:{said}",
         sys.executable, "-c", PROBE_AS_A_SERVICE, str(go)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        until(lambda: said.exists() and "before:" in said.read_text())
        assert "before: none" in said.read_text()  # no desktop variables: no idle time
        exported = manager.systemctl("set-environment", f"DISPLAY={display}")
        assert exported.returncode == 0, exported.stderr
        go.touch()
        out, err = service.communicate(timeout=30)
        assert service.returncode == 0, out + err
    finally:
        if service.poll() is None:
            service.kill()
    assert "after: X11 screensaver extension" in said.read_text()
