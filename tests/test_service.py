"""`walkbreak service`: the systemd unit (checked by systemd-analyze), the launchd agent, install/uninstall."""

from __future__ import annotations

import os
import plistlib
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.conftest import run_walkbreak
from walkbreak.desktop.service import engine_command, service_file, systemd_unit


def verify(unit_text: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    if shutil.which("systemd-analyze") is None:
        if os.environ.get("WALKBREAK_REQUIRE_DESKTOP"):
            pytest.fail("WALKBREAK_REQUIRE_DESKTOP is set but systemd-analyze is not installed")
        pytest.skip("needs systemd-analyze (part of systemd)")
    unit = tmp_path / "walkbreak.service"
    unit.write_text(unit_text)
    return subprocess.run(
        ["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60
    )


def test_the_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    result = run_walkbreak("service", "install", "--print")
    assert result.returncode == 0, result.stderr
    assert f"ExecStart={sys.executable} -m walkbreak run --headless\n" in result.stdout
    checked = verify(result.stdout, tmp_path)
    assert (checked.returncode, checked.stderr) == (0, "")


def test_verify_would_catch_a_broken_unit(tmp_path: Path) -> None:
    """The check above can fail: systemd-analyze complains about a unit it cannot run."""
    broken = systemd_unit(["/nonexistent/walkbreak", "run"]).replace("Type=exec", "Type=bogus")
    checked = verify(broken, tmp_path)
    assert "bogus" in checked.stderr and "/nonexistent/walkbreak" in checked.stderr


def test_odd_paths_are_quoted_for_systemd(tmp_path: Path) -> None:
    config = tmp_path / "my config 100%.toml"
    command = engine_command(str(config))
    unit = systemd_unit(command)
    assert f'--config "{tmp_path}/my config 100%%.toml" run --headless' in unit
    assert (verify(unit, tmp_path).returncode, verify(unit, tmp_path).stderr) == (0, "")


def test_the_launchd_agent(tmp_path: Path) -> None:
    agent = service_file("darwin", None, str(tmp_path), None)
    assert agent.path == str(tmp_path / "Library" / "LaunchAgents" / "org.walkbreak.engine.plist")
    loaded = plistlib.loads(agent.text.encode())
    assert loaded["ProgramArguments"] == [sys.executable, "-m", "walkbreak", "run", "--headless"]
    assert loaded["RunAtLoad"] is True and loaded["KeepAlive"] == {"SuccessfulExit": False}
    assert agent.start == (("launchctl", "load", "-w", agent.path),)


def test_other_platforms_are_told_what_to_do_instead() -> None:
    with pytest.raises(ValueError, match="Task Scheduler"):
        service_file("win32", None, "/home/x", None)


def fake_systemctl(tmp_path: Path, exit_code: int = 0) -> dict[str, str]:
    """A stand-in `systemctl` that records its arguments (no systemd user manager runs here)."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "systemctl"
    script.write_text(
        f'#!/bin/sh\necho "$@" >> {tmp_path}/calls\necho "active (running)"\nexit {exit_code}\n'
    )
    script.chmod(0o755)
    return {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
    }


def test_install_status_uninstall(tmp_path: Path) -> None:
    env = fake_systemctl(tmp_path)
    unit = tmp_path / "config" / "systemd" / "user" / "walkbreak.service"
    installed = run_walkbreak("service", "install", env=env)
    assert installed.returncode == 0, installed.stderr
    assert installed.stdout.startswith(f"wrote {unit}\nstarted;")
    assert "ExecStart=" in unit.read_text() and stat.S_IMODE(unit.stat().st_mode) == 0o600
    again = run_walkbreak("service", "install", env=env)
    assert again.stdout.startswith(f"kept {unit}")
    status = run_walkbreak("service", "status", env=env)
    assert status.returncode == 0 and "active (running)" in status.stdout
    removed = run_walkbreak("service", "uninstall", env=env)
    assert removed.returncode == 0 and not unit.exists()
    install = [
        "--user is-active graphical-session.target",
        "--user daemon-reload",
        "--user reenable walkbreak.service",
        "--user start walkbreak.service",
    ]
    assert (tmp_path / "calls").read_text().splitlines() == [
        *install,
        *install,
        "--user --no-pager status walkbreak.service",
        "--user disable --now walkbreak.service",
    ]
    assert run_walkbreak("service", "status", env=env).returncode == 1


def test_install_says_what_to_run_when_systemctl_fails(tmp_path: Path) -> None:
    env = fake_systemctl(tmp_path, exit_code=1)
    result = run_walkbreak("service", "install", env=env)
    assert result.returncode == 1
    assert "systemctl --user daemon-reload failed" in result.stderr
    assert (
        "start it yourself with: systemctl --user daemon-reload && systemctl --user reenable "
        "walkbreak.service && systemctl --user start walkbreak.service\n" in result.stderr
    )
    assert (tmp_path / "config" / "systemd" / "user" / "walkbreak.service").exists()


def test_the_service_uses_the_config_and_data_dir_this_shell_uses(tmp_path: Path) -> None:
    env = fake_systemctl(tmp_path)
    config = tmp_path / "my walkbreak.toml"
    config.write_text("[walk]\nbout_minutes = 7\n")
    env = {**env, "WALKBREAK_CONFIG": str(config), "WALKBREAK_DATA_DIR": str(tmp_path / "data")}
    shown = run_walkbreak("service", "install", "--print", env=env)
    assert f'-m walkbreak --config "{config}" run --headless' in shown.stdout
    assert f"Environment=WALKBREAK_DATA_DIR={tmp_path}/data\n" in shown.stdout
    checked = verify(shown.stdout, tmp_path)
    assert (checked.returncode, checked.stderr) == (0, "")
    assert run_walkbreak("service", "install", env=env).returncode == 0
    config2 = tmp_path / "other.toml"
    config2.write_text("")
    updated = run_walkbreak("service", "install", env={**env, "WALKBREAK_CONFIG": str(config2)})
    assert updated.stdout.startswith("updated ")
    assert (tmp_path / "calls").read_text().splitlines()[-1] == "--user restart walkbreak.service"


def test_a_missing_or_broken_config_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    env = fake_systemctl(tmp_path)
    missing = run_walkbreak("--config", str(tmp_path / "nope.toml"), "service", "install", env=env)
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    assert not (tmp_path / "config" / "systemd").exists() and not (tmp_path / "calls").exists()


SYSTEMD = next((p for p in ("/lib/systemd/systemd", "/usr/lib/systemd/systemd") if os.path.exists(p)), None)


def environment_as_systemd_reads_it(unit_text: str) -> list[str]:
    """The Environment= assignments of `unit_text` as systemd itself reads them.

    `systemd --test --user` is the user manager's own unit loader: it loads the unit as a user
    manager would, dumps what it understood and exits, starting nothing. It refuses to run as
    root, so as root it runs as an unprivileged user, on a copy of the unit that user can read.
    """
    if SYSTEMD is None:
        if os.environ.get("WALKBREAK_REQUIRE_DESKTOP"):
            pytest.fail("WALKBREAK_REQUIRE_DESKTOP is set but systemd is not installed")
        pytest.skip("needs systemd (its unit loader, /lib/systemd/systemd)")
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv: systemd --test refuses root")
        prefix = ("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups")
    home = Path(tempfile.mkdtemp(prefix="walkbreak-unit-"))
    try:
        units = home / "systemd" / "user"
        units.mkdir(parents=True)
        (units / "walkbreak.service").write_text(unit_text)
        for path in (home, home / "systemd", units, units / "walkbreak.service"):
            path.chmod(0o755)
        runtime = home / "run"  # the manager wants a runtime dir of the user's own
        runtime.mkdir(mode=0o700)
        if prefix:
            shutil.chown(runtime, "nobody", "nogroup")
        variables = (f"HOME={home}", f"XDG_CONFIG_HOME={home}", f"XDG_RUNTIME_DIR={runtime}")
        result = subprocess.run(
            [*prefix, "env", *variables, SYSTEMD, "--test", "--user", "--unit=walkbreak.service"],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        shutil.rmtree(home)
    assert result.returncode == 0, result.stderr
    unit = result.stdout.split("-> Unit walkbreak.service:\n", 1)[1].split("-> Unit ", 1)[0]
    return [
        line.removeprefix("\t\tEnvironment: ")
        for line in unit.splitlines()
        if line.startswith("\t\tEnvironment: ")
    ]


ODD = "/tmp/my data 100% $HOME ${X} \"double\" 'single' back\\slash\ttab é\u200b"
"""A data dir with what a unit line treats specially: space, %, $, both quotes, a backslash, a
tab, a letter beyond ASCII and an invisible one."""


def test_systemd_reads_the_environment_back_exactly_as_it_was() -> None:
    """A data dir with `$` reached the service as `$$` (another data dir): Environment= expands
    specifiers but no variables. systemd's own loader reads each value back unchanged."""
    unit = systemd_unit(
        ["/usr/bin/true"], {"WALKBREAK_DATA_DIR": ODD, "WALKBREAK_CONFIG": "/plain/path.toml"}
    )
    assert environment_as_systemd_reads_it(unit) == [
        f"WALKBREAK_DATA_DIR={ODD}",
        "WALKBREAK_CONFIG=/plain/path.toml",
    ]


def test_a_newline_in_a_value_cannot_add_a_line_to_the_unit(tmp_path: Path) -> None:
    unit = systemd_unit(["/usr/bin/true"], {"WALKBREAK_DATA_DIR": "/tmp/a\nExecStartPre=/bin/false"})
    assert (
        "\nExecStartPre=" not in unit
        and 'Environment="WALKBREAK_DATA_DIR=/tmp/a\\x0aExecStartPre=/bin/false"\n' in unit
    )
    checked = verify(unit, tmp_path)
    assert (checked.returncode, checked.stderr) == (0, "")
