"""Where log records go: a rotating file in the user's log dir, stderr when headless, never the
dashboard's screen."""

from __future__ import annotations

import logging
import logging.handlers
import os
import sys

from walkbreak.paths import make_private_dirs

LOG_ENV = "WALKBREAK_LOG_DIR"
MAX_BYTES = 1_000_000
"""One log file holds about a megabyte (weeks of an all-day engine); three old ones are kept."""
BACKUPS = 3
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def log_dir() -> str:
    """`WALKBREAK_LOG_DIR`, else the platform's user log dir (~/.local/state/walkbreak/log on Linux)."""
    named = os.environ.get(LOG_ENV)
    if named:
        return os.path.expanduser(named)
    if sys.platform.startswith("linux"):  # platformdirs' rule, without its 8 ms import
        state = os.environ.get("XDG_STATE_HOME", "")
        return os.path.join(
            state if os.path.isabs(state) else os.path.expanduser("~/.local/state"), "walkbreak", "log"
        )
    import platformdirs

    return platformdirs.user_log_dir("walkbreak", appauthor=False)


def log_file() -> str:
    """The current log file."""
    return os.path.join(log_dir(), "walkbreak.log")


def log_to_file(level: int = logging.INFO) -> str | None:
    """Send warnings, errors and the engine's notes to the rotating log file, owner-only.

    Returns the file, or None when it cannot be written (then nothing is logged to a file, and
    nothing else breaks).
    """
    path = log_file()
    root = logging.getLogger()
    if any(getattr(h, "baseFilename", None) == os.path.abspath(path) for h in root.handlers):
        return path  # already logging there: a second handler would write every line twice
    try:
        make_private_dirs(os.path.dirname(path))
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))  # created owner-only
        os.chmod(path, 0o600)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS)
    except OSError:
        return None
    handler.rotator = _rotate_owner_only
    handler.setFormatter(logging.Formatter(FORMAT, "%Y-%m-%d %H:%M:%S"))
    root.addHandler(handler)
    root.setLevel(min(root.level or level, level))
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    return path


def _rotate_owner_only(source: str, dest: str) -> None:
    """Rotate, then start the new file owner-only (the handler reopens it with the umask)."""
    os.replace(source, dest)
    os.close(os.open(source, os.O_WRONLY | os.O_CREAT, 0o600))


def log_to_stderr(level: int = logging.INFO) -> None:
    """Headless mode: timestamped lines on stderr (the journal, when run as a service).

    Libraries that log (desktop-notifier, APScheduler) go through the same handler; APScheduler's
    routine "job added/executed" chatter is kept to warnings.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(FORMAT, "%H:%M:%S"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
