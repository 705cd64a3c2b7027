"""Desktop notifications for walk prompts: ordered backends behind one `Notifier`."""

from walkbreak.notify.backends import build_notifier
from walkbreak.notify.notifier import Notifier

__all__ = ["Notifier", "build_notifier"]
