"""Fuzzing bad input: random config documents and TOML files, and month files cut at every byte,
filled with garbage or holding wrong types. Never a traceback; a message naming the key or the
file; nothing deleted. The counts tried are printed (pytest -s) and asserted as a floor."""

from __future__ import annotations

import json
import string
from datetime import time as clock_time
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.builders import BERLIN, at, bout, control, month_path, prompt
from walkbreak import config
from walkbreak.config import KEYS, Invalid
from walkbreak.core.model import Advice, Away, CheckIn, ControlKind, Outcome
from walkbreak.errors import ConfigError, StoreError
from walkbreak.store import Store

SECTIONS = sorted({k.section for k in KEYS})
NAMES = sorted({k.name for k in KEYS})
scalars = st.one_of(
    st.integers(-10_000, 10_000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.text(string.printable, max_size=12),
    st.sampled_from(["09:00-12:30", "25:00-26:00", "12:00-09:00", "mon", "friday", "auto", "24:00", ""]),
    st.times().map(lambda t: clock_time(t.hour, t.minute)),
)
values = st.one_of(
    scalars,
    st.lists(scalars, max_size=4),
    st.dictionaries(st.sampled_from(["mon", "fri", "x"]), st.lists(scalars, max_size=2), max_size=2),
)
names = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from([n[:-1] for n in NAMES] + [n + "s" for n in NAMES]),
    st.text(string.ascii_lowercase + "_", min_size=1, max_size=10),
)
sections = st.one_of(st.sampled_from(SECTIONS), st.sampled_from(["wlk", "prompt", "Walk", "notify2"]))
documents = st.dictionaries(
    sections, st.one_of(st.dictionaries(names, values, max_size=4), scalars), max_size=4
)


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, clock_time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"


def toml(document: dict[str, Any]) -> str:
    lines = []
    for section, table in document.items():
        if isinstance(table, dict):
            lines.append(f"[{section}]")
            lines += [f"{k} = {toml_value(v)}" for k, v in table.items()]
        else:
            lines.insert(0, f"{section} = {toml_value(table)}")
    return "\n".join(lines) + "\n"


COUNTS: dict[str, int] = {}


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_random_config_documents_never_crash_and_name_the_key(document: dict[str, Any]) -> None:
    COUNTS["documents"] = COUNTS.get("documents", 0) + 1
    try:
        config.from_document(document)
    except Invalid as err:
        message = str(err)
        assert any(
            f"{s}." in message or f"[{s}]" in message or f"{s} must be a table" in message for s in document
        ), message


@settings(max_examples=700, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(documents, st.sampled_from(["", "\n# broken\n[", "\nwalk = 3\n", "\n[[work]]\n"]))
def test_random_toml_files_give_a_message_with_the_file(
    tmp_path_factory, document: dict[str, Any], tail: str
) -> None:
    COUNTS["toml files"] = COUNTS.get("toml files", 0) + 1
    path = tmp_path_factory.mktemp("cfg") / "config.toml"
    path.write_text(toml(document) + tail)
    try:
        config.load(str(path))
    except ConfigError as err:
        assert str(path) in str(err)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=300))
def test_random_bytes_as_config(tmp_path_factory, raw: bytes) -> None:
    COUNTS["config bytes"] = COUNTS.get("config bytes", 0) + 1
    path = tmp_path_factory.mktemp("cfg") / "config.toml"
    path.write_bytes(raw)
    try:
        config.load(str(path))
    except ConfigError as err:
        assert str(path) in str(err)


