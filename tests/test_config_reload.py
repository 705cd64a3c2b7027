"""A running walkbreak reads its config file again when it changes: a new time zone moves its day
at once; a bad edit keeps the last good settings and says so in the dashboard and the log."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from textual.widgets import Static

from tests.builders import BERLIN, at
from tests.conftest import REPO
from tests.recording import RecordingBackend
from tests.test_engine import running, until
from tests.test_one_engine import wait_for_line
from walkbreak import config
from walkbreak.clock import ScaledClock
from walkbreak.config_watch import ConfigWatch
from walkbreak.core.planner import PlanState
from walkbreak.notify.notifier import Notifier
from walkbreak.store import Store
from walkbreak.tui.app import WalkbreakApp

GOOD = """[work]
days = ["mon", "tue", "wed", "thu", "fri"]
windows = ["09:00-17:00"]
timezone = "{zone}"
[notify]
backend = "none"
"""


def write(path: Path, text: str) -> None:
    """Replace the file as an editor does (a new inode, so even a same-second edit is seen)."""
    temp = path.with_suffix(".new")
    temp.write_text(text)
    os.replace(temp, path)


def test_a_new_time_zone_moves_the_running_engines_day(isolated_env: Path, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    write(path, GOOD.format(zone="Europe/Berlin"))
    new_york = ZoneInfo("America/New_York")

    async def scenario() -> None:
        start = at(BERLIN, "2026-11-26 17:10")  # after work in Berlin, 11:10 in New York
        prefs = config.load(str(path))
        async with running(isolated_env, start, prefs, config=ConfigWatch(str(path))) as (engine, clock, _):
            await until(lambda: engine.view is not None and engine.view.plan.state is PlanState.DAY_OVER)
            write(path, GOOD.format(zone="America/New_York"))
            await until(lambda: engine.view is not None and engine.view.now.tzinfo == new_york, seconds=20)
            # New York's work day: the prompt the Berlin evening had no room for comes now
            await until(
                lambda: engine.view is not None and engine.view.plan.state is PlanState.DUE, seconds=20
            )
            assert engine.view.plan.open_prompt is not None
            assert engine.view.plan.open_prompt.fired_at.astimezone(new_york).hour == 11
            assert engine.view.config == ""

    asyncio.run(scenario())


def test_a_bad_edit_keeps_the_last_good_settings_and_says_so(isolated_env: Path, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    write(path, GOOD.format(zone="Europe/Berlin"))

    async def scenario() -> None:
        prefs = config.load(str(path))
        watch = ConfigWatch(str(path))
        async with running(isolated_env, at(BERLIN, "2026-11-26 10:10"), prefs, config=watch) as (
            engine,
            _,
            _,
        ):
            await until(lambda: engine.view is not None)
            write(path, GOOD.format(zone="Europe/Berlin").replace("09:00-17:00", "17:00-09:00"))
            await until(lambda: engine.view is not None and engine.view.config != "", seconds=20)
            assert str(path) in engine.view.config and "work.windows" in engine.view.config
            assert "goes on with the settings it had" in engine.view.config
            assert engine.settings.work.windows == prefs.work.windows
            write(path, GOOD.format(zone="Europe/Berlin").replace("09:00-17:00", "08:00-16:00"))
            await until(lambda: engine.view is not None and engine.view.config == "", seconds=20)
            assert engine.settings.work.windows[0].start == 8 * 60
            write(path, GOOD.format(zone="Europe/Berlin") + f'[data]\ndir = "{tmp_path / "other"}"\n')
            await until(lambda: "data.dir changed" in engine.view.config, seconds=20)
            assert "restart walkbreak" in engine.view.config

    asyncio.run(scenario())


def test_the_headless_engine_reads_the_config_again_and_logs_a_bad_edit(
    isolated_env: Path, tmp_path: Path
) -> None:
    path = tmp_path / "config.toml"
    write(path, GOOD.format(zone="Europe/Berlin"))
    env = {**os.environ, "WALKBREAK_CONFIG": str(path), "WALKBREAK_NOW": "2026-11-26T10:00:00+01:00"}
    engine = subprocess.Popen(
        [sys.executable, "-m", "walkbreak", "run", "--headless"],
        env={**env, "WALKBREAK_SPEED": "1"},
        cwd=REPO,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    try:
        wait_for_line(engine, "sends the prompts")
        write(path, "[work\n")
        line = wait_for_line(engine, "goes on with the settings it had")
        assert str(path) in line and "not valid TOML" in line
        write(path, GOOD.format(zone="America/New_York"))
        wait_for_line(engine, f"settings read again from {path}")
        assert engine.poll() is None
    finally:
        engine.send_signal(signal.SIGTERM)
        _, rest = engine.communicate(timeout=30)
    assert engine.returncode == 0 and "Traceback" not in rest


def test_the_dashboard_shows_a_bad_edit_until_it_is_fixed(isolated_env: Path, tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    write(path, GOOD.format(zone="Europe/Berlin"))

    async def scenario() -> None:
        prefs = config.load(str(path))
        app = WalkbreakApp(
            prefs,
            Store(isolated_env, warn=print),
            ScaledClock(at(BERLIN, "2026-11-26 10:10"), 60),
            Notifier([RecordingBackend()]),
            config=ConfigWatch(str(path)),
        )
        async with app.run_test(size=(100, 24)) as pilot:

            def notices() -> str:  # mounted the first time there is one
                return "".join(
                    str(n.render()) for n in app.screen.query("#notices").results(Static) if n.display
                )

            await until(lambda: app.view is not None)
            write(path, "[walk]\nbout_minutes = 0\n")
            await until(lambda: "walk.bout_minutes = 0 is not allowed" in notices(), seconds=20)
            write(path, GOOD.format(zone="Europe/Berlin"))
            await until(lambda: "not allowed" not in notices(), seconds=20)
            await pilot.pause()
        assert app.errors == []

    asyncio.run(scenario())
