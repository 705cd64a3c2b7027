"""Refreshing the busy list from the configured calendars (in a thread: it reads files, may
fetch addresses, and parses).

A path is read again when its files change, an address every `calendar.refresh_minutes`. A
source that fails keeps its last good busy time: an address's last good copy is kept owner-only
in the data dir (`calendar/<name>.url.json`, `calendar/<name>.caldav.json`) and parsed again for new
days; the failure is kept in the busy list for `doctor`, the dashboard and the log.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timedelta

from walkbreak.calendar import busy_cache
from walkbreak.calendar.busy_cache import Cached, SourceState
from walkbreak.calendar.parse import NotICalendar, occurrences
from walkbreak.calendar.sources import (
    NotModified,
    SourceError,
    Texts,
    fetch_caldav,
    fetch_url,
    path_signature,
    read_path,
)
from walkbreak.core import timeline
from walkbreak.core.busy import Busy, busy_blocks
from walkbreak.core.settings import CalendarSettings, CalendarSource
from walkbreak.paths import make_private_dirs
from walkbreak.store.storage import write_atomically

DAYS = 8
"""Days of busy time kept from today: the week ahead, for `walkbreak calendar` and day-off
lines, and a day more so a refresh late at night still covers tomorrow."""


def refresh(rules: CalendarSettings, data_dir: str, now: datetime, *, fetch: bool = True) -> Cached:
    """Bring the busy list up to date for the days from `now`'s, and return it.

    Writes `calendar.json` only when something changed. Never raises for a source that
    fails: its error is kept in the list. Without `fetch`, an address with a good copy kept is
    not fetched: the copy is parsed where the days or rules changed (at start, so the first plan
    knows the busy time without waiting on a server; only the first start after an address is
    added waits for its first fetch).
    """
    old = busy_cache.load(data_dir)
    made_with = repr(rules._replace(refresh_minutes=0))
    first = now.date()
    stale = old.made_with != made_with or old.first != first
    start, end = days_ahead(now)
    stamp = now.isoformat(timespec="seconds")
    busy: list[Busy] = []
    states: dict[str, SourceState] = {}
    for source in rules.sources:
        before = old.sources.get(source.name, SourceState())
        kept = [b for b in old.busy if b.source == source.name and b.end > start]
        every = timedelta(minutes=rules.refresh_minutes)
        copy = None if fetch or source.kind == "path" else _good_copy(_copy_path(data_dir, source))
        if copy is not None:
            state, texts = before, copy if stale else None
        else:
            state, texts = _read(source, before, data_dir, now, (start, end), None if stale else every)
        if texts is None:  # not due, or failed with no copy to parse again: keep what it gave
            busy += kept
            states[source.name] = state
            continue
        try:
            blocks = _blocks(texts, source, rules, (start, end))
        except NotICalendar as err:  # kept: the busy time and when it was last read well
            busy += kept
            error = f"{source.location}: {err}"
            states[source.name] = before._replace(error=error, tried_at=stamp, signature=state.signature)
            continue
        busy += blocks
        states[source.name] = state._replace(blocks=len(blocks))
    fresh = Cached(
        first, DAYS, tuple(sorted(busy, key=lambda b: (b.start, b.end, b.title))), states, made_with
    )
    if fresh != old:
        make_private_dirs(data_dir)
        write_atomically(os.path.join(data_dir, busy_cache.FILE), busy_cache.dump(fresh))
    return fresh


def try_source(source: CalendarSource, rules: CalendarSettings, now: datetime) -> int:
    """Read and parse `source` now, keeping nothing (for `doctor`): how many busy blocks it has
    in the days ahead. Raises SourceError or NotICalendar with the reason."""
    days = days_ahead(now)
    if source.kind == "path":
        texts = read_path(source)
    elif source.kind == "url":
        texts = [(source.name, fetch_url(source)[0])]
    else:
        texts = fetch_caldav(source, *days)
    return len(_blocks(texts, source, rules, days))


def days_ahead(now: datetime) -> timeline.Span:
    """The `DAYS` days from the start of `now`'s, in its zone."""
    zone = now.tzinfo
    assert zone is not None
    start = timeline.start_of_day(now.date(), zone).astimezone(zone)
    return start, timeline.start_of_day(now.date() + timedelta(days=DAYS), zone).astimezone(zone)


def _blocks(texts: Texts, source: CalendarSource, rules: CalendarSettings, days: timeline.Span) -> list[Busy]:
    """The busy blocks in `texts` over `days`, told in the user's zone (that of `days`): a call
    set in New York's time shows at its time here. Raises NotICalendar."""
    zone = days[0].tzinfo
    assert zone is not None
    events = [e for name, text in texts for e in occurrences(text, *days, zone, name)]
    events = [e._replace(start=e.start.astimezone(zone), end=e.end.astimezone(zone)) for e in events]
    return busy_blocks(events, rules, source.name)


def _read(
    source: CalendarSource,
    before: SourceState,
    data_dir: str,
    now: datetime,
    days: timeline.Span,
    every: timedelta | None,
) -> tuple[SourceState, Texts | None]:
    """The source's texts if it is due for a read (None if not, or if it failed and has no good
    copy), and its new state. `every`: how often an address is fetched; None: read it now (the
    days or the rules changed)."""
    stamp = now.isoformat(timespec="seconds")
    stale = every is None
    if source.kind == "path":
        try:
            signature = repr(path_signature(source))
            if not stale and signature == before.signature:  # unchanged, read well or not
                return before, None
            texts = read_path(source)
        except SourceError as err:
            if str(err) == before.error:  # still missing: nothing new to write
                return before, None
            return before._replace(error=str(err), tried_at=stamp, signature=""), None
        return SourceState(read_at=stamp, tried_at=stamp, signature=signature), texts
    if every is not None and not _due(before, now, every):
        return before, None
    copy = _copy_path(data_dir, source)
    try:
        if source.kind == "url":
            body, etag, modified = fetch_url(source, before.etag, before.modified)
            texts = [(source.name, body)]
        else:
            texts, etag, modified = fetch_caldav(source, *days), "", ""
    except NotModified:
        return before._replace(error="", tried_at=stamp, read_at=stamp), _good_copy(copy)
    except SourceError as err:
        return before._replace(error=str(err), tried_at=stamp), _good_copy(copy) if stale else None
    make_private_dirs(busy_cache.folder(data_dir))
    write_atomically(copy, json.dumps([[name, text.decode("utf-8", "replace")] for name, text in texts]))
    return SourceState(read_at=stamp, tried_at=stamp, etag=etag, modified=modified), texts


def _due(state: SourceState, now: datetime, every: timedelta) -> bool:
    """An address is fetched again `every` after the last try (success or not), or at once if
    the clock went back past it."""
    try:
        last = datetime.fromisoformat(state.tried_at)
    except ValueError:
        return True
    return not timedelta(0) <= timeline.elapsed(last, now) < every


def _copy_path(data_dir: str, source: CalendarSource) -> str:
    return os.path.join(busy_cache.folder(data_dir), f"{source.name}.{source.kind}.json")


def _good_copy(path: str) -> Texts | None:
    """The texts of an address's last good fetch, if one is kept."""
    try:
        with open(path, encoding="utf-8") as f:
            return [(str(name), str(text).encode()) for name, text in json.load(f)]
    except (OSError, ValueError, TypeError):
        return None
