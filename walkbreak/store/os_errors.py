"""What went wrong with the data dir, and what to do about it, in one line each (`StoreError`)."""

from __future__ import annotations

import errno
import os

from walkbreak.errors import StoreError
from walkbreak.paths import DATA_ENV, in_the_way


def explain(directory: str, err: OSError, *, writing: bool) -> StoreError:
    """What went wrong with the data dir, and what to do about it, in one line."""
    culprit = err.filename if isinstance(err.filename, str) else directory
    if not os.path.lexists(culprit):  # a file it could not make there (a temp file, the lock)
        culprit = os.path.dirname(culprit) or directory
    use = "write to" if writing else "read"
    elsewhere = f"set {DATA_ENV} (or data.dir in the config) to a directory you own"
    if isinstance(err, (NotADirectoryError, FileExistsError)):
        blocker = in_the_way(directory)
        if blocker:
            what = "a link to nothing" if os.path.islink(blocker) else "a file"
            where = "is" if blocker == os.path.abspath(directory) else f"cannot be made: {blocker} is"
            return StoreError(
                f"the data dir {directory} {where} {what}, not a directory; move it away or {elsewhere}"
            )
    if err.errno == errno.ELOOP:
        return StoreError(
            f"cannot {use} the data dir {directory}: {culprit} is a symbolic link; walkbreak does not "
            "follow links for its lock and lease files (one could make it write elsewhere): remove it"
        )
    if isinstance(err, IsADirectoryError):
        return StoreError(
            f"cannot {use} the data dir {directory}: {culprit} is a directory where walkbreak keeps a "
            "file; move it out of the data dir"
        )
    if isinstance(err, PermissionError):
        closed = closed_parent(directory)
        if closed:
            return StoreError(
                f"cannot {use} the data dir {directory}: {closed} is closed to you (permission "
                f"denied); open it to your user (chmod or chown {closed}) or {elsewhere}"
            )
        if not os.path.lexists(directory):
            return StoreError(
                f"cannot create the data dir {directory}: permission denied on {culprit}; create it "
                f"yourself, as your user, or {elsewhere}"
            )
        on = "" if culprit == directory else f" on {culprit}"
        return StoreError(
            f"cannot {use} the data dir {directory}: permission denied{on}; make it yours and "
            f'{"writable" if writing else "readable"} (chown -R "$USER" {directory} && chmod -R u+rwX '
            f"{directory}) or {elsewhere}"
        )
    if err.errno in (errno.ENOSPC, errno.EDQUOT):
        return StoreError(
            f"cannot write to the data dir {directory}: the disk is full ({err.strerror}); every record "
            "already there is kept. Free some space and try again, or " + elsewhere
        )
    if err.errno == errno.EROFS:
        return StoreError(
            f"cannot write to the data dir {directory}: it is on a read-only file system; mount it "
            f"writable or {elsewhere}"
        )
    return StoreError(
        f"cannot {use} the data dir {directory}: {err.strerror or err} ({culprit}); fix that or {elsewhere}"
    )


def closed_parent(directory: str) -> str:
    """The first directory above `directory` that this user cannot pass through; "" if none."""
    path = os.path.abspath(directory)
    parts = []
    while os.path.dirname(path) != path:
        path = os.path.dirname(path)
        parts.append(path)
    for part in reversed(parts):
        if os.path.isdir(part) and not os.access(part, os.X_OK):
            return part
    return ""
