"""The walk plan in force and red flags seen from the command line (real processes, real files)."""

from __future__ import annotations

from pathlib import Path

from tests.builders import BERLIN, at
from tests.conftest import run_walkbreak
from walkbreak.core.actions import Changes
from walkbreak.core.model import Advice, CheckIn
from walkbreak.core.settings import CarePlan
from walkbreak.store import Store

NOW = {"WALKBREAK_NOW": "2026-11-26T09:30:00+01:00", "TZ": "Europe/Berlin"}


def edit(plan: CarePlan) -> tuple[tuple[str, object], ...]:
    return tuple(plan._asdict().items())


def write(data: Path, changes: Changes) -> None:
    with Store(data, warn=print).batch(at(BERLIN, "2026-11-26 09:00").date()) as batch:
        batch.apply(changes)


def test_an_accepted_plan_changes_the_status_target_and_a_config_edit_overrides_it(
    isolated_env: Path, tmp_path: Path
) -> None:
    write(isolated_env, Changes(plan=edit(CarePlan(5, 3, "gentle"))))
    status = run_walkbreak("status", env=NOW)
    assert status.stdout.startswith("walks 0/6 · 0/18 min"), status.stdout + status.stderr
    config = tmp_path / "config.toml"
    config.write_text("[walk]\nbout_minutes = 10\n")
    edited = run_walkbreak("--config", str(config), "status", env=NOW)
    assert edited.stdout.startswith("walks 0/6 · 0/60 min"), edited.stdout + edited.stderr


def test_a_red_flag_hold_shows_in_status_and_resume_lifts_it(isolated_env: Path) -> None:
    held = CarePlan(5, 5, held_since=at(BERLIN, "2026-11-25 15:00"))
    write(isolated_env, Changes(plan=edit(held)))
    status = run_walkbreak("status", env=NOW)
    assert "prompts held after a red flag" in status.stdout
    asked = run_walkbreak("resume", env=NOW)  # not a terminal: it must be said with --yes
    assert asked.returncode == 1 and asked.stdout == ""
    assert asked.stderr == (
        "walkbreak resume: this ends the hold on walk prompts since Wed 25 Nov 15:00, after a red flag. "
        "Add --yes once a doctor has said walking is fine.\n"
    )
    assert "prompts held after a red flag" in run_walkbreak("status", env=NOW).stdout
    walk = run_walkbreak("walk", env=NOW)  # no walk is guided while held; logging one still works
    assert walk.returncode == 1 and "Please see a doctor promptly." in walk.stderr
    assert "walkbreak resume" in walk.stderr and "walkbreak log" in walk.stderr
    assert run_walkbreak("log", "5", env=NOW).returncode == 0
    resumed = run_walkbreak("resume", "--yes", env=NOW)
    assert resumed.returncode == 0, resumed.stderr
    assert "next 10:30" in resumed.stdout and "held" not in resumed.stdout  # says how things stand now
    assert Store(isolated_env, warn=print).plan(at(BERLIN, "2026-11-26 09:00").date()).held_since is None
    assert "next 10:30" in run_walkbreak("status", env=NOW).stdout


def test_history_lists_red_flags_suggestions_and_the_walk_in_force(isolated_env: Path) -> None:
    day = at(BERLIN, "2026-11-26 09:00").date()
    flag = CheckIn("c1", day, at(BERLIN, "2026-11-26 09:10"), "same", ("leg weakness", "after a fall"))
    advice = Advice(
        "a1", day, at(BERLIN, "2026-11-26 09:20"), "pain-spiked", "scale-back", "why",
        "rest 60 minutes, then 3-minute walks, at a comfortable pace only", 3, "gentle",
        rest_minutes=60, answer="accepted",
    )  # fmt: skip
    write(isolated_env, Changes(add=(flag, advice), plan=edit(CarePlan(5, 3, "gentle"))))
    out = run_walkbreak("history", "--days", "3", env=NOW).stdout
    assert "check-ins: same" in out
    assert "Thu 26 Nov 09:10  red flag: leg weakness, pain after a fall or accident" in out  # older words
    assert "Thu 26 Nov 09:20  scale back (accepted): rest 60 minutes, then 3-minute walks" in out
    assert "walk in force: 3-minute walks, at a comfortable pace only" in out


def test_check_in_from_a_shell_then_accept_the_suggestion(isolated_env: Path) -> None:
    late = {**NOW, "WALKBREAK_NOW": "2026-11-26T10:10:00+01:00"}
    assert run_walkbreak("log", "5", "--at", "10:00", env=late).returncode == 0
    said = run_walkbreak("checkin", "spiked", env=late)
    assert said.returncode == 0, said.stderr
    assert said.stdout.startswith("checked in for the walk at 10:00: pain spiked\n")
    assert "walkbreak suggests to scale back: rest 60 minutes, then 3-minute walks" in said.stdout
    assert "walkbreak suggestion accept | decline" in said.stdout
    (checkin,) = Store(isolated_env, warn=print).day(at(BERLIN, "2026-11-26 10:00").date()).checkins
    assert checkin.bout_id == Store(isolated_env, warn=print).day(checkin.day).bouts[0].id
    accepted = run_walkbreak("suggestion", "accept", env=late)
    assert accepted.returncode == 0, accepted.stderr
    assert "bout length now 3 minutes" in accepted.stdout
    status = run_walkbreak("status", env=late).stdout
    assert status.startswith("walks 1/6 · 5/18 min · paused until 11:10"), status
    assert run_walkbreak("suggestion", env=late).stdout == "no suggestion is waiting\n"


