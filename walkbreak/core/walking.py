"""Walks under way, and walks that fit: a walk counts once, when it has been taken.

"Walk now" (a key, a notification's button, `walkbreak walk`) records a `Walking` record and
answers the waiting prompt. The walk counts as a `Bout` (same id) only once it ends: the walk
guide showing it records the real length when the user is back; a walk no guide shows ends at
its planned end. One walk at a time; a walk logged afterwards may not overlap another or end in
the future.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from walkbreak.core.actions import Changes, NewId, NotAllowed, log_walk, pending_prompt
from walkbreak.core.model import Bout, DayLog, Outcome, Source, Walking
from walkbreak.core.settings import Settings

LONGEST_LOGGED = 240
"""The most minutes one logged walk may last (`walkbreak log MINUTES`)."""

Alive = Callable[[str], bool]
"""Whether the walk guide named by a `Walking.guide` token is still open (asked by the I/O layer)."""


class HeldAfterRedFlag(NotAllowed):
    """No walk is guided while prompts are held after a red flag: see a doctor first."""


def under_way(log: DayLog) -> Walking | None:
    """The walk under way today, if any (at most one)."""
    return log.walking[-1] if log.walking else None


def start(
    settings: Settings,
    now: datetime,
    log: DayLog,
    new_id: NewId,
    minutes: float | None = None,
    guide: str = "",
) -> tuple[Walking, Changes]:
    """Leave for a walk now (of `minutes`, default the bout length), answering the waiting prompt.

    Refused while another walk is under way, and while prompts are held after a red flag.
    """
    if settings.plan.held_since is not None:
        raise HeldAfterRedFlag("prompts are held after a red flag: please see a doctor before walking more")
    walking = under_way(log)
    if walking is not None:
        raise NotAllowed(f"you are on a walk already (since {walking.start:%H:%M})")
    prompt = pending_prompt(settings, now, log)
    walk = Walking(
        id=new_id(),
        day=now.date(),
        start=now,
        minutes=float(minutes if minutes is not None else settings.walk.bout_minutes),
        prompt_id=prompt.id if prompt else None,
        guide=guide,
    )
    answered = (prompt._replace(outcome=Outcome.WALKED, answered_at=now),) if prompt else ()
    return walk, Changes(add=(walk,), replace=answered)


def finish(walk: Walking, minutes: float, start: datetime | None = None) -> tuple[Bout, Changes]:
    """Back from `walk`: it becomes the bout with the same id, of `minutes` from `start`."""
    begun = start or walk.start
    bout = Bout(
        id=walk.id,
        day=begun.date(),
        start=begun,
        minutes=minutes,
        source=Source.PROMPT if walk.prompt_id else Source.MANUAL,
        prompt_id=walk.prompt_id,
    )
    return bout, Changes(add=(bout,), remove=(walk,))


def cancel(walk: Walking, log: DayLog) -> Changes:
    """A walk called off: it is gone, and the prompt it answered is unanswered again (it may lapse)."""
    reopened = tuple(
        p._replace(outcome=None, answered_at=None)
        for p in log.prompts
        if p.id == walk.prompt_id and p.outcome is Outcome.WALKED
    )
    return Changes(replace=reopened, remove=(walk,))


def adopt(log: DayLog, walk_id: str, guide: str, alive: Alive) -> tuple[Walking, Changes]:
    """Show the walk guide for a walk begun elsewhere (a notification's button, a shell): the
    walk is then ended by this guide. Refused if another open guide shows it already."""
    walk = next((w for w in log.walking if w.id == walk_id), None)
    if walk is None:
        raise NotAllowed("that walk has ended already")
    if walk.guide and walk.guide != guide and alive(walk.guide):
        raise NotAllowed("another walkbreak shows the walk guide for it")
    guided = walk._replace(guide=guide)
    return guided, Changes(replace=(guided,))


def needs_guide(walk: Walking, alive: Alive) -> bool:
    """Whether no open walk guide shows `walk` (begun elsewhere, or its guide was closed or killed)."""
    return not walk.guide or not alive(walk.guide)


def overdue_at(walk: Walking) -> datetime:
    """When a walk guide nobody answered is given up on: a walk three times as long as planned
    (at least a quarter of an hour more) is a guide left in a window nobody looks at, or one
    whose process cannot be told apart from another (a reused pid), not a walk."""
    return walk.start + timedelta(minutes=max(3 * walk.minutes, walk.minutes + 15))


def ends_at(walk: Walking, alive: Alive) -> datetime:
    """When `walk` counts without its guide, at its planned length: at its planned end when no
    guide shows it; else once its guide is overdue."""
    return walk.end if needs_guide(walk, alive) else overdue_at(walk)


def ended(log: DayLog, now: datetime, alive: Alive) -> Changes:
    """Walks of `log`'s day that count now without their guide, at their planned length."""
    changes = Changes()
    for walk in log.walking:
        if walk.day == log.day and ends_at(walk, alive) <= now:
            _, done = finish(walk, walk.minutes)
            changes = changes._replace(add=changes.add + done.add, remove=changes.remove + done.remove)
    return changes


def settled(log: DayLog, now: datetime, alive: Alive) -> DayLog:
    """`log` as it stands once every walk that counts now is written (for reads that do not
    write): the day's own as bouts; one carried from the day before simply ends."""
    done = {w.id for w in log.walking if ends_at(w, alive) <= now}
    if not done:
        return log
    taken = [finish(w, w.minutes)[0] for w in log.walking if w.id in done and w.day == log.day]
    bouts = tuple(sorted((*log.bouts, *taken), key=lambda b: b.start))
    return log._replace(bouts=bouts, walking=tuple(w for w in log.walking if w.id not in done))


def record(
    settings: Settings,
    now: datetime,
    log: DayLog,
    new_id: NewId,
    start: datetime,
    minutes: float,
    note: str = "",
    *,
    force: bool = False,
) -> Changes:
    """Log a walk taken; refused when it overlaps another or ends in the future, unless `force`."""
    if not force:
        check_fits(log, start, minutes, now)
    return log_walk(settings, now, log, new_id, start, minutes, note)


def check_fits(
    log: DayLog, start: datetime, minutes: float, now: datetime, ignore: str | None = None
) -> None:
    """Refuse a walk that ends in the future or overlaps one already recorded (or under way),
    naming the other walk. `ignore`: the id of a walk being changed."""
    end = start + timedelta(minutes=minutes)
    if end > now + timedelta(seconds=1):
        raise NotAllowed(
            f"a {_minutes(minutes)}-minute walk from {start:%H:%M} would end at {end:%H:%M}, "
            "in the future: log a walk once you have taken it"
        )
    others: list[Bout | Walking] = [*log.bouts, *log.walking]
    clashes = [
        (other.start, other.end, "under way" if isinstance(other, Walking) else "recorded")
        for other in others
        if other.id != ignore and other.start < end and start < other.end
    ]
    if clashes:
        first, last, what = min(clashes)
        more = f" (and {len(clashes) - 1} more)" if len(clashes) > 1 else ""
        raise NotAllowed(
            f"it overlaps the walk {first:%H:%M}–{last:%H:%M} {what} already{more}; "
            "change or delete that one first"
        )


def _minutes(value: float) -> str:
    """Minutes without a needless ".0"."""
    return f"{value:.0f}" if value == int(value) else f"{value:.1f}"
