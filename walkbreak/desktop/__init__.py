"""What the desktop session can tell walkbreak beyond notifications: its D-Bus services, asked
in-process."""
