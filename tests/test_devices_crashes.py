"""Two desks writing at once while a file sync (rsync, Syncthing) copies between them, and any of
them killed with -9 at any moment: no conflict copies, no record lost, none doubled."""

from __future__ import annotations

import contextlib
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

from tests.builders import BERLIN
from tests.conftest import REPO
from tests.syncs import Sync, SyncthingSync, each_sync, rsync_command, wait_for  # noqa: F401 (each_sync: the `sync` fixture)
from walkbreak.store import Store

WRITER = """
import sys
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo
from walkbreak.core.model import Bout, Source
from walkbreak.ids import new_id
from walkbreak.store import Store

data, name = sys.argv[1], sys.argv[2]
store = Store(data, warn=lambda message: None)
start = datetime(2026, 11, 25, 0, 0, tzinfo=ZoneInfo("Europe/Berlin"))
mine = []

def do(what, walk, write):
    print("try", what, walk.note, flush=True)
    write(walk)
    print("did", what, walk.note, flush=True)

for n in range(100_000):
    walk = Bout(new_id(), start.date(), start + timedelta(seconds=n), 5.0, Source.MANUAL, f"{name}-{n}")
    do("add", walk, store.add)
    mine.append(walk)
    if n % 5 == 4:
        do("edit", mine[-3]._replace(minutes=7.0), store.replace)
    if n % 7 == 6:
        do("remove", mine.pop(-2), store.remove)
"""
"""Logs walks as fast as it can on one desk, edits some and removes some, and says what it is
about to write and what it has written (what was tried when it was killed may or may not be)."""

MINUTES = {"add": 5.0, "edit": 7.0, "remove": None}


def outcomes(said: list[str]) -> dict[str, set[float | None]]:
    """For each walk a writer wrote, what it may be now: its last write, or the one tried after."""
    maybe: dict[str, set[float | None]] = {}
    for line in said:
        words = line.split()
        if len(words) != 3:
            continue  # cut short by the kill
        state, what, note = words
        if state == "did":
            maybe[note] = {MINUTES[what]}
        else:
            maybe[note] = maybe.get(note, {None}) | {MINUTES[what]}  # until it is said to be done
    return maybe


START = datetime(2026, 11, 26, 9, 50, tzinfo=BERLIN)
SPEED = 600  # ten clock minutes a second: a prompt due every few seconds
CONFIG = '[notify]\nbackend = "none"\n[prompts]\ninterval_minutes = 30\nmin_gap_minutes = 10\n'


