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
import time

from walkbreak.core.named_tuple import NamedTuple
from walkbreak.ids import new_id
from walkbreak.machine import host_name
from walkbreak.paths import make_private_dirs
from walkbreak.store.lock import FileLock
from walkbreak.store.storage import write_atomically

LEASE_FILE = "engine.json"
TTL = 180.0
"""Seconds without renewal after which a lease counts as abandoned (the holder hangs)."""


class Holder(NamedTuple):
    """Who holds the lease: an id per process run, its pid, host and kind, and when it renewed."""

    owner: str
    pid: int
    host: str
    kind: str
    renewed: float
    """When the holder last renewed the lease (the file's mtime: a renewal only touches it)."""
    notifications: str = ""
    """Why the holder's prompts cannot reach the desktop now; "" while they can."""
    shown: int = 0
    """The notification server's id for the prompt or question the holder has on screen (0: none),
    so whoever takes over from a holder that died or hung can close it."""

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
        self.me = Holder(new_id(), os.getpid(), host_name(), kind, 0.0)
        self.taken_from: Holder | None = None
        """The holder this process took the lease from at its last claim (None: it was free)."""

    @property
    def path(self) -> str:
        return os.path.join(self.directory, LEASE_FILE)

    def claim(self) -> Holder:
        """Take or renew the lease if it is free, ours, abandoned or its holder is gone; return the holder."""
        make_private_dirs(self.directory)
        with FileLock(os.path.join(self.directory, ".lock")):
            holder = self.holder()
            if holder is not None and holder.owner == self.me.owner:
                # Renewing is touching the file: no rewrite, no fsync, once a minute all day.
                os.utime(self.path, follow_symlinks=False)
                return holder
            if holder is None or not _alive(holder):
                self.taken_from = holder
                holder = self.me._replace(renewed=time.time())
                write_atomically(self.path, json.dumps(holder._asdict()))
            return holder

    def note(self, *, notifications: str | None = None, shown: int | None = None) -> None:
        """Keep facts in the lease while this process holds it: `notifications`, why prompts cannot
        reach the desktop ("" once they can: for viewers and `walkbreak status`); `shown`, the
        server's id for what is on screen (0: nothing)."""
        with FileLock(os.path.join(self.directory, ".lock")):
            holder = self.holder()
            if holder is None or holder.owner != self.me.owner:
                return
            noted = holder._replace(
                notifications=holder.notifications if notifications is None else notifications,
                shown=holder.shown if shown is None else shown,
            )
            if noted != holder:
                write_atomically(self.path, json.dumps(noted._asdict()))

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
        return read_holder(self.path)


def read_holder(path: str) -> Holder | None:
    """The holder named in the lease file at `path`, or None when there is none or it is unreadable."""
    try:
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)), encoding="utf-8") as f:
            data = json.load(f)
            data["renewed"] = os.fstat(f.fileno()).st_mtime
        return Holder(
            str(data["owner"]),
            int(data["pid"]),
            str(data["host"]),
            str(data["kind"]),
            float(data["renewed"]),
            str(data.get("notifications") or ""),
            int(data.get("shown") or 0),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def notifications_problem(directory: str) -> str:
    """Why the running engine's prompts cannot reach the desktop ("" when they can, or when no
    engine runs): for `walkbreak status`."""
    holder = read_holder(os.path.join(directory, LEASE_FILE))
    return holder.notifications if holder is not None and _alive(holder) else ""


def _alive(holder: Holder) -> bool:
    """Whether the holder still runs and renews: a gone pid on this host, or a stale lease, is not."""
    if time.time() - holder.renewed > TTL:
        return False
    if holder.host != host_name():
        return True  # a data dir shared across machines: only the lease's age can tell
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
