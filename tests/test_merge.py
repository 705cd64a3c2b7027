"""The merge of every device's month files: the last write of each record wins, the same on every
device whatever order the files are read in (pure: documents in, documents out)."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from walkbreak.store.merge import latest, merge, plan_of, written_after

A, B = "a" * 16, "b" * 16


def walk(key: str, minutes: float, written: int | None) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": key, "day": "2026-12-01", "minutes": minutes}
    if written is not None:
        doc["w"] = written
    return doc


def removed(key: str, written: int) -> dict[str, Any]:
    return {"id": key, "day": "2026-12-01", "removed": True, "w": written}


def walks(tables: dict[str, Any]) -> dict[str, float]:
    """The walks that stand (a record last written as removed is there as its removal)."""
    return {doc["id"]: doc["minutes"] for doc in tables.get("bouts", {}).values() if not doc.get("removed")}


def test_each_record_once_as_last_written() -> None:
    mine = {"bouts": {"1": walk("x", 5, 100), "2": walk("y", 6, 100)}}
    theirs = {"bouts": {"1": walk("x", 9, 200), "2": walk("z", 3, 50)}}
    assert walks(merge([(A, mine), (B, theirs)])) == {"x": 9, "y": 6, "z": 3}


def test_a_tie_goes_to_the_higher_device_id_on_every_device() -> None:
    mine, theirs = {"bouts": {"1": walk("x", 5, 100)}}, {"bouts": {"1": walk("x", 9, 100)}}
    assert walks(merge([(A, mine), (B, theirs)])) == walks(merge([(B, theirs), (A, mine)])) == {"x": 9}


def test_a_removal_wins_over_what_it_removed_and_loses_to_a_later_write() -> None:
    record = {"bouts": {"1": walk("x", 5, 100)}}
    assert walks(merge([(A, record), (B, {"bouts": {"1": removed("x", 150)}})])) == {}
    assert walks(merge([(A, record), (B, {"bouts": {"1": removed("x", 50)}})])) == {"x": 5}


def test_a_record_from_before_devices_is_older_than_any_written_since() -> None:
    old = {"bouts": {"1": walk("x", 5, None)}}
    assert walks(merge([("", old), (A, {"bouts": {"1": walk("x", 7, 1)}})])) == {"x": 7}
    assert walks(merge([("", old)])) == {"x": 5}


def test_the_walk_plan_last_set_on_any_device_is_in_force() -> None:
    mine = {"_meta": {"1": {"schema": 4, "device": "laptop", "plan": {"bout_minutes": 3, "w": 300}}}}
    theirs = {"_meta": {"1": {"schema": 4, "device": "desk", "plan": {"bout_minutes": 5, "w": 200}}}}
    for files in ([(A, mine), (B, theirs)], [(B, theirs), (A, mine)]):
        assert plan_of(files)["bout_minutes"] == 3
    assert plan_of([(A, {"bouts": {}})]) is None


def test_a_document_without_an_id_is_left_for_the_reader_to_refuse() -> None:
    odd = {"bouts": {"1": {"day": "2026-12-01"}, "2": {"day": "2026-12-01", "id": 5}}}
    for files in ([(A, odd)], [(A, odd), (B, {"bouts": {}})]):
        assert sorted(map(str, merge(files)["bouts"].values())) == [
            "{'day': '2026-12-01', 'id': 5}",
            "{'day': '2026-12-01'}",
        ]


def test_only_the_days_asked_for_from_several_files_and_one_file_as_it_is() -> None:
    other_day = {**walk("y", 6, 100), "day": "2026-12-02"}
    files = [(A, {"bouts": {"1": walk("x", 5, 100), "2": other_day}}), (B, {"bouts": {}})]
    assert walks(merge(files, "2026-12-02", "2026-12-02")) == {"y": 6}
    assert walks(merge(files)) == walks(merge(files[:1], "2026-12-02", "2026-12-02")) == {"x": 5, "y": 6}


def test_an_edit_wins_over_the_version_it_edited_even_from_a_clock_behind() -> None:
    ahead = walk("x", 5, 10**18)  # written by a machine whose clock ran far ahead
    edit = walk("x", 8, written_after(ahead))
    assert walks(merge([(A, {"bouts": {"1": ahead}}), (B, {"bouts": {"1": edit}})])) == {"x": 8}


def test_latest_is_the_record_as_merged() -> None:
    files = [(A, {"bouts": {"1": walk("x", 5, 100)}}), (B, {"bouts": {"1": walk("x", 9, 200)}})]
    assert latest(files, "bouts", "x")["minutes"] == 9
    assert latest([*files, (A, {"bouts": {"2": removed("x", 300)}})], "bouts", "x") is None
    assert latest(files, "bouts", "nope") is None


versions = st.lists(
    st.tuples(
        st.sampled_from([A, B, "c" * 16]),
        st.sampled_from("xyz"),
        st.integers(0, 5),  # written: ties happen
        st.booleans(),  # removed
        st.integers(1, 60),
    ),
    max_size=12,
)


@given(versions)
def test_every_order_of_the_files_merges_alike(found: list[tuple[str, str, int, bool, int]]) -> None:
    # A device's file holds one version of each record (a write replaces its own older one).
    found = list({(d, k): (d, k, w, gone, m) for d, k, w, gone, m in found}.values())
    files: dict[str, dict[str, Any]] = {}
    for device, key, written, gone, minutes in found:
        table = files.setdefault(device, {}).setdefault("bouts", {})
        table[str(len(table) + 1)] = removed(key, written) if gone else walk(key, minutes, written)
    results = [walks(merge(list(order))) for order in itertools.permutations(files.items())]
    assert all(result == results[0] for result in results)
    for key, minutes in results[0].items():  # and what stands is a last write of that record
        last = max((w, d) for d, k, w, _, _ in found if k == key)
        assert any((w, d) == last and m == minutes for d, k, w, gone, m in found if k == key and not gone)


def prompt(stage: str, written: int) -> dict[str, Any]:
    doc: dict[str, Any] = {"id": "p", "day": "2026-12-01", "fired_at": "2026-12-01T10:00:00+01:00"}
    if stage == "snoozed":
        doc["snoozes"] = 1
    elif stage == "answered":
        doc["outcome"] = "walked"
    return {"prompts": {"1": {**doc, "w": written}}}


def test_a_prompt_sent_again_by_a_desk_that_had_not_seen_the_answer_never_undoes_it() -> None:
    for late, early in (("sent", "answered"), ("sent", "snoozed"), ("snoozed", "answered")):
        merged = merge([(A, prompt(late, 500)), (B, prompt(early, 100))])  # the late one's clock ahead
        (doc,) = merged["prompts"].values()
        assert doc.get("outcome") == ("walked" if early == "answered" else None), (late, early)
        assert doc.get("snoozes", 0) == (1 if early == "snoozed" else 0), (late, early)
    later_answer = merge(
        [
            (A, prompt("answered", 100)),
            (B, {"prompts": {"1": {**prompt("answered", 200)["prompts"]["1"], "outcome": "skipped"}}}),
        ]
    )
    assert next(iter(later_answer["prompts"].values()))["outcome"] == "skipped"  # answers: the last


def test_an_answer_on_one_desk_stands_over_the_lapse_the_other_saw() -> None:
    lapsed = {"prompts": {"1": {**prompt("sent", 900)["prompts"]["1"], "outcome": "expired"}}}
    merged = merge([(A, lapsed), (B, prompt("answered", 100))])
    assert next(iter(merged["prompts"].values()))["outcome"] == "walked"


def test_a_record_put_back_after_its_removal_stands_even_from_a_clock_behind() -> None:
    gone = {"bouts": {"1": removed("x", 10**18)}}  # removed on a desk whose clock ran far ahead
    assert latest([(B, gone)], "bouts", "x") is None
    back = walk("x", 5, written_after(latest([(B, gone)], "bouts", "x", removals=True)))  # an undo here
    assert walks(merge([(A, {"bouts": {"1": back}}), (B, gone)])) == {"x": 5}
