"""A walk plan in words, and the longer walk it allows (the routine) or why not."""

from __future__ import annotations

from walkbreak.core.routine import LONGER_WALKS, Pace, has_brisk_part
from walkbreak.core.settings import CarePlan

ROUTINE = Pace.ROUTINE.value
COMFORTABLE = Pace.COMFORTABLE.value
GENTLE = Pace.GENTLE.value


def describe(plan: CarePlan, rest_minutes: int = 0) -> str:
    """The walk in words: "rest 60 minutes, then 3-minute walks, at a comfortable pace only"."""
    minutes = plan.bout_minutes
    if has_brisk_part(minutes, plan.pace):
        walk = f"{minutes}-minute walks, comfortable, brisk, comfortable"
        if plan.variety:
            walk += ", with gentle hills, slight declines or sideways steps"
    elif plan.pace == GENTLE:
        walk = f"{minutes}-minute walks, at a comfortable pace only"
    elif longer_walks(plan):
        longer = longer_walks(plan)
        walk = (
            f"{minutes}-minute walks at a comfortable pace; "
            f"a longer walk ({longer[0]}–{longer[-1]} minutes) when you have time"
        )
    else:
        walk = f"{minutes}-minute walks at a comfortable pace"
    if rest_minutes:
        walk = f"rest {rest_minutes} minutes, then {walk}"
    return walk


def longer_walks(plan: CarePlan) -> tuple[int, ...]:
    """The longer walks worth offering: those longer than the walk in force."""
    return tuple(m for m in LONGER_WALKS if m > plan.bout_minutes)


def longer_walk_refused(plan: CarePlan) -> str | None:
    """Why the longer walk (`LONGER_WALKS`, walked as the routine) is not offered now; None when it is.

    Not while prompts are held after a red flag (see a doctor first), nor while walks are
    gentle after a scale-back (it comes back with the next step up), nor when the walks in force
    are as long as the longest longer walk already.
    """
    if plan.held_since is not None:
        return "Prompts are held after a red flag: please see a doctor before walking more."
    if plan.pace == GENTLE:
        return (
            "After scaling back, walks stay short and comfortable for now; "
            "the longer walk comes back with the next step up."
        )
    if not longer_walks(plan):
        longest = LONGER_WALKS[-1]
        return f"Your walks are {plan.bout_minutes} minutes already; the longer walk is {longest} at most."
    return None
