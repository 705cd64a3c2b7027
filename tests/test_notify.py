"""The notifier's choice of backend, and what each backend would run, without a desktop."""

from __future__ import annotations

import asyncio
import importlib.util
import os
from pathlib import Path

import pytest

from tests.recording import RecordingBackend
from walkbreak.core.message import PromptMessage
from walkbreak.core.settings import NotifySettings
from walkbreak.notify import build_notifier
from walkbreak.notify.base import DeliveryFailed
from walkbreak.notify.commands import NotifySendBackend, osascript_command
from walkbreak.notify.desktop import DesktopNotifierBackend
from walkbreak.notify.freedesktop import FreedesktopBackend
from walkbreak.notify.icon import ICON_PATH
from walkbreak.notify.notifier import Notifier
from walkbreak.notify.plyer_backend import PlyerBackend

MESSAGE = PromptMessage("Time for a 5-minute walk", '2 of 6 today · "quoted" \\ tip', 10, True, 900)


class CountingProbe(RecordingBackend):
    def __init__(self, name: str, reason: str | None = None) -> None:
        super().__init__(name)
        self.reason, self.probes = reason, 0

    def unavailable(self) -> str | None:
        self.probes += 1
        return self.reason


def test_backends_are_probed_once_and_unavailable_ones_skipped() -> None:
    missing, present = CountingProbe("missing", "not here"), CountingProbe("present")
    notifier = Notifier([missing, present])

    async def twice() -> list[str | None]:
        return [await notifier.show(MESSAGE), await notifier.show(MESSAGE)]

    assert asyncio.run(twice()) == ["present", "present"]
    assert (missing.probes, present.probes) == (1, 1) and missing.shown == []
    assert present.closed == 1, "the second prompt replaced the first"


def test_no_backend_delivering_is_reported_not_raised() -> None:
    notifier = Notifier([RecordingBackend("a", fail=True), RecordingBackend("b", fail=True)])
    assert asyncio.run(notifier.show(MESSAGE)) is None


def test_a_failing_button_handler_does_not_escape() -> None:
    backend = RecordingBackend()
    notifier = Notifier([backend], on_action=lambda key, about: 1 / 0)
    asyncio.run(notifier.show(MESSAGE))
    assert backend.on_action is not None
    backend.on_action("walk")  # logged, not raised


def test_the_test_reports_every_backend() -> None:
    notifier = Notifier(
        [CountingProbe("gone", "no such thing"), RecordingBackend("bad", fail=True), RecordingBackend("good")]
    )
    results = asyncio.run(notifier.test(MESSAGE))
    assert [(r.backend, r.delivered, r.detail) for r in results] == [
        ("gone", False, "not available: no such thing"),
        ("bad", False, "failed: told to fail"),
        ("good", True, "delivered"),
    ]


def test_configured_backend_choice() -> None:
    assert [b.name for b in build_notifier(NotifySettings("auto")).backends] == [
        "freedesktop",
        "desktop-notifier",
        "plyer",
        "notify-send",
        "osascript",
        "terminal",
    ]
    assert [b.name for b in build_notifier(NotifySettings("notify-send")).backends] == ["notify-send"]
    assert build_notifier(NotifySettings("none")).backends == []


def test_notify_send_gets_app_name_icon_timeout_and_buttons() -> None:
    command = NotifySendBackend()._command(MESSAGE, actions=True)
    assert command[:5] == [
        "notify-send",
        "--app-name=walkbreak",
        f"--icon={ICON_PATH}",
        "--urgency=normal",
        "--expire-time=900000",
    ]
    assert "--action=walk=Walk now" in command and "--action=snooze=Snooze 10 min" in command
    assert command[-3:] == ["--", MESSAGE.title, MESSAGE.body]
    assert Path(ICON_PATH).read_bytes().startswith(b"\x89PNG")
    no_snooze = NotifySendBackend()._command(MESSAGE._replace(can_snooze=False), actions=True)
    assert not any("snooze" in part for part in no_snooze)
    assert not any(
        part.startswith("--action") for part in NotifySendBackend()._command(MESSAGE, actions=False)
    )


