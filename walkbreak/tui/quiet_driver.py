"""Textual's Linux driver with an input thread that sleeps until there is something to read.

Textual's input thread (textual.drivers.linux_driver, 6.10 to 8.2) waits on the terminal with a
0.1 s timeout: it wakes ten times a second all day to see whether the app is exiting and whether
a lone Escape has waited long enough to count as the Escape key. Here the thread waits with no
timeout unless the key parser is waiting on one, and the exit event also writes to a pipe the
thread waits on, so exiting does not wait for a timeout either. Input is read, parsed and passed
on exactly as Textual does it (its XTermParser, the driver's process_message).
"""

from __future__ import annotations

import contextlib
import os
import selectors
import threading
from codecs import getincrementaldecoder
from typing import Any

from textual._xterm_parser import XTermParser
from textual.drivers.linux_driver import LinuxDriver

PARSER_TIMEOUT_POLL = 0.1
"""Seconds between looks while the parser waits to see whether an Escape starts a sequence."""


class _WakingEvent(threading.Event):
    """The driver's exit event; setting it also wakes the input thread through a pipe."""

    def __init__(self, wake: int) -> None:
        super().__init__()
        self._wake = wake

    def set(self) -> None:
        super().set()
        if self._wake >= 0:
            with contextlib.suppress(OSError):  # full: it is awake already
                os.write(self._wake, b"x")

    def close(self) -> None:
        """Write no more (the pipe is closed, and its number may be another file's soon)."""
        self._wake = -1


class QuietLinuxDriver(LinuxDriver):
    """LinuxDriver whose input thread blocks until input, a parser timeout or exit."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._wake_read, self._wake_write = os.pipe()
        os.set_blocking(self._wake_read, False)
        os.set_blocking(self._wake_write, False)
        self.exit_event: _WakingEvent = _WakingEvent(self._wake_write)

    def run_input_thread(self) -> None:
        parser = XTermParser(self._debug)
        decode = getincrementaldecoder("utf-8")().decode
        selector = selectors.DefaultSelector()
        selector.register(self.fileno, selectors.EVENT_READ, "terminal")
        selector.register(self._wake_read, selectors.EVENT_READ, "wake")
        try:
            while not self.exit_event.is_set():
                # A private attribute: if a later Textual drops it, poll as Textual itself does.
                waiting = getattr(parser, "_timeout_time", 0.0) is not None
                for key, _mask in selector.select(PARSER_TIMEOUT_POLL if waiting else None):
                    if key.data == "wake":
                        with contextlib.suppress(OSError):
                            os.read(self._wake_read, 64)
                        continue
                    text = decode(os.read(self.fileno, 4096))
                    if not text:  # end of input (stdin is not a terminal): stop waiting on it
                        selector.unregister(self.fileno)
                        continue
                    for event in parser.feed(text):
                        self.process_message(event)
                for event in parser.tick():
                    self.process_message(event)
        finally:
            selector.close()
            with contextlib.suppress(Exception):  # what Textual does: let the parser finish
                for _event in parser.feed(""):
                    pass

    def close(self) -> None:
        super().close()
        self.exit_event.close()
        for fd in (self._wake_read, self._wake_write):
            with contextlib.suppress(OSError):
                os.close(fd)
