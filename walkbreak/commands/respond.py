"""`walkbreak walk|snooze|skip|pause|resume`: answer the live plan from any shell.

Each writes through the store, so a running dashboard or headless engine picks it up within a
few seconds, exactly as if its own key or notification button had been pressed.
"""

from __future__ import annotations

import sys

from walkbreak.answers import answer, decision
from walkbreak.cli import EXIT_FAILED, EXIT_OK, Context
from walkbreak.commands.today import describe
from walkbreak.core.actions import NotAllowed
from walkbreak.core.model import SkipReason
from walkbreak.core.settings import with_plan


def run(context: Context, command: str, reason: str = "", minutes: int | None = None) -> int:
    """Apply one answer and print today's status after it."""
    now = context.clock.now()
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
