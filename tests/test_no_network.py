"""No network, private files: the main flows run with every non-Unix socket refused, and every file
walkbreak creates is readable by its owner only."""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import stat
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import REPO
from walkbreak.store import Store

GUARD = """
import os, socket
_LOG = os.environ["WALKBREAK_NET_LOG"]
_real = socket.socket

def _refuse(what):
    with open(_LOG, "a") as f:
        f.write(what + "\\\\n")
    raise PermissionError("network use refused by the test: " + what)

class _GuardedSocket(_real):
    def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
        if fileno is None and family not in (-1, socket.AF_UNIX):
            _refuse(f"socket family {family}")
        super().__init__(family, type, proto, fileno)

socket.socket = _GuardedSocket
_getaddrinfo = socket.getaddrinfo
socket.getaddrinfo = lambda *a, **k: _refuse(f"getaddrinfo {a[:2]}")
"""


@pytest.fixture
def guarded(tmp_path: Path, isolated_env: Path) -> dict[str, str]:
    """An environment whose Python processes refuse (and record) any non-Unix socket."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(GUARD)
    log = tmp_path / "network.log"
    log.write_text("")
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(site), os.environ.get("PYTHONPATH", "")]),
        "WALKBREAK_NET_LOG": str(log),
        "WALKBREAK_LOG_DIR": str(tmp_path / "logs"),
        "WALKBREAK_NOW": "2026-11-26T09:58:00+01:00",
        "TZ": "Europe/Berlin",
    }


def walkbreak(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "walkbreak", *args], env=env, cwd=REPO, capture_output=True,
                          text=True, timeout=60)  # fmt: skip


def test_the_guard_itself_catches_a_connection(guarded: dict[str, str]) -> None:
    """The check can fail: a plain TCP socket is refused and recorded."""
    probe = "import socket; socket.create_connection(('127.0.0.1', 9))"
    result = subprocess.run([sys.executable, "-c", probe], env=guarded, capture_output=True, text=True)
    assert result.returncode != 0 and "network use refused" in result.stderr
    assert Path(guarded["WALKBREAK_NET_LOG"]).read_text() != ""


def test_main_flows_use_no_network_and_leave_only_owner_only_files(
    guarded: dict[str, str], isolated_env: Path, tmp_path: Path
) -> None:
    for args in (
        ["status"],
        ["status", "--json", "--format", "{bouts}"],
        ["log", "5", "--at", "09:30", "--note", "after lunch"],
        ["walk"],
        ["checkin", "same"],
        ["history"],
        ["export", "--format", "csv", "-o", str(tmp_path / "out" / "walks.csv")],
        ["export", "--format", "md", "-o", str(tmp_path / "out" / "report.md")],
        ["doctor"],
        ["notify-test"],
        ["service", "install", "--print"],
    ):
        if args[0] == "export":
            (tmp_path / "out").mkdir(exist_ok=True)
        result = walkbreak(guarded, *args)
        assert "Traceback" not in result.stderr, (args, result.stderr)
    headless = subprocess.Popen(
        [sys.executable, "-m", "walkbreak", "run", "--headless"],
        env={**guarded, "WALKBREAK_SPEED": "60"}, cwd=REPO, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    store, today = Store(isolated_env, warn=print), date(2026, 11, 26)
    deadline = time.monotonic() + 30
    while store.day(today).walking and time.monotonic() < deadline:  # the engine ends the walk (10:03)
        time.sleep(0.1)
    assert store.day(today).walking == (), "the headless engine ran long enough to end the walk"
    headless.send_signal(signal.SIGTERM)
    _, err = headless.communicate(timeout=20)
    assert headless.returncode == 0 and "Traceback" not in err
    if shutil.which("tmux"):  # the dashboard in a real terminal for a few seconds
        from tests.test_terminal import Terminal

        terminal = Terminal(f"{shlex.quote(sys.executable)} -m walkbreak", {**{k: guarded[k] for k in (
            "PYTHONPATH", "WALKBREAK_NET_LOG", "WALKBREAK_LOG_DIR", "WALKBREAK_DATA_DIR", "XDG_CONFIG_HOME", "PATH")},
            "TERM": "xterm-256color"})  # fmt: skip
        try:
            terminal.wait_for("of 6 walks", seconds=30)
            deadline = time.monotonic() + 30
            while not (isolated_env / "engine.json").exists() and time.monotonic() < deadline:
                time.sleep(0.1)  # the dashboard's engine has started (it holds the lease)
            assert (isolated_env / "engine.json").exists()
            terminal.keys("q")
            terminal.wait_for("Press q again to quit")  # the toast's title: this dashboard sends the prompts
            terminal.keys("q")
            terminal.wait_for("EXIT=0")
        finally:
            terminal.close()
    assert Path(guarded["WALKBREAK_NET_LOG"]).read_text() == "", "walkbreak tried to use the network"
    created = [*isolated_env.rglob("*"), *(tmp_path / "logs").rglob("*"), *(tmp_path / "out").rglob("*")]
    assert {"walkbreak.log", ".lock", "2026-11.json", "walks.csv", "report.md"} <= {p.name for p in created}
    for path in [isolated_env, tmp_path / "logs", *created]:
        expected = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.stat().st_mode) == expected, (
            f"{path} is {stat.S_IMODE(path.stat().st_mode):o}"
        )
