"""The satisfaction section reads like the statistics page for aggregate-only viewers."""

from __future__ import annotations

from flask import Flask

from casework.cases.models import Evaluation
from casework.core.clock import local_today
from casework.evidence import content
from casework.extensions import db
from casework.orgs.models import Unit
from tests.factories import CaseFactory, ServiceUserFactory, StationFactory, WorkerFactory


def _scores(unit: Unit, scores: dict[int, int]) -> None:
    worker = WorkerFactory(unit=unit)
    case = CaseFactory(service_user=ServiceUserFactory(unit=unit), worker=worker)
    for score, count in scores.items():
        for _ in range(count):
            db.session.add(
                Evaluation(
                    case=case,
                    author=worker,
                    client_view="",
                    satisfaction=score,
                    summary="",
                    is_superseded=False,
                )
            )
    db.session.flush()


def _scope(unit: Unit, *, aggregate_only: bool) -> content.Scope:
    today = local_today()
    return content.Scope(
        unit_id=unit.id,
        unit_name=unit.name,
        unit_ids=[unit.id],
        record_unit_ids=[] if aggregate_only else [unit.id],
        start=today.replace(day=1),
        end=today,
        today=today,
        is_aggregate_only=aggregate_only,
    )


def test_a_count_hidden_to_protect_a_small_one_reads_as_a_dash(app: Flask) -> None:
    station = StationFactory()
    _scores(station, {5: 7, 4: 3})
    section = content._satisfaction(_scope(station, aggregate_only=True))
    counts = {row["score"]: row["count"] for row in section["rows"]}
    assert (counts[5], counts[4], section["total"]) == ("—", "<5", "10")


def test_staff_see_every_count(app: Flask) -> None:
    station = StationFactory()
    _scores(station, {5: 7, 4: 3})
    section = content._satisfaction(_scope(station, aggregate_only=False))
    counts = {row["score"]: row["count"] for row in section["rows"]}
    assert (counts[5], counts[4], section["satisfied_share"]) == ("7", "3", "100%")
