"""Be told when something changes instead of looking every few seconds, so an idle engine sleeps:
files written in a few directories (Linux inotify through ctypes: no library to import) and a
process ending (a Linux pidfd), each a descriptor the event loop reads.

Elsewhere (macOS, Windows, an old kernel, a system out of watches) these return None and the
engine looks now and then instead.
"""

from __future__ import annotations

import asyncio
import ctypes
import os
import struct
import sys
from collections.abc import Callable, Iterable

IN_CLOSE_WRITE = 0x008
IN_CREATE = 0x100
IN_MOVED_FROM = 0x040
IN_MOVED_TO = 0x080
IN_DELETE = 0x200
IN_Q_OVERFLOW = 0x4000
IN_ONLYDIR = 0x01000000
IN_NONBLOCK = os.O_NONBLOCK
IN_CLOEXEC = 0o2000000
MASK = IN_CLOSE_WRITE | IN_CREATE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ONLYDIR
"""A file written in place, put in place by a rename (how the store and most editors write),
created (a folder a sync brings: another device's), renamed away or deleted. Not IN_ATTRIB:
the lease's holder renews it by touching it, which would wake every viewer for nothing."""
_EVENT = struct.Struct("iIII")


def _libc() -> ctypes.CDLL | None:
    """The C library, for the calls Python does not wrap (inotify, timerfd); None off Linux."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


class Watch:
    """An inotify descriptor on `directories`, read by the running loop; `on_change(names)` runs
    once per batch of events, with the names of the files written, renamed or deleted, leaving
    out those that start with "." (the store's lock and its temporary files)."""

    def __init__(self, fd: int, on_change: Callable[[set[str]], None], libc: ctypes.CDLL) -> None:
        self.fd = fd
        self.on_change = on_change
        self._libc = libc
        self.loop = asyncio.get_running_loop()
        self.loop.add_reader(fd, self._read)

    def _read(self) -> None:
        changed: set[str] = set()
        while True:
            try:
                data = os.read(self.fd, 64 * 1024)
            except BlockingIOError:
                break
            except OSError:
                self.close()  # cannot read it any more: say "changed" once, the poll goes on
                changed.add("")
                break
            offset = 0
            while offset + _EVENT.size <= len(data):
                _wd, mask, _cookie, length = _EVENT.unpack_from(data, offset)
                name = data[offset + _EVENT.size : offset + _EVENT.size + length].rstrip(b"\0")
                offset += _EVENT.size + length
                if mask & IN_Q_OVERFLOW:
                    changed.add("")  # events were lost: something changed
                elif name and not name.startswith(b"."):
                    changed.add(os.fsdecode(name))
        if changed:
            self.on_change(changed)

    def add(self, directory: str) -> None:
        """Watch `directory` too (one made since the watch began)."""
        if self.fd >= 0:
            self._libc.inotify_add_watch(self.fd, os.fsencode(directory), MASK)

    def close(self) -> None:
        if self.fd >= 0:
            self.loop.remove_reader(self.fd)
            os.close(self.fd)
            self.fd = -1


def files(directory: str, on_change: Callable[[set[str]], None], also: Iterable[str] = ()) -> Watch | None:
    """Watch `directory`, and those of `also` that exist, on the running loop; None where inotify
    is not available or `directory` cannot be watched."""
    libc = _libc()
    fd = libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC) if libc is not None else -1
    if libc is None or fd < 0:
        return None
    if libc.inotify_add_watch(fd, os.fsencode(directory), MASK) < 0:
        os.close(fd)
        return None
    watch = Watch(fd, on_change, libc)
    for other in also:
        watch.add(other)  # (one made later is added when it appears)
    return watch


def process_exit(pid: int, on_exit: Callable[[], None]) -> Callable[[], None] | None:
    """Call `on_exit()` once when process `pid` of this machine ends (soon, if it has ended
    already); returns what cancels the watch, or None where it cannot be watched (then `on_exit`
    is never called)."""
    loop = asyncio.get_running_loop()
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        return loop.call_soon(on_exit).cancel
    except (AttributeError, OSError):  # not Linux 5.3+
        return None
    watching = [True]

    def cancel() -> None:
        if watching[0]:
            watching[0] = False
            loop.remove_reader(fd)
            os.close(fd)

    def ended() -> None:
        cancel()
        on_exit()

    loop.add_reader(fd, ended)
    return cancel


class _Timespec(ctypes.Structure):
    _fields_ = [("tv_sec", ctypes.c_long), ("tv_nsec", ctypes.c_long)]


class _Itimerspec(ctypes.Structure):
    _fields_ = [("it_interval", _Timespec), ("it_value", _Timespec)]


CLOCK_BOOTTIME = 7


class Alarm:
    """Calls `callback()` once, a number of seconds after `set`; setting it again moves it.

    On Linux a CLOCK_BOOTTIME timerfd: that clock goes on while the machine sleeps, so an alarm
    that came due during a suspend rings as the machine wakes. The event loop's own timers count
    monotonic time, which stops in a suspend: they would ring up to the whole delay later.
    Elsewhere it is the loop's timer.
    """

    def __init__(self, callback: Callable[[], None]) -> None:
        self.callback = callback
        self.loop = asyncio.get_running_loop()
        self._handle: asyncio.TimerHandle | None = None
        self._libc = _libc()
        self.fd = (
            self._libc.timerfd_create(CLOCK_BOOTTIME, os.O_NONBLOCK | os.O_CLOEXEC) if self._libc else -1
        )
        if self.fd >= 0:
            self.loop.add_reader(self.fd, self._rang)

    def set(self, seconds: float) -> None:
        """Ring `seconds` from now (at once for 0), instead of when it was set to ring."""
        if self.fd < 0 or self._libc is None:
            if self._handle is not None:
                self._handle.cancel()
            self._handle = self.loop.call_later(seconds, self.callback)
            return
        nanos = max(int(seconds * 1e9), 1)  # all zero would disarm it
        when = _Itimerspec(_Timespec(0, 0), _Timespec(*divmod(nanos, 1_000_000_000)))
        if self._libc.timerfd_settime(self.fd, 0, ctypes.byref(when), None) != 0:
            self.loop.call_soon(self.callback)  # cannot happen with valid values; never go silent

    def _rang(self) -> None:
        try:
            os.read(self.fd, 8)
        except BlockingIOError:
            return  # moved since it rang
        self.callback()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.cancel()
        if self.fd >= 0:
            self.loop.remove_reader(self.fd)
            os.close(self.fd)
            self.fd = -1
