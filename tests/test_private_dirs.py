"""Owner-only, also the parents: with umask 000 every directory walkbreak creates is 0700, and it
never follows a symbolic link where it keeps its lock or its lease."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.builders import month_path
from tests.conftest import REPO
from walkbreak.store.lease import Lease

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes and links")
NOW = "2026-11-26T10:00:00+01:00"


def walkbreak_with_umask_000(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "WALKBREAK_NOW": NOW,
        "WALKBREAK_DATA_DIR": str(tmp_path / "a" / "b" / "data"),
        "WALKBREAK_LOG_DIR": str(tmp_path / "l1" / "l2" / "log"),
        "XDG_CONFIG_HOME": str(tmp_path / "c1" / "config-home"),
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import os, sys; os.umask(0); from walkbreak.cli import main; sys.exit(main())",
            *args,
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_every_directory_made_for_data_logs_and_config_is_owner_only(tmp_path: Path) -> None:
    tmp_path.chmod(0o755)
    assert walkbreak_with_umask_000(tmp_path, "log").returncode == 0
    made = [tmp_path / "a", tmp_path / "a" / "b", tmp_path / "a" / "b" / "data"]
    config = tmp_path / "x" / "y" / "config.toml"
    result = walkbreak_with_umask_000(tmp_path, "--config", str(config), "config", "init")
    assert result.returncode == 0, result.stderr
    made += [tmp_path / "x", tmp_path / "x" / "y"]
    assert {str(p.relative_to(tmp_path)): oct(mode(p)) for p in made} == {
        str(p.relative_to(tmp_path)): oct(0o700) for p in made
    }
    data = tmp_path / "a" / "b" / "data"
    assert mode(data / "devices") == mode(month_path(data).parent) == 0o700
    assert mode(month_path(data)) == 0o600


def test_the_log_dir_and_its_parents_are_owner_only(tmp_path: Path) -> None:
    target = tmp_path / "l1" / "l2" / "log"
    code = "import os; os.umask(0); from walkbreak import logs; print(logs.log_to_file())"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "WALKBREAK_LOG_DIR": str(target)},
        cwd=REPO,
        timeout=60,
    )
    assert Path(result.stdout.strip()).parent == target, result.stderr
    assert [oct(mode(p)) for p in (tmp_path / "l1", tmp_path / "l1" / "l2", target)] == [oct(0o700)] * 3


def test_a_lock_file_that_is_a_link_is_refused_and_nothing_is_made_at_its_target(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    target = tmp_path / "elsewhere" / "planted"
    (tmp_path / "elsewhere").mkdir()
    (data / ".lock").symlink_to(target)
    env = {**os.environ, "WALKBREAK_NOW": NOW, "WALKBREAK_DATA_DIR": str(data)}
    result = subprocess.run(
        [sys.executable, "-m", "walkbreak", "log"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO,
        timeout=60,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"{data / '.lock'} is a symbolic link" in result.stderr
    assert not target.exists(), "nothing created where the link points"


def test_a_lease_file_that_is_a_link_is_not_followed(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    victim = tmp_path / "victim.json"
    victim.write_text("{}")
    before = victim.stat().st_mtime_ns
    (data / "engine.json").symlink_to(victim)
    lease = Lease(str(data), "headless")
    holder = lease.claim()
    lease.claim()  # a renewal touches the lease, never the link's target
    assert holder.owner == lease.me.owner
    assert not (data / "engine.json").is_symlink(), "replaced by a file of its own"
    assert victim.read_text() == "{}" and victim.stat().st_mtime_ns == before
