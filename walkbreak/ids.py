"""Record and process ids: random (version 4) UUIDs as text, and a prompt's id named by its day
and its place in the day (version 5).

Made here rather than with the uuid module, which imports platform (nine regular expressions
compiled at import): about 3 ms of every `walkbreak log`.
"""

from __future__ import annotations

import os
from datetime import date


def new_id() -> str:
    """A fresh random UUID (version 4, RFC 4122 variant) as text, like str(uuid.uuid4())."""
    return _uuid(os.urandom(16), 4)


def prompt_id(day: date, number: int) -> str:
    """The id of the `number`th prompt of `day`: the same on every device, so two desks that send
    that prompt (each before the other's record arrived) write one record, not two (like
    str(uuid.uuid5(uuid.NAMESPACE_URL, ...)))."""
    import hashlib  # here: only the engine that fires a prompt needs it

    return _uuid(hashlib.sha1(PROMPTS + f"walkbreak prompt {day.isoformat()} {number}".encode()).digest(), 5)


def _uuid(raw: bytes, version: int) -> str:
    """The first 16 bytes of `raw` as a UUID of `version`, RFC 4122 variant, in its text form."""
    octets = bytearray(raw[:16])
    octets[6] = (octets[6] & 0x0F) | version << 4
    octets[8] = (octets[8] & 0x3F) | 0x80
    text = octets.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


PROMPTS = bytes.fromhex("6ba7b8119dad11d180b400c04fd430c8")
"""The namespace of prompt ids (RFC 4122's URL namespace, as uuid.NAMESPACE_URL)."""
