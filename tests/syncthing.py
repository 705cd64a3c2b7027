"""Real Syncthing instances on localhost for the several-desks tests: each with a home of its own,
discovery, relays, NAT, upgrades and usage reports off, the two devices told each other's
address, and one folder (a walkbreak data dir) shared between them."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

SYNCTHING = shutil.which("syncthing")
SYNCTHING_MISSING = "needs Syncthing (apt install syncthing; .ci/run installs it)"
FOLDER = "walkbreak"
OFF = {
    "globalAnnounceEnabled": "false",
    "localAnnounceEnabled": "false",
    "relaysEnabled": "false",
    "natEnabled": "false",
    "urAccepted": "-1",
    "autoUpgradeIntervalH": "0",
    "crashReportingEnabled": "false",
    "startBrowser": "false",
    "setLowPriority": "false",
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Syncthing:
    """One Syncthing: its home, its ports, its device id; `start`, `kill` (-9), `stop`."""

    def __init__(self, home: Path) -> None:
        assert SYNCTHING is not None
        self.home = home
        self.gui, self.listen = free_port(), free_port()
        self.key = os.urandom(12).hex()
        self.process: subprocess.Popen[bytes] | None = None
        subprocess.run(
            [SYNCTHING, "generate", f"--home={home}", "--no-default-folder", "--skip-port-probing"],
            capture_output=True,
            check=True,
            timeout=60,
        )
        self.id = subprocess.run(
            [SYNCTHING, "serve", f"--home={home}", "--device-id"], capture_output=True, text=True, check=True
        ).stdout.strip()

    def configure(self, folder: Path, peer: Syncthing) -> None:
        """Share `folder` with `peer`, reached only at its localhost address."""
        path = self.home / "config.xml"
        tree = ET.parse(path)
        root = tree.getroot()
        root.find("gui/address").text = f"127.0.0.1:{self.gui}"  # type: ignore[union-attr]
        root.find("gui/apikey").text = self.key  # type: ignore[union-attr]
        options = root.find("options")
        assert options is not None
        options.find("listenAddress").text = f"tcp://127.0.0.1:{self.listen}"  # type: ignore[union-attr]
        for name, value in OFF.items():
            options.find(name).text = value  # type: ignore[union-attr]
        other = ET.SubElement(root, "device", id=peer.id, name=peer.home.name, compression="metadata")
        ET.SubElement(other, "address").text = f"tcp://127.0.0.1:{peer.listen}"
        shared = ET.Element(
            "folder",
            id=FOLDER,
            label=FOLDER,
            path=str(folder),
            type="sendreceive",
            rescanIntervalS="60",
            fsWatcherEnabled="true",
            fsWatcherDelayS="1",
        )
        for device in (self.id, peer.id):
            ET.SubElement(shared, "device", id=device)
        root.insert(0, shared)  # before <defaults>, whose folder template has no id
        tree.write(path)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        (folder / ".stfolder").mkdir(exist_ok=True)

    def start(self) -> None:
        assert SYNCTHING is not None
        env = {**os.environ, "STNOUPGRADE": "1", "STNORESTART": "1", "STNODEFAULTFOLDER": "1"}
        with open(self.home / "syncthing.log", "ab") as log:
            self.process = subprocess.Popen(
                [SYNCTHING, "serve", f"--home={self.home}", "--no-browser", "--no-restart", "--no-upgrade"],
                stdout=log,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,  # its monitor and the syncthing it runs: one group to kill
            )
        deadline = time.monotonic() + 90
        while not self._answers():
            assert self.process.poll() is None, (self.home / "syncthing.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "syncthing did not answer in 90 s"
            time.sleep(0.1)

    def _answers(self) -> bool:
        try:
            return self.rest("/rest/system/ping").get("ping") == "pong"
        except OSError:
            return False

    def rest(self, path: str) -> dict:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.gui}{path}", headers={"X-API-Key": self.key}
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            found: dict = json.loads(answer.read())
            return found

    def kill(self) -> None:
        """kill -9 of both its processes (the monitor and the syncthing it runs), as a crash or a
        power cut would; returns once neither holds its database any more."""
        self._signal(signal.SIGKILL)

    def stop(self) -> None:
        self._signal(signal.SIGTERM)

    def _signal(self, number: int) -> None:
        if self.process is None:
            return
        group = self.process.pid
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, number)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(group, signal.SIGKILL)
            self.process.wait(timeout=30)
        deadline = time.monotonic() + 30
        while _group_alive(group):  # the child the monitor ran ends a moment later
            assert time.monotonic() < deadline, "syncthing did not end"
            time.sleep(0.05)
        self.process = None


def _group_alive(group: int) -> bool:
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def syncthing_pair(tmp: Path, a: Path, b: Path) -> tuple[Syncthing, Syncthing]:
    """Two Syncthings, made and configured (not started), sharing data dirs `a` and `b`."""
    one, two = Syncthing(tmp / "syncthing-a"), Syncthing(tmp / "syncthing-b")
    one.configure(a, two)
    two.configure(b, one)
    return one, two
