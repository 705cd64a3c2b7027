"""The store: walkbreak's single source of truth, one TinyDB JSON file per month.

Every unit of work opens a fresh TinyDB on `AtomicJSONStorage`, so another process's writes
are always seen; writers hold one lock for the data dir around the whole read-modify-write,
so two processes never hand out the same document id or lose each other's records. A month
file costs only that month, so a write stays cheap however long the history grows.
"""

from __future__ import annotations

import errno
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta

from walkbreak.core.actions import Changes
from walkbreak.core.model import DayLog, Record, RecordKind
from walkbreak.core.plain_text import clean, shown
from walkbreak.core.settings import CarePlan
from walkbreak.errors import StoreError
from walkbreak.paths import DATA_ENV, in_the_way, make_private_dirs
from walkbreak.store.lock import FileLock, LockTimeout
from walkbreak.store.records import (
    SCHEMA_VERSION,
    TABLES,
    from_doc,
    migrate,
    plan_from_doc,
    plan_to_doc,
    to_doc,
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

META_TABLE = "_meta"
MONTH_FILE = re.compile(r"^(\d{4})-(\d{2})\.json$")
LOCK_FILE = ".lock"


class Batch:
    """Changes made in one unit of work, under the lock, to one month file."""

    def __init__(self, db: TinyDB, day: date) -> None:
        self._db = db
        self._day = day

    def add(self, record: Record) -> Record:
        """Insert a new record."""
        self._db.table(TABLES[type(record)]).insert(to_doc(record))
        return record

    def replace(self, record: Record) -> bool:
        """Overwrite the record with the same id; False when there is none."""
        table = self._db.table(TABLES[type(record)])
        from tinydb import where

        return bool(table.update(to_doc(record), where("id") == record.id))

    def remove(self, record: Record) -> bool:
        """Delete the record with this id; False when there is none."""
        from tinydb import where

        return bool(self._db.table(TABLES[type(record)]).remove(where("id") == record.id))

    def apply(self, changes: Changes) -> None:
        """Add and overwrite records as an answer decided (all in this batch's month)."""
        for record in (*changes.add, *changes.replace, *changes.remove):
            if f"{record.day:%Y-%m}" != f"{self._day:%Y-%m}":
                raise ValueError(f"{record!r} does not belong in the month of {self._day}")
        for record in changes.add:
            self.add(record)
        for record in changes.replace:
            if not self.replace(record):
                raise ValueError(f"no {type(record).__name__} with id {record.id} to replace")
        for record in changes.remove:
            self.remove(record)
        if changes.plan:
            self.set_plan(self.plan()._replace(**dict(changes.plan)))

    def plan(self) -> CarePlan:
        """The walk plan in force, as this month file holds it inside this unit of work."""
        meta = self._db.table(META_TABLE).get(doc_id=1)
        return plan_from_doc(meta.get("plan") if isinstance(meta, dict) else None)

    def set_plan(self, plan: CarePlan) -> None:
        """Keep `plan` as the walk in force (in this month file's `_meta`)."""
        meta = self._db.table(META_TABLE)
        if not meta.update({"plan": plan_to_doc(plan)}, doc_ids=[1]):
            from tinydb.table import Document

            meta.insert(Document({"schema": SCHEMA_VERSION, "plan": plan_to_doc(plan)}, doc_id=1))

    def day_log(self) -> DayLog:
        """The day's records as they stand inside this unit of work."""
        path: str = getattr(self._db.storage, "path", "?")
        tables = self._db.storage.read() or {}
        records = _records(tables, path, lambda _: None, self._day, self._day, seen=set())
        return DayLog.of(self._day, list(records))


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
        self._parsed: tuple[tuple[str, int, int, int], dict[str, dict[str, Any]] | None] | None = None

    def month_file(self, day: date) -> str:
        """The file holding `day`'s records."""
        return os.path.join(self.directory, f"{day:%Y-%m}.json")

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
        """One read-modify-write of `day`'s month file, under the lock."""
        path = self.month_file(day)
        try:
            with self._os_errors(writing=True):
                self._prepare_directory()
                with FileLock(os.path.join(self.directory, LOCK_FILE)):
                    remove_stale_temps(self.directory, os.path.basename(path))
                    db = self._open(path, locked=True)
                    try:
                        yield Batch(db, day)
                    finally:
                        db.close()
        except LockTimeout as err:
            raise StoreError(f"the data dir is busy: {err}; is another walkbreak stuck?") from None

    def check_writable(self, day: date) -> None:
        """Raise StoreError now, with the fix, if `day`'s records could not be written (for the
        engine and the dashboard, before they run all day on a data dir they cannot use)."""
        import tempfile  # here: it pulls in shutil and random, which `walkbreak status` does without

        with self.batch(day), self._os_errors(writing=True):
            # The lock and the month file may be writable in a dir that is not: every write makes
            # a temp file beside them (and the lease rewrites engine.json the same way).
            handle, probe = tempfile.mkstemp(dir=self.directory, prefix=".writable-")
            os.close(handle)
            os.remove(probe)

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
            path = self.month_file(month)
            with self._os_errors(writing=False):
                tables = self._tables(path, locked=False)
            for record in _records(tables or {}, path, self._warn_once, first, last, kinds, seen):
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

    def plan(self, today: date) -> CarePlan:
        """The walk plan in force: kept in the newest month file up to `today`'s month."""
        with self._os_errors(writing=False):
            months = self._months()
        for month in sorted((m for m in months if m <= today), reverse=True):
            try:
                tables = self._read_unlocked(self.month_file(month))
            except (DamagedFile, OSError):
                continue  # the next read of that month moves it aside and says so
            if tables is not None:
                migrate(tables, META_TABLE)  # read as upgraded, like the records
                return plan_from_doc(tables.get(META_TABLE, {}).get("1", {}).get("plan"))
        return CarePlan()

    def _read_unlocked(self, path: str) -> dict[str, dict[str, Any]] | None:
        """`read_tables` for reading only, remembering the last file parsed.

        `walkbreak status` reads the walk plan and then the day from the same month file; the
        second read reuses the first parse while the file is unchanged (a write replaces the
        file, so its inode, time or size differ). Writers always parse afresh under the lock.
        """
        try:
            info = os.stat(path)
        except FileNotFoundError:
            return None
        key = (path, info.st_ino, info.st_mtime_ns, info.st_size)
        if self._parsed is not None and self._parsed[0] == key:
            return self._parsed[1]
        tables = read_tables(path)
        self._parsed = (key, tables)
        return tables

    def _months(self) -> list[date]:
        """The first day of every month with a data file (none while the data dir does not exist).

        A data dir that cannot be listed raises, rather than look empty.
        """
        try:
            names = os.listdir(self.directory)
        except FileNotFoundError:
            return []
        months = []
        for name in names:
            match = MONTH_FILE.match(name)
            if match:
                months.append(date(int(match[1]), int(match[2]), 1))
        return months

    def changed_token(self, day: date) -> int:
        """A number that changes whenever `day`'s month file is rewritten (its mtime in ns)."""
        with self._os_errors(writing=False):
            try:
                return os.stat(self.month_file(day)).st_mtime_ns
            except FileNotFoundError:
                return 0

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
            raise _explain(self.directory, err, writing=writing) from None

    def _prepare_directory(self) -> None:
        """Create the data dir owner-only, and make an existing one owner-only."""
        make_private_dirs(self.directory)
        if os.stat(self.directory).st_mode & 0o077:
            os.chmod(self.directory, 0o700)

    def _open(self, path: str, *, locked: bool) -> TinyDB:
        """A TinyDB for one unit of work on `path`, after checking the file is usable.

        A damaged file is moved aside (under the lock) and a fresh one started.
        """
        from tinydb import TinyDB  # here: reading (`walkbreak status`) needs no TinyDB

        from walkbreak.store.tinydb_storage import AtomicJSONStorage

        tables = self._tables(path, locked=locked)
        if tables is None:
            tables = _new_file_tables()
            if locked:  # a new month starts with the plan in force at the end of the last one
                carried = self.plan(_month_of(path))
                if carried != CarePlan():
                    tables[META_TABLE]["1"]["plan"] = plan_to_doc(carried)
        storage = AtomicJSONStorage(path)
        storage.seed(tables)
        return TinyDB(storage=lambda: storage)

    def _tables(self, path: str, *, locked: bool) -> dict[str, dict[str, Any]] | None:
        """The tables of `path`, checked and upgraded to this schema (written so when `locked`);
        None when there is no such file. A damaged file is moved aside (under the lock)."""
        try:
            tables = read_tables(path) if locked else self._read_unlocked(path)
        except DamagedFile as damage:
            tables = self._recover(damage, locked)
        if tables is not None:
            _check_schema(path, tables)
            if locked and migrate(tables, META_TABLE) is not None:
                write_atomically(path, json.dumps(tables, ensure_ascii=False, separators=(",", ":")))
                import logging  # here: `walkbreak status` never writes, and logging costs it 7 ms

                logging.getLogger("walkbreak.store").info(
                    "%s was upgraded to data schema %d", path, SCHEMA_VERSION
                )
            elif not locked:
                migrate(tables, META_TABLE)  # read as upgraded; written so by the next write
        return tables

    def _recover(self, damage: DamagedFile, locked: bool) -> dict[str, dict[str, Any]] | None:
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
        aside = _free_name(f"{damage.path}.corrupt-{time.strftime('%Y%m%dT%H%M%S')}")
        os.rename(damage.path, aside)
        self.warn(
            f"walkbreak: {damage.path} could not be read ({damage.reason}). It was moved to "
            f"{aside} and a fresh file started; nothing was deleted."
        )
        return None


def _explain(directory: str, err: OSError, *, writing: bool) -> StoreError:
    """What went wrong with the data dir, and what to do about it, in one line."""
    culprit = err.filename if isinstance(err.filename, str) else directory
    if not os.path.lexists(culprit):  # a file it could not make there (a temp file, the lock)
        culprit = os.path.dirname(culprit) or directory
    use = "write to" if writing else "read"
    elsewhere = f"set {DATA_ENV} (or data.dir in the config) to a directory you own"
    if isinstance(err, (NotADirectoryError, FileExistsError)):
        blocker = in_the_way(directory)
        if blocker:
            what = "a link to nothing" if os.path.islink(blocker) else "a file"
            where = "is" if blocker == os.path.abspath(directory) else f"cannot be made: {blocker} is"
            return StoreError(
                f"the data dir {directory} {where} {what}, not a directory; move it away or {elsewhere}"
            )
    if err.errno == errno.ELOOP:
        return StoreError(
            f"cannot {use} the data dir {directory}: {culprit} is a symbolic link; walkbreak does not "
            "follow links for its lock and lease files (one could make it write elsewhere): remove it"
        )
    if isinstance(err, IsADirectoryError):
        return StoreError(
            f"cannot {use} the data dir {directory}: {culprit} is a directory where walkbreak keeps a "
            "file; move it out of the data dir"
        )
    if isinstance(err, PermissionError):
        closed = _closed_parent(directory)
        if closed:
            return StoreError(
                f"cannot {use} the data dir {directory}: {closed} is closed to you (permission "
                f"denied); open it to your user (chmod or chown {closed}) or {elsewhere}"
            )
        if not os.path.lexists(directory):
            return StoreError(
                f"cannot create the data dir {directory}: permission denied on {culprit}; create it "
                f"yourself, as your user, or {elsewhere}"
            )
        on = "" if culprit == directory else f" on {culprit}"
        return StoreError(
            f"cannot {use} the data dir {directory}: permission denied{on}; make it yours and "
            f'{"writable" if writing else "readable"} (chown -R "$USER" {directory} && chmod -R u+rwX '
            f"{directory}) or {elsewhere}"
        )
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return StoreError(
            f"cannot write to the data dir {directory}: the disk is full ({err.strerror}); every record "
            "already there is kept. Free some space and try again, or " + elsewhere
        )
    if err.errno == errno.EROFS:
        return StoreError(
            f"cannot write to the data dir {directory}: it is on a read-only file system; mount it "
            f"writable or {elsewhere}"
        )
    return StoreError(
        f"cannot {use} the data dir {directory}: {err.strerror or err} ({culprit}); fix that or {elsewhere}"
    )


def _closed_parent(directory: str) -> str:
    """The first directory above `directory` that this user cannot pass through; "" if none."""
    path = os.path.abspath(directory)
    parts = []
    while os.path.dirname(path) != path:
        path = os.path.dirname(path)
        parts.append(path)
    for part in reversed(parts):
        if os.path.isdir(part) and not os.access(part, os.X_OK):
            return part
    return ""


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


def _records(
    tables: dict[str, dict[str, Any]],
    path: str,
    warn: Callable[[str], None],
    first: date,
    last: date,
    kinds: tuple[RecordKind, ...] = tuple(TABLES),
    seen: set[tuple[str, str]] | None = None,
) -> Iterator[Record]:
    """The readable records of days `first` to `last` in the file; unreadable ones are reported.

    Days are compared as ISO strings before any record is decoded, so a month of history
    costs a parse, not thousands of record objects. A record in the wrong month file, or with
    the id of one already read (`seen`: kind and id), is skipped: it would be counted twice.
    """
    low, high = first.isoformat(), last.isoformat()
    match = MONTH_FILE.match(os.path.basename(path))
    month = (int(match[1]), int(match[2])) if match else None
    seen = set() if seen is None else seen
    for kind in kinds:
        name = TABLES[kind]
        for doc in tables.get(name, {}).values():
            day = doc.get("day")
            if not (isinstance(day, str) and low <= day <= high):
                continue
            record = _decode(kind, doc, path, warn)
            if record is None:
                continue
            elsewhere = month is not None and (record.day.year, record.day.month) != month
            if elsewhere or (name, record.id) in seen:
                why = "belongs in another month's file" if elsewhere else f"repeats the id {shown(record.id)}"
                warn(f"walkbreak: a {name} record in {path} {why}; it stays in the file, unused.")
                continue
            seen.add((name, record.id))
            yield record


def _decode(kind: RecordKind, doc: dict[str, Any], path: str, warn: Callable[[str], None]) -> Record | None:
    """A record from its document, or None (with a warning) when it cannot be read."""
    try:
        return from_doc(kind, doc)
    except (KeyError, TypeError, ValueError, OverflowError) as err:
        why = clean(str(err))[:300]
        warn(
            f"walkbreak: a {TABLES[kind]} record in {path} could not be read ({why}); it stays in the file, "
            "unused."
        )
        return None


def _free_name(path: str) -> str:
    """`path`, or `path-2`, `path-3`… whichever does not exist yet."""
    candidate, n = path, 1
    while os.path.exists(candidate):
        n += 1
        candidate = f"{path}-{n}"
    return candidate
