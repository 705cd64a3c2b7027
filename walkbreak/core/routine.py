"""The walk itself: comfortable, then brisk, then comfortable, scaled to the bout's length.

After a scale-back the walk is comfortable all the way; once variety is accepted the brisk
part suggests gentle hills, slight declines or sideways steps.
"""

from __future__ import annotations

from typing import NamedTuple

LONGER_WALKS = (9, 12, 15)
"""The longer interval walks offered when the user has time: 3, 4 or 5 minutes per part."""


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


WARM_UP = "Easy pace to warm up; let your arms swing."
BRISK = "Brisk: you can still speak in full sentences, no gasping."
BRISK_VARIED = "Brisk, with variety: a gentle hill, a slight decline, or sideways steps on a safe surface."
COOL_DOWN = "Back to an easy pace to recover."
GENTLE = "A comfortable pace the whole way: no brisk part for now. Stop if pain spikes."


def phases(minutes: float, pace: str = "routine", variety: bool = False) -> tuple[Phase, ...]:
    """The routine for a walk of `minutes`.

    A five-minute bout is 1½ / 2 / 1½ (30 / 40 / 30 %); from 9 to 15 minutes each part is a
    third, 3–5 minutes. At a "comfortable" pace (after a scale-back) it is one easy part.
    """
    if pace == "comfortable":
        return (Phase("comfortable", minutes, GENTLE),)
    middle = minutes / 3 if minutes >= 9 else round(minutes * 0.4, 1)
    side = (minutes - middle) / 2
    return (
        Phase("comfortable", side, WARM_UP),
        Phase("brisk", middle, BRISK_VARIED if variety else BRISK),
        Phase("comfortable", side, COOL_DOWN),
    )


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
