"""Against a real notification daemon (dunst on Xvfb with a private D-Bus, via tools/notify-lab.sh).

CI runs the test command inside `tools/notify-lab.sh run -- …`; elsewhere these tests skip with a
reason. Each test uses its own bout and snooze lengths so its notifications are told apart.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO, run_walkbreak
from walkbreak.core.model import ControlKind, Outcome
from walkbreak.store import Store

LAB = REPO / "tools" / "notify-lab.sh"
pytestmark = [pytest.mark.desktop, pytest.mark.xdist_group("desktop")]
DAY = date(2026, 11, 26)


@pytest.fixture(autouse=True)
def lab() -> None:
    if not os.environ.get("NOTIFY_LAB_DIR"):
        if os.environ.get("WALKBREAK_REQUIRE_DESKTOP"):
            pytest.fail("WALKBREAK_REQUIRE_DESKTOP is set but no notification daemon is running")
        pytest.skip("needs a notification daemon: run the tests under `tools/notify-lab.sh run -- …`")


def sent(title: str) -> list[dict[str, Any]]:
    """Every notification the server took with `title`, oldest first, as the bus saw them."""
    out = subprocess.run([str(LAB), "sent"], capture_output=True, text=True, check=True).stdout
    return [n for n in json.loads(out) if n["summary"] == title and n["id"] is not None]


def press(notification: dict[str, Any], key: str) -> None:
    """Press a notification's button in dunst."""
    subprocess.run([str(LAB), "press", f"[{notification['id']},{key}]"], check=True, capture_output=True)


def until(condition: Callable[[], Any], seconds: float = 20.0, what: str = "") -> Any:
    """Poll until `condition()` is truthy; returns its value."""
    deadline = time.monotonic() + seconds
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting{': ' + what if what else ''}")
        time.sleep(0.1)
    return value


def config(tmp_path: Path, bout: int, snooze: int, backend: str = "auto") -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[walk]\nbout_minutes = {bout}\n[snooze]\nminutes = {snooze}\n[notify]\nbackend = "{backend}"\n'
    )
    return path


def headless(cfg: Path, start: str, speed: float) -> subprocess.Popen[str]:
    env = {
        **os.environ,
        "WALKBREAK_CONFIG": str(cfg),
        "WALKBREAK_NOW": start,
        "WALKBREAK_SPEED": str(speed),
        "TZ": "Europe/Berlin",
    }
    return subprocess.Popen(
        [sys.executable, "-m", "walkbreak", "run", "--headless"],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop(process: subprocess.Popen[str]) -> str:
    """SIGTERM the headless engine; it must exit 0 without a traceback. Returns its log."""
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=20)
    print(err)  # shown when the test fails
    assert process.returncode == 0, err
    assert "Traceback" not in err
    return err


def test_headless_prompt_has_buttons_that_work_and_never_piles_up(tmp_path: Path, isolated_env: Path) -> None:
    title = "Time for a 7-minute walk"
    engine = headless(config(tmp_path, bout=7, snooze=11), "2026-11-26T09:59:50+01:00", speed=120)
    try:
        (first,) = until(lambda: sent(title))
        assert first["app_name"] == "walkbreak" and first["app_icon"].endswith("walkbreak.png")
        assert first["body"].startswith("0 of 6 today · ")
        assert first["actions"] == {
            "default": "",
            "walk": "Walk now",
            "snooze": "Snooze 11 min",
            "skip": "Skip",
        }
        assert first["expire_timeout"] == 15 * 60 * 1000

        press(first, "snooze")
        store = Store(isolated_env, warn=print)
        until(lambda: any(c.kind is ControlKind.SNOOZE for c in store.day(DAY).controls))
        assert store.day(DAY).prompts[0].snoozes == 1

        # 11 clock minutes later (5.5 s at 120×) the same prompt is back, once.
        again = until(lambda: sent(title)[1:])[0]
        assert again["body"].startswith("back from snooze · 0 of 6 today")
        press(again, "walk")
        until(lambda: store.day(DAY).bouts)
        (walked,) = store.day(DAY).prompts
        assert walked.outcome is Outcome.WALKED and store.day(DAY).bouts[0].minutes == 7
    finally:
        log = stop(engine)
    # At 120x a busy machine may run the job a clock minute or two late: 10:00, 10:01 …
    assert "prompt fired at 10:0" in log and "prompt back from snooze" in log
    shown = sent(title)
    assert len(shown) == 2
    assert all(n["closed_reason"] is not None for n in shown), f"a prompt was left on screen: {shown}"


def test_the_notify_send_backend_for_real(tmp_path: Path, isolated_env: Path) -> None:
    title = "Time for a 8-minute walk"
    engine = headless(
        config(tmp_path, bout=8, snooze=12, backend="notify-send"), "2026-11-26T09:59:55+01:00", speed=60
    )
    try:
        (prompt,) = until(lambda: sent(title))
        assert prompt["app_name"] == "walkbreak" and prompt["app_icon"].endswith("walkbreak.png")
        assert prompt["expire_timeout"] == 15 * 60 * 1000
        assert prompt["actions"] == {"walk": "Walk now", "snooze": "Snooze 12 min", "skip": "Skip"}
        time.sleep(2)  # as a person would: libnotify can miss an action pressed within milliseconds
        press(prompt, "skip")
        store = Store(isolated_env, warn=print)
        until(lambda: store.day(DAY).prompts and store.day(DAY).prompts[0].outcome is Outcome.SKIPPED)
    finally:
        stop(engine)


