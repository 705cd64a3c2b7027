"""Layout snapshots: each screen (the dashboard, with a prompt waiting, the walk guide, history,
the check-in, the red-flag screen) at 40×12, 60×20, 80×24 and 120×40; a long history; a
follow-up with a suggestion waiting.

The clock is stopped at Thursday 26 Nov 2026 11:20 (Berlin) and the day's records are fixed, so
each screen renders the same every time. `pytest --snapshot-update` rewrites the SVGs after an
intended change; look at them before committing.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from pathlib import Path

import pytest

from tests.builders import BERLIN, at, bout, prompt, settings, snooze
from tests.recording import RecordingBackend
from tests.test_engine_calendar import write_meeting
from walkbreak.clock import FixedClock
from walkbreak.core.model import Advice, CheckIn, Outcome
from walkbreak.core.settings import CalendarSource
from walkbreak.notify.notifier import Notifier
from walkbreak.store import Store
from walkbreak.tui.app import WalkbreakApp
from walkbreak.tui.widgets.care_panel import FollowUpPanel, SuggestionPanel

NOW = at(BERLIN, "2026-11-26 11:20")


def seeded(
    data: Path, *, waiting: bool = False, past_days: int = 0, care: bool = False, calendar: Path | None = None
) -> WalkbreakApp:
    """An app on a day with two walks, a snooze and a skip (and a prompt waiting, if asked;
    with `calendar`, a vdir there with a meeting over the next walk and one in the afternoon)."""
    store = Store(data, warn=print)
    first = prompt(at(BERLIN, "2026-11-26 09:10"), Outcome.WALKED, at(BERLIN, "2026-11-26 09:12"))
    store.add(first)
    store.add(bout(at(BERLIN, "2026-11-26 09:12"))._replace(prompt_id=first.id))
    store.add(bout(at(BERLIN, "2026-11-26 10:15"), 6))
    skipped = prompt(at(BERLIN, "2026-11-26 11:05"), Outcome.SKIPPED, at(BERLIN, "2026-11-26 11:06"))
    store.add(skipped._replace(reason="meeting"))
    store.add(snooze(at(BERLIN, "2026-11-26 11:00"), 5)._replace(prompt_id=skipped.id))
    if waiting:
        store.add(prompt(at(BERLIN, "2026-11-26 11:18")))
    if care:  # a sore check-in whose follow-up is due, and a suggestion waiting
        store.add(CheckIn("c1", NOW.date(), at(BERLIN, "2026-11-26 09:18"), "slightly sore"))
        store.add(
            Advice(
                "a1", NOW.date(), at(BERLIN, "2026-11-26 10:22"), "worse-each-time", "scale-back",
                "your back felt worse across your last 3 walks (same → same → slightly sore)",
                "3-minute walks, at a comfortable pace only", 3, "comfortable",
            )
        )  # fmt: skip
    for back in range(1, past_days + 1):
        day = NOW.date().toordinal() - back
        for n in range(back % 7):
            start = at(BERLIN, f"{NOW.date().fromordinal(day)} {9 + n:02d}:30")
            store.add(bout(start))
    prefs = settings(target=6, days=range(5))
    prefs = prefs._replace(
        notify=prefs.notify._replace(bell=False), care=prefs.care._replace(followup_hours=2)
    )
    if calendar is not None:
        for name, start, end in (("Budget review", "1145", "1230"), ("Interviews", "1400", "1600")):
            write_meeting(calendar, name, start, end, "20261126")
        source = CalendarSource("work", "path", str(calendar))
        prefs = prefs._replace(calendar=prefs.calendar._replace(sources=(source,)))
    return WalkbreakApp(prefs, store, FixedClock(NOW), Notifier([RecordingBackend()]))


async def planned(pilot) -> None:
    """Wait for the engine's first plan (and the streak) to reach the screen."""
    app = pilot.app
    for _ in range(500):
        engine = app.engine
        planned = engine is not None and engine.view is not None and app.streak is not None
        # The panels that ask something mount the first time they do: wait for them too.
        if planned and app.view is engine.view and all(w.is_mounted for w in app.screen.walk_children()):
            break
        await asyncio.sleep(0.02)
    app.clear_notifications()
    await pilot.pause()


async def _until_screen(pilot, name: str) -> None:
    for _ in range(200):
        if pilot.app.screen.__class__.__name__ == name:
            break
        await asyncio.sleep(0.02)
    pilot.app.clear_notifications()
    await pilot.pause()


SIZES = pytest.mark.parametrize(
    "size", [(40, 12), (60, 20), (80, 24), (120, 40)], ids=["40x12", "60x20", "80x24", "120x40"]
)


@SIZES
def test_dashboard(snap_compare, isolated_env: Path, size: tuple[int, int]) -> None:
    assert snap_compare(seeded(isolated_env, past_days=8), terminal_size=size, run_before=planned)


