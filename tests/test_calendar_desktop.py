"""A morning of recurring meetings on a real CalDAV server (Radicale, events written by the caldav
client), the headless engine reading it, and the real notification daemon (dunst under
tools/notify-lab.sh): the walk due in the meetings reaches the desktop when they end, not before.
"""

from __future__ import annotations

import json
import time
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import run_walkbreak
from tests.real_exports import GOOGLE_WORK, series_on
from tests.test_calendar_remote import MORNING, caldav_config, on_radicale, radicale  # noqa: F401 (a fixture)
from tests.test_desktop import headless, lab, sent, stop, until  # noqa: F401 (lab: a fixture)

pytestmark = [pytest.mark.desktop, pytest.mark.xdist_group("desktop")]

PARIS = ZoneInfo("Europe/Paris")


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


def test_a_day_of_real_meetings_from_a_google_export_on_caldav_gets_its_walks_in_the_gaps(
    radicale: str,  # noqa: F811
    tmp_path: Path,
    isolated_env: Path,
) -> None:
    """Monday 8 July 2024 of a real Google work calendar (tests/real_exports.py): meetings
    10:00-11:00, 11:30-12:30 and 14:00-17:45, the series they belong to written to Radicale.
    The walks left spread over the free time: the first at 09:20; the next falls due in the
    10:00 meeting's lead and comes at its end; none in the 11:30 meeting's lead or in it."""
    collection = on_radicale(radicale, series_on(GOOGLE_WORK, date(2024, 7, 8), PARIS))
    cfg = tmp_path / "config.toml"
    cfg.write_text(caldav_config(tmp_path, collection).read_text().replace("Europe/Berlin", "Europe/Paris"))
    speed, start = 400, datetime(2024, 7, 8, 8, 55, tzinfo=PARIS)
    began = time.monotonic()
    engine = headless(cfg, start.isoformat(), speed=speed)
    title = "Time for a 5-minute walk"
    try:
        facts = until(lambda: _status(cfg, "2024-07-08T10:05:00+02:00"), what="the engine read the calendar")
        assert facts["next"] == "2024-07-08T11:00:00+02:00" and facts["waits_for"]["start"].startswith(
            "2024-07-08T10:00"
        )
        until(lambda: len(sent(title)) == 2, seconds=60, what="the walk after the 10:00 meeting")
        # On until the morning's work ends at 12:30 (the engine's clock, scaled from its start).
        until(
            lambda: (
                start + (time.monotonic() - began) * timedelta(seconds=speed)
                > start.replace(hour=12, minute=35)
            )
        )
    finally:
        log = stop(engine)
    fired = [line.rsplit(" ", 1)[1] for line in log.splitlines() if "prompt fired at" in line]
    assert len(fired) == 2 and len(sent(title)) == 2, log
    assert "09:20" <= fired[0] <= "09:22" and "11:00" <= fired[1] <= "11:02", log
