"""Two desks, one day: two data dirs kept in step by a file sync (here rsync both ways, the
dumbest there is), each with its own engine, agree on the walks, the prompts and the answers."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest

from tests.builders import BERLIN, at, bout
from tests.syncs import RSYNC, RSYNC_MISSING, both_ways, rsync_loop
from tests.test_engine import running, until
from walkbreak.core.model import Outcome
from walkbreak.store import Store
from walkbreak.store.lease import Lease

pytestmark = pytest.mark.skipif(RSYNC is None, reason=RSYNC_MISSING)


def store(data: Path) -> Store:
    return Store(data, warn=print)


def same_day(a: Path, b: Path, when) -> bool:
    return store(a).day(when.date()) == store(b).day(when.date())


def test_two_engines_send_one_prompt_and_an_answer_on_one_closes_it_on_the_other(tmp_path: Path) -> None:
    a, b = tmp_path / "laptop", tmp_path / "desk"

    async def scenario() -> None:
        start = at(BERLIN, "2026-11-26 09:59")
        async with (
            running(a, start, lease=Lease(str(a), "laptop")) as (laptop, clock, (shown_a,)),
            running(b, start, lease=Lease(str(b), "desk"), clock=clock) as (desk, _, (shown_b,)),
            rsync_loop(a, b),
        ):
            assert laptop.leading and desk.leading  # one engine per device: each sends prompts
            await until(lambda: shown_a.shown and shown_b.shown)
            # Planned from the same records, the same prompt at the same moment, one record.
            assert shown_a.shown[0].about == shown_b.shown[0].about
            now = clock.now()
            await until(
                lambda: len(store(a).day(now.date()).prompts) == 1 == len(store(b).day(now.date()).prompts)
            )
            assert await laptop.act("walk") is None  # answered on the laptop
            await until(lambda: shown_b.closed >= 1)  # and off the desk's screen
            (closed,) = store(b).day(now.date()).prompts
            assert closed.outcome is Outcome.WALKED and closed.id == shown_b.shown[0].about
            await until(lambda: same_day(a, b, now))
            # The walk moves both desks' next prompt to the same moment.
            await until(
                lambda: (
                    laptop.view is not None
                    and desk.view is not None
                    and laptop.view.log == desk.view.log
                    and laptop.view.plan.at == desk.view.plan.at
                )
            )
            assert len(shown_b.shown) == 1, "the desk did not send a second prompt of its own"

    asyncio.run(scenario())


def test_a_walk_logged_on_one_desk_moves_the_others_next_prompt(tmp_path: Path) -> None:
    a, b = tmp_path / "laptop", tmp_path / "desk"

    async def scenario() -> None:
        start = at(BERLIN, "2026-11-26 09:00")
        async with running(b, start, lease=Lease(str(b), "desk")) as (desk, clock, _):
            await until(lambda: desk.view is not None and desk.view.plan.at is not None)
            before = desk.view.plan.at
            store(a).add(bout(clock.now()))  # `walkbreak log` on the laptop, no engine running there
            both_ways(a, b)
            await until(lambda: desk.view.plan.at != before and len(desk.view.log.bouts) == 1)
            assert desk.view.plan.at > before

    asyncio.run(scenario())


def test_a_day_offline_on_both_desks_merges_with_nothing_lost_or_doubled(tmp_path: Path) -> None:
    a, b = tmp_path / "laptop", tmp_path / "desk"
    day = at(BERLIN, "2026-11-26 00:00").date()
    shared = store(a).add(bout(at(BERLIN, "2026-11-26 08:00")))
    both_ways(a, b)
    # A day apart: each logs its own walks, and both edit the walk they share.
    laptop = [store(a).add(bout(at(BERLIN, f"2026-11-26 {h:02}:00"))) for h in (9, 11)]
    desk = [store(b).add(bout(at(BERLIN, f"2026-11-26 {h:02}:30"))) for h in (10, 13, 15)]
    store(b).remove(desk[1])  # logged by mistake
    store(a).replace(shared._replace(minutes=6))
    store(b).replace(shared._replace(minutes=7))  # later: this one stands
    store(a).remove(laptop[1])
    both_ways(a, b)
    for data in (a, b):
        walks = {(w.start.hour, w.minutes) for w in store(data).day(day).bouts}
        assert walks == {(8, 7), (9, 5), (10, 5), (15, 5)}
    assert store(a).day(day) == store(b).day(day)
    assert not list(tmp_path.rglob("*conflict*"))
    # Each folder was written only by its own device, and carried whole to the other.
    for data in (a, b):
        for mine in (data / "devices").iterdir():
            other = (b if data == a else a) / "devices" / mine.name
            assert json.loads((mine / "2026-11.json").read_text()) == json.loads(
                (other / "2026-11.json").read_text()
            )