def test_why_plyer_is_passed_over_without_dbus_python() -> None:
    """plyer shells out to `notify-send -t 0`: the prompt would never expire, with no icon."""
    title = "plyer trap check"
    script = (
        "from plyer import notification; "
        f"notification.notify(title={title!r}, message='m', app_name='walkbreak', app_icon='x.png', timeout=5)"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30)
    (shown,) = until(lambda: sent(title))
    assert shown["expire_timeout"] == 0 and shown["app_icon"] == ""
    assert "dbus" in result.stderr, "plyer's warning lands on stderr (it would draw over the dashboard)"


def test_notify_test_names_what_works() -> None:
    result = run_walkbreak("notify-test")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("ok ") and "freedesktop" in line for line in lines)
    assert any(line.startswith("ok ") and "notify-send" in line for line in lines)
    assert any("plyer" in line and "not available" in line for line in lines)
    assert lines[-1] == 'walk prompts will use freedesktop (notify.backend = "auto")'


def test_the_follow_up_reaches_the_desktop_and_goes_when_answered(tmp_path: Path, isolated_env: Path) -> None:
    from tests.builders import BERLIN, at, bout
    from walkbreak.core.model import CheckIn

    store = Store(isolated_env, warn=print)
    walked = bout(at(BERLIN, "2026-11-26 10:00"))
    store.add(walked)
    store.add(CheckIn("sore", DAY, at(BERLIN, "2026-11-26 10:05"), "slightly sore", bout_id=walked.id))
    cfg = config(tmp_path, bout=9, snooze=13)
    cfg.write_text(cfg.read_text() + "[care]\nfollowup_hours = 0.5\n")
    engine = headless(cfg, "2026-11-26T10:33:00+01:00", speed=60)
    try:
        (asked,) = until(lambda: sent("Has the soreness settled?"))
        assert asked["body"].startswith("At 10:05, after a walk, your back was slightly sore.")
        assert "walkbreak checkin settled" in asked["body"]
        assert set(asked["actions"]) <= {"default"}  # answered on the dashboard or in a shell
        env = {
            "WALKBREAK_CONFIG": str(cfg),
            "WALKBREAK_NOW": "2026-11-26T10:37:00+01:00",
            "TZ": "Europe/Berlin",
        }
        answered = run_walkbreak("checkin", "settled", env=env)
        assert answered.returncode == 0, answered.stderr
        until(lambda: sent("Has the soreness settled?")[0]["closed_reason"] is not None)
    finally:
        stop(engine)
    assert store.day(DAY).checkins[0].followup == "settled"


def test_doctor_send_tests_each_backend_for_real() -> None:
    result = run_walkbreak("doctor", "--send")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert any(line.startswith("ok  notify: freedesktop") for line in lines)
    assert any(line.startswith("ok  notify: notify-send") for line in lines)
    assert sent("walkbreak doctor"), "the test notification reached the daemon"


def test_doctor_reads_idle_time_from_the_x_server() -> None:
    result = run_walkbreak("doctor")
    idle = next(line for line in result.stdout.splitlines() if "idle time" in line)
    assert idle.startswith("ok") and "(from X11 screensaver extension)" in idle
    dnd = next(line for line in result.stdout.splitlines() if "do not disturb" in line)
    assert dnd.startswith("ok") and "off (from dunst)" in dnd


def test_walk_now_then_the_check_in_is_asked_with_buttons_for_real(
    tmp_path: Path, isolated_env: Path
) -> None:
    """Headless: Walk now on the prompt starts a walk; at its end the check-in comes as a
    notification with buttons, and a press records it for that walk."""
    title = "Time for a 2-minute walk"
    question = "How does your back feel after this walk?"
    engine = headless(config(tmp_path, bout=2, snooze=14), "2026-11-26T09:59:55+01:00", speed=60)
    store = Store(isolated_env, warn=print)
    try:
        (prompt,) = until(lambda: sent(title))
        press(prompt, "walk")
        until(lambda: store.day(DAY).walking)
        assert store.day(DAY).bouts == ()  # under way: not counted yet
        # Two clock minutes later (other tests' engines may ask too: this one is the 2-minute walk).
        mine = lambda: [n for n in sent(question) if n["body"].startswith("Your 2-minute walk")]  # noqa: E731
        (asked,) = until(mine)
        assert asked["actions"] == {
            "default": "",
            "better": "Better",
            "same": "Same",
            "sore": "Slightly sore",
        }
        (walked,) = store.day(DAY).bouts
        assert walked.minutes == 2 and walked.prompt_id == store.day(DAY).prompts[0].id
        press(asked, "same")
        until(lambda: store.day(DAY).checkins)
        (checkin,) = store.day(DAY).checkins
        assert (checkin.feeling, checkin.bout_id) == ("same", walked.id)
        until(lambda: mine()[0]["closed_reason"] is not None)
    finally:
        log = stop(engine)
    assert "checked in from the notification: same" in log
