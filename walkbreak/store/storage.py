"""Data files read whole and checked, and written so that no crash leaves a half-written file:
a temp file in the same directory, fsynced and renamed over the old one, so a reader sees
either the old file or the new one, never a mix.
"""

from __future__ import annotations

import contextlib
import json
import os

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see core/named_tuple.py)
if TYPE_CHECKING:
    from typing import Any

TEMP_SUFFIX = ".tmp"

LARGEST_FILE = 4 * 1024 * 1024
"""Bytes: a month of walks, prompts and check-ins is under 100 kB; a file forty times that is not
walkbreak's (a 73 MB one took `log` 10 s and 870 MB), so it is moved aside unread."""


class DamagedFile(Exception):
    """A data file that is not a walkbreak JSON document; `reason` says what is wrong."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def read_tables(path: str) -> dict[str, dict[str, Any]] | None:
    """Parse a data file into its tables; None when it does not exist.

    Raises:
        DamagedFile: the file is empty, not JSON, or not a table of tables.
    """
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > LARGEST_FILE:
                raise DamagedFile(
                    path, f"it is {size / 1024 / 1024:.0f} MB; a month of walks is well under 1 MB"
                )
            raw = f.read()
    except FileNotFoundError:
        return None
    if not raw.strip():
        raise DamagedFile(path, "the file is empty")
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as err:
        raise DamagedFile(path, f"not valid JSON ({err})") from None
    if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
        raise DamagedFile(path, "not a walkbreak data file (expected tables of records)")
    for name, table in data.items():
        if not all(isinstance(doc, dict) for doc in table.values()):
            raise DamagedFile(path, f"table {name!r} holds something that is not a record")
        # TinyDB int()s the numbers; '²'.isdigit() is True, int('²') fails
        if not all(key.isascii() and key.isdigit() for key in table):
            raise DamagedFile(path, f"table {name!r} has a record whose number is not a number")
    return data


def write_atomically(path: str, content: str) -> None:
    """Write `content` to `path` so that a crash leaves either the old file or the new one.

    The file is created owner-only (0600). A temp file left by a writer that died is named
    `.<name>.<pid>.<random>.tmp`; `remove_stale_temps` clears them under the store's lock.
    """
    directory, name = os.path.split(path)
    temp = os.path.join(directory, f".{name}.{os.getpid()}.{os.urandom(6).hex()}{TEMP_SUFFIX}")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content.encode("utf-8"))
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException:
        _unlink(temp)
        raise
    fsync_dir(directory or ".")


def fsync_dir(directory: str) -> None:
    """Make a rename in `directory` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def remove_stale_temps(directory: str, name: str) -> None:
    """Delete temp files of `name` left by writers that died. Call only under the lock."""
    prefix = f".{name}."
    with os.scandir(directory) as entries:
        for entry in entries:
            if entry.name.startswith(prefix) and entry.name.endswith(TEMP_SUFFIX):
                _unlink(entry.path)


def _unlink(path: str) -> None:
    """Delete a file that may already be gone."""
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
