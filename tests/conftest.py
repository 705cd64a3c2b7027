"""Keeps the developer's own config and data out of every test."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parent.parent

# The properties try the same examples on every run: a case found by chance on CI's machine
# would stop every landing, whoever's change it is. New cases are looked for on purpose, with
# `pytest --hypothesis-profile=explore` (random examples); what they find becomes a test.
settings.register_profile("walkbreak", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile("walkbreak")


@pytest.fixture(autouse=True)
def isolated_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point config and data at a temp dir; returns the data dir."""
    data = tmp_path / "data"
    monkeypatch.setenv("WALKBREAK_DATA_DIR", str(data))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config-home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data-home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache-home"))
    for name in ("WALKBREAK_CONFIG", "WALKBREAK_NOW"):
        monkeypatch.delenv(name, raising=False)
    return data


def run_walkbreak(
    *args: str, env: dict[str, str] | None = None, timeout: float = 30
) -> subprocess.CompletedProcess[str]:
    """Run `python -m walkbreak ARGS` as a real process with the test's environment."""
    return subprocess.run(
        [sys.executable, "-m", "walkbreak", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout,
        cwd=REPO,
    )


def pytest_configure(config: pytest.Config) -> None:
    """walkbreak processes started by the tests log to a throwaway dir, not the user's log dir."""
    import tempfile

    os.environ.setdefault("WALKBREAK_LOG_DIR", tempfile.mkdtemp(prefix="walkbreak-test-logs-"))
