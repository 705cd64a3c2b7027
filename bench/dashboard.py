"""The dashboard's cost: launch to first paint, memory with five years of history, idle CPU.

Each figure is a ratio to a minimal Textual app (Header, Static, Footer) measured in the same run;
the idle CPU is also compared with the same minimal app repainting a clock every second.
Apps run in pseudo-terminals (80×24); "first paint" is the moment a known word reaches the
terminal.

    python bench/dashboard.py [--runs 10] [--idle-minutes 10]
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
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).parent))
from cli_speed import synthesize

MINIMAL = textwrap.dedent(
    """
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Minimal(App):
        def compose(self):
            yield Header()
            yield Static("hello, idle world")
            yield Footer()

    Minimal().run()
    """
)
CLOCK = textwrap.dedent(
    """
    import time
    from textual.app import App
    from textual.widgets import Footer, Header, Static

    class Clock(App):
        def compose(self):
            yield Header()
            yield Static("hello, idle world", id="clock")
            yield Footer()

        def on_mount(self):
            self.set_interval(1, lambda: self.query_one("#clock").update(time.strftime("hello, idle world %H:%M:%S")))

    Clock().run()
    """
)


class Running:
    """A command in a pseudo-terminal whose output is drained (and searched) by a thread."""

    def __init__(self, argv: list[str], env: dict[str, str], marker: bytes) -> None:
        self.started = time.perf_counter()
        self.painted: float | None = None
        self.marker = marker
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execvpe(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
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

    def cpu_seconds(self) -> float:
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        return 0.0

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
    parser.add_argument("--idle-minutes", type=float, default=10.0)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="walkbreak-bench-") as tmp:
        zone = ZoneInfo("Europe/Berlin")
        now = datetime.now(zone).replace(hour=11, minute=0, second=0, microsecond=0)
        history = Path(tmp) / "data" / "walkbreak"
        records = synthesize(history, now.date(), 5)
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "TZ": "Europe/Berlin",
            "XDG_DATA_HOME": str(Path(tmp) / "data"),
            "XDG_CONFIG_HOME": str(Path(tmp) / "config"),
            "WALKBREAK_NOW": now.isoformat(),
            "WALKBREAK_SPEED": "1",
        }
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env.pop("NO_COLOR", None)
        minimal = ([sys.executable, "-c", MINIMAL], b"idle world")
        clock = ([sys.executable, "-c", CLOCK], b"idle world")
        dashboard = ([sys.executable, "-m", "walkbreak"], b"of 6 walks")
        walkbreak_first_frame = ([sys.executable, "-m", "walkbreak"], b"walkbreak")

        # Launch to first paint, interleaved.
        firsts: dict[str, list[float]] = {
            "minimal app": [],
            "dashboard (title bar)": [],
            "dashboard (tally)": [],
        }
        for argv, marker in (minimal, walkbreak_first_frame):  # warm-up: page cache and bytecode
            app = Running(argv, env, marker)
            app.wait_painted()
            app.stop()
        for _ in range(args.runs):
            for name, (argv, marker) in (
                ("minimal app", minimal),
                ("dashboard (title bar)", walkbreak_first_frame),
                ("dashboard (tally)", dashboard),
            ):
                app = Running(argv, env, marker)
                firsts[name].append(app.wait_painted())
                app.stop()
        base = statistics.median(firsts["minimal app"])
        print(f"history: {records} records over 5 years in {history}")
        print(f"{'launch to first paint':34} {'median':>9} {'ratio':>7}")
        for name, times in firsts.items():
            print(
                f"{name:34} {statistics.median(times) * 1000:7.0f}ms {statistics.median(times) / base:6.2f}x"
            )

        # Memory and idle CPU: the three apps side by side, after a warm-up.
        apps = {
            "minimal app": Running(minimal[0], env, minimal[1]),
            "clock app (repaints every second)": Running(clock[0], env, clock[1]),
            "dashboard (5 y of history)": Running(dashboard[0], env, dashboard[1]),
        }
        for app in apps.values():
            app.wait_painted()
        time.sleep(15)  # the dashboard reads the streak back through its history after the first paint
        before = {name: app.cpu_seconds() for name, app in apps.items()}
        rss = {name: app.rss_mb() for name, app in apps.items()}
        window = args.idle_minutes * 60
        time.sleep(window)
        used = {name: app.cpu_seconds() - before[name] for name, app in apps.items()}
        peak = {name: max(rss[name], app.rss_mb()) for name, app in apps.items()}
        for app in apps.values():
            app.stop()
        base_cpu = used["minimal app"] or 1 / os.sysconf("SC_CLK_TCK")
        print(
            f"\n{'idle for ' + format(args.idle_minutes, 'g') + ' min':34} {'CPU':>9} {'% core':>7} {'ratio':>7} {'RSS':>9} {'ratio':>7}"
        )
        for name in apps:
            print(
                f"{name:34} {used[name]:8.2f}s {100 * used[name] / window:6.3f}% {used[name] / base_cpu:6.2f}x "
                f"{peak[name]:7.1f}MB {peak[name] / peak['minimal app']:6.2f}x"
            )
        print(
            f"python {sys.version.split()[0]}; CPU from /proc/PID/stat (1/{os.sysconf('SC_CLK_TCK')} s ticks)"
        )


if __name__ == "__main__":
    main()
