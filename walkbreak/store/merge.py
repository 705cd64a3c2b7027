"""One month as every device wrote it: the month files of all devices merged by record id.

A record another device changed or removed is written again, whole, into this device's own
file with the time it was written (`w`, microseconds since the epoch); a removal is a
document with just the id, the day and `removed`. For each id the latest write wins, the
device id breaking a tie, so every device merges the same files into the same records. A
document from before devices (no `w`) is older than any written since. One rule knows what it
merges: a prompt's answer stands over the same prompt sent again, or seen to lapse, by a desk
that had not yet received the answer (`_stage`).
"""

from __future__ import annotations

import time

from walkbreak.core.model import Outcome
from walkbreak.store.records import META_TABLE, REMOVED, WRITTEN

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see core/named_tuple.py)
if TYPE_CHECKING:
    from typing import Any

    Tables = dict[str, dict[str, Any]]


def written_now() -> int:
    """The `w` of a document written now: the wall clock, which is what two machines share."""
    return time.time_ns() // 1000


def _written(doc: Any) -> int:
    value = doc.get(WRITTEN) if isinstance(doc, dict) else None
    return value if type(value) is int else 0


def _rank(name: str, doc: dict[str, Any], device: str) -> tuple[int, int, str]:
    """Which version of a record stands: the highest rank (see `_stage`, then `w`, then device)."""
    return (_stage(name, doc), _written(doc), device)


def _stage(name: str, doc: dict[str, Any]) -> int:
    """How far a prompt has gone: sent (0), put off or back from a snooze (1), lapsed unanswered
    (2), answered or removed (3). Two desks send the same prompt, and each may write a step
    before the other's later step has arrived: a desk that sends it late must not undo the
    answer, nor a desk that saw it lapse the answer given on the other, whatever the clocks say."""
    if name != "prompts":
        return 0
    if doc.get(REMOVED) or doc.get("outcome") in ANSWERED:
        return 3
    if doc.get("outcome") is not None:
        return 2
    return 1 if doc.get("snoozes") or doc.get("shown_at") else 0


ANSWERED = (Outcome.WALKED, Outcome.SKIPPED)


def merge(files: list[tuple[str, Tables]], first: str = "", last: str = "\uffff") -> Tables:
    """The records of days `first` to `last` (ISO dates; all by default) of one month, from each
    device's file (`(device id, tables)`, any order); one file is taken as it is (the reader
    picks the days, as it must from any file).

    Returns the record tables as one file would hold them: each record once, as last written. A
    record last written as removed is there as its removal (`removed`): the reader skips it.
    """
    if len(files) == 1:  # one device, one version of each record: the file as it is
        return {name: table for name, table in files[0][1].items() if name != META_TABLE}
    winners: dict[tuple[str, str], tuple[tuple[int, int, str], Any]] = {}
    others: dict[str, list[Any]] = {}  # documents without an id: left for the reader to refuse
    for device, tables in files:
        for name, table in tables.items():
            if name == META_TABLE:
                continue
            for doc in table.values():
                if not _on(doc, first, last):
                    continue
                key = doc.get("id")
                if not isinstance(key, str):
                    others.setdefault(name, []).append(doc)
                    continue
                rank = _rank(name, doc, device)
                held = winners.get((name, key))
                if held is None or rank > held[0]:
                    winners[(name, key)] = (rank, doc)
    merged: Tables = {}
    for (name, _), (_, doc) in winners.items():
        table = merged.setdefault(name, {})
        table[str(len(table) + 1)] = doc
    for name, docs in others.items():
        table = merged.setdefault(name, {})
        for doc in docs:
            table[str(len(table) + 1)] = doc
    return merged


def _on(doc: dict[str, Any], first: str, last: str) -> bool:
    """Whether the document is of a day from `first` to `last` (one without a day is not)."""
    day = doc.get("day")
    return isinstance(day, str) and first <= day <= last


def plan_of(files: list[tuple[str, Tables]]) -> Any:
    """The walk plan last set on any device (a month file keeps it in `_meta`), or None."""
    best: tuple[int, str, Any] | None = None
    for device, tables in files:
        meta = tables.get(META_TABLE, {}).get("1")
        found = meta.get("plan") if isinstance(meta, dict) else None
        if isinstance(found, dict) and (best is None or (_written(found), device) > best[:2]):
            best = (_written(found), device, found)
    return None if best is None else best[2]


def latest(files: list[tuple[str, Tables]], name: str, key: str, *, removals: bool = False) -> Any:
    """The document that stands for record `key` of table `name` across `files`: the one last
    written, or None when no file has it or (unless `removals`) its last write removed it."""
    best: tuple[tuple[int, int, str], Any] | None = None
    for device, tables in files:
        for doc in tables.get(name, {}).values():
            if isinstance(doc, dict) and doc.get("id") == key:
                rank = _rank(name, doc, device)
                if best is None or rank > best[0]:
                    best = (rank, doc)
    return None if best is None or (best[1].get(REMOVED) and not removals) else best[1]


def written_after(doc: Any) -> int:
    """The `w` of a write that replaces `doc`: now, or just after `doc` if another machine's
    clock ran ahead, so an edit always wins over the version it edited."""
    return max(written_now(), _written(doc) + 1)
