"""The dashboard with a calendar that cannot be read: a ⚠ in the title bar and a line under the
tally, gone once the file can be read again (pilot, the real engine on the app's loop)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from tests.test_engine_calendar import write_meeting
from tests.test_snapshots import planned, seeded
from walkbreak.tui.widgets.quiet_static import QuietStatic


def test_a_calendar_that_cannot_be_read_is_shown_until_it_can(isolated_env: Path, tmp_path: Path) -> None:
    vdir = tmp_path / "calendars" / "work"
    app = seeded(isolated_env, calendar=vdir)
    (vdir / "interviews.ics").write_text("BEGIN:VCALENDAR\r\nthis is cut short")
    app.engine_options = {"calendar_seconds": 0.05}

    def shown(selector: str) -> str:
        found = app.screen.query(selector)
        return str(found.first(QuietStatic).visual) if found else ""

    async def scenario() -> None:
        async with app.run_test(size=(100, 30)) as pilot:
            await planned(pilot)
            for _ in range(500):
                if "calendar work" in shown("#notices"):
                    break
                await asyncio.sleep(0.02)
            assert "⚠ a calendar could not be read" in shown("#title-bar")
            assert "calendar work:" in shown("#notices") and "not iCalendar" in shown("#notices")
            assert "its last good copy is in use" in shown("#notices")
            write_meeting(vdir, "Interviews", "1400", "1600", "20261126")
            for _ in range(500):
                if "⚠ a calendar" not in shown("#title-bar"):
                    break
                await asyncio.sleep(0.02)
            assert "⚠ a calendar" not in shown("#title-bar")
            for _ in range(500):  # the class that hides the notices is styled at a refresh
                if not app.screen.query_one("#notices").display:
                    break
                await asyncio.sleep(0.02)
            assert not app.screen.query_one("#notices").display

    asyncio.run(scenario())
