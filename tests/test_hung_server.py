"""A notification server that never answers: no backend counts the prompt as delivered, each gives
up within the time limit and says why, and the dashboard's panel and bell never wait for them."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.builders import BERLIN, at
from tests.recording import RecordingBackend
from tests.test_desktop_late_server import bare_bus  # noqa: F401 (a fixture)
from tests.test_engine import running, until
from walkbreak.core.message import PromptMessage
from walkbreak.core.model import Prompt
from walkbreak.core.planner import PlanState
from walkbreak.core.today import DayView
from walkbreak.notify.commands import NotifySendBackend
from walkbreak.notify.freedesktop import FreedesktopBackend
from walkbreak.notify.notifier import SEND_TIMEOUT, Notifier

pytestmark = [pytest.mark.desktop, pytest.mark.xdist_group("desktop")]
SERVER = Path(__file__).parent / "servers" / "hung_notifications.py"
MESSAGE = PromptMessage(
    title="Time for a walk", body="5 minutes", snooze_minutes=10, can_snooze=True, expires_in_seconds=900
)


@pytest.fixture
def hung_server(bare_bus: str) -> Iterator[subprocess.Popen[str]]:  # noqa: F811
    server = subprocess.Popen([sys.executable, str(SERVER)], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "ready"
        yield server
    finally:
        server.terminate()
        server.communicate(timeout=10)


def test_no_backend_counts_a_prompt_the_server_never_took(hung_server: subprocess.Popen[str]) -> None:
    async def scenario() -> Notifier:
        notifier = Notifier([FreedesktopBackend(), NotifySendBackend()])
        assert await notifier.show(MESSAGE) is None, "not delivered"
        return notifier

    notifier = asyncio.run(scenario())
    assert notifier.failing == f"the notification server did not answer within {SEND_TIMEOUT:g} s"
    hung_server.terminate()
    asked, _ = hung_server.communicate(timeout=10)
    assert asked.count("Notify Time for a walk") == 2, "both backends asked the server, and gave up"
    left = subprocess.run(["pgrep", "-f", "notify-send.*Time for a walk"], capture_output=True)
    assert left.returncode == 1, "no notify-send left waiting"


def test_notify_test_says_why_each_backend_failed(hung_server: subprocess.Popen[str]) -> None:
    results = asyncio.run(Notifier([FreedesktopBackend(), NotifySendBackend()]).test(MESSAGE))
    assert [(r.backend, r.delivered) for r in results] == [
        ("freedesktop", False),
        ("notify-send", False),
    ]
    assert all("did not answer within" in r.detail for r in results), results


class Gated(RecordingBackend):
    """A backend that holds on until let through, as a hung server would."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = asyncio.Event()

    async def show(self, message: PromptMessage, on_action) -> None:
        await self.gate.wait()
        await super().show(message, on_action)


def test_the_panel_and_the_bell_come_before_the_desktop_answers(isolated_env: Path) -> None:
    seen: list[str] = []

    def changed(view: DayView) -> None:
        if view.plan.state is PlanState.DUE:
            seen.append("panel")

    def prompted(prompt: Prompt, message: PromptMessage) -> None:
        seen.append("bell")

    async def scenario() -> None:
        backend = Gated()
        start = at(BERLIN, "2026-11-26 09:59")
        async with running(isolated_env, start, backends=[backend], on_change=changed, on_prompt=prompted):
            await until(lambda: "panel" in seen and "bell" in seen)
            assert backend.shown == [], "the desktop has not answered yet"
            backend.gate.set()
            await until(lambda: backend.shown)

    asyncio.run(scenario())
