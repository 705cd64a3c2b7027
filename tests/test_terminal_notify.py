"""The terminal backend: OSC 777 / OSC 9 escapes written to a real pseudo-terminal."""

from __future__ import annotations

import asyncio
import os

import pytest

from walkbreak.core.message import PromptMessage
from walkbreak.core.settings import NotifySettings
from walkbreak.notify import build_notifier
from walkbreak.notify.notifier import Notifier
from walkbreak.notify.terminal import OSC9, OSC777, TerminalBackend, escape, escape_style

MESSAGE = PromptMessage(
    "Time for a 5-minute walk", "2 of 6 today; supportive shoes \x1b]0;x\x07help", 10, True, 900
)


@pytest.mark.parametrize(
    ("env", "style"),
    [
        ({"TERM": "foot"}, OSC777),
        ({"TERM": "xterm-kitty"}, OSC777),
        ({"TERM": "xterm-256color", "TERM_PROGRAM": "WezTerm"}, OSC777),
        ({"TERM": "xterm-ghostty"}, OSC777),
        ({"TERM": "rxvt-unicode-256color"}, OSC777),
        ({"TERM": "xterm-256color", "WT_SESSION": "x"}, OSC777),
        ({"TERM": "xterm-256color", "TERM_PROGRAM": "iTerm.app"}, OSC9),
        ({"TERM": "xterm-256color", "LC_TERMINAL": "iTerm2"}, OSC9),  # over SSH from iTerm2
        (
            {"TERM": "tmux-256color", "TERM_PROGRAM": "tmux", "TMUX": "/tmp/t,1,0", "KITTY_WINDOW_ID": "3"},
            OSC777,
        ),
        ({"TERM": "tmux-256color", "TERM_PROGRAM": "tmux", "TMUX": "/tmp/t,1,0"}, None),
        ({"TERM": "xterm-256color"}, None),  # plain xterm, GNOME Terminal: unknown, left alone
        ({}, None),
    ],
)
def test_which_terminals_get_which_escape(env: dict[str, str], style: str | None) -> None:
    assert escape_style(env) == style


def test_the_escapes_byte_for_byte() -> None:
    clean_body = "2 of 6 today; supportive shoes ]0;xhelp"  # ESC and BEL taken out: no early end
    assert escape(MESSAGE, OSC777, inside_tmux=False) == (
        f"\x1b]777;notify;Time for a 5-minute walk;{clean_body}\x07".encode()
    )
    assert (
        escape(MESSAGE, OSC9, inside_tmux=False)
        == f"\x1b]9;Time for a 5-minute walk: {clean_body}\x07".encode()
    )
    wrapped = escape(MESSAGE, OSC777, inside_tmux=True)
    assert wrapped.startswith(b"\x1bPtmux;\x1b\x1b]777;notify;") and wrapped.endswith(b"\x07\x1b\\")


def test_a_notification_reaches_a_real_pseudo_terminal() -> None:
    leader, follower = os.openpty()
    try:
        backend = TerminalBackend({"TERM": "foot"}, os.ttyname(follower))
        assert backend.unavailable() is None
        asyncio.run(backend.show(MESSAGE, lambda key: None))
        received = os.read(leader, 4096)
    finally:
        os.close(leader)
        os.close(follower)
    assert received.startswith(b"\x1b]777;notify;Time for a 5-minute walk;2 of 6 today")
    assert received.endswith(b"\x07")


def test_unknown_terminals_and_no_terminal_say_why() -> None:
    unknown = TerminalBackend({"TERM": "xterm-256color"}, "/dev/null")
    assert "not known to show OSC 9/777" in (unknown.unavailable() or "")
    forced = TerminalBackend({"TERM": "xterm-256color"}, "/nonexistent/tty", forced=True)
    assert "no terminal to write to" in (forced.unavailable() or "")


def test_auto_tries_the_terminal_last_and_a_named_backend_alone() -> None:
    auto = build_notifier(NotifySettings("auto"))
    assert [b.name for b in auto.backends][-1] == "terminal"
    only = build_notifier(NotifySettings("terminal"))
    assert [b.name for b in only.backends] == ["terminal"]
    expected = escape_style(os.environ) or OSC777  # forced: OSC 777 where the terminal is unknown
    assert isinstance(only, Notifier) and only.backends[0].style == expected  # type: ignore[attr-defined]


def test_the_headless_engine_prompts_through_its_terminal(tmp_path) -> None:
    """`walkbreak run --headless` in a real pseudo-terminal (as over SSH): the prompt arrives as OSC 777."""
    import pty
    import select
    import signal
    import sys
    import time

    config = tmp_path / "config.toml"
    config.write_text('[notify]\nbackend = "terminal"\n')
    env = {
        **os.environ,
        "TERM": "foot",
        "WALKBREAK_CONFIG": str(config),
        "WALKBREAK_DATA_DIR": str(tmp_path / "data"),
        "WALKBREAK_NOW": "2026-11-26T09:59:50+01:00",
        "WALKBREAK_SPEED": "10",
        "TZ": "Europe/Berlin",
    }
    env.pop("TMUX", None)
    pid, leader = pty.fork()
    if pid == 0:  # the child: its controlling terminal is the pty
        os.execvpe(sys.executable, [sys.executable, "-m", "walkbreak", "run", "--headless"], env)
    received = b""
    try:
        deadline = time.monotonic() + 30
        while b"\x07" not in received.partition(b"\x1b]777;")[2] and time.monotonic() < deadline:
            if select.select([leader], [], [], 0.5)[0]:
                try:
                    received += os.read(leader, 4096)
                except OSError:
                    break
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(leader)
    assert b"\x1b]777;notify;Time for a 5-minute walk;0 of 6 today" in received, received[-400:]
