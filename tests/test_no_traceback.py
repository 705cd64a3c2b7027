"""What the file system and the environment can refuse ends in one line that says what to do, never
in a traceback: a reader that goes away, data dirs and config paths that cannot be used, bad clock
variables. Every case runs walkbreak as a real process; the permission cases drop root's rights
for it (root reads and writes everything), since CI runs as root too.
"""

from __future__ import annotations

import functools
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.builders import BERLIN, at, bout, month_path
from tests.conftest import REPO, run_walkbreak
from walkbreak.store import Store

NOW = "2026-11-26T10:00:00+01:00"  # a Thursday
TODAY = {"WALKBREAK_NOW": NOW, "TZ": "Europe/Berlin"}
NOBODY = 65534
BROKEN_PIPE = 141  # 128 + SIGPIPE, as a shell reports `history | head` for coreutils


def one_line(result: subprocess.CompletedProcess[str], prefix: str = "walkbreak: ") -> str:
    """The message on stderr, checked to be a single line starting with `prefix`."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith(prefix), result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n"), result.stderr
    return result.stderr


# A reader that goes away


def closed_pipe_run(*args: str) -> subprocess.CompletedProcess[str]:
    """Run walkbreak with stdout a pipe whose reader has already gone, so every write fails."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "walkbreak", *args],
            stdout=write_end,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, **TODAY},
            timeout=30,
            cwd=REPO,
        )
    finally:
        os.close(write_end)


@pytest.mark.skipif(sys.platform == "win32", reason="no SIGPIPE exit status on Windows")
@pytest.mark.parametrize(
    "args",
    [
        ["history"],
        ["status"],
        ["status", "--json"],
        ["doctor"],
        ["config", "path"],
        ["log"],
        ["export", "--format", "csv"],
    ],
    ids=" ".join,
)
def test_a_reader_that_went_away_ends_quietly_with_141(args: list[str]) -> None:
    result = closed_pipe_run(*args)
    assert result.stderr == ""  # no traceback, no "Exception ignored ... BrokenPipeError"
    assert result.returncode == BROKEN_PIPE


@pytest.mark.skipif(sys.platform == "win32", reason="no SIGPIPE exit status on Windows")
def test_a_reader_that_stops_after_one_byte_midway() -> None:
    # 3660 days of history is about 140 kB, more than a pipe holds: walkbreak is still writing
    # when the reader leaves, as with `walkbreak history | head -c1`.
    reader = subprocess.Popen(
        [sys.executable, "-m", "walkbreak", "history", "--days", "3660"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, **TODAY},
        cwd=REPO,
    )
    assert reader.stdout is not None and reader.stderr is not None
    assert reader.stdout.read(1) == b" "  # the header row starts with the blank date column
    reader.stdout.close()
    assert reader.wait(timeout=30) == BROKEN_PIPE
    assert reader.stderr.read() == b""


