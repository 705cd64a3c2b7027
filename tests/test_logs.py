"""The log file: where it is, owner-only, rotated and still owner-only, written by the headless engine."""

from __future__ import annotations

import logging
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import REPO, run_walkbreak
from walkbreak import logs


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_rotation_keeps_every_file_owner_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WALKBREAK_LOG_DIR", str(tmp_path / "log"))
    old_umask = os.umask(0o022)
    root = logging.getLogger()
    before = list(root.handlers)
    try:
        path = Path(logs.log_to_file() or "")
        handler = root.handlers[-1]
        assert isinstance(handler, logging.handlers.RotatingFileHandler)
        handler.maxBytes = 2000
        for n in range(200):
            logging.getLogger("walkbreak.test").warning("line %d of a long day", n)
        handler.close()
    finally:
        root.handlers[:] = before
        os.umask(old_umask)
    files = sorted(p.name for p in path.parent.iterdir())
    assert files == ["walkbreak.log", "walkbreak.log.1", "walkbreak.log.2", "walkbreak.log.3"]  # three kept
    assert all(mode(path.parent / name) == 0o600 for name in files) and mode(path.parent) == 0o700
    assert "line 199 of a long day" in path.read_text()


def test_the_headless_engine_logs_to_the_file(tmp_path: Path, isolated_env: Path) -> None:
    log_dir = tmp_path / "logs"
    env = {**os.environ, "WALKBREAK_LOG_DIR": str(log_dir), "WALKBREAK_NOW": "2026-11-26T09:00:00+01:00"}
    config = tmp_path / "c.toml"
    config.write_text('[notify]\nbackend = "none"\n')
    env["WALKBREAK_CONFIG"] = str(config)
    engine = subprocess.Popen([sys.executable, "-m", "walkbreak", "run", "--headless"], env=env, cwd=REPO,
                              stderr=subprocess.PIPE, text=True)  # fmt: skip
    try:
        deadline = time.monotonic() + 20
        log_file = log_dir / "walkbreak.log"
        while time.monotonic() < deadline and "sends the prompts" not in (
            log_file.read_text() if log_file.exists() else ""
        ):
            time.sleep(0.1)
    finally:
        engine.send_signal(signal.SIGTERM)
        engine.communicate(timeout=20)
    text = log_file.read_text()
    assert "running headless" in text and "this walkbreak sends the prompts" in text
    assert mode(log_file) == 0o600
    doctor = run_walkbreak("doctor", env={"WALKBREAK_LOG_DIR": str(log_dir)})
    assert f"{log_file} (" in doctor.stdout
