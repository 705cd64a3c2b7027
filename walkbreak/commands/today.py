"""`walkbreak status` and `walkbreak log`: today's numbers, and logging a walk from any shell."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime, timedelta

from walkbreak.answers import answer, planning_log
from walkbreak.commands.context import EXIT_FAILED, EXIT_OK, EXIT_USAGE, Context
from walkbreak.core.actions import Changes, NotAllowed
from walkbreak.core.busy import Busy
from walkbreak.core.model import DayLog
from walkbreak.core.planner import plan
from walkbreak.core.settings import parse_clock
from walkbreak.core.status import format_number, status_dict, status_line
from walkbreak.core.status_format import check_template, field_values, render, waybar
from walkbreak.core.tally import day_tally
from walkbreak.core.walking import record
from walkbreak.ids import new_id


def status(context: Context, *, as_json: bool, template: str | None = None) -> int:
    """Print today's walks against target and when the next prompt comes.

    `template` (`--format`) words the line from named fields; with `as_json` it becomes the
    `text` that waybar shows, beside waybar's tooltip, class and percentage and the numbers.
    """
    if template is not None:
        try:
            check_template(template)
        except ValueError as err:
            print(f"walkbreak status: {err}", file=sys.stderr)
            return EXIT_USAGE
    now = context.clock.now()
    log = planning_log(context.store, now)
    if template is None:
        print(describe(context, now, log, as_json=as_json))
        return EXIT_OK
    busy = _busy(context)
    tally, today_plan = day_tally(context.settings, log), plan(context.settings, now, log, busy=busy)
    text = render(template, field_values(tally, today_plan, now))
    if not as_json:
        print(text)
        return EXIT_OK
    trouble = _notifications_trouble(context)
    facts = status_dict(tally, today_plan, now, trouble, busy)
    print(json.dumps({**facts, "desks": _desks(context), **waybar(tally, today_plan, now, text, trouble)}))
    return EXIT_OK


def log(
    context: Context,
    minutes: float | None,
    at: str | None,
    day_text: str | None,
    note: str,
    *,
    force: bool = False,
) -> int:
    """Record a walk taken; one logged today answers the prompt waiting, if there is one.

    A walk that overlaps another or ends in the future is refused (exit 1) unless `force`.
    """
    now = context.clock.now()
    minutes = minutes if minutes is not None else float(context.settings.walk.bout_minutes)
    try:
        start = _start_time(now, minutes, at, day_text)
    except ValueError as err:
        print(f"walkbreak log: {err}", file=sys.stderr)
        return EXIT_USAGE

    def decide(day: DayLog) -> Changes:
        return record(context.settings, now, day, new_id, start, minutes, note, force=force)

    try:
        if start.date() == now.date():
            after = answer(context.store, now, decide)
        else:
            with context.store.batch(start.date()) as batch:
                batch.apply(decide(batch.day_log()))
    except NotAllowed as why:
        print(f"walkbreak log: {why} (--force records it anyway)", file=sys.stderr)
        return EXIT_FAILED
    when = f"{start:%H:%M}" if start.date() == now.date() else f"{start:%a %d %b %H:%M}"
    print(f"logged a {format_number(minutes)}-min walk at {when}")
    if start.date() == now.date():
        print(describe(context, now, after, as_json=False))
        if context.settings.care.check_in:
            print("how does your back feel? walkbreak checkin better | same | sore | spiked")
    return EXIT_OK


def describe(context: Context, now: datetime, log: DayLog, *, as_json: bool) -> str:
    """Today's status as a line of text or as JSON."""
    tally, busy = day_tally(context.settings, log), _busy(context)
    today_plan = plan(context.settings, now, log, busy=busy)
    if as_json:
        trouble = _notifications_trouble(context)
        facts = status_dict(tally, today_plan, now, trouble, busy)
        return json.dumps(
            {**facts, "desks": _desks(context), **waybar(tally, today_plan, now, facts["text"], trouble)}
        )
    return status_line(tally, today_plan, now)


def _busy(context: Context) -> tuple[Busy, ...]:
    """The calendars' busy blocks as the engine last kept them (json only: no calendar is parsed
    on this path); none when no calendar is configured."""
    rules = context.settings.calendar
    if not rules.sources:
        return ()
    from walkbreak.calendar import busy_cache

    return busy_cache.configured(busy_cache.load(context.store.directory), rules).busy


def _desks(context: Context) -> list[dict[str, str]]:
    """The other devices whose files this data dir holds, and when each one's last arrived (for
    `--json` only): a walk logged there since is not counted here yet."""
    zone = context.clock.now().tzinfo
    return [
        {"name": name, "arrived": datetime.fromtimestamp(arrived, zone).isoformat(timespec="seconds")}
        for name, arrived in context.store.other_desks()
    ]


def _notifications_trouble(context: Context) -> str:
    """Why the running engine's prompts cannot reach the desktop (for `--json` only: the plain
    line does without the lease)."""
    from walkbreak.store.lease import notifications_problem

    return notifications_problem(context.store.directory)


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
