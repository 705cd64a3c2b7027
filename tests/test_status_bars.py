"""`walkbreak status --format` and the waybar fields of `--json`; the tmux status line for real."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from tests.builders import BERLIN, at, bout, day_log, prompt, settings
from tests.conftest import REPO, run_walkbreak
from walkbreak.core.model import Control, ControlKind
from walkbreak.core.planner import plan
from walkbreak.core.status_format import FIELDS, check_template, field_values, render, waybar
from walkbreak.core.tally import day_tally

PREFS = settings(days=range(5))
NOW = at(BERLIN, "2026-11-26 10:20")


def values(now, *records, prefs=PREFS):
    log = day_log(now, *records)
    return field_values(day_tally(prefs, log), plan(prefs, now, log), now)


def test_every_field_has_a_value_and_the_scheduled_case_reads_right() -> None:
    shown = values(NOW, bout(at(BERLIN, "2026-11-26 09:30")))
    assert set(shown) == set(FIELDS)
    assert render("{bouts}/{target} · {minutes}/{target_minutes} min · next {next} ({in}){met}", shown) == (
        "1/6 · 5/30 min · next 10:35 (15 min)"
    )
    assert (shown["percent"], shown["state"], shown["spread"], shown["work_hours"]) == (
        "17",
        "scheduled",
        "1",
        "9",
    )
    assert shown["status"] == "walks 1/6 · 5/30 min · next 10:35 (in 15 min)"


def test_due_paused_met_and_day_off() -> None:
    due = values(NOW, prompt(at(BERLIN, "2026-11-26 10:15")))
    assert (due["next"], due["in"], due["state"]) == ("now", "", "due")
    pause = Control("p", NOW.date(), NOW, ControlKind.PAUSE, NOW + timedelta(hours=1))
    paused = values(NOW, pause)
    assert (paused["paused_until"], paused["state"]) == ("11:20", "paused")
    walks = [bout(at(BERLIN, f"2026-11-26 {9 + n:02d}:00")) for n in range(6)]
    met = values(at(BERLIN, "2026-11-26 15:10"), *walks)
    assert (met["met"], met["percent"]) == ("✓", "100")
    saturday = at(BERLIN, "2026-11-28 10:00")
    off = values(saturday)
    assert (off["target"], off["percent"], off["next"], off["state"]) == ("0", "0", "", "no_prompts_today")


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{nope}", "unknown placeholder {nope}"),
        ("{bouts.real}", "unknown placeholder {bouts.real}"),
        ("{bouts:>5}", "{bouts:>5} in --format: fields take no format spec or conversion"),
        ("{bouts!r}", "{bouts!r} in --format: fields take no format spec"),
        ("{bouts", "is not a template"),
        ("}", "is not a template"),
    ],
)
def test_a_bad_template_is_named(template: str, message: str) -> None:
    with pytest.raises(ValueError) as raised:
        check_template(template)
    assert message in str(raised.value)


def test_waybar_gets_text_tooltip_class_and_percentage() -> None:
    log = day_log(NOW, bout(at(BERLIN, "2026-11-26 09:30")), prompt(at(BERLIN, "2026-11-26 10:15")))
    fields = waybar(day_tally(PREFS, log), plan(PREFS, NOW, log), NOW, "1/6")
    assert fields == {
        "text": "1/6",
        "tooltip": "walks 1/6 · 5/30 min · walk due now\nspread 1 of 9 work hours",
        "class": ["due"],
        "percentage": 17,
        "alt": "due",
    }


ENV = {"WALKBREAK_NOW": "2026-11-26T10:20:00+01:00", "TZ": "Europe/Berlin"}


def test_status_format_and_json_from_the_command_line(isolated_env: Path, tmp_path: Path) -> None:
    assert run_walkbreak("log", "5", "--at", "09:30", env=ENV).returncode == 0
    quick = run_walkbreak("status", "--format", "{bouts}/{target} next {next}", env=ENV)
    assert (quick.returncode, quick.stdout) == (0, "1/6 next 10:35\n")
    config = tmp_path / "empty.toml"
    config.write_text("")
    full = run_walkbreak("--config", str(config), "status", "--format={bouts}/{target} next {next}", env=ENV)
    assert full.stdout == quick.stdout  # argparse's path says the same as the quick one
    data = json.loads(run_walkbreak("status", "--json", "--format", "{bouts}/{target}", env=ENV).stdout)
    assert (data["text"], data["class"], data["percentage"], data["bouts"], data["target"]) == (
        "1/6",
        ["scheduled"],
        17,
        1,
        6,
    )
    plain = json.loads(run_walkbreak("status", "--json", env=ENV).stdout)
    assert plain["text"].startswith("walks 1/6 · 5/30 min") and "tooltip" in plain
    bad = run_walkbreak("status", "--format", "{nope}", env=ENV)
    assert bad.returncode == 2 and "unknown placeholder {nope}" in bad.stderr and bad.stdout == ""


def test_status_with_a_template_imports_neither_textual_nor_apscheduler(isolated_env: Path) -> None:
    import subprocess

    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "walkbreak", "status", "--format", "{bouts}"],
        capture_output=True,
        text=True,
        env={**os.environ, **ENV},
    )
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    for heavy in ("textual", "apscheduler", "argparse"):
        assert heavy not in imported, f"status --format imported {heavy}"


def test_the_tmux_status_line_shows_it_for_real(isolated_env: Path, tmp_path: Path) -> None:
    """An inner tmux, drawn inside an outer one, runs `walkbreak status --format` in its status-right."""
    if shutil.which("tmux") is None:
        if os.environ.get("WALKBREAK_REQUIRE_DESKTOP"):
            pytest.fail("WALKBREAK_REQUIRE_DESKTOP is set but tmux is not installed")
        pytest.skip("needs tmux (apt install tmux)")
    from tests.test_terminal import Terminal

    assert run_walkbreak("log", "5", "--at", "09:30", env=ENV).returncode == 0
    # The README's own tmux line, with this checkout's walkbreak.
    readme = (REPO / "README.md").read_text()
    (template,) = re.findall(
        r"set -g status-right '#\(walkbreak status --format \"([^\"]+)\"\) %H:%M'", readme
    )
    line = run_walkbreak("status", "--format", template, env=ENV).stdout
    assert line == "walks 1/6 · next 10:35\n", "no stray space while {met} is empty"
    command = f"{shlex.quote(sys.executable)} -m walkbreak status --format {shlex.quote('WB ' + template)}"
    conf = tmp_path / "tmux.conf"
    conf.write_text(
        f'set -g status-interval 1\nset -g status-right-length 60\nset -g status-right "#({command})"\n'
    )
    socket = f"wb-{os.getpid()}"
    env = {
        **ENV,
        "WALKBREAK_DATA_DIR": str(isolated_env),
        "TERM": "xterm-256color",
        "PATH": os.environ["PATH"],
    }
    terminal = Terminal(
        f"env -u TMUX tmux -L {socket} -f {shlex.quote(str(conf))} new-session 'sleep 60'", env
    )
    try:
        terminal.wait_for("WB walks 1/6 · next 10:35", seconds=20)
    finally:
        terminal.close()
        import subprocess

        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)


def test_the_quick_path_and_argparse_agree_on_odd_arguments(isolated_env: Path, tmp_path: Path) -> None:
    config = tmp_path / "empty.toml"
    config.write_text("")
    for args in (
        ["status", "--format", "--json"],
        ["status", "--format=-{bouts}-"],
        ["status", "--json", "--json"],
    ):
        quick = run_walkbreak(*args, env=ENV)
        full = run_walkbreak("--config", str(config), *args, env=ENV)
        assert (quick.returncode, quick.stdout) == (full.returncode, full.stdout), args
    assert run_walkbreak("status", "--format=-{bouts}-", env=ENV).stdout == "-0-\n"
