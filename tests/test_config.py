"""Every way a config file can be wrong gets a message naming the key, what it held and what is allowed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO, run_walkbreak
from walkbreak import config
from walkbreak.core.settings import Settings, TimeWindow
from walkbreak.errors import ConfigError


def load_text(tmp_path: Path, text: str | bytes) -> Settings:
    path = tmp_path / "config.toml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return config.load(path)


def test_no_file_means_the_defaults(tmp_path: Path) -> None:
    assert config.load(tmp_path / "missing.toml") == Settings()


def test_a_named_file_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        config.load(tmp_path / "missing.toml", must_exist=True)


def test_the_example_file_is_current_and_gives_the_defaults(tmp_path: Path) -> None:
    shipped = (REPO / "config.example.toml").read_text()
    assert shipped == config.example(), "regenerate config.example.toml from walkbreak.config.example()"
    assert load_text(tmp_path, shipped) == Settings()
    for key in config.KEYS:
        assert f"\n{key.name} = " in shipped and f"[{key.section}]" in shipped


def test_a_full_file_is_read_into_settings(tmp_path: Path) -> None:
    settings = load_text(
        tmp_path,
        """
[work]
days = ["mon", "wed", "fri"]
windows = ["13:30-17:30", "08:00-12:00"]
timezone = "America/New_York"
by_day = { fri = ["08:00-12:00"] }
[walk]
bout_minutes = 8
daily_target = 5
[prompts]
interval_minutes = 45
min_gap_minutes = 15
quiet = ["10:00-10:15"]
keep_prompting_after_target = false
[snooze]
minutes = 5
max_per_prompt = 0
[notify]
backend = "notify-send"
bell = false
[data]
dir = "~/walks"
""",
    )
    assert settings.work.days == frozenset({0, 2, 4})
    assert settings.work.windows == (TimeWindow(480, 720), TimeWindow(810, 1050))  # sorted
    assert settings.work.by_day == ((4, (TimeWindow(480, 720),)),)
    assert settings.walk.target_minutes == 40
    assert settings.prompts.quiet == (TimeWindow(600, 615),)
    assert not settings.prompts.keep_prompting_after_target
    assert (settings.snooze.max_per_prompt, settings.notify.backend, settings.data_dir) == (
        0,
        "notify-send",
        "~/walks",
    )


def test_a_window_may_run_to_midnight(tmp_path: Path) -> None:
    assert load_text(tmp_path, '[work]\nwindows = ["20:00-24:00"]').work.windows == (TimeWindow(1200, 1440),)


BAD = [
    # (file text, what the message must say)
    ("[work\n", ["not valid TOML", "line 1"]),
    ("[wrok]\ndays = []\n", ["unknown section [wrok]", "did you mean [work]?"]),
    ("work = 5\n", ["work must be a table"]),
    (
        "[prompts]\nintreval_minutes = 30\n",
        ["unknown key prompts.intreval_minutes", "did you mean prompts.interval_minutes?"],
    ),
    (
        "[walk]\ninterval_minutes = 30\n",
        ["unknown key walk.interval_minutes", "did you mean prompts.interval_minutes?"],
    ),
    ("[prompts]\ninterval_minutes = 5\n", ["prompts.interval_minutes = 5", "a whole number from 10 to 240"]),
    ("[prompts]\ninterval_minutes = 500\n", ["prompts.interval_minutes = 500", "from 10 to 240"]),
    ('[prompts]\ninterval_minutes = "60"\n', ['prompts.interval_minutes = "60"', "a whole number"]),
    ("[prompts]\ninterval_minutes = 60.5\n", ["prompts.interval_minutes = 60.5", "a whole number"]),
    ("[walk]\nbout_minutes = true\n", ["walk.bout_minutes = true", "a whole number from 1 to 60"]),
    ("[walk]\ndaily_target = 0\n", ["walk.daily_target = 0", "from 1 to 48"]),
    ("[snooze]\nmax_per_prompt = -1\n", ["snooze.max_per_prompt = -1", "from 0 to 10"]),
    ('[prompts]\nkeep_prompting_after_target = "yes"\n', ["keep_prompting_after_target", "true or false"]),
    ('[notify]\nbackend = "dbus"\n', ['notify.backend = "dbus"', '"auto"', '"none"']),
    ('[notify]\nbackend = "plier"\n', ["did you mean plyer?"]),
    ("[data]\ndir = 3\n", ["data.dir = 3", "a string"]),
    ('[work]\ntimezone = "Mars/Olympus"\n', ['work.timezone = "Mars/Olympus"', "IANA zone name"]),
    ('[work]\ndays = "mon"\n', ['work.days = "mon"', "a list of day names"]),
    ('[work]\ndays = ["monday"]\n', ['"monday" is not one', "did you mean mon?"]),
    ('[work]\ndays = ["mon", "mon"]\n', ["each day once"]),
    ("[work]\nwindows = []\n", ["work.windows = []", "at least one"]),
    ('[work]\nwindows = "09:00-17:00"\n', ["work.windows", "a list of windows"]),
    ('[work]\nwindows = ["9-17"]\n', ['"9-17"', "not a time like 09:30"]),
    ('[work]\nwindows = ["09:00 17:00"]\n', ["expected HH:MM-HH:MM"]),
    ('[work]\nwindows = ["09:00-25:00"]\n', ["is not a time of day"]),
    ('[work]\nwindows = ["17:00-09:00"]\n', ['"17:00-09:00"', "the end must be after the start"]),
    ('[work]\nwindows = ["09:00-12:30", "12:00-17:00"]\n', ["09:00-12:30 and 12:00-17:00 overlap"]),
    ('[prompts]\nquiet = ["10:00-10:30", "10:15-10:45"]\n', ["prompts.quiet", "overlap"]),
    ("[work]\nby_day = 3\n", ["work.by_day = 3", "a table of day = windows"]),
    ('[work]\nby_day = { fry = ["09:00-13:00"] }\n', ['"fry" is not one', "did you mean fri?"]),
    ('[work]\nby_day = { fri = ["13:00-09:00"] }\n', ["for fri", "the end must be after the start"]),
    ('[work]\ndays = ["mon"]\nby_day = { fri = ["09:00-13:00"] }\n', ["work.by_day.fri", 'add "fri"']),
    (
        "[prompts]\ninterval_minutes = 30\nmin_gap_minutes = 45\n",
        ["prompts.min_gap_minutes = 45", "at most prompts.interval_minutes (30)"],
    ),
    (b"[work]\ntimezone = '\xff'\n", ["not UTF-8"]),
]


@pytest.mark.parametrize(("text", "expected"), BAD, ids=[str(i) for i in range(len(BAD))])
def test_each_bad_file_names_the_key_and_what_is_allowed(tmp_path: Path, text, expected) -> None:
    with pytest.raises(ConfigError) as caught:
        load_text(tmp_path, text)
    message = str(caught.value)
    assert message.startswith(f"config error in {tmp_path / 'config.toml'}: ")
    for part in expected:
        assert part in message


def test_a_directory_in_place_of_the_file_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot be read"):
        config.load(tmp_path)


@pytest.mark.parametrize("command", [["status"], ["log"], ["config", "check"], ["history"]])
def test_the_cli_exits_2_with_the_message_and_no_traceback(tmp_path: Path, command) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[prompts]\ninterval_minutes = 0\n")
    result = run_walkbreak("--config", str(bad), *command)
    assert result.returncode == 2
    assert (
        "prompts.interval_minutes = 0 is not allowed; allowed: a whole number from 10 to 240" in result.stderr
    )
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_walkbreak_config_env_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "env.toml"
    bad.write_text("[walk]\nbout_minutes = 0\n")
    result = run_walkbreak("status", env={"WALKBREAK_CONFIG": str(bad)})
    assert result.returncode == 2 and str(bad) in result.stderr
