"""The errors a user sees as a message, never as a traceback."""


class ConfigError(Exception):
    """A config file that cannot be used; the message says where and why (exit code 2)."""


class StoreError(Exception):
    """A problem with the data files that the user has to act on (exit code 1)."""
