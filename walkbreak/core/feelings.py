"""The check-in's words: how the back felt, the red flags, and the follow-up's answers.

Kept apart from `model` so `walkbreak status`, which never checks in, does not build them.
"""

from __future__ import annotations

from enum import StrEnum


class Feeling(StrEnum):
    """How the back felt after a walk (one key each in the check-in)."""

    BETTER = "better"
    SAME = "same"
    SORE = "slightly sore"
    SPIKED = "pain spiked"


class Flag(StrEnum):
    """A red flag: a reason to see a doctor promptly."""

    NUMBNESS = "new numbness or tingling"
    WEAKNESS = "leg weakness"
    SEVERE = "severe pain"
    FALL = "after a fall"


class FollowUp(StrEnum):
    """The answer, hours later, to "has the soreness settled?"."""

    SETTLED = "settled"
    LINGERING = "still sore"
