"""Desktop notifications for walk prompts: ordered backends behind one `Notifier`."""

from walkbreak.notify.notifier import Notifier, build_notifier

__all__ = ["Notifier", "build_notifier"]
