"""The walk itself, in the three walk plans the physical therapist's advice gives.

- "comfortable" (the default): the short walk, one comfortable part for the whole bout. "The best
  walking for back pain is short, comfortable bouts through the day."
- "gentle" (after a scale-back): comfortable only, and no longer walk for now; stop if pain spikes.
- "routine" (a step of scaling up, and the longer walk at any time it is offered): comfortable,
  brisk, comfortable, each a third of the walk, 3–5 minutes each (9–15 minutes in all).

No part is ever shorter than the advice's 3 minutes: a routine shorter than 9 minutes is walked
as one comfortable part. Once variety is accepted the brisk part suggests gentle hills, slight
declines or sideways steps.
"""

from __future__ import annotations

from enum import StrEnum

from walkbreak.core.named_tuple import NamedTuple


class Pace(StrEnum):
    """The walk plan's pace (`CarePlan.pace`, kept in the store as these words)."""

    COMFORTABLE = "comfortable"
    GENTLE = "gentle"
    ROUTINE = "routine"


SHORTEST_PART = 3
"""Minutes: the advice's shortest part of the routine (3–5 minutes each)."""
ROUTINE_SHORTEST = 3 * SHORTEST_PART
"""Minutes: the shortest walk with a brisk part."""
LONGER_WALKS = (9, 12, 15)
"""The longer walks offered when the user has time: 3, 4 or 5 minutes per part (walked as "routine")."""


class Phase(NamedTuple):
    """One part of a walk.

    Attributes:
        name: "comfortable" or "brisk".
        minutes: how long it lasts.
        cue: one line on how it should feel.
    """

    name: str
    minutes: float
    cue: str


EASY = "A comfortable pace the whole way; let your arms swing."
WARM_UP = "Easy pace to warm up; let your arms swing."
BRISK = "Brisk: you can still speak in full sentences, no gasping."
BRISK_VARIED = "Brisk, with variety: a gentle hill, a slight decline, or sideways steps on a safe surface."
COOL_DOWN = "Back to an easy pace to recover."
GENTLE = "A comfortable pace the whole way: no brisk part for now. Stop if pain spikes."


def has_brisk_part(minutes: float, pace: str) -> bool:
    """Whether a walk of `minutes` at `pace` is the three-part routine (else one comfortable part)."""
    return pace == Pace.ROUTINE and minutes >= ROUTINE_SHORTEST


def phases(minutes: float, pace: str = Pace.COMFORTABLE, variety: bool = False) -> tuple[Phase, ...]:
    """The parts of a walk of `minutes` at `pace`.

    "routine" from 9 minutes: comfortable, brisk, comfortable, a third each (3–5 minutes from 9
    to 15). Anything else — the comfortable short walk, a gentle walk after a scale-back, a
    routine too short for three parts of 3 minutes, a pace not known — is one comfortable part.
    """
    if has_brisk_part(minutes, pace):
        third = minutes / 3
        return (
            Phase("comfortable", third, WARM_UP),
            Phase("brisk", third, BRISK_VARIED if variety else BRISK),
            Phase("comfortable", third, COOL_DOWN),
        )
    return (Phase("comfortable", minutes, GENTLE if pace == Pace.GENTLE else EASY),)


def phase_at(parts: tuple[Phase, ...], elapsed: float) -> tuple[int, float]:
    """The phase a walk made of `parts` is in after `elapsed` minutes, and the minutes left in it.

    Past the end the walk stays in its last phase with nothing left.
    """
    start = 0.0
    for index, phase in enumerate(parts):
        if elapsed < start + phase.minutes:
            return index, start + phase.minutes - elapsed
        start += phase.minutes
    return len(parts) - 1, 0.0
