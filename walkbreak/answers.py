"""Answering prompts through the store: decide on the day's records under the lock, then write.

Every front end (CLI, dashboard, notification buttons, the engine itself) changes the day this
way, so two of them acting at once never lose or double an answer.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime, timedelta

from walkbreak.core import actions, walking
from walkbreak.core.actions import Changes, NotAllowed
from walkbreak.core.model import CheckIn, DayLog, SkipReason, Walking
from walkbreak.core.planner import with_carried
from walkbreak.core.settings import Settings, with_plan
from walkbreak.ids import new_id
from walkbreak.machine import host_name
from walkbreak.store import Store

ANSWERS = ("walk", "snooze", "skip", "pause", "resume")
"""What a user can say to the live plan, by key, button or command."""


def this_guide() -> str:
    """The token a walk guide in this process leaves on the walk it shows ("pid@host")."""
    return f"{os.getpid()}@{host_name()}"


def guide_alive(token: str) -> bool:
    """Whether the walk guide named by `token` may still be open: its process runs (on another
    machine sharing the data dir, that cannot be told: it counts as open)."""
    pid, _, host = token.partition("@")
    if host != host_name():
        return True
    try:
        os.kill(int(pid), 0)
    except (ProcessLookupError, ValueError, OverflowError):
        return False
    except PermissionError:
        return True
    return True


def planning_log(store: Store, now: datetime) -> DayLog:
    """Today's records plus yesterday's pauses: what the planner needs (read without the lock).

    A walk under way that no guide shows counts from its planned end, written or not yet.
    """
    yesterday, today = now.date() - timedelta(days=1), now.date()
    logs = store.days(yesterday, today)
    return walking.settled(with_carried(logs[yesterday], logs[today]), now, guide_alive)


def walks_under_way(store: Store, now: datetime) -> tuple[Walking, ...]:
    """The walks under way as the store has them, yesterday's too (a walk across midnight)."""
    yesterday, today = now.date() - timedelta(days=1), now.date()
    return tuple(w for log in store.days(yesterday, today, (Walking,)).values() for w in log.walking)


def answer(
    store: Store, now: datetime, decide: Callable[[DayLog], Changes], day: date | None = None
) -> DayLog:
    """Run `decide` on today's records (or `day`'s) under the store's lock and write what it returns.

    A walk under way that has ended with no guide showing it is written as a bout first, so
    `decide` sees what a reader sees. `decide` may raise `NotAllowed`; nothing of its own is
    written then. Returns the day afterwards.
    """
    on = day or now.date()
    yesterday = walking.settled(store.day(on - timedelta(days=1)), now, guide_alive)
    with store.batch(on) as batch:
        batch.apply(walking.ended(batch.day_log(), now, guide_alive))
        batch.apply(decide(with_carried(yesterday, batch.day_log())))
        return with_carried(yesterday, batch.day_log())


def care_answer(
    store: Store, settings: Settings, now: datetime, decide: Callable[[DayLog], Changes]
) -> DayLog:
    """Like `answer`, for check-ins and their follow-ups: then, in the same unit of work, add the
    suggestion the care rules make from the last days' check-ins (if any)."""
    from walkbreak.core import care_rules, checkins

    first, today = care_rules.history_days(now.date())
    earlier = store.days(first, today - timedelta(days=1)) if first < today else {}
    yesterday = earlier.get(today - timedelta(days=1)) or store.day(today - timedelta(days=1))
    yesterday = walking.settled(yesterday, now, guide_alive)
    with store.batch(today) as batch:
        batch.apply(walking.ended(batch.day_log(), now, guide_alive))
        changes = decide(with_carried(yesterday, batch.day_log()))
        batch.apply(changes)
        touched = [r for r in (*changes.add, *changes.replace) if isinstance(r, CheckIn)]
        after = with_plan(settings, batch.plan())
        batch.apply(
            checkins.suggestion(
                after,
                now,
                list(earlier.values()),
                batch.day_log(),
                new_id,
                touched[0].id if touched else None,
            )
        )
        return with_carried(yesterday, batch.day_log())


def decision(
    key: str,
    settings: Settings,
    now: datetime,
    reason: SkipReason = SkipReason.NOT_GIVEN,
    minutes: int | None = None,
    about: str = "",
) -> Callable[[DayLog], Changes]:
    """The rule for answer `key` (one of ANSWERS), ready for `answer`.

    Args:
        key: "walk", "snooze", "skip", "pause" or "resume".
        settings: the user's settings.
        now: when the answer was given.
        reason: why, for "skip".
        minutes: how long, for "pause" (None: the rest of the day).
        about: the prompt a notification's button was pressed on: the answer counts only while
            that prompt still waits (shown or snoozed), never for a later one, nor as a second
            walk for a prompt already answered.
    """
    rules: dict[str, Callable[[DayLog], Changes]] = {
        "walk": lambda day: walking.start(settings, now, day, new_id)[1],
        "snooze": lambda day: actions.snooze(settings, now, day, new_id),
        "skip": lambda day: actions.skip(settings, now, day, reason),
        "pause": lambda day: actions.pause(settings, now, day, new_id, minutes),
        "resume": lambda day: actions.resume(settings, now, day, new_id),
    }
    rule = rules[key]
    if not about:
        return rule

    def on_that_prompt(day: DayLog) -> Changes:
        waiting = actions.pending_prompt(settings, now, day)
        if waiting is None or waiting.id != about:
            raise NotAllowed("pressed on the notification of an earlier prompt, which is over")
        return rule(day)

    return on_that_prompt
