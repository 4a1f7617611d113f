"""Every model, imported once so that the metadata (and Alembic) sees all tables."""

from casework.accounts.models import User, tutor_units
from casework.core.audit import AuditEntry
from casework.orgs.models import Unit

__all__ = ["AuditEntry", "Unit", "User", "tutor_units"]
