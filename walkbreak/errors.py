"""The errors a user sees as a message, never as a traceback.

Their messages echo what the user gave (a config key, a value, a path): control characters in
it are written as escapes, so a message can never retitle the terminal or write the clipboard.
"""

from walkbreak.core.plain_text import escaped


class _Said(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(escaped(message))


class ConfigError(_Said):
    """A config file that cannot be used; the message says where and why (exit code 2)."""


class StoreError(_Said):
    """A problem with the data files that the user has to act on (exit code 1)."""
