"""The busy list kept in the data dir (`calendar.json`, owner-only): what `status`, the
dashboard and the engine read. Reading it is json only, never a calendar parse, so the status
path stays fast; `walkbreak.calendar.refresh` writes it. It lies beside the month files, where
the engines watch for writes: a viewer sees a new list at once."""

from __future__ import annotations

import json
import os
from datetime import date, datetime

from walkbreak.core.busy import Busy, on_day
from walkbreak.core.named_tuple import NamedTuple
from walkbreak.core.settings import CalendarSettings

FOLDER = "calendar"
"""Where the addresses' last good copies are kept."""
FILE = "calendar.json"


class SourceState(NamedTuple):
    """What the last refresh of one source found.

    Attributes:
        read_at: when it was last read or fetched with success (ISO), "" never.
        error: why the last try failed ("" when it worked): its busy time is then the last
            good copy's.
        tried_at: when it was last tried (ISO).
        signature: for a path, its files' names, change times and sizes when read (as text).
        etag, modified: for an address, the validators of the copy kept.
        blocks: how many busy blocks it gave in the days covered.
    """

    read_at: str = ""
    error: str = ""
    tried_at: str = ""
    signature: str = ""
    etag: str = ""
    modified: str = ""
    blocks: int = 0


class Cached(NamedTuple):
    """The busy list: blocks over `days` days from `first`, the state of each source, and the
    rules and sources it was made with (a change to either makes it stale)."""

    first: date | None = None
    days: int = 0
    busy: tuple[Busy, ...] = ()
    sources: dict[str, SourceState] = {}
    made_with: str = ""


def folder(data_dir: str) -> str:
    return os.path.join(data_dir, FOLDER)


def load(data_dir: str) -> Cached:
    """The busy list as last written; empty when there is none or it cannot be read (the next
    refresh writes it again: it holds nothing that is not in the calendars)."""
    try:
        with open(os.path.join(data_dir, FILE), encoding="utf-8") as f:
            raw = json.load(f)
        return Cached(
            date.fromisoformat(raw["first"]),
            int(raw["days"]),
            tuple(
                Busy(datetime.fromisoformat(start), datetime.fromisoformat(end), str(title), str(source))
                for start, end, title, source in raw["busy"]
            ),
            {name: SourceState(**state) for name, state in raw["sources"].items()},
            str(raw.get("made_with", "")),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return Cached()


def dump(cached: Cached) -> str:
    """The text of the busy list for `cached`."""
    return json.dumps(
        {
            "first": cached.first.isoformat() if cached.first else "",
            "days": cached.days,
            "busy": [[b.start.isoformat(), b.end.isoformat(), b.title, b.source] for b in cached.busy],
            "sources": {name: state._asdict() for name, state in cached.sources.items()},
            "made_with": cached.made_with,
        },
        ensure_ascii=False,
        indent=1,
    )


def busy_on(cached: Cached, day: date) -> tuple[Busy, ...]:
    """The blocks that touch local `day`."""
    return on_day(cached.busy, day)


def configured(cached: Cached, rules: CalendarSettings) -> Cached:
    """`cached` without the calendars no longer configured (the config changed since the list
    was written: its next refresh drops them too)."""
    names = {source.name for source in rules.sources}
    busy = tuple(b for b in cached.busy if b.source in names)
    return cached._replace(busy=busy, sources={n: s for n, s in cached.sources.items() if n in names})
