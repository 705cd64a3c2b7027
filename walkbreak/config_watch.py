"""The config file of a walkbreak that runs all day, read again when it changes.

Without it, an engine started in Berlin kept Berlin's day after `work.timezone` was changed,
while `walkbreak status` planned by the new file. A bad edit keeps the last good settings, and
says why until the file is fixed.
"""

from __future__ import annotations

import logging
import os

from walkbreak import config
from walkbreak.core.settings import Settings
from walkbreak.errors import ConfigError

log = logging.getLogger("walkbreak.config")

RESTART_KEYS = {"data_dir": "data.dir"}
"""Settings a running walkbreak cannot take up: its store is open on the old data dir."""


class ConfigWatch:
    """Watch `path` (the file the process started from; `must_exist` if it was named)."""

    def __init__(self, path: str, *, must_exist: bool = False) -> None:
        self.path = path
        self.must_exist = must_exist
        self.problem = ""
        """Why the file as it is now is not in force ("" when it is)."""
        self._stamp = _stamp(path)

    def changed(self, current: Settings) -> Settings | None:
        """The new settings if the file changed and reads well, else None (a stat when unchanged)."""
        stamp = _stamp(self.path)
        if stamp == self._stamp:
            return None
        self._stamp = stamp
        try:
            new = config.load(self.path, must_exist=self.must_exist)
        except ConfigError as err:
            self.problem = f"{err}; walkbreak goes on with the settings it had"
            log.warning("%s", self.problem)
            return None
        stuck = [key for name, key in RESTART_KEYS.items() if getattr(new, name) != getattr(current, name)]
        self.problem = (
            f"{', '.join(stuck)} changed in {self.path}: restart walkbreak to use it" if stuck else ""
        )
        if stuck:
            log.warning("%s", self.problem)
            new = new._replace(**{name: getattr(current, name) for name in RESTART_KEYS})
        log.info("settings read again from %s", self.path)
        return new


def _stamp(path: str) -> tuple[int, int, int] | None:
    """What changes when the file is edited or replaced; None while there is no file."""
    try:
        info = os.stat(path)
    except OSError:
        return None
    return info.st_ino, info.st_mtime_ns, info.st_size
