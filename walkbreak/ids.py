"""Record and process ids: random (version 4) UUIDs as text.

Made here rather than with the uuid module, which imports platform (nine regular expressions
compiled at import): about 3 ms of every `walkbreak log`.
"""

from __future__ import annotations

import os


def new_id() -> str:
    """A fresh random UUID (version 4, RFC 4122 variant) as text, like str(uuid.uuid4())."""
    raw = bytearray(os.urandom(16))
    raw[6] = (raw[6] & 0x0F) | 0x40
    raw[8] = (raw[8] & 0x3F) | 0x80
    text = raw.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"
