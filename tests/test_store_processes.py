"""The store against real processes: writers killed with SIGKILL mid-write, and writers racing."""

from __future__ import annotations

import json
import os
import random
import select
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from tests.builders import BERLIN, month_path
from tests.conftest import REPO, run_walkbreak
from walkbreak.core.model import Bout
from walkbreak.store import Store

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL (POSIX)")

DAY = date(2026, 11, 26)


def _writer(directory: Path, report: int) -> None:
    """In a forked child: add bouts forever, saying before (B) and after (A) each write returns."""
    store = Store(directory, warn=lambda message: None)
    start = datetime(2026, 11, 26, 9, 0, tzinfo=BERLIN)
    n = 0
    while True:
        walk = Bout(id=str(uuid.uuid4()), day=DAY, start=start + timedelta(seconds=n), minutes=5)
        os.write(report, f"B {walk.id}\n".encode())
        store.add(walk)
        os.write(report, f"A {walk.id}\n".encode())
        n += 1


def _until_writes_began(pipe: int, writes: int) -> bytes:
    """Read the writer's report until it has begun `writes` writes (or 30 s pass); returns what was read."""
    read, deadline = b"", time.monotonic() + 30
    while read.count(b"B ") < writes and time.monotonic() < deadline:
        ready, _, _ = select.select([pipe], [], [], 0.5)
        if ready:
            chunk = os.read(pipe, 65536)
            if not chunk:
                break
            read += chunk
    return read


def test_sigkill_at_random_moments_never_damages_the_file_or_loses_a_returned_write(
    isolated_env: Path,
) -> None:
    kills, in_flight, returned = 200, 0, set()
    warnings: list[str] = []
    rng = random.Random(20261126)
    for _ in range(kills):
        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child never returns into pytest
            try:
                os.close(read_end)
                _writer(isolated_env, write_end)
            finally:
                os._exit(1)
        os.close(write_end)
        # Kill while it writes, whatever the machine's load: once it has begun its n-th write,
        # after a random moment (a fixed delay let a busy machine kill it before it wrote at all).
        head = _until_writes_began(read_end, rng.randint(1, 4))
        time.sleep(rng.uniform(0, 0.004))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        with os.fdopen(read_end, "rb") as pipe:
            lines = (head + pipe.read()).decode().splitlines()
        done = {line[2:] for line in lines if line.startswith("A ")}
        started = [line[2:] for line in lines if line.startswith("B ")]
        in_flight += bool(started) and started[-1] not in done
        returned |= done
        # After every kill the file loads, undamaged, with every write that returned.
        saved = {b.id for b in Store(isolated_env, warn=warnings.append).day(DAY).bouts}
        assert returned <= saved
        assert warnings == []
    assert len(returned) > kills, "the writers barely wrote: the test proves nothing"
    # Most kills should land inside a write (lock, read, temp file, fsync, rename), or the test is weak.
    assert in_flight >= kills // 2, f"only {in_flight} of {kills} kills landed mid-write"
    document = json.loads(Path(Store(isolated_env, warn=print).month_file(DAY)).read_text())
    ids = [doc["id"] for doc in document["bouts"].values()]
    assert len(ids) == len(set(ids)), "duplicate ids"
    print(f"{kills} kills, {in_flight} mid-write, {len(returned)} returned writes all present")


RACER = textwrap.dedent(
    """
    import sys, time, uuid
    from datetime import date, datetime, timedelta
    from pathlib import Path
    from zoneinfo import ZoneInfo
    from walkbreak.core.model import Bout
    from walkbreak.store import Store

    directory, name, go = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
    store = Store(directory, warn=print)
    start = datetime(2026, 11, 26, 9, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    while time.time() < go:
        time.sleep(0.001)
    began = time.time()
    for n in range(300):
        store.add(Bout(id=str(uuid.uuid4()), day=start.date(), start=start + timedelta(seconds=n), minutes=5, note=name))
    print(began, time.time())
    """
)


def test_two_processes_logging_300_bouts_each_at_once_keep_all_600(isolated_env: Path) -> None:
    go = time.time() + 2.0  # both start together, after their imports
    racers = [
        subprocess.Popen(
            [sys.executable, "-c", RACER, str(isolated_env), name, str(go)],
            stdout=subprocess.PIPE,
            text=True,
            cwd=REPO,
        )
        for name in ("first", "second")
    ]
    spans = []
    for racer in racers:
        out, _ = racer.communicate(timeout=120)
        assert racer.returncode == 0
        spans.append(tuple(map(float, out.split())))
    (a_start, a_end), (b_start, b_end) = spans
    assert a_start < b_end and b_start < a_end, "the two writers did not overlap"
    bouts = Store(isolated_env, warn=print).day(DAY).bouts
    assert len(bouts) == 600
    assert len({b.id for b in bouts}) == 600
    assert sorted(b.note for b in bouts).count("first") == 300
    document = json.loads(month_path(isolated_env).read_text())
    assert len(document["bouts"]) == 600  # no TinyDB document id handed out twice


def test_walkbreak_log_from_two_shells_at_once(isolated_env: Path) -> None:
    def shell(hour: int, n: int) -> subprocess.Popen[str]:
        script = "; ".join(
            f"{sys.executable} -m walkbreak log 5 --at {hour:02d}:{5 * k:02d} >/dev/null || exit 1"
            for k in range(n)
        )
        env = {**os.environ, "WALKBREAK_NOW": "2026-11-26T10:00"}
        return subprocess.Popen(["sh", "-c", script], cwd=REPO, text=True, stderr=subprocess.PIPE, env=env)

    shells = [shell(8, 8), shell(9, 8)]  # walks that do not overlap, logged at the same moments
    for process in shells:
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
    result = run_walkbreak("status", "--json", env={"WALKBREAK_NOW": "2026-11-26T10:00"})
    assert json.loads(result.stdout)["bouts"] == 16
