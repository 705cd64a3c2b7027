"""The engine: plans prompts from the store and fires them, on APScheduler in the running loop.

Data flows one way: an answer or a timer writes to the store, then the engine re-plans from
the store. The engine polls the month file's mtime every few seconds, so a walk logged from
another shell shows up here without a socket. Nothing scheduled is kept in APScheduler between
runs: on start the engine rebuilds its plan from the store.

Suspend and clock changes: APScheduler sleeps on the monotonic clock, which stops while the
machine sleeps, and does not look again on resume. A tick every few seconds compares wall-clock
progress with monotonic progress; a jump means the machine woke or the clock was changed. The
engine then re-plans from now, never replays a missed prompt, holds prompts for a few minutes,
and records the work time slept through as an `Away` period the dashboard can ask about.

Its parts, each a class the next builds on: `base.py` (state, jobs, the tick's timer),
`desktop.py` (notifications), `leading.py` (the lease: sending prompts or viewing),
`presence_watch.py` (away, do-not-disturb, waking), `planning.py` (the plan and the prompt job),
`lifecycle.py` (`Engine`: start, stop, answers, the tick).
"""

from walkbreak.engine.base import CHECK_IN_KEYS, PresenceSource, presence_probes
from walkbreak.engine.lifecycle import Engine

__all__ = ["CHECK_IN_KEYS", "Engine", "PresenceSource", "presence_probes"]
