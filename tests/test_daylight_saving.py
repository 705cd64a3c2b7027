"""Daylight-saving changes are not a suspend: the real engine on a faked clock runs across all six
changes of 2026 in Berlin, New York and Lord Howe (whose change is half an hour) in work hours,
and sees neither a wake-up nor a clock going back, records no away time and holds no prompt."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from tests.builders import settings
from tests.test_engine import day, running, settled

ZONES = ("Europe/Berlin", "America/New_York", "Australia/Lord_Howe")


def changes(zone: ZoneInfo, year: int = 2026) -> list[datetime]:
    """The instants (UTC) in `year` when `zone`'s offset changes, to the minute."""
    found, t = [], datetime(year, 1, 1, tzinfo=UTC)
    while t.year == year:
        later = t + timedelta(hours=1)
        if t.astimezone(zone).utcoffset() != later.astimezone(zone).utcoffset():
            while t.astimezone(zone).utcoffset() == (t + timedelta(minutes=1)).astimezone(zone).utcoffset():
                t += timedelta(minutes=1)
            found.append(t + timedelta(minutes=1))
        t = later
    return found


TRANSITIONS = [(name, change) for name in ZONES for change in changes(ZoneInfo(name))]


def test_there_are_six_changes() -> None:
    assert sorted(name for name, _ in TRANSITIONS) == sorted(ZONES * 2)
    lord_howe = [c for name, c in TRANSITIONS if name == "Australia/Lord_Howe"]
    zone = ZoneInfo("Australia/Lord_Howe")
    assert {abs(c.astimezone(zone).utcoffset() - (c - timedelta(minutes=1)).astimezone(zone).utcoffset())
            for c in lord_howe} == {timedelta(minutes=30)}  # fmt: skip


@pytest.mark.parametrize(("name", "change"), TRANSITIONS, ids=[f"{n} {c:%m-%d}" for n, c in TRANSITIONS])
def test_a_daylight_saving_change_is_not_a_wake_up(
    isolated_env: Path, caplog: pytest.LogCaptureFixture, name: str, change: datetime
) -> None:
    zone = ZoneInfo(name)
    start = (change - timedelta(minutes=20)).astimezone(zone)
    prefs = settings(work=("00:30-05:00",), interval=30, min_gap=10)  # the change falls in work hours
    caplog.set_level(logging.INFO, logger="walkbreak")

    async def scenario() -> None:
        async with running(isolated_env, start, prefs) as (engine, clock, _):
            # in UTC: two times in one zone compare as wall clocks, and after a fall-back 01:20 < 01:40
            await settled(engine, clock, after=change + timedelta(minutes=20))
            assert day(isolated_env, clock.now()).away == ()
            assert engine._hold_until is None or engine._hold_until <= start

    asyncio.run(scenario())
    said = caplog.text
    assert "woke up" not in said and "clock went back" not in said, said
