"""The config file's last parsed TOML document, kept as JSON in the user's cache dir.

Every command reads the config, and parsing TOML costs `walkbreak status` about a tenth of its
time: importing tomllib compiles its regular expressions and imports `typing`, in every process. The
cache holds the file's whole text beside its document, so it is used only for exactly that text;
it is a copy, so trouble reading or writing it only means parsing again. Values are validated
after it either way (`config.from_document`), so it can never let a bad value through.
"""

from __future__ import annotations

import json
import os

from walkbreak import paths

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (see core/named_tuple.py)
if TYPE_CHECKING:
    from typing import Any


def cache_file() -> str:
    """Where the cache is kept (~/.cache/walkbreak/config.json on Linux)."""
    return os.path.join(paths.user_dir("cache"), "config.json")


def document_for(text: str) -> dict[str, Any] | None:
    """The document parsed from `text` last time, or None when the cache holds another text."""
    try:
        with open(cache_file(), encoding="utf-8") as f:
            cached = json.load(f)
    except (OSError, ValueError):
        return None
    if not isinstance(cached, dict) or cached.get("toml") != text:
        return None
    document = cached.get("document")
    return document if isinstance(document, dict) else None


def remember(text: str, document: dict[str, Any]) -> None:
    """Keep `document` as the parse of `text`, owner-only; a document JSON cannot hold (a TOML
    date or time) or a cache dir that cannot be written is left uncached."""
    try:
        content = json.dumps({"toml": text, "document": document}, allow_nan=False)
    except (TypeError, ValueError):
        return
    where = cache_file()
    temporary = f"{where}.{os.getpid()}.tmp"
    try:
        paths.make_private_dirs(os.path.dirname(where))
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with open(descriptor, "w", encoding="utf-8") as f:
            f.write(content)
        os.replace(temporary, where)  # whole or not at all: a reader never sees half of it
    except OSError:
        import contextlib  # here: `status` must not pay for it

        with contextlib.suppress(OSError):
            os.unlink(temporary)