def test_osascript_quotes_the_text() -> None:
    script = osascript_command(MESSAGE)[2]
    assert script.startswith(
        'display notification "2 of 6 today · \\"quoted\\" \\\\ tip" with title "Time for a 5-minute walk"'
    )


def test_plyer_declines_where_it_is_known_to_fail(monkeypatch: pytest.MonkeyPatch) -> None:
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name: None if name == "dbus" else real_find_spec(name)
    )
    assert "notify-send -t 0" in (PlyerBackend().unavailable() or "")
    monkeypatch.setattr(os.path, "isdir", lambda path: path == "/app")
    assert "Flatpak" in (PlyerBackend().unavailable() or "")


def test_the_freedesktop_backend_needs_a_session_bus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.delenv("DBUS_SESSION_BUS_ADDRESS", raising=False)
    monkeypatch.setenv("XDG_RUNTIME_DIR", "/nonexistent")
    assert "no D-Bus session bus" in (FreedesktopBackend().unavailable() or "")
    monkeypatch.setattr("sys.platform", "darwin")
    assert "Linux and BSD" in (FreedesktopBackend().unavailable() or "")


def test_desktop_notifier_is_for_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.platform", "linux")
    assert "used on Windows" in (DesktopNotifierBackend().unavailable() or "")


def fake_notify_send(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> None:
    """Put a stand-in `notify-send` first on PATH (a real process that answers as told)."""
    binary = tmp_path / "notify-send"
    binary.write_text("#!/bin/sh\n" + script)
    binary.chmod(0o755)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")


@pytest.mark.parametrize("delay", [0.0, 2.0], ids=["pressed at once", "pressed after a while"])
def test_notify_send_passes_the_pressed_button_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, delay: float
) -> None:
    fake_notify_send(
        tmp_path,
        monkeypatch,
        'case "$1" in --help) echo "  -p, --print-id"; echo "  -A, --action=[NAME=]Text";; '
        f"*) echo 42; sleep {delay}; echo snooze;; esac\n",
    )
    pressed: list[str] = []

    async def scenario() -> None:
        backend = NotifySendBackend()
        await backend.show(MESSAGE, pressed.append)
        for _ in range(100):
            if pressed:
                break
            await asyncio.sleep(0.05)

    asyncio.run(scenario())
    assert pressed == ["snooze"]


def test_notify_send_failing_is_delivery_failed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_notify_send(tmp_path, monkeypatch, 'echo "GDBus.Error: no server" >&2; exit 1\n')
    with pytest.raises(DeliveryFailed, match=r"notify-send exited 1: GDBus\.Error: no server"):
        asyncio.run(NotifySendBackend().show(MESSAGE, lambda key: None))


def test_a_backend_that_replaces_in_place_is_not_closed_first() -> None:
    """A new prompt goes over the last without closing it first (no flicker, and the server's
    replaces_id keeps one popup); a backend that now fails has its notification taken down."""
    replacing, other = RecordingBackend("replacing"), RecordingBackend("other")
    replacing.replaces = True  # type: ignore[attr-defined]

    async def scenario() -> None:
        notifier = Notifier([replacing, other])
        assert await notifier.show(MESSAGE) == "replacing"
        assert await notifier.show(MESSAGE) == "replacing"
        assert (len(replacing.shown), replacing.closed) == (2, 0)
        replacing.fail = True
        assert await notifier.show(MESSAGE) == "other"
        assert replacing.closed == 1, "the replacing backend's prompt was taken down"
        replacing.fail, other.fail = False, False
        assert await notifier.show(MESSAGE) == "other"  # the one that worked is tried first now
        closed = other.closed
        other.fail = replacing.fail = True
        assert await notifier.show(MESSAGE) is None
        assert other.closed == closed + 1, "nothing of walkbreak's is left on screen"

    asyncio.run(scenario())
