"""One unit of work on one month file, under the data dir's lock: the changes it makes."""

from __future__ import annotations

from datetime import date

from walkbreak.core.actions import Changes
from walkbreak.core.model import DayLog, Record
from walkbreak.core.settings import CarePlan
from walkbreak.store.records import (
    META_TABLE,
    SCHEMA_VERSION,
    TABLES,
    plan_from_doc,
    plan_to_doc,
    records_in,
    to_doc,
)

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see core/named_tuple.py)
if TYPE_CHECKING:
    from tinydb import TinyDB


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
        records = records_in(tables, path, lambda _: None, self._day, self._day, seen=set())
        return DayLog.of(self._day, list(records))
