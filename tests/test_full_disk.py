"""A full disk and a read-only file system, for real (a small tmpfs): one sentence naming the data
dir and the cause, the documented exit code, and every record kept."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.builders import month_path
from tests.conftest import run_walkbreak

NOW = {"WALKBREAK_NOW": "2026-11-26T10:00:00+01:00", "TZ": "Europe/Berlin"}


@pytest.fixture
def small_disk() -> Iterator[Path]:
    """A 64 kB tmpfs of our own (needs the right to mount: root, as in CI)."""
    point = Path(tempfile.mkdtemp(prefix="walkbreak-small-disk-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(point)], capture_output=True
    )
    if mounted.returncode != 0:
        point.rmdir()
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    try:
        yield point
    finally:
        subprocess.run(["umount", str(point)], check=True)
        point.rmdir()


def fill(disk: Path) -> None:
    try:
        with open(disk / "filler", "wb", buffering=0) as f:
            while True:
                f.write(b"x" * 4096)
    except OSError:
        pass  # full


def walks(data: Path) -> list[str]:
    return [b["start"] for b in json.loads(month_path(data).read_text())["bouts"].values()]


def test_a_full_disk_is_a_sentence_and_every_record_is_kept(small_disk: Path) -> None:
    data = small_disk / "data"
    env = {**NOW, "WALKBREAK_DATA_DIR": str(data)}
    assert run_walkbreak("log", "--at", "08:00", env=env).returncode == 0
    fill(small_disk)
    before = month_path(data).read_bytes()
    result = run_walkbreak("log", "--at", "09:00", env=env)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1 and f"the data dir {data}: the disk is full" in result.stderr
    assert month_path(data).read_bytes() == before and walks(data) == ["2026-11-26T08:00:00+01:00"]
    folder = month_path(data).parent.relative_to(data)
    left = sorted(str(p.relative_to(data)) for p in data.rglob("*") if p.is_file())
    assert left == [".lock", ".stignore", f"{folder}/2026-11.json", f"{folder}/device.json"], (
        "no temp file left"
    )
    status = run_walkbreak("status", env=env)
    assert status.returncode == 0 and status.stdout.startswith("walks 1/6")
    (small_disk / "filler").unlink()
    assert run_walkbreak("log", "--at", "09:00", env=env).returncode == 0, "works again once there is room"
    assert len(walks(data)) == 2


def test_a_read_only_file_system_is_a_sentence_and_reading_still_works(small_disk: Path) -> None:
    data = small_disk / "data"
    env = {**NOW, "WALKBREAK_DATA_DIR": str(data)}
    assert run_walkbreak("log", "--at", "08:00", env=env).returncode == 0
    subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)
    for words in (("log", "--at", "09:00"), ("run", "--headless")):
        result = run_walkbreak(*words, env=env)
        assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
        assert f"the data dir {data}: it is on a read-only file system" in result.stderr
    status = run_walkbreak("status", env=env)
    assert status.returncode == 0 and status.stdout.startswith("walks 1/6")
    assert os.statvfs(small_disk).f_flag & os.ST_RDONLY
