"""Two desks, one day: two data dirs kept in step by a real file sync (rsync both ways, the
dumbest there is, and two Syncthing instances), each with its own engine, agree on the walks,
the prompts and the answers."""

from __future__ import annotations

import asyncio
import json
import time
from datetime import datetime
from pathlib import Path

from tests.builders import BERLIN, at, bout
from tests.conftest import run_walkbreak
from tests.syncs import Sync, each_sync, wait_for  # noqa: F401 (each_sync: the `sync` fixture)
from tests.test_engine import running, until
from walkbreak.clock import ScaledClock
from walkbreak.core.model import Outcome
from walkbreak.store import Store
from walkbreak.store.lease import Lease


def store(data: Path) -> Store:
    return Store(data, warn=print)


def test_two_engines_send_one_prompt_and_an_answer_on_one_closes_it_on_the_other(sync: Sync) -> None:
    a, b = sync.a, sync.b

    async def scenario() -> None:
        clock = ScaledClock(at(BERLIN, "2026-11-26 09:59:30"), 60)  # a prompt waits 15 s for its answer
        async with (
            running(a, clock.now(), lease=Lease(str(a), "laptop"), clock=clock) as (laptop, _, (shown_a,)),
            running(b, clock.now(), lease=Lease(str(b), "desk"), clock=clock) as (desk, _, (shown_b,)),
        ):
            with sync.running():
                assert laptop.leading and desk.leading  # one engine per device: each sends prompts
                await until(lambda: shown_a.shown and shown_b.shown, 60)
                # Planned from the same records, the same prompt at the same moment, one record.
                assert shown_a.shown[0].about == shown_b.shown[0].about
                today = clock.now().date()
                await until(lambda: sync.in_step() and len(store(b).day(today).prompts) == 1, 60)
                assert await laptop.act("walk") is None  # answered on the laptop
                await until(lambda: shown_b.closed >= 1, 60)  # and off the desk's screen
                (closed,) = store(b).day(today).prompts
                assert closed.outcome is Outcome.WALKED and closed.id == shown_b.shown[0].about
                # The walk moves both desks' next prompt to the same moment.
                await until(
                    lambda: (
                        laptop.view is not None
                        and desk.view is not None
                        and laptop.view.log == desk.view.log
                        and laptop.view.plan.at == desk.view.plan.at
                    ),
                    60,
                )
                assert len(shown_b.shown) == 1, "the desk did not send a second prompt of its own"

    asyncio.run(scenario())


def test_a_walk_logged_on_one_desk_counts_on_the_other_and_moves_its_next_prompt(sync: Sync) -> None:
    a, b = sync.a, sync.b
    now = "2026-11-26T09:05:00+01:00"

    async def scenario() -> None:
        clock = ScaledClock(datetime.fromisoformat(now), 60)  # the first prompt, at 10:00, 55 s away
        async with running(b, clock.now(), lease=Lease(str(b), "desk"), clock=clock) as (desk, _, _):
            await until(lambda: desk.view is not None and desk.view.plan.at is not None)
            before = desk.view.plan.at
            with sync.running():
                logged = await asyncio.to_thread(
                    run_walkbreak,
                    "log",
                    "5",
                    "--at",
                    "09:00",
                    env={"WALKBREAK_DATA_DIR": str(a), "WALKBREAK_NOW": now, "TZ": "Europe/Berlin"},
                )
                assert logged.returncode == 0, logged.stderr
                start = time.monotonic()
                await until(lambda: len(desk.view.log.bouts) == 1 and desk.view.plan.at != before, 60)
                print(
                    f"\n{sync.name}: the walk logged on the laptop reached the desk's plan in {time.monotonic() - start:.1f} s"
                )
            assert desk.view.plan.at > before, desk.view.plan
        facts = json.loads(
            run_walkbreak(
                "status",
                "--json",
                env={"WALKBREAK_DATA_DIR": str(b), "WALKBREAK_NOW": now, "TZ": "Europe/Berlin"},
            ).stdout
        )
        assert (facts["bouts"], facts["minutes"]) == (1, 5.0)

    asyncio.run(scenario())


def test_a_day_offline_on_both_desks_merges_with_nothing_lost_or_doubled(sync: Sync) -> None:
    a, b = sync.a, sync.b
    day = at(BERLIN, "2026-11-26 00:00").date()
    shared = store(a).add(bout(at(BERLIN, "2026-11-26 08:00")))
    store(b).prepare_directory()
    sync.catch_up()
    # A day apart: each logs its own walks, and both edit the walk they share.
    laptop = [store(a).add(bout(at(BERLIN, f"2026-11-26 {h:02}:00"))) for h in (9, 11)]
    desk = [store(b).add(bout(at(BERLIN, f"2026-11-26 {h:02}:30"))) for h in (10, 13, 15)]
    store(b).remove(desk[1])  # logged by mistake
    store(a).replace(shared._replace(minutes=6))
    store(b).replace(shared._replace(minutes=7))  # later: this one stands
    store(a).remove(laptop[1])
    sync.catch_up()
    for data in (a, b):
        walks = {(w.start.hour, w.minutes) for w in store(data).day(day).bouts}
        assert walks == {(8, 7), (9, 5), (10, 5), (15, 5)}
    assert store(a).day(day) == store(b).day(day)
    assert not list(sync.tmp.rglob("*conflict*"))
    wait_for(sync.in_step)  # each folder carried whole to the other
