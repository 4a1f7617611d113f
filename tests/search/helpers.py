"""Data for the search tests: cases in intervention with service records."""

from __future__ import annotations

from typing import Any

from casework.cases import services as case_services
from casework.cases.models import CaseStatus, ServiceForm, ServiceRecord
from casework.core.clock import local_today
from casework.extensions import db
from tests.factories import CaseFactory, ServiceUserFactory, advance_case


def case_in_intervention(station: Any, **kwargs: Any) -> Any:
    person = kwargs.pop("person", None) or ServiceUserFactory(unit=station)
    case = CaseFactory(service_user=person, **kwargs)
    return advance_case(case, CaseStatus.INTERVENTION)


def add_record(case: Any, content: str, **kwargs: Any) -> ServiceRecord:
    record = case_services.add_service_record(
        actor=case.worker,
        case=case,
        served_on=kwargs.get("served_on", local_today()),
        form=ServiceForm.HOME_VISIT,
        duration_minutes=30,
        content=content,
        response=kwargs.get("response", ""),
        next_step=kwargs.get("next_step", ""),
    )
    db.session.commit()
    return record
