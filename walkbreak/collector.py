"""Python's cyclic garbage collector, held off while walkbreak starts.

Start-up makes many thousands of objects that live as long as the process (modules, classes,
Textual's styles), and the collector walks them again and again meanwhile: a tenth of the
dashboard's launch (bench/README.md). The program turns it off first thing (`hold`). A command
that runs all day turns it back on once it is up (`release`), after moving what start-up made
out of its sight (`gc.freeze`), so later collections walk only what was made since. A short
command ends before it would matter: reference counting frees its garbage, and the few cycles
it leaves go with the process.
"""

from __future__ import annotations

import gc


def hold() -> None:
    """No collections until `release` (the program's first step)."""
    gc.disable()


def release() -> None:
    """Collect from now on, leaving out what exists now; nothing to do when never held (tests
    that build the dashboard or the engine in process)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
