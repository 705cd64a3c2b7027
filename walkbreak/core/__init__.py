"""The pure domain: records, settings, planning and tallies. No I/O, no clock reads, no UI."""
