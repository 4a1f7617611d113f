"""Demo data: a Changchun setting with one account per role, and their casework.

What the demo holds is described in the TOML files of ``data/``; ``loader`` reads them and
seeds them through the services. Loaded by ``flask casework seed-demo`` in demo mode only:
the shared password is public, so demo data never belongs in a production database.
"""

from __future__ import annotations

from casework.demo.loader import demo_usernames, seed_demo

DEMO_PASSWORD = "casework-demo"
DEMO_USERNAMES = demo_usernames()


def seed() -> None:
    """Create the demo tree, accounts and casework; the caller commits."""
    seed_demo(DEMO_PASSWORD)


__all__ = ["DEMO_PASSWORD", "DEMO_USERNAMES", "seed"]
