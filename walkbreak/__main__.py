"""`python -m walkbreak`."""

from walkbreak.cli import run

run()