def real_month_file(tmp_path: Path) -> bytes:
    """A month file with every kind of record, written by the store."""
    store = Store(tmp_path / "source", warn=print)
    fired = prompt(at(BERLIN, "2026-11-26 10:00"), Outcome.WALKED, at(BERLIN, "2026-11-26 10:01"))
    walked = bout(at(BERLIN, "2026-11-26 10:01"))._replace(prompt_id=fired.id, note='a note, with "quotes"')
    day = walked.day
    for record in (
        fired,
        walked,
        control(ControlKind.SNOOZE, at(BERLIN, "2026-11-26 09:00"), at(BERLIN, "2026-11-26 09:10")),
        CheckIn("c1", day, at(BERLIN, "2026-11-26 10:07"), "slightly sore", ("leg weakness",), walked.id),
        Away("a1", day, at(BERLIN, "2026-11-26 12:00"), at(BERLIN, "2026-11-26 12:40")),
        Advice(
            "s1",
            day,
            at(BERLIN, "2026-11-26 10:08"),
            "pain-spiked",
            "scale-back",
            "why",
            "what",
            3,
            "comfortable",
        ),
    ):
        store.add(record)
    return month_path(tmp_path / "source").read_bytes()


def survive(data: bytes, directory: Path) -> str:
    """Put `data` in a month file, read and then write through the store; returns what happened."""
    month = month_path(directory)
    month.write_bytes(data)
    warnings: list[str] = []
    store = Store(directory, warn=warnings.append)
    try:
        store.day(at(BERLIN, "2026-11-26 00:00").date())
    except StoreError as err:
        assert "newer walkbreak" in str(err) and month.read_bytes() == data  # refused, untouched
        return "refused"
    aside = sorted(month.parent.glob("2026-11.json.corrupt-*"))
    if aside:
        assert aside[0].read_bytes() == data, "moved aside byte for byte"
        assert any(str(aside[0]) in w for w in warnings)
    store.add(bout(at(BERLIN, "2026-11-26 15:00")))  # the next write works
    return "moved aside" if aside else ("read, records skipped" if warnings else "read")


def test_a_month_file_cut_at_every_byte(tmp_path: Path) -> None:
    data = real_month_file(tmp_path)
    outcomes: dict[str, int] = {}
    for cut in range(len(data) + 1):
        what = survive(data[:cut], tmp_path / f"cut{cut}")
        outcomes[what] = outcomes.get(what, 0) + 1
    COUNTS["truncations"] = len(data) + 1
    print(f"\ntruncated at {len(data) + 1} offsets of a {len(data)}-byte month file: {outcomes}")
    assert outcomes.get("moved aside", 0) > len(data) * 0.9 and outcomes.get("read", 0) >= 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=400))
def test_garbage_month_files(tmp_path_factory, garbage: bytes) -> None:
    COUNTS["garbage files"] = COUNTS.get("garbage files", 0) + 1
    survive(garbage, tmp_path_factory.mktemp("g") / "data")


def test_a_record_number_that_is_not_a_number(tmp_path: Path) -> None:
    """Found by the fuzzer: TinyDB raised ValueError on the next write; now it is moved aside."""
    data = json.loads(real_month_file(tmp_path))
    data["bouts"] = {"": {}}
    assert survive(json.dumps(data).encode(), tmp_path / "data") == "moved aside"


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=8)),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
    ),
    max_leaves=6,
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.sampled_from(["bouts", "prompts", "controls", "checkins", "away", "advice", "_meta"]),
    st.text(max_size=10),
    json_values,
    st.integers(0, 2),
)
def test_month_files_with_wrong_types(
    tmp_path_factory, table: str, field: str, value: Any, schema: int
) -> None:
    COUNTS["wrong types"] = COUNTS.get("wrong types", 0) + 1
    data = json.loads(real_month_file(tmp_path_factory.mktemp("src")))
    records = data.setdefault(table, {})
    target = next(iter(records.values()), None) if records else None
    if target is None or not field:
        data[table] = value if isinstance(value, dict) else {"1": value}
    else:
        target[field if field in target or schema else next(iter(target))] = value
    if schema == 2:
        data["_meta"] = {"1": {"schema": 99}}
    survive(json.dumps(data).encode(), tmp_path_factory.mktemp("w") / "data")


def test_report_the_counts() -> None:
    """Run last in its file: the numbers for the closing note (with pytest -s -p no:xdist)."""
    print("\nfuzz cases:", COUNTS)
