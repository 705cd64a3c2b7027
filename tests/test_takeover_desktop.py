"""One copy of a prompt on screen, whatever happens to the engine that showed it: killed (-9) or
stopped past its lease (SIGSTOP), the engine that takes over closes the notification left behind
(by the server's id, kept in the lease) and shows the prompt once; the old one, woken, adds none.

Real processes, the real dunst (tools/notify-lab.sh); what the bus saw is read back with `sent`.
"""

from __future__ import annotations

import json
import os
import signal
import time
from pathlib import Path

import pytest

from tests.test_desktop import config, headless, lab, sent, stop, until  # noqa: F401 (lab: the skip fixture)
from tests.test_one_engine import wait_for_line
from walkbreak.store.lease import LEASE_FILE, TTL

pytestmark = [pytest.mark.desktop, pytest.mark.xdist_group("desktop")]
CLOSED_BY_CALL = 3  # NotificationClosed reason: closed by a call to CloseNotification


def lease(data: Path) -> dict:
    try:
        return json.loads((data / LEASE_FILE).read_text())
    except (OSError, ValueError):
        return {}


def shown_by(data: Path, process) -> int:
    """The server id the process holding the lease noted for its prompt (0 until it did)."""
    held = lease(data)
    return held.get("shown", 0) if held.get("pid") == process.pid else 0


def open_ones(title: str) -> list[dict]:
    return [n for n in sent(title) if n["closed_reason"] is None]


def first_engine_showing(tmp_path: Path, data: Path, bout: int) -> tuple[Path, str, object, dict]:
    """A headless engine that has put its 10:00 prompt up and noted its id in the lease."""
    title = f"Time for a {bout}-minute walk"
    cfg = config(tmp_path, bout=bout, snooze=bout + 3)
    first = headless(cfg, "2026-11-26T09:59:50+01:00", speed=30)
    try:
        (shown,) = until(lambda: sent(title))
        until(lambda: shown_by(data, first) == shown["id"])
    except BaseException:
        first.kill()
        first.wait(10)
        raise
    return cfg, title, first, shown


def test_a_killed_engines_prompt_is_closed_by_the_one_that_takes_over(
    tmp_path: Path, isolated_env: Path
) -> None:
    cfg, title, first, shown = first_engine_showing(tmp_path, isolated_env, bout=11)
    first.kill()
    first.wait(10)
    second = headless(cfg, "2026-11-26T10:00:30+01:00", speed=30)
    try:
        until(lambda: len(sent(title)) == 2 and sent(title)[0]["closed_reason"] is not None)
        assert sent(title)[0]["closed_reason"] == CLOSED_BY_CALL
        (now_open,) = open_ones(title)
        assert now_open["id"] != shown["id"]
        until(lambda: shown_by(isolated_env, second) == now_open["id"])
    finally:
        log = stop(second)
    assert "closed the notification the headless engine" in log


def test_an_engine_stopped_past_its_lease_wakes_to_show_nothing(tmp_path: Path, isolated_env: Path) -> None:
    cfg, title, first, _ = first_engine_showing(tmp_path, isolated_env, bout=12)
    first.send_signal(signal.SIGSTOP)
    second = None
    try:
        stale = time.time() - TTL - 5  # as if it had hung for longer than the lease lasts
        os.utime(isolated_env / LEASE_FILE, (stale, stale))
        second = headless(cfg, "2026-11-26T10:00:30+01:00", speed=30)
        until(lambda: len(sent(title)) == 2 and sent(title)[0]["closed_reason"] == CLOSED_BY_CALL)
        until(lambda: shown_by(isolated_env, second) != 0)
        first.send_signal(signal.SIGCONT)
        wait_for_line(first, "prompts come from the headless engine")  # it woke and follows
        assert len(sent(title)) == 2, "the woken engine put up no second copy"
        assert len(open_ones(title)) == 1
    finally:
        first.send_signal(signal.SIGCONT)  # a stopped process would not see the SIGTERM
        stop(first)
        if second is not None:
            stop(second)
