"""`python -m walkbreak`."""

import sys

from walkbreak.cli import main

sys.exit(main())
