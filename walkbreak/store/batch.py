"""One unit of work on this device's month file, under the data dir's lock: the changes it makes.

What it reads is the month as every device wrote it (`merge`); what it writes goes into this
device's file only, each document stamped with when it was written.
"""

from __future__ import annotations

from datetime import date

from walkbreak.core.actions import Changes
from walkbreak.core.model import DayLog, Record
from walkbreak.core.settings import CarePlan
from walkbreak.store.merge import latest, merge, plan_of, written_after
from walkbreak.store.records import (
    META_TABLE,
    REMOVED,
    SCHEMA_VERSION,
    TABLES,
    WRITTEN,
    plan_from_doc,
    plan_to_doc,
    records_in,
    to_doc,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see core/named_tuple.py)
if TYPE_CHECKING:
    from typing import Any

    from tinydb import TinyDB

    Files = list[tuple[str, dict[str, dict[str, Any]]]]


class Batch:
    """Changes made in one unit of work, under the lock, to this device's month file.

    Args:
        db: the TinyDB on this device's file for the month.
        day: a day of the month.
        device: this device's id.
        others: the month files of the other devices (and one from before devices), as read.
    """

    def __init__(self, db: TinyDB, day: date, device: str = "", others: Files | None = None) -> None:
        self._db = db
        self._day = day
        self._device = device
        self._others = list(others or [])

    def _files(self) -> Files:
        return [*self._others, (self._device, self._db.storage.read() or {})]

    def _write(self, record: Record, doc: dict[str, Any]) -> None:
        """Put `doc` as this device's version of `record` (in place of its own older one)."""
        from tinydb import where

        table = self._db.table(TABLES[type(record)])
        table.remove(where("id") == record.id)
        table.insert(doc)

    def add(self, record: Record) -> Record:
        """Insert a new record."""
        doc = to_doc(record)
        before = latest(self._files(), TABLES[type(record)], record.id, removals=True)
        # After its removal, when an undo puts it back (on whichever desk removed it).
        doc[WRITTEN] = written_after(before)
        if before is None:  # the usual new record: no version of it to put this in place of
            self._db.table(TABLES[type(record)]).insert(doc)
        else:
            self._write(record, doc)
        return record

    def replace(self, record: Record) -> bool:
        """Overwrite the record with the same id (whichever device wrote it); False when there is none."""
        current = latest(self._files(), TABLES[type(record)], record.id)
        if current is None:
            return False
        doc = to_doc(record)
        doc[WRITTEN] = written_after(current)
        self._write(record, doc)
        return True

    def remove(self, record: Record) -> bool:
        """Delete the record with this id; False when there is none. What is written is the
        removal, so the devices that have the record drop it too."""
        current = latest(self._files(), TABLES[type(record)], record.id)
        if current is None:
            return False
        removal = {"v": SCHEMA_VERSION, "id": record.id, "day": record.day.isoformat(), REMOVED: True}
        removal[WRITTEN] = written_after(current)
        self._write(record, removal)
        return True

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

    def _plan_doc(self) -> Any:
        return plan_of(self._files())

    def plan(self) -> CarePlan:
        """The walk plan in force, as the month's files hold it inside this unit of work."""
        return plan_from_doc(self._plan_doc())

    def set_plan(self, plan: CarePlan) -> None:
        """Keep `plan` as the walk in force (in this device's file's `_meta`, stamped)."""
        doc = plan_to_doc(plan)
        doc[WRITTEN] = written_after(self._plan_doc())
        meta = self._db.table(META_TABLE)
        if not meta.update({"plan": doc}, doc_ids=[1]):
            from tinydb.table import Document

            meta.insert(Document({"schema": SCHEMA_VERSION, "plan": doc}, doc_id=1))

    def day_log(self) -> DayLog:
        """The day's records as they stand inside this unit of work."""
        path: str = getattr(self._db.storage, "path", "?")
        day = self._day.isoformat()
        records = records_in(
            merge(self._files(), day, day), path, lambda _: None, self._day, self._day, seen=set()
        )
        return DayLog.of(self._day, list(records))
