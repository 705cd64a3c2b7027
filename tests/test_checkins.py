"""Check-ins belong to a walk: one per walk, and deleting a walk takes what hangs on it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.builders import BERLIN, apply, at, ids, settings
from walkbreak.core import care, checkins
from walkbreak.core.actions import NotAllowed
from walkbreak.core.feelings import Feeling, Flag, FollowUp
from walkbreak.core.model import Advice, Bout, CheckIn, DayLog

PREFS = settings(days=range(5))
DAY = date(2026, 11, 26)


def walk(clock: str) -> Bout:
    start = at(BERLIN, f"2026-11-26 {clock}")
    return Bout(ids(), DAY, start, 5.0)


def checked(bout: Bout, feeling: Feeling, *, flags: tuple[Flag, ...] = (), followup: str = "") -> CheckIn:
    return CheckIn(ids(), DAY, bout.end, feeling.value, tuple(f.value for f in flags), bout.id, followup)


def suggestion(after: CheckIn, answer: str = "") -> Advice:
    return Advice(
        ids(), DAY, after.at, "pain-spiked", "scale-back", "why", "3-minute walks, at a comfortable pace only",
        3, "gentle", answer=answer, checkin_id=after.id,
    )  # fmt: skip


# One check-in per walk


def test_a_walk_that_has_its_check_in_refuses_another() -> None:
    first = walk("09:00")
    now = at(BERLIN, "2026-11-26 09:10")
    log = DayLog(DAY, bouts=(first,))
    log = apply(log, checkins.check_in(PREFS, now, log, ids, Feeling.SAME, (), first.id))
    for feeling in Feeling:
        with pytest.raises(NotAllowed, match="that walk has its check-in already"):
            checkins.check_in(PREFS, now, log, ids, feeling, (), first.id)
    with pytest.raises(NotAllowed):  # a red flag names no walk that has one either
        checkins.check_in(PREFS, now, log, ids, Feeling.SAME, (Flag.SEVERE,), first.id)


def test_a_feeling_needs_a_walk_but_a_red_flag_is_taken_without_one() -> None:
    now = at(BERLIN, "2026-11-26 09:10")
    with pytest.raises(NotAllowed, match="no walk today to check in for"):
        checkins.check_in(PREFS, now, DayLog(DAY), ids, Feeling.BETTER, (), None)
    changes = checkins.check_in(PREFS, now, DayLog(DAY), ids, Feeling.SAME, (Flag.FALL,), None)
    (entry,) = changes.add
    assert isinstance(entry, CheckIn) and entry.bout_id is None
    assert entry.flags == ("pain after a fall or accident",)


def test_the_walk_to_check_in_is_the_latest_without_one() -> None:
    early, late = walk("09:00"), walk("10:00")
    with pytest.raises(NotAllowed, match=r"^no walk today to check in for$"):
        checkins.walk_to_check_in(DayLog(DAY))
    assert checkins.walk_to_check_in(DayLog(DAY), red_flag=True) is None
    log = DayLog(DAY, bouts=(early, late))
    assert checkins.walk_to_check_in(log) == late.id
    log = log._replace(checkins=(checked(late, Feeling.SAME),))
    assert checkins.walk_to_check_in(log) == early.id
    log = log._replace(checkins=(checked(early, Feeling.BETTER), *log.checkins))
    with pytest.raises(NotAllowed, match=r"^every walk today has its check-in$"):
        checkins.walk_to_check_in(log)
    assert checkins.walk_to_check_in(log, red_flag=True) is None  # taken, without a walk


# Deleting a walk


def day_with_everything() -> tuple[DayLog, dict[str, Bout | CheckIn | Advice]]:
    """Four walks: sore with a follow-up pending; spiked with a suggestion waiting; sore that
    lingered with a suggestion accepted; a red flag."""
    sore_walk, spike_walk, linger_walk, flag_walk = walk("09:00"), walk("10:00"), walk("11:00"), walk("12:00")
    sore = checked(sore_walk, Feeling.SORE)
    spike = checked(spike_walk, Feeling.SPIKED)
    linger = checked(linger_walk, Feeling.SORE, followup=FollowUp.LINGERING.value)
    flag = checked(flag_walk, Feeling.SAME, flags=(Flag.NUMBNESS,))
    waiting, accepted = suggestion(spike), suggestion(linger, "accepted")
    log = DayLog.of(
        DAY, [sore_walk, spike_walk, linger_walk, flag_walk, sore, spike, linger, flag, waiting, accepted]
    )
    named = dict(
        sore_walk=sore_walk, spike_walk=spike_walk, linger_walk=linger_walk, flag_walk=flag_walk,
        sore=sore, spike=spike, linger=linger, flag=flag, waiting=waiting, accepted=accepted,
    )  # fmt: skip
    return log, named


def test_deleting_a_walk_removes_its_check_in_and_the_follow_up_pending_on_it() -> None:
    log, r = day_with_everything()
    due = at(BERLIN, "2026-11-26 12:05")
    assert care.followup_waiting(PREFS, log.checkins, due) == r["sore"]
    changes = checkins.remove_walk(log, r["sore_walk"])
    assert set(changes.remove) == {r["sore_walk"], r["sore"]} and changes.replace == changes.add == ()
    after = apply(log, changes)
    assert care.followup_waiting(PREFS, after.checkins, due) is None
    assert checkins.removal_note(log, r["sore_walk"]) is None
    assert apply(after, changes.undone(log)) == log


def test_deleting_a_walk_removes_a_suggestion_from_its_check_in_still_waiting() -> None:
    log, r = day_with_everything()
    assert checkins.waiting_advice(log) is None  # the accepted one is the newest
    changes = checkins.remove_walk(log, r["spike_walk"])
    assert set(changes.remove) == {r["spike_walk"], r["spike"], r["waiting"]}
    after = apply(log, changes)
    assert r["waiting"] not in after.advice and r["accepted"] in after.advice
    assert apply(after, changes.undone(log)) == log


def test_deleting_a_walk_keeps_an_accepted_suggestion_and_says_so() -> None:
    log, r = day_with_everything()
    changes = checkins.remove_walk(log, r["linger_walk"])
    assert set(changes.remove) == {r["linger_walk"], r["linger"]}
    assert r["accepted"] in apply(log, changes).advice
    note = checkins.removal_note(log, r["linger_walk"])
    assert note == (
        "The walk you accepted after its check-in stays in force "
        "(3-minute walks, at a comfortable pace only); a later check-in can change it."
    )
    assert apply(apply(log, changes), changes.undone(log)) == log


def test_deleting_a_walk_keeps_its_red_flag_unlinked_and_says_so() -> None:
    log, r = day_with_everything()
    changes = checkins.remove_walk(log, r["flag_walk"])
    assert changes.remove == (r["flag_walk"],)
    assert changes.replace == (r["flag"]._replace(bout_id=None),)
    after = apply(log, changes)
    assert [c.flags for c in after.checkins if c.flags] == [("new numbness or tingling",)]
    note = checkins.removal_note(log, r["flag_walk"])
    assert note is not None and "red flag" in note and "held until you resume" in note
    assert apply(after, changes.undone(log)) == log


def test_deleting_a_walk_leaves_the_other_walks_and_their_check_ins_alone() -> None:
    log, r = day_with_everything()
    after = apply(log, checkins.remove_walk(log, r["sore_walk"]))
    kept = [x for x in log.records if x not in (r["sore_walk"], r["sore"])]
    assert sorted(after.records, key=lambda x: x.id) == sorted(kept, key=lambda x: x.id)
    plain = walk("13:00")
    alone = DayLog(DAY, bouts=(plain,))
    assert checkins.remove_walk(alone, plain).remove == (plain,)


def test_a_deleted_walk_can_be_checked_in_again_after_undo_but_not_twice() -> None:
    log, r = day_with_everything()
    changes = checkins.remove_walk(log, r["spike_walk"])
    back = apply(apply(log, changes), changes.undone(log))
    now = r["spike"].at + timedelta(minutes=5)
    with pytest.raises(NotAllowed):
        checkins.check_in(PREFS, now, back, ids, Feeling.SAME, (), r["spike_walk"].id)
