"""Asking for an evidence pack and recording its downloads (the build is in build.py)."""

from __future__ import annotations

from casework.accounts.models import User
from casework.core import audit
from casework.evidence.models import EvidencePack, PackStatus
from casework.extensions import db
from casework.orgs.models import Unit
from casework.orgs.reporting import is_aggregate_only
from casework.reports.periods import Period


def request_pack(
    *, actor: User, unit: Unit, includes_subtree: bool, period: Period
) -> EvidencePack:
    """Queue a pack of ``unit`` (and its subtree) for ``period``; the build runs later."""
    pack = EvidencePack(
        unit_id=unit.id,
        includes_subtree=includes_subtree,
        start=period.start,
        end=period.end,
        requested_by_id=actor.id,
        is_aggregate_only=is_aggregate_only(actor),
        status=PackStatus.QUEUED,
        case_ids=[],
    )
    db.session.add(pack)
    db.session.flush()
    audit.record(
        "evidence.request",
        pack,
        actor_id=actor.id,
        unit_id=unit.id,
        details={
            "start": period.start.isoformat(),
            "end": period.end.isoformat(),
            "subtree": includes_subtree,
            "aggregate_only": pack.is_aggregate_only,
        },
    )
    return pack


def record_download(*, actor: User, pack: EvidencePack, kind: str) -> None:
    """Note the download, naming every case whose file the pack discloses."""
    audit.record(
        "evidence.download",
        pack,
        actor_id=actor.id,
        unit_id=pack.unit_id,
        details={"file": kind, "case_ids": list(pack.case_ids or [])},
    )
