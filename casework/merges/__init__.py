"""Merging records of one person registered twice (one person, one file)."""
