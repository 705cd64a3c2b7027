"""The parsed config is cached for exactly the text it came from; the cache never changes a result."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from walkbreak import config, config_cache
from walkbreak.errors import ConfigError

FIRST = '[walk]\nbout_minutes = 5\ndaily_target = 6\n[work]\nwindows = ["09:00-12:00"]\n'
SECOND = FIRST.replace("bout_minutes = 5", "bout_minutes = 7")  # same length, one digit apart


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text)
    return path


def loads_tomllib(path: Path) -> bool:
    """Whether a fresh process imports tomllib to read `path`."""
    code = f"import sys; from walkbreak import config; config.load({str(path)!r}); print('tomllib' in sys.modules)"
    return (
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout.strip()
        == "True"
    )


def test_the_second_read_of_the_same_text_does_not_parse_toml(tmp_path: Path) -> None:
    path = write(tmp_path, FIRST)
    assert loads_tomllib(path)
    assert not loads_tomllib(path)
    cached = Path(config_cache.cache_file())
    assert stat.S_IMODE(cached.stat().st_mode) == 0o600
    assert stat.S_IMODE(cached.parent.stat().st_mode) == 0o700
    path.write_text(SECOND)
    assert loads_tomllib(path), "a changed file must be parsed again"
    assert config.load(path).walk.bout_minutes == 7


def test_an_edit_of_the_same_length_in_the_same_instant_is_read(tmp_path: Path) -> None:
    path = write(tmp_path, FIRST)
    assert config.load(path).walk.bout_minutes == 5
    times = path.stat()
    path.write_text(SECOND)
    os.utime(path, ns=(times.st_atime_ns, times.st_mtime_ns))
    assert config.load(path).walk.bout_minutes == 7


@pytest.mark.parametrize(
    "damage",
    [b"", b"{not json", b"[1, 2]", b'{"toml": 5}', b"\xff\xfe", "document"],
)
def test_a_damaged_cache_is_parsed_past_and_replaced(tmp_path: Path, damage: bytes | str) -> None:
    path = write(tmp_path, FIRST)
    config.load(path)
    cached = Path(config_cache.cache_file())
    if damage == "document":  # the right text with a document that is not a table
        cached.write_text(json.dumps({"toml": FIRST, "document": [1]}))
    else:
        assert isinstance(damage, bytes)
        cached.write_bytes(damage)
    assert config.load(path).walk.bout_minutes == 5
    assert json.loads(cached.read_text())["document"]["walk"]["bout_minutes"] == 5


def test_a_cached_document_is_still_validated(tmp_path: Path) -> None:
    bad = FIRST.replace("bout_minutes = 5", "bout_minutes = 500")
    path = write(tmp_path, bad)
    for _ in range(2):  # the first read caches the parse; the second must fail the same way
        with pytest.raises(ConfigError, match=r"walk\.bout_minutes = 500 is not allowed"):
            config.load(path)
    assert json.loads(Path(config_cache.cache_file()).read_text())["toml"] == bad


def test_a_toml_time_is_not_cached_and_still_named(tmp_path: Path) -> None:
    path = write(tmp_path, "[work]\nwindows = [09:00:00]\n")
    with pytest.raises(ConfigError, match=r"work\.windows"):
        config.load(path)
    assert not Path(config_cache.cache_file()).exists()


def test_a_cache_dir_that_cannot_be_made_costs_nothing_but_the_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(in_the_way))
    path = write(tmp_path, FIRST)
    assert config.load(path).walk.bout_minutes == 5
    assert config.load(path).walk.bout_minutes == 5
    assert set(tmp_path.iterdir()) == {in_the_way, path}, "no temporary file is left behind"
