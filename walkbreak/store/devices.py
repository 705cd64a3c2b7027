"""Several machines on one history: each writes month files of its own, in a folder a file sync
(Syncthing, Nextcloud, rsync) carries to the others, and reads every machine's.

    <data dir>/devices/<device id>/2026-12.json   this device's December (only it writes here)
    <data dir>/devices/<other id>/2026-12.json    another's, as the sync last brought it
    <data dir>/.lock, engine.json, calendar.json  this machine's own, never shared

A file is only ever written by one machine, so a sync never meets two versions of it: no
conflict copies, no record lost between two rewrites of one file.
"""

from __future__ import annotations

import json
import os
import re

from walkbreak.machine import host_name
from walkbreak.store.records import MONTH_FILE
from walkbreak.store.storage import fsync_dir, write_atomically

DEVICES = "devices"
"""The folder of every device's month files (the part of the data dir a sync shares)."""
DEVICE_ID = re.compile(r"^[0-9a-f]{16}$")
MACHINE_ID_FILES = ("/etc/machine-id", "/var/lib/dbus/machine-id")


SYNC_IGNORE = ".stignore"
SHARE_ONLY_DEVICES = """// Written by walkbreak: when this data dir is a Syncthing folder, only the devices
// folder is shared; the lock, the engine's lease and the calendar's cache stay here.
.*
!/devices
*
"""


def write_sync_ignore(directory: str) -> None:
    """Leave Syncthing's ignore file in the data dir, unless there is one already (the user's)."""
    try:
        fd = os.open(os.path.join(directory, SYNC_IGNORE), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "w") as f:
        f.write(SHARE_ONLY_DEVICES)


def device_id(directory: str) -> str:
    """This device's id for the data dir at `directory`: the same on every start, different on
    another machine and for another data dir on this one (so a copied or synced data dir never
    makes two machines write the same files, and tests run two devices on one machine).

    Derived, not stored: a stored id would travel with a copied data dir. Hashed, so the
    machine's id (which systemd asks apps not to expose) does not appear in a shared folder.
    """
    try:  # here: only writers need the id; hashlib would load OpenSSL, 0.4x a bare start
        from _blake2 import blake2b
    except ImportError:
        from hashlib import blake2b

    key = _machine_id().encode()
    place = os.path.realpath(directory).encode()
    return blake2b(b"walkbreak device " + place, key=key[:64], digest_size=8).hexdigest()


def _machine_id() -> str:
    """The machine's id: systemd's (D-Bus's on older systems), else its network address."""
    for path in MACHINE_ID_FILES:
        try:
            with open(path) as f:
                found = f.read().strip()
        except OSError:
            continue
        if found:
            return found
    import uuid

    return f"{uuid.getnode():x}-{host_name()}"


NAME_FILE = "device.json"
"""In each device's folder: the machine's name, for the other devices to show."""


def write_name(folder: str) -> None:
    """Leave this machine's name in its folder, once (a write: the folder is this device's)."""
    path = os.path.join(folder, NAME_FILE)
    if not os.path.exists(path):
        write_atomically(path, json.dumps({"name": host_name()}))


def other_desks(directory: str, mine: str) -> list[tuple[str, float]]:
    """Every other device: its name and when its files last arrived here (the newest inode
    change: a sync puts each file in place anew), the latest first."""
    desks = []
    for folder in device_dirs(directory):
        if os.path.basename(folder) == mine:
            continue
        try:
            with open(os.path.join(folder, NAME_FILE), "rb") as f:
                name = json.loads(f.read()).get("name")
        except (OSError, ValueError, AttributeError):
            name = None
        try:
            arrived = max(
                entry.stat().st_ctime for entry in os.scandir(folder) if not entry.name.startswith(".")
            )
        except ValueError:  # no file yet
            continue
        desks.append((name if isinstance(name, str) and name else os.path.basename(folder)[:8], arrived))
    return sorted(desks, key=lambda desk: -desk[1])


def device_dirs(directory: str) -> list[str]:
    """Every device's folder under the data dir, in a fixed order (none before the first write)."""
    root = os.path.join(directory, DEVICES)
    try:
        names = os.listdir(root)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [os.path.join(root, name) for name in sorted(names) if DEVICE_ID.match(name)]


def legacy_months(directory: str) -> list[str]:
    """Month files kept in the data dir itself, as walkbreak did before devices (schema < 4)."""
    try:
        names = os.listdir(directory)
    except FileNotFoundError:
        return []
    return [os.path.join(directory, name) for name in sorted(names) if MONTH_FILE.match(name)]


def move_legacy(directory: str, mine: str) -> list[str]:
    """Move month files from the data dir itself into this device's folder (under the lock).

    Each move is one rename, so a crash leaves every file in one place or the other, and readers
    look in both. A name already taken in the device folder (cannot happen unless the user copied
    files there) leaves the old file where it is, still read, never overwritten.
    """
    moved = []
    for path in legacy_months(directory):
        target = os.path.join(mine, os.path.basename(path))
        if os.path.exists(target):
            continue
        os.rename(path, target)
        os.chmod(target, 0o600)  # owner-only, as walkbreak writes them (a copy may not be)
        moved.append(target)
    if moved:
        fsync_dir(mine)
        fsync_dir(directory)
    return moved
