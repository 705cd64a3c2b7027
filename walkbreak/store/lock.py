"""A cross-process lock on a file, held around each read-modify-write of the store.

Hand-written rather than the `filelock` package: filelock 3.16 and 4.x import asyncio and
cost 45–60 ms at start-up, more than the whole budget of `walkbreak log`. flock/msvcrt locks
belong to the open file, so the OS drops them when a holder dies, even by kill -9.
"""

from __future__ import annotations

import os
import sys
import time
from types import TracebackType


class LockTimeout(Exception):
    """Another process held the lock for longer than the timeout."""


class FileLock:
    """An exclusive lock on `path` (created 0600 if missing), for `with` blocks.

    Each `with` opens its own file descriptor, so two threads of one process exclude each
    other too.
    """

    def __init__(self, path: str, timeout: float = 10.0) -> None:
        self.path = path
        self.timeout = timeout
        self._fd: int | None = None

    def __enter__(self) -> FileLock:
        # Not through a symbolic link: a `.lock` pointing elsewhere would create a file there.
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        deadline = time.monotonic() + self.timeout
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                os.close(fd)
                raise LockTimeout(f"{self.path} stayed locked for {self.timeout:.0f} s")
            time.sleep(0.005)
        self._fd = fd
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        assert self._fd is not None
        _unlock(self._fd)
        os.close(self._fd)
        self._fd = None


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
