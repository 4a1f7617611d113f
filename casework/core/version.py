"""The release, as /healthz reports it."""

__version__ = "0.1.0"
