"""This machine's name, as the lease and the walk guides record it."""

from __future__ import annotations

import os


def host_name() -> str:
    """This machine's name (socket.gethostname, without importing socket)."""
    return os.uname().nodename if hasattr(os, "uname") else os.environ.get("COMPUTERNAME", "")
