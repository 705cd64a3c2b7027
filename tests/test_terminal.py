"""End to end in a real terminal: `walkbreak demo` in tmux, a prompt answered with keys."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(autouse=True)
def tmux() -> None:
    if shutil.which("tmux") is None:
        if os.environ.get("WALKBREAK_REQUIRE_DESKTOP"):
            pytest.fail("WALKBREAK_REQUIRE_DESKTOP is set but tmux is not installed")
        pytest.skip("needs tmux (apt install tmux)")


class Terminal:
    """A detached tmux session running one command."""

    def __init__(self, command: str, env: dict[str, str], size: tuple[int, int] = (100, 30)) -> None:
        self.name = f"walkbreak-test-{uuid.uuid4().hex[:8]}"
        exports = " ".join(f"{key}={shlex.quote(value)}" for key, value in env.items())
        subprocess.run(
            [
                "tmux",
                "new-session",
                "-d",
                "-s",
                self.name,
                "-x",
                str(size[0]),
                "-y",
                str(size[1]),
                f"cd {shlex.quote(str(REPO))} && env {exports} {command}; echo EXIT=$?; sleep 30",
            ],
            check=True,
        )

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.name], capture_output=True, text=True
        ).stdout

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)

    def wait_for(self, text: str, seconds: float = 30.0) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.1)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], capture_output=True)

    def program_pid(self) -> int:
        """The pid of the command the pane's shell runs."""
        shell = subprocess.run(
            ["tmux", "display", "-p", "-t", self.name, "#{pane_pid}"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return int(Path(f"/proc/{shell}/task/{shell}/children").read_text().split()[0])


def wakeups(pid: int) -> int:
    """How many times the threads of `pid` have gone to sleep and been woken (voluntary context
    switches, summed over its threads)."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        for line in (task / "status").read_text().splitlines():
            if line.startswith("voluntary_ctxt_switches:"):
                total += int(line.split()[1])
    return total


def test_demo_answers_a_prompt_with_keys_and_the_tally_moves(tmp_path: Path) -> None:
    own_data = tmp_path / "my-real-data"
    env = {
        "WALKBREAK_DATA_DIR": str(own_data),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "TERM": "xterm-256color",
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "DBUS_SESSION_BUS_ADDRESS": os.environ.get("DBUS_SESSION_BUS_ADDRESS", ""),
    }
    # Screens the test must see last seconds of real time even on a busy machine: at 120x the
    # first prompt is due 7.5 s after the start, the 10-minute walk lasts 5 s, and its guide waits
    # for Enter 10 s more before nobody is taken to have come back.
    config = tmp_path / "config" / "walkbreak" / "config.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        "[walk]\nbout_minutes = 10\n\n"
        "[prompts]\ninterval_minutes = 10\nmin_gap_minutes = 5\nexpire_minutes = 60\n"
    )
    terminal = Terminal(f"{shlex.quote(sys.executable)} -m walkbreak demo --speed 120", env)
    try:
        terminal.wait_for("0 of 6 walks")
        assert "DEMO" in terminal.screen()
        terminal.wait_for("Walk due now", seconds=40)
        terminal.keys("w")
        terminal.wait_for("left in this part")
        # Back once the walk is done: Enter within its first clock minute (0.5 s) is taken for a
        # second Enter, not a walk.
        terminal.wait_for("Press Enter when you are back")
        terminal.keys("Enter")
        terminal.wait_for("How does your back feel after this walk?")
        terminal.keys("1")
        screen = terminal.wait_for("check-ins: better")  # the check-in is saved and the modal gone
        assert "1 of 6 walks" in screen
        assert "●" in screen  # the walk is on the timeline
        terminal.keys("q")
        terminal.wait_for("EXIT=0")
        assert "your own history was not touched" in terminal.screen()
    finally:
        terminal.close()
    assert not own_data.exists(), "the demo wrote to the user's data dir"


def test_the_dashboard_sleeps_while_waiting_for_a_key(tmp_path: Path) -> None:
    """Textual's own input thread wakes ten times a second; walkbreak's driver waits for the key.
    A lone Escape still closes a screen (the parser's timeout), and q quits (the second, in the
    dashboard that sends the prompts)."""
    env = {
        "WALKBREAK_DATA_DIR": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "WALKBREAK_LOG_DIR": str(tmp_path / "logs"),
        "WALKBREAK_NOW": "2026-11-26T11:00:00+01:00",
        "TZ": "Europe/Berlin",
        "TERM": "xterm-256color",
        "PATH": os.environ["PATH"],
    }
    terminal = Terminal(f"{shlex.quote(sys.executable)} -m walkbreak", env)
    try:
        terminal.wait_for("Welcome to walkbreak")  # a new data dir: the very first start
        terminal.keys("Enter")
        terminal.wait_for("of 6 walks")
        until_lease = time.monotonic() + 30
        while not (tmp_path / "data" / "engine.json").exists() and time.monotonic() < until_lease:
            time.sleep(0.1)  # the engine has started after the first paint
        pid = terminal.program_pid()
        counted = []
        while len(counted) < 10 and (not counted or counted[-1] > 6):  # past start-up's work
            before = wakeups(pid)
            time.sleep(3)  # a window to count in (Textual's stock driver: some thirty wake-ups)
            counted.append(wakeups(pid) - before)
        assert counted[-1] <= 6, f"wake-ups in each 3 s: {counted}"
        terminal.keys("?")
        terminal.wait_for("walk now (opens")
        terminal.keys("Escape")
        deadline = time.monotonic() + 30
        while "walk now (opens" in terminal.screen() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "walk now (opens" not in terminal.screen()  # Escape alone closed the help
        terminal.keys("q")
        terminal.wait_for("Press q again to quit")  # the toast's title: this dashboard sends the prompts
        terminal.keys("q")
        terminal.wait_for("EXIT=0")
    finally:
        terminal.close()
