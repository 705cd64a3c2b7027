"""The dashboard keeps the core loop's promises: where prompts go when the desktop cannot show
them, one walk at a time, walks that are real, red flags respected (Textual pilot, real engine)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from tests.recording import RecordingBackend
from tests.test_tui import due, run, until
from walkbreak.tui.app import WalkbreakApp


def title(app: WalkbreakApp) -> str:
    return str(app.screen.query_one("#title-bar", Static).render())


def test_the_title_bar_warns_while_no_notification_can_be_delivered(isolated_env: Path) -> None:
    backend = RecordingBackend("broken", fail=True)

    async def scenario(app: WalkbreakApp, pilot) -> None:
        await until(lambda: due(app))
        await until(lambda: "desktop notifications unavailable" in title(app))
        assert "prompts show only here (told to fail)" in title(app)
        backend.fail = False
        await until(lambda: backend.shown)  # delivered at a later tick
        await until(lambda: "unavailable" not in title(app))

    run(isolated_env, "2026-11-26 09:59", scenario, backends=[backend])
