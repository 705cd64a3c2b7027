"""How a check-in reads: whether the walk before it was tolerated, and how much worse it left the back."""

from __future__ import annotations

from walkbreak.core.feelings import Feeling, FollowUp
from walkbreak.core.model import CheckIn

WORSE = 2
"""`worse_level` from which a walk left the back worse."""
FEELINGS = frozenset(f.value for f in Feeling)


def worse_level(checkin: CheckIn) -> int:
    """How much worse the walk before `checkin` left the back: 0 better, 1 no worse, 2 worse, 3 much worse.

    Each answer compares the back after the walk with before it. Slight soreness that settled
    means the walk was tolerated: no worse. Slight soreness not (yet) known to have settled
    left it worse; a spike left it much worse.
    """
    if checkin.feeling == Feeling.BETTER:
        return 0
    if checkin.feeling == Feeling.SORE:
        return 1 if checkin.followup == FollowUp.SETTLED else WORSE
    if checkin.feeling == Feeling.SPIKED:
        return WORSE + 1
    return 1


def tolerated(checkin: CheckIn) -> bool | None:
    """Whether the walk before `checkin` was tolerated; None while soreness may still settle.

    Advice: "slight soreness that settles within a few hours means the body tolerates it; pain
    that spikes sharply, lingers, or gets worse each time means scale back."
    """
    if checkin.flags or checkin.feeling == Feeling.SPIKED:
        return False
    if checkin.feeling == Feeling.SORE:
        if checkin.followup == FollowUp.SETTLED:
            return True
        if checkin.followup == FollowUp.LINGERING:
            return False
        return None
    return True
