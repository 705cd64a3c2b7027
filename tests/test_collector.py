"""The garbage collector is held while walkbreak starts and collects again once an all-day
process (the headless engine, the dashboard) is up; short commands never turn it back on."""

from __future__ import annotations

import asyncio
import gc
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.builders import BERLIN, at, settings
from tests.conftest import REPO
from tests.recording import RecordingBackend
from walkbreak import collector
from walkbreak.clock import ScaledClock
from walkbreak.notify.notifier import Notifier
from walkbreak.store import Store
from walkbreak.tui.app import WalkbreakApp

NOW = "2026-11-26T10:00:00+01:00"

WATCH = """
import gc, sys, threading, time
def watch(path):
    while gc.isenabled():  # until the program holds it, first thing
        time.sleep(0.001)
    while not gc.isenabled():
        time.sleep(0.02)
    open(path, "w").write(f"held, then collecting; frozen {gc.get_freeze_count()}")
threading.Thread(target=watch, args=(sys.argv.pop(1),), daemon=True).start()
from walkbreak.cli import run
run()
"""
"""The program as its entry point runs it, with a thread that tells when the collector is on."""


def test_the_headless_engine_collects_once_it_is_up(tmp_path: Path) -> None:
    config, seen = tmp_path / "quiet.toml", tmp_path / "seen"
    config.write_text('[notify]\nbackend = "none"\n')
    env = {**os.environ, "WALKBREAK_CONFIG": str(config), "WALKBREAK_NOW": NOW, "WALKBREAK_SPEED": "1"}
    engine = subprocess.Popen(
        [sys.executable, "-c", WATCH, str(seen), "run", "--headless"],
        env=env,
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not seen.exists() or not seen.read_text():
            assert engine.poll() is None, engine.communicate()[1]
            assert time.monotonic() < deadline, "the collector never came back on"
            time.sleep(0.05)
        said = seen.read_text()
        assert said.startswith("held, then collecting; frozen ")
        assert int(said.rsplit(" ", 1)[1]) > 10_000  # what start-up made is left out
    finally:
        engine.send_signal(signal.SIGINT)
        engine.communicate(timeout=20)
    assert engine.returncode == 0


def test_a_short_command_never_collects(isolated_env: Path) -> None:
    """`status` ends with the collector still held: nothing turned it on by the way."""
    script = "import atexit, gc, sys\nsys.argv = ['walkbreak', 'status']\nfrom walkbreak.cli import run\n"
    script += "atexit.register(lambda: print('collecting' if gc.isenabled() else 'held'))\nrun()"
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0, result.stderr
    assert result.stdout.endswith("held\n")


def test_the_dashboard_collects_once_its_engine_is_up(isolated_env: Path) -> None:
    app = WalkbreakApp(
        settings(target=6),
        Store(isolated_env, warn=print),
        ScaledClock(at(BERLIN, "2026-11-26 10:00"), 60.0),
        Notifier([RecordingBackend()]),
    )
    frozen_before = gc.get_freeze_count()

    async def main() -> None:
        async with app.run_test(size=(80, 24)):
            assert not gc.isenabled()  # held through the first paint
            deadline = time.monotonic() + 30
            while not gc.isenabled():
                assert time.monotonic() < deadline, "the collector never came back on"
                await asyncio.sleep(0.02)
            assert app.engine is not None and app.engine.view is not None

    collector.hold()
    try:
        asyncio.run(main())
        assert gc.get_freeze_count() > frozen_before
    finally:
        gc.unfreeze()  # what this test froze goes back to the test process's collections
        gc.enable()


def test_release_without_hold_changes_nothing() -> None:
    """Tests build the dashboard in process with the collector on: nothing is frozen for them."""
    frozen = gc.get_freeze_count()
    collector.release()
    assert gc.isenabled() and gc.get_freeze_count() == frozen
