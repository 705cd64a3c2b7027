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
    """A red flag: a reason to see a doctor promptly, in the words of the therapist's advice."""

    NUMBNESS = "new numbness or tingling"
    WEAKNESS = "leg weakness"
    SEVERE = "severe pain"
    FALL = "pain after a fall or accident"


OLD_FLAG_WORDS: dict[str, Flag] = {"after a fall": Flag.FALL}
"""Flags as older walkbreaks stored them (check-ins keep the words they were written with)."""


def flag_words(stored: str) -> str:
    """A stored red flag in today's words: "after a fall" (older records) reads as Flag.FALL."""
    return OLD_FLAG_WORDS.get(stored, stored)


class FollowUp(StrEnum):
    """The answer, hours later, to "has the soreness settled?"."""

    SETTLED = "settled"
    LINGERING = "still sore"
