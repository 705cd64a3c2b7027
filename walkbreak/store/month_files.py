"""The store: walkbreak's single source of truth, one TinyDB JSON file per month.

Every unit of work opens a fresh TinyDB on `AtomicJSONStorage`, so another process's writes
are always seen; writers hold one lock for the data dir around the whole read-modify-write,
so two processes never hand out the same document id or lose each other's records. A month
file costs only that month, so a write stays cheap however long the history grows.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from walkbreak.core.model import DayLog, Record, RecordKind
from walkbreak.core.settings import CarePlan
from walkbreak.errors import StoreError
from walkbreak.paths import make_private_dirs
from walkbreak.store.devices import (
    DEVICES,
    device_dirs,
    device_id,
    legacy_months,
    move_legacy,
    other_desks,
    write_name,
    write_sync_ignore,
)
from walkbreak.store.lock import FileLock, LockTimeout
from walkbreak.store.merge import merge, plan_of
from walkbreak.store.records import (
    META_TABLE,
    MONTH_FILE,
    SCHEMA_VERSION,
    TABLES,
    migrate,
    plan_from_doc,
    records_in,
)
from walkbreak.store.storage import (
    DamagedFile,
    read_tables,
    remove_stale_temps,
    write_atomically,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see core/named_tuple.py)
if TYPE_CHECKING:
    from typing import Any

    from tinydb import TinyDB

    from walkbreak.store.batch import Batch
    from walkbreak.store.tinydb_storage import AtomicJSONStorage

    Tables = dict[str, dict[str, Any]]
    Files = list[tuple[str, Tables]]

LOCK_FILE = ".lock"


class Store:
    """Bouts, prompts, check-ins and control events, kept in the data dir.

    Args:
        directory: the data dir (created 0700 on the first write).
        warn: called with a message when a damaged file is moved aside or a record is unreadable.
    """

    def __init__(self, directory: str | os.PathLike[str], warn: Callable[[str], None]) -> None:
        self.directory = os.fspath(directory)
        self.warn = warn
        self._warned: set[str] = set()
        self._device: str | None = None
        self._parsed: tuple[tuple[tuple[str, int, int, int], ...], Files, str] | None = None
        """The last month read (its files' stamps, their tables, where), for `_month`."""

    @property
    def device(self) -> str:
        """This device's id: its month files are in `devices/<id>/` (see `devices`)."""
        if self._device is None:
            self._device = device_id(self.directory)
        return self._device

    def month_file(self, day: date) -> str:
        """This device's file for `day`'s month (the one it writes)."""
        return os.path.join(self.directory, DEVICES, self.device, f"{day:%Y-%m}.json")

    def _month_files(self, month: date) -> list[tuple[str, str]]:
        """Every file holding `month`'s records, with its device id ("" for the data dir's own,
        from before devices): that one first, so a file moved into a device's folder while
        this reads is found there."""
        name = f"{month:%Y-%m}.json"
        found = [("", os.path.join(self.directory, name))]
        found += [(os.path.basename(d), os.path.join(d, name)) for d in device_dirs(self.directory)]
        return found

    # Writing

    def add(self, record: Record) -> Record:
        """Insert one record in its day's month file."""
        with self.batch(record.day) as batch:
            return batch.add(record)

    def replace(self, record: Record) -> bool:
        """Overwrite the record with the same id and day; False when there is none."""
        with self.batch(record.day) as batch:
            return batch.replace(record)

    def remove(self, record: Record) -> bool:
        """Delete the record with this id and day; False when there is none."""
        with self.batch(record.day) as batch:
            return batch.remove(record)

    @contextmanager
    def batch(self, day: date) -> Iterator[Batch]:
        """One read-modify-write of this device's file for `day`'s month, under the lock, with
        the other devices' files for that month read beside it."""
        from walkbreak.store.batch import Batch  # here: `status` only reads

        path = self.month_file(day)
        with self._locked(path):
            others = []
            for device, other in self._month_files(day):
                if other != path and (tables := self._tables(other, device, locked=True)) is not None:
                    others.append((device, tables))
            db, storage = self._open(path, locked=True)
            try:
                yield Batch(db, day, self.device, others)
                storage.flush()  # all of it at once, and only if all of it worked
            finally:
                db.close()

    def check_writable(self, day: date) -> None:
        """Raise StoreError now, with the fix, if `day`'s records could not be written (for the
        engine and the dashboard, before they run all day on a data dir they cannot use)."""
        import tempfile  # here: it pulls in shutil and random, which `walkbreak status` does without

        path = self.month_file(day)
        with self._locked(path):
            self._tables(path, self.device, locked=True)  # one from a newer walkbreak: StoreError
            # The lock and the month file may be writable in a dir that is not: every write makes
            # a temp file beside them (and the lease rewrites engine.json the same way).
            for directory in (self.directory, os.path.dirname(path)):
                handle, probe = tempfile.mkstemp(dir=directory, prefix=".writable-")
                os.close(handle)
                os.remove(probe)

    @contextmanager
    def _locked(self, path: str) -> Iterator[None]:
        """Under the data dir's lock, to write this device's `path`: its folder made, files from
        before devices moved into it, temp files a crashed writer left removed."""
        mine = os.path.dirname(path)
        try:
            with self._os_errors(writing=True):
                self.prepare_directory()
                with FileLock(os.path.join(self.directory, LOCK_FILE)):
                    move_legacy(self.directory, mine)
                    remove_stale_temps(mine, os.path.basename(path))
                    yield
        except LockTimeout as err:
            raise StoreError(f"the data dir is busy: {err}; is another walkbreak stuck?") from None

    # Reading

    def day(self, day: date) -> DayLog:
        """Everything recorded on `day`."""
        return self.days(day, day)[day]

    def days(
        self, first: date, last: date, kinds: tuple[RecordKind, ...] = tuple(TABLES)
    ) -> dict[date, DayLog]:
        """A DayLog for every day from `first` to `last` inclusive (empty where nothing was logged).

        `kinds` limits which records are read, e.g. `(Bout,)` for tallies over long spans.
        """
        by_day: dict[date, list[Record]] = {}
        month = first.replace(day=1)
        seen: set[tuple[str, str]] = set()
        while month <= last:
            with self._os_errors(writing=False):
                files, where = self._month(month)
            tables = merge(files, first.isoformat(), last.isoformat()) if files else {}
            for record in records_in(tables, where, self._warn_once, first, last, kinds, seen):
                by_day.setdefault(record.day, []).append(record)
            month = (month + timedelta(days=32)).replace(day=1)
        count = (last - first).days + 1
        days = (first + timedelta(days=n) for n in range(max(count, 0)))
        return {d: DayLog.of(d, by_day.get(d, [])) for d in days}

    def _warn_once(self, message: str) -> None:
        """Warn about an unreadable record once per process (the engine re-reads every poll)."""
        if message not in self._warned:
            self._warned.add(message)
            self.warn(message)

    def first_month(self) -> date | None:
        """The first day of the earliest month with a data file, or None when there is none."""
        with self._os_errors(writing=False):
            return min(self._months(), default=None)

    def first_day(self) -> date | None:
        """The first day with a record of any kind, or None before the first: history counts
        from it (the days before walkbreak was used are not days without walks)."""
        with self._os_errors(writing=False):
            months = sorted(self._months())
        for month in months:
            end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            days = [day for day, log in self.days(month, end).items() if log.records]
            if days:
                return days[0]
        return None

    def plan(self, today: date) -> CarePlan:
        """The walk plan in force: the one last set, in the newest month up to `today`'s."""
        return plan_from_doc(self._plan_doc(today))

    def _plan_doc(self, today: date) -> Any:
        with self._os_errors(writing=False):
            months = self._months()
        for month in sorted((m for m in months if m <= today), reverse=True):
            with self._os_errors(writing=False):
                files, _ = self._month(month)
            if files:
                return plan_of(files)
        return None

    def _month(self, month: date) -> tuple[Files, str]:
        """Every device's file of the month, read and upgraded to this schema (for `merge`), and
        where they were read (for warnings: the file, when only one).

        `walkbreak status` reads the walk plan and then the day from the same month; the second
        read reuses the first while no file changed. Writers always read afresh under the lock.
        """
        files = self._stamps(month)
        key = tuple(stamp for _, _, stamp in files)
        if self._parsed is not None and self._parsed[0] == key:
            return self._parsed[1:]
        read = [
            (device, tables)
            for device, path, _ in files
            if (tables := self._tables(path, device)) is not None
        ]
        where = (
            files[0][1]
            if len(files) == 1
            else os.path.join(self.directory, DEVICES, "*", f"{month:%Y-%m}.json")
        )
        self._parsed = (key, read, where)
        return read, where

    def _months(self) -> list[date]:
        """The first day of every month with a data file of any device (none while the data dir
        does not exist). A data dir that cannot be listed raises, rather than look empty."""
        names = {os.path.basename(path) for path in legacy_months(self.directory)}
        for folder in device_dirs(self.directory):
            names.update(os.listdir(folder))
        months = []
        for name in names:
            match = MONTH_FILE.match(name)
            if match:
                months.append(date(int(match[1]), int(match[2]), 1))
        return months

    def other_desks(self) -> list[tuple[str, float]]:
        """The other devices sharing this data dir: name and when their files last arrived."""
        with self._os_errors(writing=False):
            return other_desks(self.directory, self.device)

    def changed_token(self, day: date) -> int:
        """A number that changes whenever a file of `day`'s month is written, by any device."""
        with self._os_errors(writing=False):
            stamps = tuple(stamp for _, _, stamp in self._stamps(day))
        return hash(stamps) if stamps else 0

    def _stamps(self, month: date) -> list[tuple[str, str, tuple[str, int, int, int]]]:
        """The files of `month` that exist, each with its device and what changes when it is
        written (a write replaces a file, so its inode, time or size differ)."""
        found = []
        for device, path in self._month_files(month):
            try:
                info = os.stat(path)
            except FileNotFoundError:
                continue
            found.append((device, path, (path, info.st_ino, info.st_mtime_ns, info.st_size)))
        return found

    # Inside

    @contextmanager
    def _os_errors(self, *, writing: bool) -> Iterator[None]:
        """Turn what the file system refuses (permissions, a file where the data dir should be, a
        full disk) into a StoreError that names the data dir and says what to do."""
        try:
            yield
        except BrokenPipeError:
            raise  # a closed stdout is not about the data
        except OSError as err:
            from walkbreak.store.os_errors import explain  # only when something went wrong

            raise explain(self.directory, err, writing=writing) from None

    def prepare_directory(self) -> None:
        """Create the data dir and this device's folder owner-only (with Syncthing's ignore file,
        for when the data dir is shared), and make an existing data dir owner-only."""
        mine = os.path.join(self.directory, DEVICES, self.device)
        make_private_dirs(mine)
        write_sync_ignore(self.directory)
        write_name(mine)
        if os.stat(self.directory).st_mode & 0o077:
            os.chmod(self.directory, 0o700)

    def _open(self, path: str, *, locked: bool) -> tuple[TinyDB, AtomicJSONStorage]:
        """A TinyDB for one unit of work on this device's `path`, after checking the file is usable.

        A damaged file is moved aside (under the lock) and a fresh one started.
        """
        from tinydb import TinyDB  # here: reading (`walkbreak status`) needs no TinyDB

        from walkbreak.store.tinydb_storage import AtomicJSONStorage

        tables = self._tables(path, self.device, locked=locked)
        if tables is None:
            tables = _new_file_tables()
            if locked:  # a new month starts with the plan in force at the end of the last one
                carried = self._plan_doc(_month_of(path))
                if carried is not None:
                    tables[META_TABLE]["1"]["plan"] = carried
        storage = AtomicJSONStorage(path)
        storage.seed(tables)
        return TinyDB(storage=lambda: storage), storage

    def _tables(self, path: str, device: str, *, locked: bool = False) -> Tables | None:
        """The tables of `path` (written by `device`), checked and upgraded to this schema;
        None when there is no such file.

        This device's file (or one from before devices) that is damaged is moved aside (under
        the lock), and one from a newer walkbreak stops the store; another device's is left
        out with a warning: it is that device's to mend, and the sync would carry a move back.
        Under the lock, this device's file is written upgraded.
        """
        try:
            tables = read_tables(path)
        except DamagedFile as damage:
            if device and device != self.device:
                self._warn_once(
                    f"walkbreak: {path} could not be read ({damage.reason}); another device wrote it, "
                    "so it is left as it is and its records are not counted."
                )
                return None
            tables = self._recover(damage, locked)
        if tables is None:
            return None
        try:
            _check_schema(path, tables)
        except StoreError as newer:
            if device and device != self.device:
                self._warn_once(f"walkbreak: {newer}")
                return None
            raise
        if migrate(tables, META_TABLE) is not None and locked and device == self.device:
            write_atomically(path, json.dumps(tables, ensure_ascii=False, separators=(",", ":")))
            import logging  # here: `walkbreak status` never writes, and logging costs it 7 ms

            logging.getLogger("walkbreak.store").info(
                "%s was upgraded to data schema %d", path, SCHEMA_VERSION
            )
        return tables

    def _recover(self, damage: DamagedFile, locked: bool) -> Tables | None:
        """Move a damaged file aside and tell the user; returns what the path holds now."""
        if not locked:
            if not os.path.exists(self.directory):
                return None
            with FileLock(os.path.join(self.directory, LOCK_FILE)):
                return self._recover(damage, locked=True)
        try:
            return read_tables(damage.path)  # another process may have recovered it already
        except DamagedFile:
            pass
        except FileNotFoundError:
            return None
        aside = _free_name(f"{damage.path}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
        os.rename(damage.path, aside)
        self.warn(
            f"walkbreak: {damage.path} could not be read ({damage.reason}). It was moved to "
            f"{aside} and a fresh file started; nothing was deleted."
        )
        return None


def _month_of(path: str) -> date:
    """The first day of the month a month file holds."""
    match = MONTH_FILE.match(os.path.basename(path))
    assert match is not None
    return date(int(match[1]), int(match[2]), 1)


def _new_file_tables() -> dict[str, dict[str, Any]]:
    """The tables of a month file that does not exist yet: just its schema version."""
    return {META_TABLE: {"1": {"schema": SCHEMA_VERSION, "created": datetime.now().astimezone().isoformat()}}}


def _check_schema(path: str, tables: dict[str, dict[str, Any]]) -> None:
    """Refuse a file written by a newer walkbreak rather than rewrite it."""
    meta = tables.get(META_TABLE, {}).get("1", {})
    version = meta.get("schema", SCHEMA_VERSION)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer walkbreak (data schema {version!r}; this one reads up "
            f"to {SCHEMA_VERSION}). It was left untouched; upgrade walkbreak to use it."
        )


def _free_name(path: str) -> str:
    """`path`, or `path-2`, `path-3`… whichever does not exist yet."""
    candidate, n = path, 1
    while os.path.exists(candidate):
        n += 1
        candidate = f"{path}-{n}"
    return candidate
