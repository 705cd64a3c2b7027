"""A TinyDB storage that never leaves a half-written file and always reads what is on disk.

TinyDB's stock JSONStorage keeps a handle open and rewrites the file in place, so a crash
mid-write corrupts it and a second process reads stale data. This one reads the file for each
unit of work and writes through `storage.write_atomically`. Only writes use TinyDB: reading
(`walkbreak status`) parses the file itself and does not import it.
"""

from __future__ import annotations

import json
from typing import Any

from tinydb.storages import Storage

from walkbreak.store.storage import read_tables, write_atomically


class AtomicJSONStorage(Storage):
    """JSON in one file, replaced atomically once per unit of work.

    A TinyDB instance with this storage is meant for one unit of work: the first read is kept
    for the rest of that unit, so several table operations parse the file once, and what they
    write is kept until `flush` writes it all at once. A reader (which takes no lock) never sees
    half of a unit of work (a walk added but its prompt not yet answered), and a unit that fails
    part-way writes nothing. Units of work that write hold the store's lock, so nothing else
    changes the file underneath.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._snapshot: dict[str, dict[str, Any]] | None = None
        self._unwritten = False

    def seed(self, tables: dict[str, dict[str, Any]]) -> None:
        """Start the unit of work from tables the caller has just read (and checked)."""
        self._snapshot = tables

    def read(self) -> dict[str, dict[str, Any]] | None:
        """The file's tables, or None when the file does not exist yet."""
        if self._snapshot is None:
            self._snapshot = read_tables(self.path)
        return self._snapshot

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        """Keep `data` as the unit of work's tables, for `flush`."""
        self._snapshot = data
        self._unwritten = True

    def flush(self) -> None:
        """Replace the file with the unit of work's tables: temp file, fsync, rename, fsync the
        directory (nothing when the unit changed nothing)."""
        if self._unwritten and self._snapshot is not None:
            write_atomically(self.path, json.dumps(self._snapshot, ensure_ascii=False, separators=(",", ":")))
        self._unwritten = False

    def close(self) -> None:
        """Nothing stays open between units of work; what `flush` did not write is dropped."""
        self._snapshot = None
        self._unwritten = False
