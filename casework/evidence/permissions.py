"""Who may ask for an evidence pack, for which units, and whose packs they may download."""

from __future__ import annotations

from sqlalchemy import Select, select

from casework.accounts.models import Role, User
from casework.evidence.models import EvidencePack, PackStatus
from casework.orgs.models import Unit
from casework.orgs.reporting import report_units_for

# Heads their own unit, tutors the units they supervise, bureau viewers their subtree
# (aggregates only). Workers keep their own records; administrators see no case content.
REQUESTING_ROLES = (Role.STATION_HEAD, Role.TUTOR, Role.BUREAU_VIEWER)


def pack_units_for(user: User) -> list[Unit]:
    """The units ``user`` may make a pack for (each with its subtree within reach)."""
    if user.role not in REQUESTING_ROLES or user.is_pending_confirmation:
        return []
    return report_units_for(user)


def can_request_evidence_pack(user: User) -> bool:
    """Whether ``pack_units_for(user)`` is not empty, without a query (the menu asks it on
    every page)."""
    if user.role not in REQUESTING_ROLES or user.is_pending_confirmation:
        return False
    return user.role is not Role.TUTOR or bool(user.supervised_units)


def packs_visible_to(user: User) -> Select[EvidencePack]:
    """A user's own packs: a pack holds what its requester may see, nobody else's view."""
    return select(EvidencePack).where(EvidencePack.requested_by_id == user.id)


def can_download_pack(user: User, pack: EvidencePack) -> bool:
    return pack.requested_by_id == user.id and pack.status is PackStatus.READY
