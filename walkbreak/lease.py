"""One engine per data dir: a lease that one walkbreak process holds and renews, the rest watch.

The holder fires prompts; every other dashboard or headless run is a viewer (it shows the day,
writes answers through the store, and takes over when the holder stops). The lease is a small
JSON file next to the month files, read and written under the store's lock. A holder that dies
(even by kill -9) is replaced at a viewer's next check, since its pid is gone; one that hangs is
replaced once its lease is older than `TTL` seconds, and on waking it finds the lease taken and
becomes a viewer. Times are real wall-clock seconds, whatever clock the engine plans by.
"""

from __future__ import annotations

import json
import os
import socket
import time
import uuid
from typing import NamedTuple

from walkbreak.lock import FileLock
from walkbreak.storage import write_atomically

LEASE_FILE = "engine.json"
TTL = 45.0
"""Seconds without renewal after which a lease counts as abandoned (the holder hangs)."""


class Holder(NamedTuple):
    """Who holds the lease: an id per process run, its pid, host and kind, and when it renewed."""

    owner: str
    pid: int
    host: str
    kind: str
    renewed: float
    """When the holder last renewed the lease (the file's mtime: a renewal only touches it)."""

    def describe(self) -> str:
        """ "the headless engine (pid 1234)"."""
        return f"the {self.kind} (pid {self.pid})"


class Lease:
    """This process's claim on the engine role for `directory`.

    Args:
        directory: the data dir.
        kind: "dashboard" or "headless engine", shown to viewers.
    """

    def __init__(self, directory: str, kind: str) -> None:
        self.directory = directory
        self.me = Holder(str(uuid.uuid4()), os.getpid(), socket.gethostname(), kind, 0.0)

    @property
    def path(self) -> str:
        return os.path.join(self.directory, LEASE_FILE)

    def claim(self) -> Holder:
        """Take or renew the lease if it is free, ours, abandoned or its holder is gone; return the holder."""
        os.makedirs(self.directory, mode=0o700, exist_ok=True)
        with FileLock(os.path.join(self.directory, ".lock")):
            holder = self.holder()
            if holder is not None and holder.owner == self.me.owner:
                # Renewing is touching the file: no rewrite, no fsync, every 10 s all day.
                os.utime(self.path)
                return holder
            if holder is None or not _alive(holder):
                holder = self.me._replace(renewed=time.time())
                write_atomically(self.path, json.dumps(holder._asdict()))
            return holder

    def release(self) -> None:
        """Give the lease up (on a clean stop), so a viewer takes over at once."""
        try:
            with FileLock(os.path.join(self.directory, ".lock")):
                holder = self.holder()
                if holder is not None and holder.owner == self.me.owner:
                    os.remove(self.path)
        except OSError:
            pass

    def holds(self) -> bool:
        """Whether this process holds the lease now (read only: call it under the store lock)."""
        holder = self.holder()
        return holder is not None and holder.owner == self.me.owner

    def holder(self) -> Holder | None:
        """The current holder (renewed = the file's modification time), or None when there is
        none or the file cannot be read."""
        try:
            with open(self.path, encoding="utf-8") as f:
                data = json.load(f)
                data["renewed"] = os.fstat(f.fileno()).st_mtime
            return Holder(
                str(data["owner"]),
                int(data["pid"]),
                str(data["host"]),
                str(data["kind"]),
                float(data["renewed"]),
            )
        except (OSError, ValueError, KeyError, TypeError):
            return None


def _alive(holder: Holder) -> bool:
    """Whether the holder still runs and renews: a gone pid on this host, or a stale lease, is not."""
    if time.time() - holder.renewed > TTL:
        return False
    if holder.host != socket.gethostname():
        return True  # a data dir shared across machines: only the lease's age can tell
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
