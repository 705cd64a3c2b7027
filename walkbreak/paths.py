"""Where walkbreak keeps its config and data, and the environment overrides for both."""

from __future__ import annotations

import os
import sys

APP = "walkbreak"
CONFIG_ENV = "WALKBREAK_CONFIG"
DATA_ENV = "WALKBREAK_DATA_DIR"


def default_config_file() -> str:
    """The config file in the platform's user config dir (e.g. ~/.config/walkbreak)."""
    return os.path.join(user_dir("config"), "config.toml")


XDG_DIRS = {
    "config": ("XDG_CONFIG_HOME", "~/.config"),
    "data": ("XDG_DATA_HOME", "~/.local/share"),
    "cache": ("XDG_CACHE_HOME", "~/.cache"),
}


def user_dir(kind: str) -> str:
    """platformdirs' user "config", "data" or "cache" dir for walkbreak.

    On Linux the XDG rule platformdirs follows (an absolute $XDG_CONFIG_HOME / $XDG_DATA_HOME /
    $XDG_CACHE_HOME, else ~/.config, ~/.local/share, ~/.cache) is applied here directly, because
    importing platformdirs pulls in tempfile and shutil and costs `walkbreak status` 8 ms. A test
    checks both agree.
    """
    if sys.platform.startswith("linux"):
        variable, fallback = XDG_DIRS[kind]
        base = os.environ.get(variable, "")
        return os.path.join(base if os.path.isabs(base) else os.path.expanduser(fallback), APP)
    import platformdirs

    where: str = getattr(platformdirs, f"user_{kind}_dir")(APP, appauthor=False)
    return where


def config_file(cli_path: str | None = None) -> tuple[str, bool]:
    """The config file to read, and whether the user named it (so it must exist).

    `--config` wins over `WALKBREAK_CONFIG`, which wins over the platform default.
    """
    named = cli_path or os.environ.get(CONFIG_ENV)
    if named:
        return os.path.expanduser(named), True
    return default_config_file(), False


def data_dir(configured: str = "") -> str:
    """The data dir: `WALKBREAK_DATA_DIR`, else the config's `data.dir`, else the platform's."""
    named = os.environ.get(DATA_ENV) or configured
    if named:
        return os.path.expanduser(named)
    return user_dir("data")


def in_the_way(path: str) -> str:
    """The first part of `path` (from the top) that exists and is not a directory, such as a
    file where a directory should be, or a link to nothing; "" when there is none."""
    parts = [os.path.abspath(path)]
    while os.path.dirname(parts[-1]) != parts[-1]:
        parts.append(os.path.dirname(parts[-1]))
    for part in reversed(parts):
        if not os.path.isdir(part):
            return part if os.path.lexists(part) else ""
    return ""


def make_private_dirs(path: str) -> None:
    """Create the directory `path` and every missing parent owner-only (0700).

    os.makedirs gives the parents 0777 minus the umask: with umask 000 another local user could
    swap the data or the config inside them. Directories that exist are left as they are.
    """
    missing = []
    here = os.path.abspath(path)
    while not os.path.isdir(here):
        missing.append(here)
        parent = os.path.dirname(here)
        if parent == here:
            break
        here = parent
    for directory in reversed(missing):
        try:
            os.mkdir(directory, 0o700)  # the umask can only take bits away from 0700
        except FileExistsError:
            if not os.path.isdir(directory):
                raise
