"""A data dir from before devices moves into this device's folder with nothing lost: read as it
is, moved (and upgraded) by the next write, and every command says what it said before."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.builders import month_path
from tests.conftest import run_walkbreak
from walkbreak.store.devices import DEVICES
from walkbreak.store.records import SCHEMA_VERSION

FIXTURES = Path(__file__).parent / "fixtures" / "schema3"
"""Written by walkbreak at schema 3 (commit 10ceb2d), the last before devices: walks on 30 Oct
with a check-in, a walk and a pause on 2 Nov, and on 26 Nov a walk, a spiked check-in, the
scale-back accepted (the walk plan in `_meta`) and a 3-minute walk."""
EXPECTED = Path(__file__).parent / "expected"
NOW = {"WALKBREAK_NOW": "2026-11-26T15:00:00+01:00", "TZ": "Europe/Berlin"}


def said(*commands: tuple[str, ...]) -> str:
    out = ""
    for words in commands:
        result = run_walkbreak(*words, env=NOW)
        assert result.returncode == 0, (words, result.stderr)
        out += result.stdout
    return out


def documents(*paths: Path) -> dict[str, dict[str, object]]:
    """Every record in the files, by table and id, without the time each was written."""
    found: dict[str, dict[str, object]] = {}
    for path in paths:
        for table, docs in json.loads(path.read_text()).items():
            if table != "_meta":
                for doc in docs.values():
                    found.setdefault(table, {})[doc["id"]] = {k: v for k, v in doc.items() if k != "v"}
    return found


def test_an_old_data_dir_moves_into_this_devices_folder_with_nothing_lost(isolated_env: Path) -> None:
    shutil.copytree(FIXTURES, isolated_env)
    isolated_env.chmod(0o700)
    for month in isolated_env.iterdir():
        month.chmod(0o644)  # as a copy or a checkout may leave them
    before = documents(*sorted(isolated_env.glob("*.json")))
    history = ("status",), ("history", "--days", "28")  # from its first record on
    # Read where it is, nothing written: the same words as the walkbreak that wrote it.
    assert said(*history) == (EXPECTED / "schema3-status-history.txt").read_text()
    assert said(("export", "--format", "csv")) == (EXPECTED / "schema3-export.csv").read_text()
    assert not (isolated_env / DEVICES).exists()

    refused = run_walkbreak("snooze", env=NOW)  # nothing to snooze: refused, but a write's unit of work ran
    assert refused.returncode == 1
    moved = [month_path(isolated_env, "2026-10"), month_path(isolated_env, "2026-11")]
    assert sorted(p.name for p in isolated_env.iterdir()) == [".lock", ".stignore", DEVICES], (
        "no month file left behind"
    )
    assert all(p.stat().st_mode & 0o777 == 0o600 for p in moved)
    assert documents(*moved) == before
    meta = json.loads(moved[1].read_text())["_meta"]["1"]
    assert (meta["schema"], meta["upgraded_from"], meta["plan"]["bout_minutes"]) == (SCHEMA_VERSION, 3, 3)
    assert said(*history) == (EXPECTED / "schema3-status-history.txt").read_text()
    assert said(("export", "--format", "csv")) == (EXPECTED / "schema3-export.csv").read_text()

    logged = said(("log", "4", "--at", "14:30"))  # and it goes on from there
    assert "logged a 4-min walk at 14:30" in logged and said(("status",)).startswith("walks 3/6 · 12/18 min")
