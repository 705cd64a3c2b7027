"""A morning of recurring meetings on a real CalDAV server (Radicale, events written by the caldav
client), the headless engine reading it, and the real notification daemon (dunst under
tools/notify-lab.sh): the walk due in the meetings reaches the desktop when they end, not before.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_walkbreak
from tests.test_calendar_remote import MORNING, caldav_config, on_radicale, radicale  # noqa: F401 (a fixture)
from tests.test_desktop import headless, lab, sent, stop, until  # noqa: F401 (lab: a fixture)

pytestmark = [pytest.mark.desktop, pytest.mark.xdist_group("desktop")]


def test_a_morning_of_recurring_meetings_from_caldav_gets_its_walk_when_they_end(
    radicale: str,  # noqa: F811
    tmp_path: Path,
    isolated_env: Path,
) -> None:
    collection = on_radicale(radicale, MORNING)
    cfg = caldav_config(tmp_path, collection, "[walk]\nbout_minutes = 13\n")
    title = "Time for a 13-minute walk"
    # Due at 09:50 (the interval spread over the free time), inside the stand-up's lead and the
    # planning meeting: it waits for 11:30, which leaves the walk and the buffer before the 1:1.
    engine = headless(cfg, "2026-12-02T09:40:00+01:00", speed=300)
    try:
        facts = until(lambda: _status(cfg, "2026-12-02T09:41:00+01:00"), what="the engine read the calendar")
        assert facts["next"] == "2026-12-02T11:30:00+01:00" and facts["waits_for"]["title"] == "Planning"
        (shown,) = until(lambda: sent(title), seconds=60, what="the walk after the meetings")
        assert shown["body"].startswith("0 of 6 today · ")
    finally:
        log = stop(engine)
    fired = [line for line in log.splitlines() if "prompt fired at" in line]
    assert len(fired) == 1 and ("prompt fired at 11:30" in fired[0] or "prompt fired at 11:31" in fired[0]), (
        log
    )
    assert "calendar: 3 busy block(s)" in log or "busy block(s)" in log


def _status(cfg: Path, now: str) -> dict | None:
    """`status --json` once the engine has kept the busy list (None before)."""
    done = run_walkbreak("status", "--json", env={"WALKBREAK_CONFIG": str(cfg), "WALKBREAK_NOW": now})
    facts = json.loads(done.stdout)
    return facts if facts["next_busy"] is not None else None
