"""The store: the month files (`month_files.Store`, the one source of truth), the records in them
(`records`), their atomic JSON storage (`storage`, and TinyDB's for writes in `tinydb_storage`),
the data dir's lock (`lock`) and the engine's lease on it (`lease`)."""

from walkbreak.store.month_files import Store

__all__ = ["Store"]
