"""The demo shows worker1 one service record written late and one wording hint."""

from __future__ import annotations

from sqlalchemy import select

from casework.accounts.models import User
from casework.cases import quality, wording
from casework.cases.models import Case, ServiceRecord
from casework.extensions import db
from tests.demo.conftest import Seeded


def _worker1_records() -> list[ServiceRecord]:
    worker = db.session.scalar(select(User).where(User.username == "worker1"))
    assert worker is not None
    return list(
        db.session.scalars(select(ServiceRecord).join(Case).where(Case.worker_id == worker.id))
    )


def test_worker1_has_one_late_service_record(seeded: Seeded) -> None:
    assert len(quality.late_records(_worker1_records())) == 1


def test_no_other_demo_record_is_late(seeded: Seeded) -> None:
    records = list(db.session.scalars(select(ServiceRecord)))
    assert len(quality.late_records(records)) == 1


def test_worker1_has_one_record_with_a_wording_hint(seeded: Seeded) -> None:
    found = wording.matcher()
    hinted = [
        record
        for record in _worker1_records()
        if found.by_field(wording.service_record_fields(record))
    ]
    assert len(hinted) == 1
