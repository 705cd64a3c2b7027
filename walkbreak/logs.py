"""Where log records go: never onto the dashboard's screen."""

from __future__ import annotations

import logging
import sys


def log_to_stderr(level: int = logging.INFO) -> None:
    """Headless mode: timestamped lines on stderr (the journal, when run as a service).

    Libraries that log (desktop-notifier, APScheduler) go through the same handler; APScheduler's
    routine "job added/executed" chatter is kept to warnings.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s", "%H:%M:%S"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
