"""Where walkbreak's notification icon lives."""

import os

ICON_PATH = os.path.join(
    os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "resources", "walkbreak.png"
)
"""A 128×128 PNG: a walker on a teal disc."""
