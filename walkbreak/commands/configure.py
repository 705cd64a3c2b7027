"""`walkbreak config init|path|check`: write, find and validate the config file."""

from __future__ import annotations

import argparse
import os
import sys

from walkbreak import config, paths
from walkbreak.cli import EXIT_FAILED, EXIT_OK
from walkbreak.storage import write_atomically


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
    if os.path.exists(path) and not args.force:
        print(f"walkbreak: {path} already exists; use --force to replace it", file=sys.stderr)
        return EXIT_FAILED
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    write_atomically(path, config.example())
    print(f"wrote {path}")
    return EXIT_OK
