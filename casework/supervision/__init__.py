"""Supervision (督导): the tutor's records of supervision sessions with workers."""
