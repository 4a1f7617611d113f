"""Data and scans for the search tests: cases with service records, and the LIKE baseline."""

from __future__ import annotations

from typing import Any

from sqlalchemy import or_, select

from casework.cases import records as case_records
from casework.cases.enums import CaseStatus, ServiceForm
from casework.cases.models import Case, ServiceRecord
from casework.cases.permissions import cases_visible_to
from casework.core.clock import local_today
from casework.extensions import db
from casework.search.index import Section
from casework.search.queries import search_section
from casework.search.tokens import parse_query
from tests.factories import CaseFactory, ServiceUserFactory, advance_case


def case_in_intervention(station: Any, **kwargs: Any) -> Any:
    person = kwargs.pop("person", None) or ServiceUserFactory(unit=station)
    case = CaseFactory(service_user=person, **kwargs)
    return advance_case(case, CaseStatus.INTERVENTION)


def add_record(case: Any, content: str, **kwargs: Any) -> ServiceRecord:
    record = case_records.add_service_record(
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


def like_scan(worker: object, phrase: str) -> set[int]:
    """Ids of the visible service records whose text contains ``phrase`` (no index)."""
    visible = cases_visible_to(worker).with_only_columns(Case.id)  # type: ignore[arg-type]
    pattern = f"%{phrase}%"
    return set(
        db.session.scalars(
            select(ServiceRecord.id).where(
                ServiceRecord.case_id.in_(visible),
                or_(
                    ServiceRecord.content.like(pattern),
                    ServiceRecord.response.like(pattern),
                    ServiceRecord.next_step.like(pattern),
                ),
            )
        )
    )


def index_search(worker: object, phrase: str) -> set[int]:
    """Ids of the service records the search finds for ``phrase``, every page read."""
    found: set[int] = set()
    after = None
    while True:
        page = search_section(worker, parse_query(phrase), Section.RECORD, after=after, per_page=50)  # type: ignore[arg-type]
        found |= {hit.entity.id for hit in page.hits if hit.kind == "service_records"}
        if not page.has_more:
            return found
        after = page.next_after
