"""`walkbreak calendar [--days N]`: the busy time prompts keep away from, today (and the days
after), each block with its calendar, and how each calendar was last read."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from walkbreak.commands.context import EXIT_FAILED, EXIT_OK, Context
from walkbreak.core.plain_text import clean
from walkbreak.core.planner import plan
from walkbreak.core.settings import CalendarSource
from walkbreak.core.status import next_text

if TYPE_CHECKING:
    from walkbreak.calendar.busy_cache import SourceState


def run(context: Context, days: int) -> int:
    """Refresh the busy list as the engine would (a file read when it changed, an address when
    it is due), then print it; exit 1 when a calendar could not be read."""
    rules = context.settings.calendar
    if not rules.sources:
        print("No calendars configured: prompts follow the work hours alone.")
        print(f"Add sources under [calendar] in {context.config_path} (walkbreak config init shows how).")
        return EXIT_OK
    from walkbreak import answers
    from walkbreak.calendar import busy_cache
    from walkbreak.calendar.refresh import refresh

    now = context.clock.now()
    cached = refresh(rules, context.store.directory, now)
    for offset in range(min(days, cached.days)):  # (the list covers the week ahead)
        day = now.date() + timedelta(days=offset)
        blocks = busy_cache.busy_on(cached, day)
        label = ("today, " if offset == 0 else "tomorrow, " if offset == 1 else "") + f"{day:%a %d %b}"
        print(f"Busy {label}:" + ("" if blocks else " nothing"))
        width = max((len(b.title) for b in blocks), default=0)
        for block in blocks:
            span = f"{block.start:%H:%M}–{block.end:%H:%M}"
            if block.start.date() != block.end.date():  # all day, or over midnight
                span = f"{block.start:%a %H:%M}–{block.end:%a %H:%M}"
            print(f"  {span}  {clean(block.title) or '(no title)':{width}}  {block.source}")
    log = answers.planning_log(context.store, now)
    print(f"Next: {next_text(plan(context.settings, now, log, busy=cached.busy), now)}")
    print("Calendars:")
    failed = False
    width = max(len(source.name) for source in rules.sources)
    for source in rules.sources:
        state = cached.sources.get(source.name, busy_cache.SourceState())
        print(f"  {source.name:{width}}  {_where(source)}\n  {'':{width}}  {_state(state)}")
        failed = failed or bool(state.error)
    return EXIT_FAILED if failed else EXIT_OK


def _where(source: CalendarSource) -> str:
    """The source's path or address, without any login written into it."""
    from urllib.parse import urlsplit

    if source.kind == "path":
        return source.location
    parts = urlsplit(source.location)
    host = parts.hostname or ""
    return f"{source.kind} {parts.scheme}://{host}{f':{parts.port}' if parts.port else ''}{parts.path}"


def _state(state: SourceState) -> str:
    read = f"read {state.read_at[:16].replace('T', ' ')}" if state.read_at else "never read"
    if state.error:
        kept = "; its last good copy stays in use" if state.read_at else ""
        return f"FAILED: {state.error} ({read}{kept})"
    return f"{read} · {state.blocks} busy block{'s' if state.blocks != 1 else ''} in the days ahead"
