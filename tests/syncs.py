"""File syncs between two data dirs, for the several-desks tests: the dumbest there is (rsync
both ways, over and over) and the real thing (two Syncthing instances, tests/syncthing.py)."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.syncthing import SYNCTHING, SYNCTHING_MISSING, Syncthing, syncthing_pair
from walkbreak.store.devices import device_id

RSYNC = shutil.which("rsync")
RSYNC_MISSING = "needs rsync (apt install rsync; .ci/run installs it)"
MISSING = {
    "rsync": RSYNC_MISSING if RSYNC is None else "",
    "syncthing": SYNCTHING_MISSING if SYNCTHING is None else "",
}


def rsync_command(source: Path, target: Path) -> list[str]:
    """What the README tells rsync users: every device's folder but the receiver's own, compared
    by content, no temp files. rsync's quick check compares times in whole seconds: it would put
    an older copy of the receiver's own file back over a newer one written in the same second,
    and miss a rewrite of the same size within a second (an edit of 5 to 7 minutes), hence
    `--exclude` and `--checksum`."""
    assert RSYNC is not None
    own = f"/{device_id(str(target))}/"
    return [
        RSYNC,
        "-a",
        "--checksum",
        "--exclude=.*",
        f"--exclude={own}",
        f"{source}/devices/",
        f"{target}/devices/",
    ]


def rsync(source: Path, target: Path) -> None:
    """Copy `source`'s devices folder onto `target`'s."""
    target.mkdir(mode=0o700, parents=True, exist_ok=True)  # a new desk's data dir
    subprocess.run(rsync_command(source, target), check=True, timeout=60)


def both_ways(a: Path, b: Path) -> None:
    rsync(a, b)
    rsync(b, a)


def wait_for(condition: Callable[[], bool], seconds: float = 120) -> None:
    """Wait (real time) until `condition()` holds: a sync takes what it takes on a busy machine."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.05)


def shared_files(data: Path) -> dict[str, bytes]:
    """The files of every device's folder in a data dir, as a sync would carry them."""
    folder = data / "devices"
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file() and not path.name.startswith(".")
    }


class Sync:
    """A file sync between data dirs `a` and `b`: `running()` keeps them in step while its block
    runs; `catch_up()` returns once both hold the same files (the sync running or not)."""

    name = ""

    def __init__(self, tmp: Path, a: Path, b: Path) -> None:
        self.tmp, self.a, self.b = tmp, a, b

    @contextmanager
    def running(self) -> Iterator[None]:
        raise NotImplementedError

    def catch_up(self) -> None:
        raise NotImplementedError

    def in_step(self) -> bool:
        return shared_files(self.a) == shared_files(self.b)


class Rsync(Sync):
    name = "rsync"

    @contextmanager
    def running(self) -> Iterator[None]:
        """rsync both ways every 0.1 s (as a cron job or a file watcher would)."""
        stop = threading.Event()

        def loop() -> None:
            while not stop.is_set():
                for source, target in ((self.a, self.b), (self.b, self.a)):
                    if (source / "devices").is_dir():  # (a desk's first walk makes it)
                        target.mkdir(mode=0o700, parents=True, exist_ok=True)
                        subprocess.run(rsync_command(source, target), timeout=60)
                stop.wait(0.1)

        copier = threading.Thread(target=loop)
        copier.start()
        try:
            yield
        finally:
            stop.set()
            copier.join(timeout=120)

    def catch_up(self) -> None:
        both_ways(self.a, self.b)


class SyncthingSync(Sync):
    name = "syncthing"
    pair: tuple[Syncthing, Syncthing] | None = None
    """Made on first use, then started and stopped as the test says."""
    up = False

    @contextmanager
    def running(self) -> Iterator[None]:
        if self.pair is None:
            self.pair = syncthing_pair(self.tmp, self.a, self.b)
        try:
            for syncthing in self.pair:
                syncthing.start()
            self.up = True
            yield
        finally:
            self.up = False
            for syncthing in self.pair:
                syncthing.stop()

    def catch_up(self) -> None:
        """Wait for both folders to match; a Syncthing whose pulls failed while a file kept
        changing under it retries a minute later, so this may take that long."""
        if self.up:
            wait_for(self.in_step, 240)
        else:
            with self.running():
                wait_for(self.in_step, 240)


SYNCS: dict[str, type[Sync]] = {"rsync": Rsync, "syncthing": SyncthingSync}


@pytest.fixture(name="sync", params=sorted(SYNCS))
def each_sync(request: pytest.FixtureRequest, tmp_path: Path) -> Sync:
    """Each sync in turn between two data dirs, `laptop` and `desk` (skipped where it is missing)."""
    if MISSING[request.param]:
        pytest.skip(MISSING[request.param])
    return SYNCS[request.param](tmp_path, tmp_path / "laptop", tmp_path / "desk")
