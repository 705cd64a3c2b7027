"""`walkbreak checkin` and `walkbreak suggestion`: the dashboard's care questions from any shell.

For users who run the headless engine, or answered a prompt from a notification: the same
check-in, follow-up answer and accept/decline as the dashboard's keys, through the store.
"""

from __future__ import annotations

import sys

from walkbreak.answers import care_answer
from walkbreak.commands.context import EXIT_FAILED, EXIT_OK, Context
from walkbreak.core import checkins
from walkbreak.core.actions import Changes, NotAllowed
from walkbreak.core.care import followup_waiting, red_flag_text
from walkbreak.core.feelings import Feeling, Flag
from walkbreak.core.model import Advice, CheckIn, DayLog
from walkbreak.core.settings import with_plan
from walkbreak.ids import new_id

FEELINGS = {"better": Feeling.BETTER, "same": Feeling.SAME, "sore": Feeling.SORE, "spiked": Feeling.SPIKED}
FLAGS = {"numbness": Flag.NUMBNESS, "weakness": Flag.WEAKNESS, "severe": Flag.SEVERE, "fall": Flag.FALL}
FOLLOWUPS = {"settled": True, "still-sore": False}


def check_in(context: Context, answer: str, flags: list[str]) -> int:
    """A feeling for today's latest walk without a check-in, or the answer to the follow-up.

    Every walk has one check-in: with none waiting (or no walk today) a feeling is refused
    (exit 1). A red flag is taken at any time, recorded without a walk when none is waiting.
    """
    now = context.clock.now()
    if answer in FOLLOWUPS:

        def decide(day: DayLog) -> Changes:
            waiting = followup_waiting(context.settings, day.checkins, now) or _latest_sore(day)
            if waiting is None:
                raise NotAllowed("no slightly-sore check-in today is waiting for that answer")
            return checkins.answer_followup(now, day, waiting.id, FOLLOWUPS[answer])

        def said() -> str:
            return "soreness " + ("settled" if FOLLOWUPS[answer] else "still there")

    else:
        feeling, ticked = FEELINGS[answer], tuple(FLAGS[f] for f in flags)
        walk: list[str] = []

        def decide(day: DayLog) -> Changes:
            try:
                bout_id = checkins.walk_to_check_in(day, red_flag=bool(ticked))
            except NotAllowed as why:
                if not day.bouts:
                    raise NotAllowed(f"{why}: log one first (walkbreak log)") from None
                raise
            # Say which walk it answers: several unchecked walks are answered latest first.
            walk[:] = [f" for the walk at {b.start:%H:%M}" for b in day.bouts if b.id == bout_id]
            return checkins.check_in(context.settings, now, day, new_id, feeling, ticked, bout_id)

        def said() -> str:
            named = f" ({', '.join(f.value for f in ticked)})" if ticked else ""
            return f"checked in{''.join(walk)}: {feeling.value}{named}"

    try:
        after = care_answer(context.store, context.settings, now, decide)
    except NotAllowed as why:
        print(f"walkbreak checkin: {why}", file=sys.stderr)
        return EXIT_FAILED
    print(said())
    if flags:
        print("\n".join(red_flag_text([FLAGS[f].value for f in flags], resume="walkbreak resume")))
    waiting = checkins.waiting_advice(after)
    if waiting is not None:
        print(_offer(waiting))
    return EXIT_OK


def suggestion(context: Context, answer: str | None) -> int:
    """Show the suggestion waiting today, or accept or decline it."""
    now = context.clock.now()
    day = context.store.day(now.date())
    waiting = checkins.waiting_advice(day)
    if waiting is None:
        print("no suggestion is waiting")
        return EXIT_OK if answer is None else EXIT_FAILED
    if answer is None:
        print(_offer(waiting))
        return EXIT_OK
    accept = answer == "accept"

    def decide(log: DayLog) -> Changes:
        return checkins.answer_advice(context.settings, now, log, new_id, waiting.id, accept)

    try:
        care_answer(context.store, context.settings, now, decide)
    except NotAllowed as why:
        print(f"walkbreak suggestion: {why}", file=sys.stderr)
        return EXIT_FAILED
    settings = with_plan(context.settings, context.store.plan(now.date()))
    print(f"accepted: {waiting.text}" if accept else "declined; nothing changes")
    print(f"bout length now {settings.walk.bout_minutes} minutes")
    return EXIT_OK


def _offer(advice: Advice) -> str:
    direction = "scale back" if advice.direction == "scale-back" else "scale up"
    return (
        f"walkbreak suggests to {direction}: {advice.text}.\n"
        f"why: {advice.reason}.\n"
        "nothing changes unless you accept: walkbreak suggestion accept | decline"
    )


def _latest_sore(day: DayLog) -> CheckIn | None:
    """Today's newest slightly-sore check-in without a follow-up answer (asked before it is due)."""
    return next((c for c in reversed(day.checkins) if c.feeling == Feeling.SORE and not c.followup), None)
