"""Where walkbreak keeps its config and data, and the environment overrides for both."""

from __future__ import annotations

import os
from pathlib import Path

APP = "walkbreak"
CONFIG_ENV = "WALKBREAK_CONFIG"
DATA_ENV = "WALKBREAK_DATA_DIR"


def default_config_file() -> Path:
    """The config file in the platform's user config dir (e.g. ~/.config/walkbreak)."""
    from platformdirs import user_config_path

    return user_config_path(APP, appauthor=False) / "config.toml"


def config_file(cli_path: str | None = None) -> tuple[Path, bool]:
    """The config file to read, and whether the user named it (so it must exist).

    `--config` wins over `WALKBREAK_CONFIG`, which wins over the platform default.
    """
    named = cli_path or os.environ.get(CONFIG_ENV)
    if named:
        return Path(named).expanduser(), True
    return default_config_file(), False


def data_dir(configured: str = "") -> Path:
    """The data dir: `WALKBREAK_DATA_DIR`, else the config's `data.dir`, else the platform's."""
    named = os.environ.get(DATA_ENV) or configured
    if named:
        return Path(named).expanduser()
    from platformdirs import user_data_path

    return user_data_path(APP, appauthor=False)
