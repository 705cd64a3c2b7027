"""The dashboard's launch to first paint, against a one-Static Textual app, at two terminal sizes
and with no history, five years of it, and a five-year streak.

Apps run in pseudo-terminals; "first paint" is the moment a known word reaches the terminal
(the tally's "of 6 walks" for the dashboard). Runs go in rounds (the one-Static app, then each
case); a case's ratio is the median of its ratio to the same round's one-Static app. Idle cost
is bench/idle.py's.

    python bench/dashboard.py [--runs 10]
"""

from __future__ import annotations

import argparse
import fcntl
import os
import pty
import signal
import statistics
import struct
import sys
import tempfile
import termios
import textwrap
import threading
import time
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from cli_speed import WALKBREAK
from history import ZONE, synthesize

ONE_STATIC = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Static

    class OneStatic(App):
        def compose(self):
            yield Static("hello, idle world")

    OneStatic().run()
    """
)
SIZES = ((80, 24), (160, 45))


def terminal_env() -> dict[str, str]:
    """This environment for an app in a colour terminal, Berlin time, writing its bytecode."""
    env = {**os.environ, "TERM": "xterm-256color", "TZ": "Europe/Berlin"}
    for name in ("PYTHONDONTWRITEBYTECODE", "NO_COLOR"):
        env.pop(name, None)
    return env


def user_env(base: dict[str, str], home: Path, now: datetime) -> dict[str, str]:
    """`base` for a user whose XDG locations are under `home`, on the real clock from `now`."""
    return {
        **base,
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_STATE_HOME": str(home / "state"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "WALKBREAK_NOW": now.isoformat(),
        "WALKBREAK_SPEED": "1",
    }


class Running:
    """A command in a pseudo-terminal whose output is drained (and searched) by a thread."""

    def __init__(
        self, argv: list[str], env: dict[str, str], marker: bytes, size: tuple[int, int] = (80, 24)
    ) -> None:
        self.started = time.perf_counter()
        self.painted: float | None = None
        self.marker = marker
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvpe(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        self._seen = b""
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except OSError:
                return
            if not chunk:
                return
            if self.painted is None:
                self._seen = (self._seen + chunk)[-4096:]
                if self.marker in self._seen:
                    self.painted = time.perf_counter() - self.started

    def wait_painted(self, timeout: float = 30) -> float:
        deadline = time.monotonic() + timeout
        while self.painted is None:
            if time.monotonic() > deadline:
                raise SystemExit(f"no first paint ({self.marker!r}) within {timeout} s")
            time.sleep(0.002)
        return self.painted

    def stop(self) -> None:
        try:
            os.kill(self.pid, signal.SIGTERM)
            os.waitpid(self.pid, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
        os.close(self.fd)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="walkbreak-bench-") as tmp:
        now = datetime.now(ZONE).replace(hour=11, minute=0, second=0, microsecond=0)
        base = terminal_env()
        histories = {"no history": None, "5 y": 0.52, "5 y streak": 0.9}
        envs = {}
        for label, walked in histories.items():
            home = Path(tmp) / label.replace(" ", "-")
            if walked is not None:
                synthesize(home / "data" / "walkbreak", now.date(), 5, last_hour=11, walked=walked)
            envs[label] = user_env(base, home, now)
        one_static = [sys.executable, "-c", ONE_STATIC]
        cases = [(label, size) for size in SIZES for label in histories]
        for size in SIZES:  # warm-up: page cache and bytecode
            for argv, env, marker in (
                (one_static, base, b"idle world"),
                ([WALKBREAK], envs["5 y"], b"of 6 walks"),
            ):
                app = Running(argv, env, marker, size)
                app.wait_painted()
                app.stop()
        times: dict[tuple[str, tuple[int, int]], list[float]] = {case: [] for case in cases}
        baseline: dict[tuple[int, int], list[float]] = {size: [] for size in SIZES}
        for _ in range(args.runs):
            for size in SIZES:
                app = Running(one_static, base, b"idle world", size)
                baseline[size].append(app.wait_painted())
                app.stop()
                for label in histories:
                    app = Running([WALKBREAK], envs[label], b"of 6 walks", size)
                    times[(label, size)].append(app.wait_painted())
                    app.stop()
    print(f"{'launch to first paint':32} {'median':>9} {'ratio':>7}")
    for size in SIZES:
        print(
            f"{'one-Static app ' + f'{size[0]}x{size[1]}':32} {statistics.median(baseline[size]) * 1000:7.0f}ms {1:6.2f}x"
        )
        for label in histories:
            runs = times[(label, size)]
            ratio = statistics.median(t / b for t, b in zip(runs, baseline[size], strict=True))
            print(
                f"{'dashboard, ' + label + f' {size[0]}x{size[1]}':32} {statistics.median(runs) * 1000:7.0f}ms {ratio:6.2f}x"
            )
    print(f"runs: {args.runs} rounds; python {sys.version.split()[0]}; walkbreak at {WALKBREAK}")


if __name__ == "__main__":
    main()
