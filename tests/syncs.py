"""File syncs between data dirs, for the several-desks tests: the dumbest (rsync both ways)."""

from __future__ import annotations

import asyncio
import shutil
import subprocess
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

RSYNC = shutil.which("rsync")
RSYNC_MISSING = "needs rsync (apt install rsync; .ci/run installs it)"
COPY = ["-a", "--update", "--exclude=.*"]
"""What the README tells rsync users: every device's folder, newer files only, no temp files."""


def rsync(source: Path, target: Path) -> None:
    """Copy `source`'s devices folder onto `target`'s, as `rsync -a --update` does."""
    assert RSYNC is not None
    target.mkdir(mode=0o700, parents=True, exist_ok=True)  # a new desk's data dir
    subprocess.run([RSYNC, *COPY, f"{source}/devices/", f"{target}/devices/"], check=True, timeout=60)


def both_ways(a: Path, b: Path) -> None:
    rsync(a, b)
    rsync(b, a)


@asynccontextmanager
async def rsync_loop(a: Path, b: Path, every: float = 0.1) -> AsyncIterator[list[int]]:
    """Copy both ways every `every` real seconds while the block runs (as a cron job or a
    watcher would); yields the count of rounds so far, and copies once more on the way out."""
    assert RSYNC is not None
    rounds = [0]

    async def copy(source: Path, target: Path) -> None:
        process = await asyncio.create_subprocess_exec(
            RSYNC, *COPY, f"{source}/devices/", f"{target}/devices/"
        )
        await process.wait()

    async def loop() -> None:
        while True:
            await copy(a, b)
            await copy(b, a)
            rounds[0] += 1
            await asyncio.sleep(every)

    task = asyncio.get_running_loop().create_task(loop())
    try:
        yield rounds
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await copy(a, b)
        await copy(b, a)
