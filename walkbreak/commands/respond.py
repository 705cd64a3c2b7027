"""`walkbreak walk|snooze|skip|pause|resume`: answer the live plan from any shell.

Each writes through the store, so a running dashboard or headless engine picks it up within a
few seconds, exactly as if its own key or notification button had been pressed.
"""

from __future__ import annotations

import sys
from datetime import datetime

from walkbreak.answers import answer, decision
from walkbreak.commands.context import EXIT_FAILED, EXIT_OK, Context
from walkbreak.commands.today import describe
from walkbreak.core import walking
from walkbreak.core.actions import Changes, NotAllowed
from walkbreak.core.care import RED_FLAG_HEAD
from walkbreak.core.model import DayLog, SkipReason, Walking
from walkbreak.core.settings import plan_in_force, with_plan
from walkbreak.ids import new_id

RESUME_HERE = "walkbreak resume"
"""How prompts are resumed, as a shell says it."""


def run(
    context: Context, command: str, reason: str = "", minutes: int | None = None, *, yes: bool = False
) -> int:
    """Apply one answer and print today's status after it."""
    now = context.clock.now()
    if command == "walk":
        return _walk(context, now)
    held = plan_in_force(context.settings).held_since
    if command == "resume" and held is not None and not yes and not _doctor_says_fine(held):
        return EXIT_FAILED
    decide = decision(command, context.settings, now, SkipReason(reason), minutes)
    try:
        after = answer(context.store, now, decide)
    except NotAllowed as why:
        print(f"walkbreak {command}: {why}", file=sys.stderr)
        return EXIT_FAILED
    # A resume may have lifted a red-flag hold kept in the store: describe the plan as it is now.
    context = context._replace(settings=with_plan(context.settings, context.store.plan(now.date())))
    print(describe(context, now, after, as_json=False))
    return EXIT_OK


def _walk(context: Context, now: datetime) -> int:
    """Start a walk now (it counts when it ends); say what was done."""
    started: list[Walking] = []

    def leave(day: DayLog) -> Changes:
        walk, changes = walking.start(context.settings, now, day, new_id)
        started.append(walk)
        return changes

    try:
        after = answer(context.store, now, leave)
    except walking.HeldAfterRedFlag:
        held = plan_in_force(context.settings).held_since
        since = f" since {held:%a %d %b %H:%M}" if held else ""
        print(
            f"walkbreak walk: walk prompts are held{since}, after a red flag, and no walk is guided "
            f"meanwhile. {RED_FLAG_HEAD} Resume prompts ({RESUME_HERE}) once a health professional "
            "says walking is fine. A walk you took anyway can still be logged: walkbreak log",
            file=sys.stderr,
        )
        return EXIT_FAILED
    except NotAllowed as why:
        print(f"walkbreak walk: {why}", file=sys.stderr)
        return EXIT_FAILED
    walk = started[-1]
    answered = "answering the prompt" if walk.prompt_id else "no prompt was waiting"
    print(
        f"walking now: a {walk.minutes:g}-minute walk from {walk.start:%H:%M} ({answered}); "
        f"it counts when it ends, at {walk.end:%H:%M} (an open dashboard shows the guide)"
    )
    print(describe(context, now, after, as_json=False))
    return EXIT_OK


def _doctor_says_fine(held_since: datetime) -> bool:
    """Ending the hold after a red flag asks first; not on a terminal, `--yes` must say it."""
    lifts = f"this ends the hold on walk prompts since {held_since:%a %d %b %H:%M}, after a red flag"
    if not sys.stdin.isatty():
        print(
            f"walkbreak resume: {lifts}. Add --yes once a doctor has said walking is fine.",
            file=sys.stderr,
        )
        return False
    try:
        reply = input(f"walkbreak: {lifts}. Has a doctor said walking is fine? [y/N] ")
    except EOFError:
        reply = ""
    if reply.strip().lower() in ("y", "yes"):
        return True
    print("prompts stay held")
    return False
