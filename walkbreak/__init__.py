"""walkbreak: short, frequent walk breaks through the workday, for a desk worker's back."""

__version__ = "0.1.0"
