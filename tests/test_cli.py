"""The CLI's data commands, in process (fast) and as real processes where it matters."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tests.builders import BERLIN, at, prompt
from tests.conftest import REPO, run_walkbreak
from walkbreak import config
from walkbreak.cli import main
from walkbreak.core.model import Outcome
from walkbreak.store import Store

NOW = "2026-11-26T10:00:00+01:00"  # a Thursday


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WALKBREAK_NOW", NOW)
    monkeypatch.setenv("TZ", "Europe/Berlin")


def walkbreak(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_status_on_a_fresh_machine_writes_nothing(capsys, isolated_env: Path) -> None:
    code, out, _ = walkbreak(capsys, "status")
    assert code == 0
    assert out == "walks 0/6 · 0/30 min · next 10:00 (now)\n"
    assert not isolated_env.exists()


def test_log_then_status_and_json(capsys, isolated_env: Path) -> None:
    code, out, _ = walkbreak(capsys, "log")
    assert code == 0
    assert out.splitlines() == [
        "logged a 5-min walk at 09:55",
        "walks 1/6 · 5/30 min · next 11:00 (in 1 h)",
        "how does your back feel? walkbreak checkin better | same | sore | spiked",
    ]
    walkbreak(capsys, "log", "7.5", "--at", "08:15", "--note", "to the bakery")
    _, out, _ = walkbreak(capsys, "status", "--json")
    facts = json.loads(out)
    assert (facts["bouts"], facts["minutes"], facts["state"]) == (2, 12.5, "scheduled")
    bouts = Store(isolated_env, warn=print).day(date(2026, 11, 26)).bouts
    assert [(b.start.strftime("%H:%M"), b.minutes, b.note) for b in bouts] == [
        ("08:15", 7.5, "to the bakery"),
        ("09:55", 5.0, ""),
    ]


def test_log_answers_the_prompt_waiting_now(capsys, isolated_env: Path) -> None:
    store = Store(isolated_env, warn=print)
    waiting = store.add(prompt(at(BERLIN, "2026-11-26 09:58")))
    _, out, _ = walkbreak(capsys, "status")
    assert out.endswith("walk due now\n")
    walkbreak(capsys, "log")
    log = store.day(date(2026, 11, 26))
    assert log.prompts[0].id == waiting.id and log.prompts[0].outcome is Outcome.WALKED
    assert log.bouts[0].prompt_id == waiting.id


def test_log_on_an_earlier_day_shows_in_history(capsys) -> None:
    code, out, _ = walkbreak(capsys, "log", "6", "--day", "2026-11-24", "--at", "11:00")
    assert code == 0 and out == "logged a 6-min walk at Tue 24 Nov 11:00\n"
    walkbreak(capsys, "log", "--day", "yesterday", "--at", "15:30")
    _, out, _ = walkbreak(capsys, "history", "--days", "3")
    rows = out.splitlines()
    assert rows[1:4] == [
        "Tue 24 Nov     1/6        6   1/9 h",
        "Wed 25 Nov     1/6        5   1/9 h",
        "Thu 26 Nov     0/6        0   0/9 h",
    ]
    assert "streak: 0 days meeting the target" in out
    # Monday came before the first record: not a day without walks, so not counted.
    assert "this week so far: 2/18 walks, 11 min, target met on 0 of 3 work days" in out
    _, longer, _ = walkbreak(capsys, "history", "--days", "5")
    assert longer.splitlines()[1].startswith("Tue 24 Nov") and "(your history begins Tue 24 Nov)" in longer


def test_history_streak_reads_back_across_months(
    capsys, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    cfg = tmp_path / "one.toml"
    cfg.write_text(
        '[work]\ndays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\n[walk]\ndaily_target = 1\n'
    )
    monkeypatch.setenv("WALKBREAK_CONFIG", str(cfg))
    for day in range(20, 32):  # 20–31 October, then 1–26 November
        walkbreak(capsys, "log", "--day", f"2026-10-{day}", "--at", "10:00")
    for day in range(1, 27):
        walkbreak(capsys, "log", "--day", f"2026-11-{day:02d}", "--at", "09:00")
    _, out, _ = walkbreak(capsys, "history", "--days", "2")
    assert "streak: 38 days meeting the target" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["log", "--at", "11:30"], "--at 11:30 is in the future"),
        (["log", "--at", "25:00"], "--at '25:00' is not a time of day"),
        (["log", "--day", "yesterday"], "--day needs --at"),
        (["log", "--day", "someday", "--at", "10:00"], "is not a date"),
        (["log", "--day", "2026-12-01", "--at", "10:00"], "give a day from 1970 up to today"),
    ],
)
def test_bad_log_arguments_say_why_and_exit_2(capsys, args, message) -> None:
    code, out, err = walkbreak(capsys, *args)
    assert code == 2 and message in err and out == ""


@pytest.mark.parametrize(
    "args",
    [
        *(["log", *words] for words in (["0"], ["abc"], ["500"], ["-5"], ["nan"], ["inf"], ["5", "6"])),
        *(["log", "5", "--forced"], ["log", "--force", "5", "extra"]),
        *(["history", "--days", "0"], ["frobnicate"], ["config"]),
    ],
)
def test_usage_errors_exit_2(capsys, args) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 2
    assert "usage: walkbreak" in capsys.readouterr().err


def test_config_init_path_check(capsys, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    target = tmp_path / "cfg" / "walkbreak.toml"
    monkeypatch.setenv("WALKBREAK_CONFIG", str(target))
    assert walkbreak(capsys, "config", "path")[1] == f"{target}\n"
    assert walkbreak(capsys, "config", "init")[:2] == (0, f"wrote {target}\n")
    assert target.read_text() == config.example()
    code, _, err = walkbreak(capsys, "config", "init")
    assert code == 1 and "already exists" in err
    assert walkbreak(capsys, "config", "init", "--force")[0] == 0
    assert walkbreak(capsys, "config", "check")[1] == f"{target} is valid\n"


def test_config_check_without_a_file_says_defaults(capsys) -> None:
    code, out, _ = walkbreak(capsys, "config", "check")
    assert code == 0 and "the defaults are in use" in out


def test_a_store_error_is_a_message_and_exit_1(isolated_env: Path) -> None:
    isolated_env.mkdir(mode=0o700)
    (isolated_env / "2026-11.json").write_text('{"_meta": {"1": {"schema": 7}}}')
    result = run_walkbreak("status", env={"WALKBREAK_NOW": NOW})
    assert result.returncode == 1
    assert "written by a newer walkbreak" in result.stderr and "Traceback" not in result.stderr


def test_status_imports_neither_textual_nor_apscheduler_nor_tinydb() -> None:
    """`status` runs every few seconds in status bars: it reads the month file itself (TinyDB
    writes it), and the config's parse from the cache (tomllib, like `typing`, costs a tenth of
    its start)."""
    config_file = Path(os.environ["XDG_CONFIG_HOME"]) / "walkbreak" / "config.toml"
    config_file.parent.mkdir(parents=True)
    config_file.write_text(config.example())
    assert run_walkbreak("status").returncode == 0  # the first run parses the file and caches it
    probe = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "walkbreak", "status"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert probe.returncode == 0, probe.stderr
    imported = {
        line.split("|")[-1].strip().split(".")[0] for line in probe.stderr.splitlines() if "|" in line
    }
    assert "walkbreak" in imported and "json" in imported  # the probe really saw the imports
    for heavy in (
        *("textual", "apscheduler", "plyer", "rich", "asyncio", "argparse", "tinydb", "logging"),
        *("typing", "tomllib", "string"),
    ):
        assert heavy not in imported, f"status imported {heavy}"


def program(code: str) -> subprocess.CompletedProcess[str]:
    """Python running `code`, then the `walkbreak status` program as its entry point runs it."""
    script = f"import sys\n{code}\nsys.argv = ['walkbreak', 'status']\nfrom walkbreak.cli import run\nrun()"
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=REPO)


def test_the_program_skips_the_teardown_but_not_the_exit_handlers(isolated_env: Path) -> None:
    """`run` leaves by os._exit (no module teardown), after the atexit handlers and a flush."""
    marker = isolated_env.parent / "teardown"
    result = program(
        "import atexit\n"
        "atexit.register(lambda: print('exit handler ran'))\n"
        # Freed only when the interpreter tears its modules down: the work `run` skips.
        "class Witness:\n"
        f"    def __del__(self, open=open): open({str(marker)!r}, 'w').close()\n"
        "witness = Witness()"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("walks 0/6") and result.stdout.endswith("exit handler ran\n")
    assert not marker.exists(), "the interpreter was torn down"


def test_the_program_exits_the_usual_way_while_a_thread_runs(isolated_env: Path) -> None:
    """A thread still running (none in walkbreak's commands, today) is joined, not cut off."""
    result = program(
        "import threading, time\n"
        "threading.Thread(target=lambda: (time.sleep(0.3), print('thread done'))).start()"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("walks 0/6") and "thread done" in result.stdout


def test_the_program_keeps_the_exit_code(isolated_env: Path) -> None:
    bad = isolated_env.parent / "bad.toml"
    bad.write_text("[walk]\nbout_minutes = 0\n")
    result = program(f"import os; os.environ['WALKBREAK_CONFIG'] = {str(bad)!r}")
    assert result.returncode == 2
    assert "walk.bout_minutes" in result.stderr and "Traceback" not in result.stderr


def test_log_minutes_skips_argparse() -> None:
    probe = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "walkbreak", "log", "5"],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert probe.returncode == 0, probe.stderr
    imported = {line.split("|")[-1].strip() for line in probe.stderr.splitlines() if "|" in line}
    assert "walkbreak.commands.today" in imported and "argparse" not in imported


def test_the_quick_status_says_what_the_full_parser_would(capsys, tmp_path: Path) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    for quick, full in (
        (["status"], ["--config", str(empty), "status"]),
        (["status", "--json"], ["--config", str(empty), "status", "--json"]),
    ):
        assert walkbreak(capsys, *quick) == walkbreak(capsys, *full)


@pytest.mark.parametrize("args", [[], ["5"], ["7.5", "--force"], ["--force", " 1e1"]])
def test_the_quick_log_does_what_the_full_parser_would(
    capsys, isolated_env: Path, tmp_path: Path, args: list[str]
) -> None:
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    done = []
    for words in (["log", *args], ["--config", str(empty), "log", *args]):
        Store(isolated_env, warn=print).add(prompt(at(BERLIN, "2026-11-26 09:58")))
        done.append((walkbreak(capsys, *words), Store(isolated_env, warn=print).day(date(2026, 11, 26))))
        shutil.rmtree(isolated_env)
    (quick, quick_day), (full, full_day) = done
    assert quick == full and quick[0] == 0
    assert [(b.start, b.minutes) for b in quick_day.bouts] == [(b.start, b.minutes) for b in full_day.bouts]
    assert [p.outcome for p in quick_day.prompts] == [p.outcome for p in full_day.prompts]


def test_python_dash_m_and_version() -> None:
    result = run_walkbreak("--version")
    assert result.returncode == 0 and result.stdout.startswith("walkbreak ")


def test_answering_from_the_shell(capsys, isolated_env: Path) -> None:
    store = Store(isolated_env, warn=print)
    store.add(prompt(at(BERLIN, "2026-11-26 09:58")))
    code, out, _ = walkbreak(capsys, "snooze")
    assert code == 0 and out == "walks 0/6 · 0/30 min · next 10:10 (in 10 min)\n"
    code, _, err = walkbreak(capsys, "snooze")
    assert code == 1 and err == "walkbreak snooze: the prompt is snoozed until 10:10\n"
    code, out, _ = walkbreak(capsys, "skip", "--reason", "meeting")
    assert code == 0 and out.endswith("next 11:00 (in 1 h)\n")
    assert store.day(date(2026, 11, 26)).prompts[0].reason == "meeting"
    code, out, _ = walkbreak(capsys, "pause", "2h")
    assert code == 0 and "paused until 12:00" in out
    code, out, _ = walkbreak(capsys, "resume")
    assert code == 0 and "paused" not in out
    code, out, _ = walkbreak(capsys, "pause", "day")
    assert "paused for the rest of today" in out and "Fri 00:00" not in out and "no more prompts" not in out
    code, out, _ = walkbreak(capsys, "resume")
    code, out, _ = walkbreak(capsys, "walk")
    assert code == 0 and out.splitlines() == [
        "walking now: a 5-minute walk from 10:00 (no prompt was waiting); it counts when it ends, "
        "at 10:05 (an open dashboard shows the guide)",
        "walks 0/6 · 0/30 min · walking now (since 10:00, back about 10:05)",
    ]
    code, _, err = walkbreak(capsys, "walk")
    assert code == 1 and err == "walkbreak walk: you are on a walk already (since 10:00)\n"


def test_headless_stops_cleanly_on_sigint(tmp_path: Path) -> None:
    cfg = tmp_path / "quiet.toml"
    cfg.write_text('[notify]\nbackend = "none"\n')
    env = {**os.environ, "WALKBREAK_CONFIG": str(cfg), "WALKBREAK_NOW": NOW, "WALKBREAK_SPEED": "1"}
    engine = subprocess.Popen(
        [sys.executable, "-m", "walkbreak", "run", "--headless"],
        env=env,
        cwd=REPO,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert engine.stderr is not None
    first = engine.stderr.readline()
    assert "running headless" in first and "walks 0/6" in first
    engine.send_signal(signal.SIGINT)
    _, rest = engine.communicate(timeout=20)
    assert engine.returncode == 0 and "stopping" in rest and "Traceback" not in rest


def test_a_walk_under_way_that_has_ended_counts_alike_in_status_history_and_export(
    isolated_env: Path,
) -> None:
    assert run_walkbreak("walk", env={"WALKBREAK_NOW": "2026-11-26T10:12:00+01:00"}).returncode == 0
    later = {"WALKBREAK_NOW": "2026-11-26T10:30:00+01:00"}  # no engine ran to write its end
    assert run_walkbreak("status", env=later).stdout.startswith("walks 1/6 · 5/30 min")
    assert "Thu 26 Nov" in run_walkbreak("history", "--days", "1", env=later).stdout
    assert "   1/6" in run_walkbreak("history", "--days", "1", env=later).stdout
    report = run_walkbreak("export", "--format", "csv", env=later).stdout
    assert sum(line.startswith("walk,") or line.startswith("bout,") for line in report.splitlines()) == 1, (
        report
    )


def test_status_json_minutes_is_always_a_number_with_a_point(isolated_env: Path) -> None:
    before = run_walkbreak("status", "--json", env={"WALKBREAK_NOW": NOW}).stdout
    assert '"minutes": 0.0,' in before and json.loads(before)["notifications"] is None
    assert run_walkbreak("log", "5", env={"WALKBREAK_NOW": NOW}).returncode == 0
    assert '"minutes": 5.0,' in run_walkbreak("status", "--json", env={"WALKBREAK_NOW": NOW}).stdout


def test_record_ids_are_random_version_4_uuids() -> None:
    import uuid

    from walkbreak.ids import new_id

    made = [new_id() for _ in range(200)]
    assert len(set(made)) == 200
    for text in made:
        parsed = uuid.UUID(text)
        assert str(parsed) == text and parsed.version == 4 and parsed.variant == uuid.RFC_4122


def test_a_prompts_id_is_a_version_5_uuid_of_its_day_and_place() -> None:
    import uuid
    from datetime import date

    from walkbreak.ids import prompt_id

    expected = uuid.uuid5(uuid.NAMESPACE_URL, "walkbreak prompt 2026-12-02 3")
    assert prompt_id(date(2026, 12, 2), 3) == str(expected) != prompt_id(date(2026, 12, 2), 4)
