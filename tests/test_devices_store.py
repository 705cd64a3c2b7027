"""Another device's files are read, never mended or moved here: a damaged one, or one from a
newer walkbreak, is left out with a warning while this device goes on."""

from __future__ import annotations

import json
from pathlib import Path

from tests.builders import BERLIN, at, bout
from walkbreak.store import Store
from walkbreak.store.records import to_doc

OTHER = "0123456789abcdef"


def other_file(data: Path, content: str) -> Path:
    folder = data / "devices" / OTHER
    folder.mkdir(parents=True, mode=0o700)
    path = folder / "2026-11.json"
    path.write_text(content)
    return path


def test_another_devices_damaged_file_is_left_as_it_is(tmp_path: Path) -> None:
    warnings: list[str] = []
    store = Store(tmp_path, warn=warnings.append)
    mine = store.add(bout(at(BERLIN, "2026-11-26 10:00")))
    theirs = other_file(tmp_path, '{"bouts": {"1": {"id": "x", "day"')  # a sync cut it short
    assert store.day(mine.day).bouts == (mine,)
    later = store.add(bout(at(BERLIN, "2026-11-26 11:00")))  # writing goes on
    assert store.day(mine.day).bouts == (mine, later)
    assert theirs.read_text().startswith('{"bouts"') and not list(tmp_path.rglob("*corrupt*"))
    assert len(warnings) == 1 and str(theirs) in warnings[0] and "another device wrote it" in warnings[0]


def test_another_devices_file_from_a_newer_walkbreak_is_left_out_not_fatal(tmp_path: Path) -> None:
    warnings: list[str] = []
    store = Store(tmp_path, warn=warnings.append)
    mine = store.add(bout(at(BERLIN, "2026-11-26 10:00")))
    content = json.dumps({"_meta": {"1": {"schema": 99}}, "bouts": {}})
    theirs = other_file(tmp_path, content)
    assert store.day(mine.day).bouts == (mine,)
    store.add(bout(at(BERLIN, "2026-11-26 11:00")))
    assert theirs.read_text() == content
    assert len(warnings) == 1 and "newer walkbreak" in warnings[0] and "upgrade walkbreak" in warnings[0]


def test_another_devices_records_count_and_its_file_is_never_written_here(tmp_path: Path) -> None:
    store = Store(tmp_path, warn=print)
    theirs = other_file(
        tmp_path,
        json.dumps(
            {
                "_meta": {"1": {"schema": 3}},
                "bouts": {"1": {"v": 3, **to_doc(bout(at(BERLIN, "2026-11-26 08:00")))}},
            }
        ),
    )
    before = theirs.read_bytes()
    walk = store.day(at(BERLIN, "2026-11-26 00:00").date()).bouts[0]
    store.replace(walk._replace(minutes=9))  # an edit here of a walk logged there
    assert theirs.read_bytes() == before, "not upgraded, not edited: written only by its device"
    assert [w.minutes for w in store.day(walk.day).bouts] == [9]
