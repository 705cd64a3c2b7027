"""`walkbreak walk|snooze|skip|pause|resume`: answer the live plan from any shell.

Each writes through the store, so a running dashboard or headless engine picks it up within a
few seconds, exactly as if its own key or notification button had been pressed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

from walkbreak.answers import answer, new_id
from walkbreak.cli import EXIT_FAILED, EXIT_OK, Context
from walkbreak.commands.today import describe
from walkbreak.core import actions
from walkbreak.core.actions import Changes, NotAllowed
from walkbreak.core.model import DayLog, SkipReason


def run(context: Context, command: str, reason: str = "", minutes: int | None = None) -> int:
    """Apply one answer and print today's status after it."""
    settings, now = context.settings, context.clock.now()
    decisions: dict[str, Callable[[DayLog], Changes]] = {
        "walk": lambda day: actions.walk_now(settings, now, day, new_id),
        "snooze": lambda day: actions.snooze(settings, now, day, new_id),
        "skip": lambda day: actions.skip(settings, now, day, SkipReason(reason)),
        "pause": lambda day: actions.pause(settings, now, day, new_id, minutes),
        "resume": lambda day: actions.resume(now, day, new_id),
    }
    try:
        after = answer(context.store, now, decisions[command])
    except NotAllowed as why:
        print(f"walkbreak {command}: {why}", file=sys.stderr)
        return EXIT_FAILED
    print(describe(context, now, after, as_json=False))
    return EXIT_OK