class Desk:
    """A data dir with a writer process and a headless engine on it, each of which can be killed
    with -9 and started again (the engine's clock going on from where the day is by then)."""

    def __init__(self, data: Path, name: str, began: float) -> None:
        self.data, self.name, self.runs, self.began = data, name, 0, began
        self.said: list[str] = []
        self.process: subprocess.Popen[str] | None = None
        self.engine: subprocess.Popen[bytes] | None = None
        self.engines = 0
        self._reader: threading.Thread | None = None

    def start(self) -> None:
        self.runs += 1
        run = f"{self.name}{self.runs}"  # a new name per run: a walk the last run wrote unsaid is never written twice
        self.process = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(self.data), run], stdout=subprocess.PIPE, text=True, cwd=REPO
        )
        assert self.process.stdout is not None
        lines = self.process.stdout
        self._reader = threading.Thread(target=lambda: self.said.extend(line.strip() for line in lines))
        self._reader.start()

    def kill(self) -> None:
        assert self.process is not None and self._reader is not None
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=30)
        self._reader.join(timeout=30)

    def start_engine(self) -> None:
        self.engines += 1
        config = self.data.parent / f"{self.name}.toml"
        config.write_text(CONFIG)
        now = START + timedelta(seconds=(time.monotonic() - self.began) * SPEED)
        env = {
            **os.environ,
            "WALKBREAK_CONFIG": str(config),
            "WALKBREAK_DATA_DIR": str(self.data),
            "WALKBREAK_NOW": now.isoformat(),
            "WALKBREAK_SPEED": str(SPEED),
            "TZ": "Europe/Berlin",
            "WALKBREAK_LOG_DIR": str(self.data.parent / f"{self.name}-log"),
        }
        self.engine = subprocess.Popen(
            [sys.executable, "-m", "walkbreak", "run", "--headless"],
            env=env,
            cwd=REPO,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill_engine(self) -> None:
        assert self.engine is not None
        self.engine.send_signal(signal.SIGKILL)
        self.engine.wait(timeout=30)


def rsync_forever(sync: Sync, stop: threading.Event, killed: list[int]) -> None:
    """Copy both ways over and over, killing a copy with -9 part-way now and then."""
    chance = random.Random(7)
    while not stop.is_set():
        for source, target in ((sync.a, sync.b), (sync.b, sync.a)):
            copy = subprocess.Popen(rsync_command(source, target), stderr=subprocess.DEVNULL)
            if chance.random() < 0.2:
                time.sleep(chance.random() * 0.02)
                copy.send_signal(signal.SIGKILL)
                killed[0] += 1
            copy.wait(timeout=60)


def syncthing_killed_now_and_then(sync: SyncthingSync, stop: threading.Event, killed: list[int]) -> None:
    """Both Syncthings running, one of them killed with -9 and started again every second or so."""
    chance = random.Random(7)
    assert sync.pair is not None
    while not stop.wait(0.5 + chance.random()):
        victim = chance.choice(sync.pair)
        victim.kill()
        killed[0] += 1
        victim.start()


def test_both_desks_writing_through_kill_9_of_writers_engines_and_the_sync(
    sync: Sync, tmp_path: Path
) -> None:
    a, b = sync.a, sync.b
    for data in (a, b):
        Store(data, warn=print).prepare_directory()
    began = time.monotonic()
    desks = [Desk(a, "laptop", began), Desk(b, "desk", began)]
    stop, killed = threading.Event(), [0]
    with contextlib.ExitStack() as running:
        if isinstance(sync, SyncthingSync):
            running.enter_context(sync.running())
            disturber = threading.Thread(target=syncthing_killed_now_and_then, args=(sync, stop, killed))
        else:
            disturber = threading.Thread(target=rsync_forever, args=(sync, stop, killed))
        for desk in desks:
            desk.start()
            desk.start_engine()
        disturber.start()
        chance = random.Random(11)
        try:
            for turn in range(20):  # a kill -9 of a writer or an engine, once some more is written
                desk = chance.choice(desks)
                seen, more = len(desk.said), chance.randint(20, 120)
                wait_for(lambda desk=desk, seen=seen, more=more: len(desk.said) >= seen + more)
                if turn % 3 == 2:
                    desk.kill_engine()
                    desk.start_engine()
                else:
                    desk.kill()
                    desk.start()
        finally:
            for desk in desks:
                desk.kill()
                desk.kill_engine()
            stop.set()
            disturber.join(timeout=300)
        sync.catch_up()

    written = Store(a, warn=print).day(date(2026, 11, 25))
    assert written == Store(b, warn=print).day(written.day), "both desks read one day"
    walks = {w.note: w for w in written.bouts}
    assert len(walks) == len(written.bouts), "no walk twice"
    for desk in desks:
        for note, maybe in outcomes(desk.said).items():
            assert (walks[note].minutes if note in walks else None) in maybe, (note, maybe)
    prompted = Store(a, warn=print).day(date(2026, 11, 26))
    assert prompted == Store(b, warn=print).day(prompted.day)
    fired = sorted(p.fired_at for p in prompted.prompts)
    assert fired and len({p.id for p in prompted.prompts}) == len(fired), "each prompt one record"
    assert sum(p.outcome is None for p in prompted.prompts) <= 1, "never two prompts open"
    assert not list(tmp_path.rglob("*conflict*"))
    for month in tmp_path.glob("*/devices/*/*.json"):
        json.loads(month.read_text())  # every file whole
    print(
        f"\n{sync.name}: {len(written.bouts)} walks kept, {len(fired)} prompts; {sum(d.runs for d in desks)} "
        f"writer runs, {sum(d.engines for d in desks)} engine runs; {killed[0]} kill -9 of the sync"
    )
    assert killed[0] >= 1 and all(d.runs >= 2 and d.engines >= 2 for d in desks)
