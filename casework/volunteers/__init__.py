"""Volunteers: registration and the hours they serve."""
