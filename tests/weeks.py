"""A deterministic demo week for the report tests: a plausible Monday-to-Sunday of one user.

Mon 23 – Sun 29 Nov 2026 in Berlin, work Mon–Fri 09:00–12:30 and 13:30–17:30, 6 walks of 5
minutes. It has every prompt outcome, a manual walk, a snoozed prompt, soreness that settled and
soreness that did not, a pain spike, a red flag, and one accepted and one declined suggestion.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta

from tests.builders import BERLIN, settings
from walkbreak.core.feelings import Feeling, Flag, FollowUp
from walkbreak.core.model import Advice, Bout, CheckIn, DayLog, Outcome, Prompt, Record, Source
from walkbreak.core.settings import CarePlan, Settings
from walkbreak.core.walk_plans import describe

MONDAY = date(2026, 11, 23)


def demo_settings() -> Settings:
    """Work Mon–Fri, 6 walks of 5 minutes a day."""
    return settings(days=range(5), target=6, bout=5)


class _Week:
    """Builds records with ids that depend only on their order ("r-1", "r-2", …)."""

    def __init__(self) -> None:
        self.records: list[Record] = []
        self._ids = itertools.count(1)

    def id(self) -> str:
        return f"r-{next(self._ids)}"

    def prompt(
        self, day: int, clock: str, outcome: Outcome | None, *, reason: str = "", snoozes: int = 0
    ) -> Prompt:
        """A prompt fired on day `day` (0 = Monday), answered two minutes later (or expired after 15)."""
        fired = _at(day, clock)
        after = timedelta(minutes=15 if outcome is Outcome.EXPIRED else 2 + 10 * snoozes)
        shown = fired + timedelta(minutes=10 * snoozes) if snoozes else None
        made = Prompt(
            self.id(),
            fired.date(),
            fired,
            outcome,
            fired + after if outcome else None,
            reason,
            snoozes,
            shown,
        )
        self.records.append(made)
        return made

    def walk(self, day: int, clock: str, minutes: float, *, note: str = "") -> Bout:
        """A walk; if a prompt fired in the minutes before, the walk answers it."""
        start = _at(day, clock)
        answered = [
            r
            for r in self.records
            if isinstance(r, Prompt) and r.outcome is Outcome.WALKED and r.answered_at == start
        ]
        source, prompt_id = (Source.PROMPT, answered[0].id) if answered else (Source.MANUAL, None)
        made = Bout(self.id(), start.date(), start, minutes, source, note, prompt_id)
        self.records.append(made)
        return made

    def prompted_walk(self, day: int, clock: str, minutes: float = 5, *, snoozes: int = 0) -> Bout:
        """A prompt at `clock` answered by walking."""
        prompt = self.prompt(day, clock, Outcome.WALKED, snoozes=snoozes)
        assert prompt.answered_at is not None
        return self.walk(day, f"{prompt.answered_at:%H:%M}", minutes)

    def check_in(
        self,
        walk: Bout,
        feeling: str,
        *,
        flags: tuple[str, ...] = (),
        followup: str = "",
        followup_after_hours: float = 3,
    ) -> CheckIn:
        """How the back felt, asked when `walk` ended."""
        at = walk.end
        followup_at = at + timedelta(hours=followup_after_hours) if followup else None
        made = CheckIn(self.id(), walk.day, at, feeling, flags, walk.id, followup, followup_at)
        self.records.append(made)
        return made

    def advice(
        self, after: CheckIn, rule: str, kind: str, reason: str, plan: CarePlan, rest: int, answer: str
    ) -> Advice:
        """A suggestion made at `after`'s check-in (or its follow-up), answered a minute later."""
        at = after.followup_at or after.at
        made = Advice(
            self.id(),
            at.date(),
            at,
            rule,
            kind,
            reason,
            describe(plan, rest),
            plan.bout_minutes,
            plan.pace,
            plan.variety,
            rest,
            answer,
            at + timedelta(minutes=1) if answer else None,
            after.id,
        )
        self.records.append(made)
        return made