@pytest.mark.skipif(
    shutil.which("bash") is None or shutil.which("head") is None, reason="needs bash and head"
)
def test_history_piped_into_head_in_a_shell() -> None:
    script = (
        f'"{sys.executable}" -m walkbreak history --days 3660 | head -n1; echo "status=${{PIPESTATUS[0]}}"'
    )
    result = subprocess.run(
        ["bash", "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, **TODAY},
        timeout=30,
        cwd=REPO,
    )
    assert result.stdout.splitlines() == [f"{'':13}walks  minutes  spread", f"status={BROKEN_PIPE}"]
    assert result.stderr == ""


# Data dirs that cannot be used


@functools.cache
def unprivileged() -> tuple[str, ...]:
    """The command prefix that runs a process as a user without root's rights (none when not root).

    Skips the test when that is impossible here: no setpriv or runuser, or a checkout the
    unprivileged user cannot run.
    """
    if sys.platform == "win32":
        pytest.skip("POSIX permissions only")
    prefix: tuple[str, ...] = ()
    if os.geteuid() == 0:
        if shutil.which("setpriv"):
            prefix = ("setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups")
        elif shutil.which("runuser"):
            prefix = ("runuser", "-u", "nobody", "--")
        else:
            pytest.skip(
                "running as root without setpriv or runuser: cannot drop root's rights to provoke the error"
            )
    probe = subprocess.run(
        [*prefix, sys.executable, "-c", "import os, walkbreak; print(os.geteuid())"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=30,
    )
    if probe.returncode != 0 or probe.stdout.strip() == "0":
        pytest.skip(f"the unprivileged user cannot run this checkout's python: {probe.stderr.strip()}")
    return prefix


@pytest.fixture
def shared() -> Iterator[Path]:
    """A temp dir the unprivileged user can enter (pytest's tmp_path is root's alone)."""
    path = Path(tempfile.mkdtemp(prefix="walkbreak-no-traceback-"))
    path.chmod(0o755)
    yield path
    for directory, _, _ in os.walk(path):  # as a non-root user, put back what the test closed
        os.chmod(directory, 0o700)
    shutil.rmtree(path)


def run_unprivileged(shared: Path, data: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """walkbreak as the unprivileged user, with its home, config and logs in `shared`."""
    env = {
        **os.environ,
        **TODAY,
        "HOME": str(shared),
        "XDG_CONFIG_HOME": str(shared / "config-home"),
        "XDG_DATA_HOME": str(shared / "data-home"),
        "WALKBREAK_LOG_DIR": str(shared / "log"),
        "WALKBREAK_DATA_DIR": str(data),
    }
    return subprocess.run(
        [*unprivileged(), sys.executable, "-m", "walkbreak", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        cwd=REPO,
    )


def grant(path: Path, rights: int) -> None:
    """Let the unprivileged user do `rights` (0-7: read 4, write 2, enter/search 1) to `path`.

    As root the path stays root's and `rights` are the others' bits; as any other user the
    path is that user's own and `rights` are the owner's bits.
    """
    path.chmod((0o700 if path.is_dir() else 0o600) | rights if os.geteuid() == 0 else rights << 6)


def grant_inside(data: Path, file_rights: int, name: str = "") -> None:
    """Let the unprivileged user read and enter every folder in the data dir, and do
    `file_rights` to every file in it (to the one named `name` only, when given; 0 to the others)."""
    for path in data.rglob("*"):
        if path.is_dir():
            grant(path, 5)
        else:
            grant(path, file_rights if not name or path.name == name else 4)


def data_dir_with_a_walk(shared: Path, rights: int) -> Path:
    """A data dir holding a walk at 09:00 today, its files readable, the dir open as `rights` say."""
    unprivileged()
    data = shared / "data"
    Store(data, warn=print).add(bout(at(BERLIN, "2026-11-26 09:00")))
    grant_inside(data, 4)
    grant(data, rights)
    return data


def test_a_data_dir_that_cannot_be_written_is_a_message_with_the_fix(shared: Path) -> None:
    data = data_dir_with_a_walk(shared, 5)  # read and enter, not write
    result = run_unprivileged(shared, data, "log")
    assert result.returncode == 1 and result.stdout == ""
    message = one_line(result)
    assert f"cannot write to the data dir {data}" in message and "permission denied" in message
    assert "chown" in message and "WALKBREAK_DATA_DIR" in message
    # Reading it still works: the status is the real one.
    status = run_unprivileged(shared, data, "status")
    assert status.returncode == 0, status.stderr
    assert status.stdout.startswith("walks 1/6 · 5/30 min")


@pytest.mark.parametrize("files_writable", [False, True], ids=["all-read-only", "dir-only-read-only"])
def test_the_headless_engine_on_a_data_dir_it_cannot_write_says_so_and_stops(
    shared: Path, files_writable: bool
) -> None:
    data = data_dir_with_a_walk(shared, 5)
    if files_writable:  # the lock and the month file writable, the dirs not: no temp file can be made
        grant_inside(data, 6)
    result = run_unprivileged(shared, data, "run", "--headless")  # would otherwise run all day, failing
    assert result.returncode == 1 and result.stdout == ""
    assert f"cannot write to the data dir {data}" in one_line(result)


@pytest.mark.parametrize("rights", [0, 1, 3], ids=["closed", "enter-only", "enter-and-write"])
def test_a_data_dir_that_cannot_be_read_never_looks_empty(shared: Path, rights: int) -> None:
    data = data_dir_with_a_walk(shared, rights)
    for args in (["status"], ["status", "--json"], ["history"], ["log"]):
        result = run_unprivileged(shared, data, *args)
        assert result.returncode == 1, (args, result.stdout)
        assert result.stdout == ""  # not "walks 0/6"
        message = one_line(result)
        assert f"cannot read the data dir {data}" in message and "permission denied" in message
        assert "WALKBREAK_DATA_DIR" in message


def test_a_data_dir_behind_a_closed_directory_names_that_directory(shared: Path) -> None:
    unprivileged()
    closed = shared / "private"
    data = closed / "walkbreak"
    Store(data, warn=print).add(bout(at(BERLIN, "2026-11-26 09:00")))
    grant(closed, 0)
    result = run_unprivileged(shared, data, "status")
    assert result.returncode == 1 and result.stdout == ""
    assert f"cannot read the data dir {data}: {closed} is closed to you" in one_line(result)


def test_an_unreadable_month_file_in_history_is_named(shared: Path) -> None:
    unprivileged()
    data = shared / "data"
    store = Store(data, warn=print)
    store.add(bout(at(BERLIN, "2026-10-30 09:00")))  # last month: read by a long history
    store.add(bout(at(BERLIN, "2026-11-26 09:00")))
    grant_inside(data, 0, "2026-10.json")
    grant(data, 5)
    result = run_unprivileged(shared, data, "history", "--days", "40")
    assert result.returncode == 1 and result.stdout == ""
    assert f"permission denied on {month_path(data, '2026-10')}" in one_line(result)
    week = run_unprivileged(shared, data, "history")  # this week only: October is not needed
    assert week.returncode == 0, week.stderr


COMMANDS = [
    ["status"],
    ["status", "--json"],
    ["log"],
    ["history"],
    ["export", "--format", "csv"],
    ["walk"],
    ["snooze"],
    ["skip"],
    ["pause", "1h"],
    ["resume"],
    ["checkin", "better"],
    ["suggestion"],
    ["--config", "/dev/null", "run", "--headless"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_a_data_dir_path_through_a_file_is_named_by_every_command(tmp_path: Path, args: list[str]) -> None:
    afile = tmp_path / "somefile"
    afile.write_text("not a directory\n")
    data = afile / "data"
    result = run_walkbreak(*args, env={**TODAY, "WALKBREAK_DATA_DIR": str(data)})
    assert result.returncode == 1 and result.stdout == ""
    message = one_line(result)
    assert f"the data dir {data} cannot be made: {afile} is a file, not a directory" in message
    assert "WALKBREAK_DATA_DIR" in message
    assert afile.read_text() == "not a directory\n"


@pytest.mark.parametrize("args", [["status"], ["log"], ["history"]], ids=" ".join)
def test_a_data_dir_that_is_a_file_is_named(tmp_path: Path, args: list[str]) -> None:
    afile = tmp_path / "data"
    afile.write_text("{}")
    result = run_walkbreak(*args, env={**TODAY, "WALKBREAK_DATA_DIR": str(afile)})
    assert result.returncode == 1 and result.stdout == ""
    assert f"the data dir {afile} is a file, not a directory" in one_line(result)
    assert afile.read_text() == "{}"


def test_a_month_file_that_is_a_directory_is_named(isolated_env: Path) -> None:
    (isolated_env / "2026-11.json").mkdir(parents=True)
    result = run_walkbreak("log", env=TODAY)
    assert result.returncode == 1
    assert f"{isolated_env / '2026-11.json'} is a directory where walkbreak keeps a file" in one_line(result)


# Config files that cannot be written


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_config_init_where_no_file_can_be_made(tmp_path: Path) -> None:
    result = run_walkbreak("--config", "/proc/walkbreak.toml", "config", "init")
    assert result.returncode == 1 and result.stdout == ""
    assert "cannot write /proc/walkbreak.toml" in one_line(result, "walkbreak config init: ")


def test_config_init_through_a_file_or_onto_a_directory(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("")
    result = run_walkbreak("--config", str(afile / "config.toml"), "config", "init")
    assert result.returncode == 1
    assert f"{afile} is a file, not a directory" in one_line(result, "walkbreak config init: ")
    result = run_walkbreak("--config", str(tmp_path), "config", "init", "--force")
    assert result.returncode == 1
    assert f"cannot write {tmp_path}: it is a directory" in one_line(result, "walkbreak config init: ")


def test_config_init_into_a_directory_of_another_user(shared: Path) -> None:
    unprivileged()
    theirs = shared / "theirs"
    theirs.mkdir()
    grant(theirs, 5)
    target = theirs / "walkbreak" / "config.toml"
    result = run_unprivileged(shared, shared / "data", "--config", str(target), "config", "init")
    assert result.returncode == 1 and result.stdout == ""
    message = one_line(result, "walkbreak config init: ")
    assert f"cannot write {target}: permission denied in {theirs}" in message and "--config" in message
    assert not target.parent.exists()


# The export's output


def test_export_into_a_directory_of_another_user(shared: Path) -> None:
    unprivileged()
    data = shared / "data"
    Store(data, warn=print).add(bout(at(BERLIN, "2026-11-26 09:00")))
    grant_inside(data, 4)
    grant(data, 5)
    theirs = shared / "theirs"
    theirs.mkdir()
    grant(theirs, 5)
    result = run_unprivileged(shared, data, "export", "--format", "csv", "-o", str(theirs / "walks.csv"))
    assert result.returncode == 1 and result.stdout == ""
    message = one_line(result, "walkbreak export: ")
    assert f"cannot write {theirs / 'walks.csv'}: permission denied in {theirs}; choose another -o" in message
    assert list(theirs.iterdir()) == []


def test_export_through_a_file_names_the_file(tmp_path: Path) -> None:
    afile = tmp_path / "afile"
    afile.write_text("")
    result = run_walkbreak("export", "--format", "csv", "-o", str(afile / "walks.csv"), env=TODAY)
    assert result.returncode == 1
    assert f"{afile} is a file, not a directory" in one_line(result, "walkbreak export: ")


# The clock variables


@pytest.mark.parametrize(
    "value",
    [
        "garbage",
        "26.11.2026 10:00",
        "2026-13-01T10:00",
        "10:00",
        "0001-01-01T00:00:00+00:00",
        "9999-12-31T12:00",
    ],
)
def test_a_bad_walkbreak_now_names_the_variable_and_what_is_allowed(value: str) -> None:
    result = run_walkbreak("status", env={"WALKBREAK_NOW": value})
    assert result.returncode == 2 and result.stdout == ""
    message = one_line(result)
    assert f"WALKBREAK_NOW={value!r} is not allowed" in message and "2026-11-26T09:59" in message


@pytest.mark.parametrize("value", ["abc", "0", "-1", "inf", "nan", "-inf", "1e9"])
def test_a_bad_walkbreak_speed_names_the_variable_and_what_is_allowed(value: str) -> None:
    result = run_walkbreak("status", env={"WALKBREAK_NOW": NOW, "WALKBREAK_SPEED": value})
    assert result.returncode == 2 and result.stdout == ""
    message = one_line(result)
    assert f"WALKBREAK_SPEED={value!r} is not allowed" in message and "above 0" in message


@pytest.mark.parametrize("value", ["0.5", "60", "86400"])
def test_a_good_walkbreak_speed_runs_the_clock(value: str) -> None:
    result = run_walkbreak(
        "status", env={"WALKBREAK_NOW": NOW, "WALKBREAK_SPEED": value, "TZ": "Europe/Berlin"}
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("walks 0/6")


def test_the_helpers_really_drop_root(shared: Path) -> None:
    """The permission tests mean something only if the unprivileged user is refused for real."""
    unprivileged()
    closed = shared / "closed"
    closed.mkdir()
    grant(closed, 0)
    probe = subprocess.run(
        [*unprivileged(), sys.executable, "-c", f"import os; os.listdir({str(closed)!r})"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=30,
    )
    assert probe.returncode == 1 and "PermissionError" in probe.stderr
    assert stat.S_IMODE(closed.stat().st_mode) == (0o700 if os.geteuid() == 0 else 0)


@pytest.mark.parametrize("encoding", ["ascii", "latin-1"])
@pytest.mark.parametrize(
    "args", [["status"], ["history"], ["doctor"], ["log"], ["export", "--format", "md"]], ids=" ".join
)
def test_a_terminal_that_cannot_show_every_character_gets_question_marks(
    isolated_env: Path, encoding: str, args: list[str]
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "walkbreak", *args],
        capture_output=True,
        env={**os.environ, **TODAY, "PYTHONIOENCODING": encoding},
        timeout=60,
        cwd=REPO,
    )
    out, err = result.stdout.decode(encoding), result.stderr.decode(encoding)
    assert "Traceback" not in err and "UnicodeEncodeError" not in err, err
    assert result.returncode in (0, 1) and out.strip(), (result.returncode, err)
