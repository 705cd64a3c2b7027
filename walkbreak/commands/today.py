"""`walkbreak status` and `walkbreak log`: today's numbers, and logging a walk from any shell."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, timedelta

from walkbreak.cli import EXIT_OK, EXIT_USAGE, Context
from walkbreak.core.model import Bout, Outcome
from walkbreak.core.planner import find_open_prompt, plan, with_carried_pauses
from walkbreak.core.settings import parse_clock
from walkbreak.core.status import format_number, status_dict, status_line
from walkbreak.core.tally import day_tally


def status(context: Context, *, as_json: bool) -> int:
    """Print today's walks against target and when the next prompt comes."""
    now = context.clock.now()
    print(_describe(context, now, as_json=as_json))
    return EXIT_OK


def log(context: Context, minutes: float | None, at: str | None, day_text: str | None, note: str) -> int:
    """Record a walk; it answers the prompt waiting now, if there is one."""
    now = context.clock.now()
    minutes = minutes if minutes is not None else float(context.settings.walk.bout_minutes)
    try:
        start = _start_time(now, minutes, at, day_text)
    except ValueError as err:
        print(f"walkbreak log: {err}", file=sys.stderr)
        return EXIT_USAGE
    import uuid  # only here: it costs `status` 2 ms to import

    bout = Bout(id=str(uuid.uuid4()), day=start.date(), start=start, minutes=minutes, note=note)
    with context.store.batch(bout.day) as batch:
        if bout.day == now.date():
            waiting = find_open_prompt(context.settings, now, batch.day_log())
            if waiting:
                bout = bout._replace(prompt_id=waiting.id)
                batch.replace(waiting._replace(outcome=Outcome.WALKED, answered_at=now))
        batch.add(bout)
    when = f"{start:%H:%M}" if bout.day == now.date() else f"{start:%a %d %b %H:%M}"
    print(f"logged a {format_number(minutes)}-min walk at {when}")
    if bout.day == now.date():
        print(_describe(context, now, as_json=False))
    return EXIT_OK


def _describe(context: Context, now: datetime, *, as_json: bool) -> str:
    """Today's status as a line of text or as JSON."""
    yesterday, today = now.date() - timedelta(days=1), now.date()
    logs = context.store.days(yesterday, today)
    log = with_carried_pauses(logs[yesterday], logs[today])
    tally = day_tally(context.settings, log)
    today_plan = plan(context.settings, now, log)
    if as_json:
        return json.dumps(status_dict(tally, today_plan, now))
    return status_line(tally, today_plan, now)


def _start_time(now: datetime, minutes: float, at: str | None, day_text: str | None) -> datetime:
    """When the walk started, from --at and --day; raises ValueError with a reason."""
    day = _parse_day(day_text, now.date()) if day_text else now.date()
    if at is None:
        if day_text:
            raise ValueError("--day needs --at HH:MM: when on that day did the walk start?")
        start = now.astimezone(UTC) - timedelta(minutes=minutes)
        return start.replace(microsecond=0).astimezone(now.tzinfo)
    try:
        clock = parse_clock(at)
    except ValueError as err:
        raise ValueError(f"--at {err}") from None
    naive = datetime.combine(day, datetime.min.time()) + timedelta(minutes=clock)
    start = naive.replace(tzinfo=now.tzinfo)
    if start > now:
        raise ValueError(f"--at {at} is in the future; log a walk once you have taken it")
    return start


def _parse_day(text: str, today: date) -> date:
    """'today', 'yesterday' or YYYY-MM-DD, not in the future and not before 1970."""
    words = {"today": today, "yesterday": today - timedelta(days=1)}
    if text in words:
        return words[text]
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"--day {text!r} is not a date: give YYYY-MM-DD, 'today' or 'yesterday'") from None
    if day > today or day.year < 1970:
        raise ValueError(f"--day {text} is not allowed: give a day from 1970 up to today")
    return day
