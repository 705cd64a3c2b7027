"""Config and data locations: the env overrides, and agreement with platformdirs."""

from __future__ import annotations

from pathlib import Path

import platformdirs
import pytest

from walkbreak import paths


@pytest.mark.parametrize("xdg", [None, "", "relative/dir", "/abs/xdg"])
def test_user_dirs_agree_with_platformdirs(monkeypatch: pytest.MonkeyPatch, xdg: str | None) -> None:
    for variable in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        if xdg is None:
            monkeypatch.delenv(variable, raising=False)
        else:
            monkeypatch.setenv(variable, xdg)
    assert paths.user_dir("config") == platformdirs.user_config_dir("walkbreak", appauthor=False)
    assert paths.user_dir("data") == platformdirs.user_data_dir("walkbreak", appauthor=False)
    assert paths.user_dir("cache") == platformdirs.user_cache_dir("walkbreak", appauthor=False)


def test_overrides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("WALKBREAK_CONFIG", str(tmp_path / "env.toml"))
    assert paths.config_file("~/cli.toml") == (str(Path.home() / "cli.toml"), True)
    assert paths.config_file(None) == (str(tmp_path / "env.toml"), True)
    monkeypatch.delenv("WALKBREAK_CONFIG")
    assert paths.config_file(None) == (str(Path(paths.user_dir("config")) / "config.toml"), False)
    monkeypatch.setenv("WALKBREAK_DATA_DIR", str(tmp_path / "env-data"))
    assert paths.data_dir("/from/config") == str(tmp_path / "env-data")
    monkeypatch.delenv("WALKBREAK_DATA_DIR")
    assert paths.data_dir("~/from-config") == str(Path.home() / "from-config")
    assert paths.data_dir("") == paths.user_dir("data")


@pytest.mark.parametrize("xdg", [None, "", "relative/dir", "/abs/state"])
def test_the_log_dir_agrees_with_platformdirs(monkeypatch: pytest.MonkeyPatch, xdg: str | None) -> None:
    from walkbreak import logs

    monkeypatch.delenv("WALKBREAK_LOG_DIR", raising=False)
    if xdg is None:
        monkeypatch.delenv("XDG_STATE_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_STATE_HOME", xdg)
    assert logs.log_dir() == platformdirs.user_log_dir("walkbreak", appauthor=False)
