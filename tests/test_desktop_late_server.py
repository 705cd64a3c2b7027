"""At login the engine often starts before the desktop's notification server: the prompt must
still reach the desktop once the server is up, and meanwhile `status` and `doctor` say why.

A private session bus with no notification server on it, the real headless engine, then the
real dunst started on that bus (on the lab's Xvfb display).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import run_walkbreak
from tests.test_desktop import DAY, config, headless, lab, stop, until  # noqa: F401 (lab: the skip fixture)
from walkbreak.store import Store

pytestmark = [pytest.mark.desktop, pytest.mark.xdist_group("desktop")]


@pytest.fixture
def bare_bus(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A session bus of our own with no notification server on it (its address is set for the test)."""
    if shutil.which("dbus-daemon") is None or shutil.which("dunst") is None:
        pytest.skip("needs dbus-daemon and dunst (tools/notify-lab.sh install)")
    socket = tmp_path / "bus"
    conf = tmp_path / "bus.conf"
    conf.write_text(
        f"<busconfig><type>session</type><listen>unix:path={socket}</listen><auth>EXTERNAL</auth>"
        '<policy context="default"><allow send_destination="*" eavesdrop="true"/><allow eavesdrop="true"/>'
        '<allow own="*"/></policy></busconfig>'
    )
    bus = subprocess.Popen(["dbus-daemon", f"--config-file={conf}", "--nofork", "--nopidfile"])
    try:
        until(socket.exists)
        address = f"unix:path={socket}"
        monkeypatch.setenv("DBUS_SESSION_BUS_ADDRESS", address)
        yield address
    finally:
        bus.terminate()
        bus.wait(10)


def displayed(env: dict[str, str]) -> int:
    """How many notifications the bus's dunst shows now (0 while no dunst answers)."""
    done = subprocess.run(["dunstctl", "count", "displayed"], capture_output=True, text=True, env=env)
    return int(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip().isdigit() else 0


def test_a_prompt_waits_for_a_notification_server_that_starts_later(
    tmp_path: Path, isolated_env: Path, bare_bus: str
) -> None:
    env = {**os.environ, "DBUS_SESSION_BUS_ADDRESS": bare_bus}
    doctor = run_walkbreak("doctor", env=env)
    assert doctor.returncode == 1, doctor.stdout
    assert "no notification server is running on the session bus" in doctor.stdout
    assert "nothing walkbreak would use can deliver a prompt here" in doctor.stdout

    engine = headless(config(tmp_path, bout=9, snooze=13), "2026-11-26T09:59:50+01:00", speed=30)
    dunst = None
    try:
        store = Store(isolated_env, warn=print)
        until(lambda: store.day(DAY).prompts)  # fired, and nothing could show it

        def trouble() -> str | None:
            now = store.day(DAY).prompts[0].fired_at.isoformat()
            out = run_walkbreak("status", "--json", env={"WALKBREAK_NOW": now}).stdout
            return json.loads(out)["notifications"]

        assert until(trouble) == "no notification server is running on the session bus"
        dunstrc = tmp_path / "dunstrc"
        dunstrc.write_text("[global]\n    idle_threshold = 0\n    stack_duplicates = false\n")
        dunst = subprocess.Popen(
            ["dunst", "-config", str(dunstrc)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        until(lambda: displayed(env) == 1)  # the waiting prompt, delivered at the next poll
        until(lambda: trouble() is None)
        (prompt,) = store.day(DAY).prompts
        assert prompt.outcome is None  # still waiting for an answer: it was never lost
    finally:
        log = stop(engine)
        if dunst is not None:
            dunst.terminate()
            dunst.wait(10)
    assert log.count("no notification backend could show") == 1, log  # one line per failure streak
    assert "notifications work again (after " in log