def test_a_red_flag_from_a_shell_says_see_a_doctor_and_holds_prompts(isolated_env: Path) -> None:
    said = run_walkbreak("checkin", "same", "--flag", "weakness", "--flag", "fall", env=NOW)
    assert said.returncode == 0, said.stderr
    assert said.stdout.startswith(
        "checked in: same (leg weakness, pain after a fall or accident)\n"
        "Please see a doctor promptly.\n"
        "Leg weakness is a red flag. Pain after a fall or accident is a red flag. "
    ), said.stdout
    assert "held until you resume them (walkbreak resume)" in said.stdout
    assert "(r" not in said.stdout and "after walking" not in said.stdout
    assert "prompts held after a red flag" in run_walkbreak("status", env=NOW).stdout
    (flagged,) = Store(isolated_env, warn=print).day(at(BERLIN, "2026-11-26 09:00").date()).checkins
    assert flagged.bout_id is None  # no walk today: the red flag is taken all the same


def test_a_check_in_from_a_shell_answers_the_latest_walk_without_one_and_only_once(
    isolated_env: Path,
) -> None:
    late = {**NOW, "WALKBREAK_NOW": "2026-11-26T10:30:00+01:00"}
    assert run_walkbreak("log", "5", "--at", "09:00", env=late).returncode == 0
    assert run_walkbreak("log", "5", "--at", "10:00", env=late).returncode == 0
    assert run_walkbreak("checkin", "better", env=late).stdout == "checked in for the walk at 10:00: better\n"
    assert run_walkbreak("checkin", "same", env=late).stdout == "checked in for the walk at 09:00: same\n"
    third = run_walkbreak("checkin", "sore", env=late)
    assert third.returncode == 1 and third.stdout == ""
    assert third.stderr == "walkbreak checkin: every walk today has its check-in\n"
    flagged = run_walkbreak("checkin", "same", "--flag", "numbness", env=late)
    assert flagged.returncode == 0, flagged.stderr  # a red flag is taken at any time
    day = Store(isolated_env, warn=print).day(at(BERLIN, "2026-11-26 09:00").date())
    by_walk = {c.bout_id: c.feeling for c in day.checkins}
    early, later = day.bouts
    assert by_walk == {later.id: "better", early.id: "same", None: "same"}


def test_the_follow_up_from_a_shell(isolated_env: Path) -> None:
    nothing = run_walkbreak("checkin", "settled", env=NOW)
    assert nothing.returncode == 1 and "no slightly-sore check-in" in nothing.stderr
    no_walk = run_walkbreak("checkin", "sore", env=NOW)
    assert no_walk.returncode == 1 and "no walk today to check in for" in no_walk.stderr
    assert run_walkbreak("log", "5", "--at", "09:00", env=NOW).returncode == 0
    assert (
        run_walkbreak("checkin", "sore", env=NOW).stdout
        == "checked in for the walk at 09:00: slightly sore\n"
    )
    later = {**NOW, "WALKBREAK_NOW": "2026-11-26T12:40:00+01:00"}
    answered = run_walkbreak("checkin", "still-sore", env=later)
    assert answered.returncode == 0, answered.stderr
    assert answered.stdout.startswith(
        "soreness still there\nwalkbreak suggests to scale back: 3-minute walks"
    )
    bad = run_walkbreak("checkin", "settled", "--flag", "fall", env=later)
    assert bad.returncode == 2 and "--flag goes with a feeling" in bad.stderr


def test_worse_each_time_follows_the_walks_not_the_order_of_the_check_ins(isolated_env: Path) -> None:
    """Check-ins made later answer the latest walk first: the rule reads them in walk order."""
    late = {**NOW, "WALKBREAK_NOW": "2026-11-26T12:00:00+01:00"}
    for start in ("09:30", "10:30", "11:30"):
        assert run_walkbreak("log", "5", "--at", start, env=late).returncode == 0
    for feeling in ("better", "same", "sore"):  # 11:30 better, 10:30 same, 09:30 sore: improving
        assert run_walkbreak("checkin", feeling, env=late).returncode == 0
    assert run_walkbreak("suggestion", env=late).stdout == "no suggestion is waiting\n"


def test_worse_walk_after_walk_checked_in_latest_first_suggests_scaling_back(isolated_env: Path) -> None:
    late = {**NOW, "WALKBREAK_NOW": "2026-11-26T12:00:00+01:00"}
    for start in ("09:30", "10:30", "11:30"):
        assert run_walkbreak("log", "5", "--at", start, env=late).returncode == 0
    for feeling in ("sore", "same", "better"):  # 11:30 sore, 10:30 same, 09:30 better: worse each time
        assert run_walkbreak("checkin", feeling, env=late).returncode == 0
    offer = run_walkbreak("suggestion", env=late).stdout
    assert "scale back" in offer and "better → same → slightly sore" in offer