def _at(day: int, clock: str) -> datetime:
    """A Berlin time on MONDAY + `day`."""
    hours, minutes = (int(part) for part in clock.split(":"))
    return datetime.combine(MONDAY + timedelta(days=day), datetime.min.time(), BERLIN).replace(
        hour=hours, minute=minutes
    )


def demo_week() -> list[Record]:
    """Every record of the demo week, in the order they were made."""
    w = _Week()
    # Mon: every prompt walked, target met.
    mon = [w.prompted_walk(0, clock) for clock in ("09:30", "10:30", "11:30", "13:45", "14:45", "15:45")]
    w.check_in(mon[0], Feeling.SAME)
    w.check_in(mon[2], Feeling.BETTER)
    w.check_in(mon[5], Feeling.BETTER)
    # Tue: a busy skip, an expired prompt, a lunch walk; slight soreness that settled.
    w.prompted_walk(1, "09:30")
    w.prompt(1, "10:30", Outcome.SKIPPED, reason="busy")
    tue = w.prompted_walk(1, "11:30", snoozes=1)
    w.check_in(tue, Feeling.SORE, followup=FollowUp.SETTLED)
    w.walk(1, "12:45", 10, note="to the bakery, and back")
    w.prompted_walk(1, "14:00")
    w.prompt(1, "15:00", Outcome.EXPIRED)
    late = w.prompted_walk(1, "16:00")
    w.check_in(late, Feeling.SAME)
    # Wed: a pain spike; the suggestion to scale back is accepted, walks become 3 minutes.
    w.prompted_walk(2, "09:30")
    w.prompt(2, "10:30", Outcome.SKIPPED, reason="meeting")
    spike_walk = w.prompted_walk(2, "11:30")
    spike = w.check_in(spike_walk, Feeling.SPIKED)
    easier = CarePlan(base_minutes=5, bout_minutes=3, pace="gentle")
    w.advice(
        spike,
        "pain-spiked",
        "scale-back",
        f"your pain spiked after walking (check-in at {spike.at:%H:%M})",
        easier,
        60,
        "accepted",
    )
    w.prompted_walk(2, "13:45", 3)
    w.prompt(2, "14:45", Outcome.SKIPPED, reason="back-pain")
    wed = w.prompted_walk(2, "16:00", 3)
    w.check_in(wed, Feeling.SAME)
    # Thu: better in the morning; soreness in the afternoon that had not settled; scaling back
    # further is declined. A longer walk logged by hand.
    thu = w.prompted_walk(3, "09:30", 3)
    w.check_in(thu, Feeling.BETTER)
    w.walk(3, "10:20", 4.5, note='"longer than planned", felt fine')
    w.prompted_walk(3, "11:30", 3)
    sore = w.check_in(w.prompted_walk(3, "13:45", 3), Feeling.SORE, followup=FollowUp.LINGERING)
    w.advice(
        sore,
        "soreness-lingers",
        "scale-back",
        f"the soreness you noted at {sore.at:%H:%M} had not settled hours later",
        easier._replace(bout_minutes=2),
        0,
        "declined",
    )
    w.prompt(3, "14:45", Outcome.EXPIRED)
    w.prompted_walk(3, "16:00", 3)
    # Fri: a red flag after the first walk; prompts are held for the rest of the day.
    fri = w.prompted_walk(4, "09:30", 3)
    w.check_in(fri, Feeling.SPIKED, flags=(Flag.SEVERE, Flag.WEAKNESS))
    # Sat: a day off with a walk in the park. Sun: nothing.
    w.walk(5, "11:00", 20, note="park\nwith the dog")
    return w.records


def demo_logs() -> dict[date, DayLog]:
    """The demo week as the store would hand it back: a DayLog for each of the seven days."""
    records = demo_week()
    days = [MONDAY + timedelta(days=n) for n in range(7)]
    return {d: DayLog.of(d, [r for r in records if r.day == d]) for d in days}
