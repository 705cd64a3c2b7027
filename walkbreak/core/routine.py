"""The walk itself: comfortable, then brisk, then comfortable, scaled to the bout's length."""

from __future__ import annotations

from typing import NamedTuple


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
COOL_DOWN = "Back to an easy pace to recover."


def phases(minutes: float) -> tuple[Phase, Phase, Phase]:
    """The routine for a walk of `minutes`: warm-up, brisk middle, cool-down.

    A five-minute bout is 1½ / 2 / 1½; longer walks keep the same shape (3 / 4 / 3 at ten
    minutes), and from 9 to 15 minutes each part is 3–5 minutes.
    """
    middle = round(minutes * 0.4, 1)
    side = (minutes - middle) / 2
    return (
        Phase("comfortable", side, WARM_UP),
        Phase("brisk", middle, BRISK),
        Phase("comfortable", side, COOL_DOWN),
    )


def phase_at(minutes: float, elapsed: float) -> tuple[int, float]:
    """The phase (0–2) a walk of `minutes` is in after `elapsed` minutes, and minutes left in it.

    Past the end the walk stays in its last phase with nothing left.
    """
    start = 0.0
    for index, phase in enumerate(phases(minutes)):
        if elapsed < start + phase.minutes:
            return index, start + phase.minutes - elapsed
        start += phase.minutes
    return 2, 0.0
