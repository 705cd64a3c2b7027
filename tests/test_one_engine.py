"""One engine per data dir: the lease, two engines on one store, and real processes killed with -9."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from tests.builders import BERLIN, at
from tests.conftest import REPO
from tests.test_engine import day, running, settled, until
from walkbreak.store import Store
from walkbreak.store.lease import LEASE_FILE, TTL, Lease


def test_one_holder_and_the_others_see_it(tmp_path: Path) -> None:
    first, second = Lease(str(tmp_path), "dashboard"), Lease(str(tmp_path), "headless engine")
    assert first.claim().owner == first.me.owner
    held = second.claim()
    assert held.owner == first.me.owner and held.describe() == f"the dashboard (pid {os.getpid()})"
    assert first.holds() and not second.holds()
    before = (tmp_path / LEASE_FILE).stat()
    os.utime(tmp_path / LEASE_FILE, (before.st_mtime - 20, before.st_mtime - 20))
    first.claim()  # a renewal touches the file; it does not rewrite it
    after = (tmp_path / LEASE_FILE).stat()
    assert after.st_ino == before.st_ino and after.st_mtime > before.st_mtime - 20
    first.release()
    assert second.claim().owner == second.me.owner  # a clean stop hands over at once
    assert oct((tmp_path / LEASE_FILE).stat().st_mode & 0o777) == "0o600"


def test_a_dead_or_hung_holder_is_replaced(tmp_path: Path) -> None:
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    lease_file = tmp_path / LEASE_FILE
    import socket

    host = socket.gethostname()
    lease_file.write_text(
        json.dumps({"owner": "x", "pid": gone.pid, "host": host, "kind": "dashboard", "renewed": time.time()})
    )
    taker = Lease(str(tmp_path), "dashboard")
    assert taker.claim().owner == taker.me.owner  # its pid is gone: no waiting for the lease to age
    hung = {
        "owner": "y",
        "pid": os.getpid(),
        "host": host,
        "kind": "dashboard",
        "renewed": time.time() - TTL - 1,
    }
    lease_file.write_text(json.dumps(hung))  # alive but silent for longer than the TTL
    os.utime(lease_file, (hung["renewed"], hung["renewed"]))  # a renewal is the file's mtime
    assert taker.claim().owner == taker.me.owner
    lease_file.write_text("{ damaged")
    assert taker.claim().owner == taker.me.owner  # an unreadable lease is free, not an error


def test_two_engines_on_one_store_fire_each_prompt_once(isolated_env: Path) -> None:
    async def scenario() -> None:
        start = at(BERLIN, "2026-11-26 09:59")
        lease_a, lease_b = Lease(str(isolated_env), "dashboard"), Lease(str(isolated_env), "headless engine")
        options = {"lease_seconds": 0.1}
        async with (
            running(isolated_env, start, lease=lease_a, **options) as (a, clock, (shown_a,)),
            running(isolated_env, start, lease=lease_b, clock=clock, **options) as (b, _, (shown_b,)),
        ):
            assert a.leading and not b.leading
            assert (
                b.view is not None and b.view.engine == f"prompts come from the dashboard (pid {os.getpid()})"
            )
            await until(lambda: shown_a.shown)
            await until(lambda: b.view is not None and b.view.plan.state == "due")  # b saw it fired
            await settled(b, clock)
            assert len(day(isolated_env, clock.now()).prompts) == 1 and shown_b.shown == []
            assert await b.act("walk") is None  # a viewer's answer goes through the store
            await until(lambda: len(day(isolated_env, clock.now()).bouts) == 1)
            await until(lambda: shown_a.closed >= 1)  # the engine takes its prompt down
        async with running(isolated_env, clock.now(), lease=Lease(str(isolated_env), "x"), **options) as (
            c,
            _,
            _,
        ):
            assert c.leading  # a stopped cleanly and released the lease

    asyncio.run(scenario())


def test_a_viewer_takes_over_when_the_holder_stops(isolated_env: Path) -> None:
    async def scenario() -> None:
        start = at(BERLIN, "2026-11-26 10:30")
        options = {"lease_seconds": 0.1}
        b_lease = Lease(str(isolated_env), "headless engine")
        a_run = running(isolated_env, start, lease=Lease(str(isolated_env), "dashboard"), **options)
        a, _, _ = await a_run.__aenter__()
        async with running(isolated_env, start, lease=b_lease, **options) as (b, clock, (shown_b,)):
            assert not b.leading
            await a_run.__aexit__(None, None, None)
            await until(lambda: b.leading, seconds=5)
            # The view follows at the re-plan that taking over starts: wait for it, do not race it.
            await until(lambda: b.view is not None and b.view.engine == "", seconds=5)
            await until(lambda: shown_b.shown, seconds=20)  # the 11:00 prompt comes from b
            assert len(day(isolated_env, clock.now()).prompts) == 1

    asyncio.run(scenario())


def headless(env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "walkbreak", "run", "--headless"],
        env={**os.environ, **env},
        cwd=REPO,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )


def wait_for_line(process: subprocess.Popen[str], text: str, seconds: float = 60) -> str:
    assert process.stderr is not None
    deadline = time.monotonic() + seconds
    seen = []
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        seen.append(line)
        if text in line:
            return line
        if not line and process.poll() is not None:
            break
    raise AssertionError(f"{text!r} never logged; saw {seen[-10:]}")


def test_kill_9_of_the_engine_process_and_the_other_takes_over(isolated_env: Path, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[notify]\nbackend = "none"\n')
    env = {
        "WALKBREAK_CONFIG": str(config),
        "WALKBREAK_DATA_DIR": str(isolated_env),
        "WALKBREAK_NOW": "2026-11-26T09:50:00+01:00",
        "WALKBREAK_SPEED": "30",
        "TZ": "Europe/Berlin",
    }
    first = headless(env)
    wait_for_line(first, "this walkbreak sends the prompts")
    second = headless(env)
    try:
        wait_for_line(second, "prompts come from the headless engine (pid")
        wait_for_line(first, "prompt fired at 10:0")  # 20 s: ten clock minutes at 30x (late if busy)
        first.send_signal(signal.SIGKILL)
        first.wait()
        # At once: the viewer watches the holder's process, not only the lease once a minute.
        wait_for_line(second, f"the process holding the lease (pid {first.pid}) ended")
        wait_for_line(second, "sends the prompts (took over)")
        store = Store(isolated_env, warn=print)
        (prompt,) = store.day(at(BERLIN, "2026-11-26 10:00").date()).prompts  # fired once, not again
        assert prompt.outcome is None or prompt.outcome.value == "expired"
    finally:
        for process in (first, second):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                process.communicate(timeout=20)
    assert second.returncode == 0