@SIZES
def test_dashboard_with_a_prompt_waiting(snap_compare, isolated_env: Path, size: tuple[int, int]) -> None:
    assert snap_compare(seeded(isolated_env, waiting=True), terminal_size=size, run_before=planned)


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
def test_dashboard_with_meetings(
    snap_compare, isolated_env: Path, tmp_path: Path, size: tuple[int, int]
) -> None:
    app = seeded(isolated_env, calendar=tmp_path / "calendars" / "work")
    assert snap_compare(app, terminal_size=size, run_before=planned)


def test_dashboard_too_small(snap_compare, isolated_env: Path) -> None:
    assert snap_compare(seeded(isolated_env), terminal_size=(28, 7), run_before=planned)


@SIZES
def test_walk_guide(snap_compare, isolated_env: Path, size: tuple[int, int]) -> None:
    async def walking(pilot) -> None:
        await planned(pilot)
        await pilot.press("w")
        await _until_screen(pilot, "WalkScreen")
        pilot.app.clock.at += timedelta(minutes=2, seconds=10)  # into the brisk part
        pilot.app.screen.tick()  # as its next second would
        await pilot.pause()

    assert snap_compare(seeded(isolated_env, waiting=True), terminal_size=size, run_before=walking)


async def _history(pilot) -> None:
    await planned(pilot)
    await pilot.press("h")
    for _ in range(500):
        totals = pilot.app.screen.query("#totals")
        if totals and "streak" in str(totals.first().render()):
            break
        await asyncio.sleep(0.02)
    await pilot.pause()


@SIZES
def test_history(snap_compare, isolated_env: Path, size: tuple[int, int]) -> None:
    assert snap_compare(seeded(isolated_env, past_days=40), terminal_size=size, run_before=_history)


def test_a_long_history(snap_compare, isolated_env: Path) -> None:
    """Two years of history: the year's heatmap full, the totals since the first day."""
    assert snap_compare(seeded(isolated_env, past_days=730), terminal_size=(120, 40), run_before=_history)


def test_dashboard_with_a_follow_up_and_a_suggestion(snap_compare, isolated_env: Path) -> None:
    async def asking(pilot) -> None:
        """Planned, with both care panels asking; the engine's follow-up toast (sent once, when it
        sees the follow-up due, at a moment a loaded machine moves) is not this picture's."""
        pilot.app.notify = lambda *args, **kwargs: None
        await planned(pilot)
        for _ in range(500):
            panels = [pilot.app.screen.query(kind) for kind in (FollowUpPanel, SuggestionPanel)]
            if all(found and found.first().has_class("-asking") for found in panels):
                break
            await asyncio.sleep(0.02)
        pilot.app.clear_notifications()
        await pilot.pause()

    assert snap_compare(seeded(isolated_env, care=True), terminal_size=(100, 34), run_before=asking)


@SIZES
def test_check_in_after_a_walk(snap_compare, isolated_env: Path, size: tuple[int, int]) -> None:
    async def back(pilot) -> None:
        await planned(pilot)
        # The "logged" toast sits on the dashboard under the modal, where clearing does not
        # always reach it in time; this snapshot is about the check-in, so no toasts.
        pilot.app.notify = lambda *args, **kwargs: None
        await pilot.press("w")
        await _until_screen(pilot, "WalkScreen")
        pilot.app.clock.at += timedelta(minutes=5)  # the stopped clock moves on by one walk
        await pilot.press("enter")
        await _until_screen(pilot, "CheckInScreen")
        await pilot.press("l")  # leg weakness ticked
        await pilot.pause()

    assert snap_compare(seeded(isolated_env, waiting=True), terminal_size=size, run_before=back)


@SIZES
def test_red_flag_screen(snap_compare, isolated_env: Path, size: tuple[int, int]) -> None:
    async def flagged(pilot) -> None:
        await planned(pilot)
        pilot.app.notify = lambda *args, **kwargs: None  # as above: the screen, not the toasts
        await pilot.press("w")
        await _until_screen(pilot, "WalkScreen")
        pilot.app.clock.at += timedelta(minutes=5)  # the stopped clock moves on by one walk
        await pilot.press("enter")
        await _until_screen(pilot, "CheckInScreen")
        await pilot.press("v", "4")
        await _until_screen(pilot, "RedFlagScreen")

    assert snap_compare(seeded(isolated_env, waiting=True), terminal_size=size, run_before=flagged)


def test_dashboard_in_the_light_theme(snap_compare, isolated_env: Path) -> None:
    """The light theme reads as well: the theme's own colours only, no fixed ones."""
    app = seeded(isolated_env, waiting=True, past_days=8)
    app.theme = "textual-light"
    assert snap_compare(app, terminal_size=(80, 24), run_before=planned)
