"""User text made safe to store and to show: no control characters, a length limit.

A note is typed by the user, but a month file or an import may hold anything: `ESC]0;…` retitles
the terminal, `ESC]52;c;…` writes the clipboard, `ESC]8;;url` makes a live link, bidi overrides
reorder what is shown. Text from the user is cleaned when it comes in and again when it is shown
(old records, hand edits); it is always shown as plain text, never as markup.
"""

from __future__ import annotations

LONGEST_NOTE = 500
"""Characters in a note or a reason (a line or two; the CLI refuses longer)."""

_SPACE = {ord(c): " " for c in "\t\n\r\v\f\x85\u2028\u2029"}
_DROP: dict[int, str | None] = {
    **dict.fromkeys(range(0x20)),
    0x7F: None,
    **dict.fromkeys(range(0x80, 0xA0)),  # C1 controls: 0x9b is a one-byte CSI on some terminals
    **dict.fromkeys(range(0x202A, 0x202F)),  # bidi embeddings and overrides
    **dict.fromkeys(range(0x2066, 0x206A)),  # bidi isolates
    **_SPACE,
}


def clean(text: str) -> str:
    """`text` without control characters (white space of any kind becomes a space)."""
    return text.translate(_DROP)


_ESCAPE = {c: f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}" for c in _DROP if c != ord("\n")}


def escaped(text: str) -> str:
    """`text` with each control character written as an escape (`\\x1b`), for messages that
    echo what the user wrote (a config key, a value): shown, never obeyed by the terminal."""
    return text.translate(_ESCAPE)


def shown(value: object, longest: int = 80) -> str:
    """Any value for a message: its repr, cleaned, cut short (a bad value may be a megabyte)."""
    text = clean(repr(value))
    return text if len(text) <= longest else text[: longest - 1] + "…"


def as_note(text: str) -> str:
    """`text` as a note is kept: cleaned and stripped; raises ValueError when it is too long."""
    note = clean(text).strip()
    if len(note) > LONGEST_NOTE:
        raise ValueError(f"the note is {len(note)} characters; keep it to {LONGEST_NOTE}")
    return note
