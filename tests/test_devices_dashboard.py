"""Honest about the sync's delay: the dashboard and `status --json` name the other desks and when
their files last arrived, and a waiting prompt says an answer given there shows here later."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from tests.builders import BERLIN, at, bout
from tests.conftest import run_walkbreak
from tests.syncs import MISSING, both_ways
from tests.test_snapshots import planned, seeded
from walkbreak.store import Store
from walkbreak.tui.widgets.prompt_panel import PromptPanel
from walkbreak.tui.widgets.quiet_static import QuietStatic

pytestmark = pytest.mark.skipif(bool(MISSING["rsync"]), reason=MISSING["rsync"])
HOST = os.uname().nodename


def another_desk(data: Path, tmp_path: Path) -> float:
    """A walk logged on another desk, copied here; returns when its files arrived."""
    desk = tmp_path / "desk"
    Store(desk, warn=print).add(bout(at(BERLIN, "2026-11-26 08:00")))
    Store(data, warn=print).prepare_directory()
    both_ways(desk, data)
    (folder,) = [p for p in (data / "devices").iterdir() if p.name != Store(data, warn=print).device]
    return max(p.stat().st_ctime for p in folder.iterdir())


def test_the_dashboard_names_the_other_desk_and_says_an_answer_there_arrives_later(
    isolated_env: Path, tmp_path: Path
) -> None:
    arrived = another_desk(isolated_env, tmp_path)
    app = seeded(isolated_env, waiting=True)

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await planned(pilot)
            title = str(app.screen.query_one("#title-bar", QuietStatic).visual)
            when = datetime.fromtimestamp(arrived, BERLIN)
            assert f"with {HOST} as of {when:%H:%M}" in title or f"with {HOST} as of {when:%a %H:%M}" in title
            panel = app.screen.query_one(PromptPanel)
            assert (
                panel.shown is not None
                and f"Answered on {HOST}? It closes here when that arrives." in panel.shown.body
            )
            assert len(app.view.log.bouts) == 3  # the other desk's walk counts here too

    asyncio.run(scenario())


def test_a_dashboard_on_one_desk_says_nothing_of_devices(isolated_env: Path) -> None:
    app = seeded(isolated_env, waiting=True)

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await planned(pilot)
            assert "with " not in str(app.screen.query_one("#title-bar", QuietStatic).visual)
            assert "Answered on" not in app.screen.query_one(PromptPanel).shown.body

    asyncio.run(scenario())


def test_status_json_lists_the_other_desks(isolated_env: Path, tmp_path: Path) -> None:
    now = {"WALKBREAK_NOW": "2026-11-26T10:00:00+01:00", "TZ": "Europe/Berlin"}
    alone = json.loads(run_walkbreak("status", "--json", env=now).stdout)
    assert alone["desks"] == []
    arrived = another_desk(isolated_env, tmp_path)
    facts = json.loads(run_walkbreak("status", "--json", env=now).stdout)
    (desk,) = facts["desks"]
    assert desk["name"] == HOST and abs(datetime.fromisoformat(desk["arrived"]).timestamp() - arrived) < 1
    assert facts["bouts"] == 1
    doctor = run_walkbreak("doctor", env=now).stdout
    assert f"{HOST}: its files last arrived" in doctor
