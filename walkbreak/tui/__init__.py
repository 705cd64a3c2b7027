"""The dashboard: a Textual app that hosts the engine."""
