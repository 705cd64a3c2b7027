"""`walkbreak config init|path|check`: write, find and validate the config file."""

from __future__ import annotations

import argparse
import os
import sys

from walkbreak import config, paths
from walkbreak.commands.context import EXIT_FAILED, EXIT_OK
from walkbreak.store.storage import write_atomically


def run(args: argparse.Namespace) -> int:
    """Run one config action; a bad file raises ConfigError (exit 2) from `config.load`."""
    path, named = paths.config_file(args.config)
    if args.config_command == "path":
        print(path)
        if not os.path.exists(path):
            print(
                "(no file there yet: the defaults are in use; `walkbreak config init` writes one)",
                file=sys.stderr,
            )
        return EXIT_OK
    if args.config_command == "check":
        if not os.path.exists(path) and not named:
            print(f"no config file at {path}: the defaults are in use")
            return EXIT_OK
        config.load(path, must_exist=True)
        print(f"{path} is valid")
        return EXIT_OK
    if os.path.isdir(path):
        return _cannot_write(path, "it is a directory")
    if os.path.exists(path) and not args.force:
        print(f"walkbreak: {path} already exists; use --force to replace it", file=sys.stderr)
        return EXIT_FAILED
    try:
        paths.make_private_dirs(os.path.dirname(path) or ".")
        write_atomically(path, config.example())
    except OSError as err:
        return _cannot_write(path, _why(path, err))
    print(f"wrote {path}")
    return EXIT_OK


def _why(path: str, err: OSError) -> str:
    """What the file system's refusal to write `path` means, in words."""
    blocker = paths.in_the_way(os.path.dirname(os.path.abspath(path)))
    if isinstance(err, (NotADirectoryError, FileExistsError)) and blocker:
        return f"{blocker} is a file, not a directory"
    if isinstance(err, PermissionError):  # making the directory, or a temp file in it
        where = err.filename if isinstance(err.filename, str) else path
        return f"permission denied in {os.path.dirname(os.path.abspath(where))}"
    return str(err.strerror or err).lower()


def _cannot_write(path: str, why: str) -> int:
    print(
        f"walkbreak config init: cannot write {path}: {why}; name a file you can write with "
        f"--config PATH (or {paths.CONFIG_ENV}), or fix that and run it again",
        file=sys.stderr,
    )
    return EXIT_FAILED
