"""Deliverables counted live from the covered units' records within the contract period."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flask import Flask

from casework.core.clock import local_today
from casework.extensions import db
from casework.helpdesk import services as helpdesk_services
from casework.projects.models import DeliverableKind, Project
from casework.projects.progress import Progress, project_progress, time_elapsed_percent
from tests.factories import ActivityFactory, HelpRequestFactory, ProjectFactory, StationFactory
from tests.projects.conftest import Setting


def _progress(project: Project, kind: DeliverableKind) -> Progress:
    return next(item for item in project_progress(project, local_today()) if item.kind is kind)


def test_activities_count_only_within_the_contract_period(app: Flask, setting: Setting) -> None:
    today = local_today()
    project = ProjectFactory(
        agency=setting.agency,
        units=[setting.station],
        starts_on=today - timedelta(days=30),
        targets={DeliverableKind.ACTIVITIES: Decimal(4)},
    )
    ActivityFactory(unit=setting.station, held_on=today - timedelta(days=5))
    ActivityFactory(unit=setting.station, held_on=today - timedelta(days=40))
    progress = _progress(project, DeliverableKind.ACTIVITIES)
    assert progress.actual == 1
    assert progress.percent == 25.0


def test_records_of_units_not_covered_do_not_count(app: Flask, setting: Setting) -> None:
    project = ProjectFactory(
        agency=setting.agency,
        units=[setting.station],
        targets={DeliverableKind.ACTIVITY_PARTICIPANTS: Decimal(100)},
    )
    ActivityFactory(unit=StationFactory(parent=setting.station.parent))
    assert _progress(project, DeliverableKind.ACTIVITY_PARTICIPANTS).actual == 0


def test_nothing_is_counted_before_the_contract_starts(app: Flask, setting: Setting) -> None:
    today = local_today()
    project = ProjectFactory(
        agency=setting.agency,
        units=[setting.station],
        starts_on=today + timedelta(days=1),
        ends_on=today + timedelta(days=100),
        targets={DeliverableKind.ACTIVITIES: Decimal(4)},
    )
    ActivityFactory(unit=setting.station, held_on=today)
    assert _progress(project, DeliverableKind.ACTIVITIES).actual is None
    assert time_elapsed_percent(project, today) == 0.0


def test_time_elapsed_counts_today(app: Flask, setting: Setting) -> None:
    today = local_today()
    project = ProjectFactory(
        agency=setting.agency,
        starts_on=today - timedelta(days=9),
        ends_on=today + timedelta(days=10),
    )
    assert time_elapsed_percent(project, today) == 50.0
    assert time_elapsed_percent(project, today + timedelta(days=365)) == 100.0


def test_response_time_is_met_under_its_ceiling(app: Flask, setting: Setting) -> None:
    project = ProjectFactory(
        agency=setting.agency,
        units=[setting.station],
        targets={DeliverableKind.RESPONSE_HOURS: Decimal(24)},
    )
    request = HelpRequestFactory(unit=setting.station)
    helpdesk_services.acknowledge(actor=setting.worker, request=request)
    db.session.commit()
    progress = _progress(project, DeliverableKind.RESPONSE_HOURS)
    assert progress.actual is not None
    assert progress.actual <= 24
    assert progress.is_met
    assert progress.percent is None
