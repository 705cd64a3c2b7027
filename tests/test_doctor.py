"""`walkbreak doctor`: one line per thing that must work, a fix where it does not, never a traceback."""

from __future__ import annotations

import os
import shlex
import shutil
import sys
from pathlib import Path

import pytest

from tests.conftest import run_walkbreak


def lines(output: str) -> dict[str, str]:
    """The report by topic: {"config": "ok  config  …", …} (fix lines joined to their finding)."""
    found: dict[str, str] = {}
    last = ""
    for line in output.splitlines():
        if line.startswith(" "):
            found[last] += "\n" + line.strip()
            continue
        topic = line[4:].split("  ")[0].strip()
        found[topic] = line
        last = topic
    return found


def no_desktop(tmp_path: Path) -> dict[str, str]:
    """The environment of a machine with no session bus (an SSH login, a container)."""
    return {"DBUS_SESSION_BUS_ADDRESS": "", "XDG_RUNTIME_DIR": str(tmp_path), "TERM": "dumb"}


def quiet_config(tmp_path: Path) -> dict[str, str]:
    """A config that sends no notifications, so the exit code is about what a test looks at."""
    config = tmp_path / "quiet.toml"
    config.write_text('[notify]\nbackend = "none"\n')
    return {"WALKBREAK_CONFIG": str(config)}


def test_a_fresh_machine_is_fine_but_without_a_desktop_nothing_can_deliver(
    isolated_env: Path, tmp_path: Path
) -> None:
    result = run_walkbreak("doctor", env=no_desktop(tmp_path))
    assert result.returncode == 1, result.stdout + result.stderr
    report = lines(result.stdout)
    failed = [topic for topic, line in report.items() if line.startswith("XX")]
    assert failed == ["notifications"], result.stdout
    assert "nothing walkbreak would use can deliver a prompt here" in report["notifications"]
    assert "fix: start your desktop's notification server" in report["notifications"]
    assert "no D-Bus session bus" in report["notify: notify-send"]
    assert report["config"].startswith("ok") and "not there: the defaults apply" in report["config"]
    assert report["data dir"].startswith("ok") and str(isolated_env) in report["data dir"]
    assert report["time zone"].startswith("ok")
    assert {
        "notify: freedesktop",
        "notify: notify-send",
        "notify: terminal",
        "idle time",
        "screen lock",
        "terminal",
    } <= set(report)
    assert not isolated_env.exists(), "doctor changed nothing"


def test_a_broken_config_is_named_with_the_fix(isolated_env: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[walk]\nbout_minutes = 0\n")
    result = run_walkbreak("--config", str(bad), "doctor")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    config = lines(result.stdout)["config"]
    assert config.startswith("XX") and "walk.bout_minutes" in config and "fix: edit" in config
    assert "data dir" in lines(result.stdout)  # the rest is still checked


def test_open_permissions_are_flagged_with_chmod(isolated_env: Path) -> None:
    isolated_env.mkdir(mode=0o755)
    os.chmod(isolated_env, 0o755)
    result = run_walkbreak("doctor")
    assert (
        "is 0755: others may read your history" in result.stdout
        and f"fix: chmod 700 {isolated_env}" in result.stdout
    )
    os.chmod(isolated_env, 0o700)
    (isolated_env / "2026-11.json").write_text("{}")
    os.chmod(isolated_env / "2026-11.json", 0o644)
    result = run_walkbreak("doctor")
    assert "readable by others: 2026-11.json" in result.stdout


def test_in_a_real_terminal_it_reports_the_terminal(isolated_env: Path) -> None:
    if shutil.which("tmux") is None:
        if os.environ.get("WALKBREAK_REQUIRE_DESKTOP"):
            pytest.fail("WALKBREAK_REQUIRE_DESKTOP is set but tmux is not installed")
        pytest.skip("needs tmux (apt install tmux)")
    from tests.test_terminal import Terminal

    env = {"WALKBREAK_DATA_DIR": str(isolated_env), "TERM": "xterm-256color", "PATH": os.environ["PATH"],
           "HOME": str(isolated_env.parent), "XDG_CONFIG_HOME": str(isolated_env.parent / "cfg")}  # fmt: skip
    env |= quiet_config(isolated_env.parent)
    terminal = Terminal(f"{shlex.quote(sys.executable)} -m walkbreak doctor", env, size=(100, 30))
    try:
        screen = terminal.wait_for("EXIT=")
    finally:
        terminal.close()
    joined = screen.replace("\n", "")  # lines wider than the terminal wrap
    import re

    assert re.search(r"ok  terminal +TERM=xterm-256color, \d+×\d+, ", joined), joined
    assert "EXIT=0" in screen


def test_odd_data_dirs_are_reported_not_crashed_on(isolated_env: Path, tmp_path: Path) -> None:
    isolated_env.write_text("not a directory")
    as_file = run_walkbreak("doctor")
    assert as_file.returncode == 1 and "Traceback" not in as_file.stderr
    assert "is a file, not a directory" in lines(as_file.stdout)["data dir"]
    isolated_env.unlink()
    isolated_env.mkdir(mode=0o700)
    (isolated_env / "gone.json").symlink_to(tmp_path / "nowhere.json")
    dangling = run_walkbreak("doctor", env=quiet_config(tmp_path))
    assert dangling.returncode == 0 and "Traceback" not in dangling.stderr
    relative = run_walkbreak("doctor", env={"WALKBREAK_DATA_DIR": "relative/data", **quiet_config(tmp_path)})
    assert relative.returncode == 0 and "Traceback" not in relative.stderr
    assert "(created, owner-only, at the first walk)" in lines(relative.stdout)["data dir"]


@pytest.mark.desktop
def test_with_a_notification_server_it_says_which_backend_prompts_use(isolated_env: Path) -> None:
    if not os.environ.get("NOTIFY_LAB_DIR"):
        if os.environ.get("WALKBREAK_REQUIRE_DESKTOP"):
            pytest.fail("WALKBREAK_REQUIRE_DESKTOP is set but no notification daemon is running")
        pytest.skip("needs a notification daemon: run the tests under `tools/notify-lab.sh run -- …`")
    result = run_walkbreak("doctor")
    report = lines(result.stdout)
    assert result.returncode == 0, result.stdout
    assert report["notify: freedesktop"].startswith("ok  notify: freedesktop ")
    assert "  can deliver now (dunst" in report["notify: freedesktop"]
    assert (
        report["notifications"].startswith("ok")
        and "prompts go through freedesktop" in report["notifications"]
    )
