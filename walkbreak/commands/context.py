"""What every command is handed: the exit codes and the context built once from the config.

Below `cli.py` and every `commands/*.py`, so the commands need not import the `walkbreak` command
that imports them.
"""

from __future__ import annotations

import sys
from datetime import tzinfo

from walkbreak.core.named_tuple import NamedTuple

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see core/named_tuple.py)
if TYPE_CHECKING:
    from walkbreak.clock import Clock
    from walkbreak.core.settings import Settings
    from walkbreak.store import Store

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
EXIT_BROKEN_PIPE = 141
"""128 + SIGPIPE: what a shell reports for a coreutils command whose reader went away (`| head`)."""


class Context(NamedTuple):
    """What every command works with, built once from the config."""

    config_path: str
    settings: Settings
    zone: tzinfo
    clock: Clock
    store: Store
    config_named: bool = False
    """Whether the config file was named (--config, WALKBREAK_CONFIG): then it must exist."""


def open_context(config_option: str | None) -> Context:
    """Load the config and build the clock and store it asks for (raises ConfigError)."""
    from walkbreak import config, paths
    from walkbreak.clock import local_zone, make_clock
    from walkbreak.core.settings import with_plan
    from walkbreak.store import Store

    path, named = paths.config_file(config_option)
    settings = config.load(path, must_exist=named)
    zone = local_zone(settings.work.timezone)
    store = Store(paths.data_dir(settings.data_dir), warn=lambda message: print(message, file=sys.stderr))
    clock = make_clock(zone)
    settings = with_plan(settings, store.plan(clock.now().date()))
    return Context(path, settings, zone, clock, store, named)
