"""The engine with a calendar: the real scheduler on the real loop, a scaled clock, a vdir on
disk. A prompt due in a meeting fires at its end; a change to the file moves the prompt; a
calendar that breaks keeps its last busy time and the dashboard's view says so."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from tests.builders import BERLIN, at, settings
from tests.test_engine import day, near, running, settled, until
from walkbreak.core.settings import CalendarSettings, CalendarSource, Settings
from walkbreak.store.lease import Lease

START = "2026-12-02 09:30"


def write_meeting(vdir: Path, title: str, start: str, end: str, on: str = "20261202") -> None:
    """One event in a vdir, as khal writes it (a file per event, named by its UID: the title)."""
    vdir.mkdir(parents=True, exist_ok=True)
    uid = title.lower().replace(" ", "-")
    (vdir / f"{uid}.ics").write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//PIMUTILS.ORG//NONSGML khal / icalendar //EN\r\n"
        f"BEGIN:VEVENT\r\nSUMMARY:{title}\r\nDTSTART;TZID=Europe/Berlin:{on}T{start}00\r\n"
        f"DTEND;TZID=Europe/Berlin:{on}T{end}00\r\nDTSTAMP:20261201T120000Z\r\nUID:{uid}\r\n"
        "END:VEVENT\r\nEND:VCALENDAR\r\n"
    )


def with_calendar(vdir: Path):
    return settings(target=6)._replace(
        calendar=CalendarSettings(sources=(CalendarSource("work", "path", str(vdir)),))
    )


def on_calendar(data: Path, vdir: Path, start: str = START, prefs: Settings | None = None, **options: Any):
    """The engine on `data` from `start` with the calendar in `vdir`, looked at every 0.05 s."""
    return running(data, at(BERLIN, start), prefs or with_calendar(vdir), calendar_seconds=0.05, **options)


def test_a_prompt_due_in_a_meeting_fires_at_its_end_and_a_moved_meeting_moves_it(
    tmp_path: Path, isolated_env: Path
) -> None:
    vdir = tmp_path / "calendars" / "work"
    write_meeting(vdir, "Sprint planning", "0950", "1100")

    async def scenario() -> None:
        async with on_calendar(isolated_env, vdir) as (
            engine,
            clock,
            (backend,),
        ):
            # Read at start, before the first plan: the 10:00 prompt waits for the meeting's end.
            await until(lambda: engine.view is not None and engine.view.plan.at is not None)
            assert engine.view.plan.at == at(BERLIN, "2026-12-02 11:00")
            assert engine.view.plan.after is not None and engine.view.plan.after.title == "Sprint planning"
            assert [b.title for b in engine.view.busy] == ["Sprint planning"]
            # The meeting moves to 10:30: the 10:00 prompt is back (a walk and the buffer fit before it).
            write_meeting(vdir, "Sprint planning", "1030", "1100")
            await until(lambda: engine.view.plan.at == at(BERLIN, "2026-12-02 10:00"))
            assert engine.view.plan.after is None
            await until(lambda: backend.shown, seconds=20)
            (fired,) = day(isolated_env, clock.now()).prompts
            assert near(fired.fired_at, at(BERLIN, "2026-12-02 10:00"))

    asyncio.run(scenario())


def test_in_a_meeting_no_prompt_fires_and_the_first_comes_at_its_end(
    tmp_path: Path, isolated_env: Path
) -> None:
    vdir = tmp_path / "calendars" / "work"
    write_meeting(vdir, "Offsite", "0940", "1045")

    async def scenario() -> None:
        async with on_calendar(isolated_env, vdir) as (
            _engine,
            clock,
            (backend,),
        ):
            await until(lambda: backend.shown, seconds=30)
            (fired,) = day(isolated_env, clock.now()).prompts
            assert near(fired.fired_at, at(BERLIN, "2026-12-02 10:45"))

    asyncio.run(scenario())


def test_a_calendar_that_breaks_keeps_its_busy_time_and_is_reported(
    tmp_path: Path, isolated_env: Path
) -> None:
    vdir = tmp_path / "calendars" / "work"
    write_meeting(vdir, "Sprint planning", "0950", "1100")

    async def scenario() -> None:
        async with on_calendar(isolated_env, vdir) as (
            engine,
            _clock,
            _backends,
        ):
            await until(lambda: engine.view is not None and engine.view.busy != ())
            (vdir / "sprint-planning.ics").write_text("BEGIN:VCALENDAR\r\nnot finished")
            await until(lambda: "calendar work" in engine.view.calendar)
            assert "not iCalendar" in engine.view.calendar
            assert engine.view.plan.at == at(BERLIN, "2026-12-02 11:00")  # the last good busy time
            write_meeting(vdir, "Sprint planning", "0950", "1100")
            await until(lambda: engine.view.calendar == "")

    asyncio.run(scenario())


def test_a_viewer_takes_the_busy_list_the_sending_engine_keeps(tmp_path: Path, isolated_env: Path) -> None:
    """The engine sending the prompts reads the calendar; a second walkbreak on the same data dir
    (a viewer) never does: it takes the list as soon as it is written (the data dir is watched)."""
    vdir = tmp_path / "calendars" / "work"
    write_meeting(vdir, "Sprint planning", "0950", "1100")
    prefs = with_calendar(vdir)

    async def scenario() -> None:
        start = at(BERLIN, START)
        leader = Lease(str(isolated_env), "dashboard")
        async with (
            running(isolated_env, start, prefs, lease=leader, calendar_seconds=0.05) as (a, clock, _),
            running(
                isolated_env,
                start,
                prefs,
                lease=Lease(str(isolated_env), "x"),
                clock=clock,
                calendar_seconds=3600,
            ) as (b, _, _),
        ):
            assert a.leading and not b.leading
            await until(lambda: b.view is not None and [x.title for x in b.view.busy] == ["Sprint planning"])
            write_meeting(vdir, "Design review", "1030", "1100")
            await until(lambda: b.view is not None and "Design review" in [x.title for x in b.view.busy])
            assert b.view.plan.at == a.view.plan.at == at(BERLIN, "2026-12-02 11:00")

    asyncio.run(scenario())


def test_a_prompt_on_the_desktop_leaves_it_when_a_meeting_begins(tmp_path: Path, isolated_env: Path) -> None:
    """The prompt before the planning, unanswered (it lapses after 30 minutes), is taken off the
    desktop at 10:15 when the planning begins, and not put back; the engine's view (the
    dashboard's) still has it waiting."""
    vdir = tmp_path / "calendars" / "work"
    write_meeting(vdir, "Planning", "1015", "1100")
    prefs = with_calendar(vdir)
    prefs = prefs._replace(prompts=prefs.prompts._replace(expire_minutes=30))

    async def scenario() -> None:
        async with on_calendar(isolated_env, vdir, "2026-12-02 09:57", prefs) as (
            engine,
            clock,
            (backend,),
        ):
            await until(lambda: backend.shown, seconds=20)
            # (due about now: the walks left are spread over the free time, which the meeting shortens)
            assert day(isolated_env, clock.now()).prompts[0].fired_at < at(BERLIN, "2026-12-02 10:05")
            assert backend.closed == 0
            await until(lambda: backend.closed >= 1, seconds=20)
            assert clock.now() >= at(BERLIN, "2026-12-02 10:15")
            await settled(engine, clock, at(BERLIN, "2026-12-02 10:20"))
            assert engine.view is not None and engine.view.plan.state == "due"  # still waiting here
            assert len(backend.shown) == 1  # not put back on the desktop

    asyncio.run(scenario())


def test_an_engine_started_in_a_meeting_waits_for_its_end(tmp_path: Path, isolated_env: Path) -> None:
    """Started at 10:20 with the 10:00 walk due, in a 10:00-11:00 meeting: nothing fires before
    the calendar is read (the lease written at start, a tick meanwhile, plan only after it)."""
    vdir = tmp_path / "calendars" / "work"
    write_meeting(vdir, "Workshop", "1000", "1100")

    async def scenario() -> None:
        lease = Lease(str(isolated_env), "dashboard")
        async with on_calendar(isolated_env, vdir, "2026-12-02 10:20", lease=lease) as (
            engine,
            clock,
            (backend,),
        ):
            await settled(engine, clock, ticks=5)
            assert engine.view is not None and engine.view.plan.at == at(BERLIN, "2026-12-02 11:00")
            assert backend.shown == [] and day(isolated_env, clock.now()).prompts == ()

    asyncio.run(scenario())
