"""Merging a person's record registered twice, and undoing it."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.accounts.models import User
from casework.cases.models import Case
from casework.core.audit import AuditEntry
from casework.extensions import db
from casework.groups.models import GroupMember
from casework.merges import services
from casework.people.models import PersonMerge, ServiceUser
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    BureauViewerFactory,
    CaseFactory,
    ServiceUserFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
    running_group,
)


def _pair() -> tuple[ServiceUser, ServiceUser]:
    """The first record of an ID number and its second, registered before the rule."""
    first = ServiceUserFactory()
    second = ServiceUserFactory(id_number=first.id_number, id_number_conflict=True)
    return first, second


def _merge(client: FlaskClient, target: ServiceUser, source: ServiceUser) -> Any:
    return client.post(
        "/admin/duplicates/merge",
        data={"target_id": target.id, "source_id": source.id, "reason": "同一人在两站重复登记"},
    )


def _fresh(person: ServiceUser) -> ServiceUser:
    db.session.expire_all()
    found = db.session.get(ServiceUser, person.id)
    assert found is not None
    return found


def test_the_page_lists_records_sharing_an_id_number(client: FlaskClient, login: Login) -> None:
    first, second = _pair()
    login(AdminFactory())
    body = client.get("/admin/duplicates/").get_data(as_text=True)
    assert first.unit.name in body
    assert second.unit.name in body


def test_a_merge_moves_the_cases_to_the_record_kept(client: FlaskClient, login: Login) -> None:
    first, second = _pair()
    case = CaseFactory(service_user=second)
    login(AdminFactory())
    _merge(client, first, second)
    db.session.expire_all()
    assert db.session.get(Case, case.id).service_user_id == first.id  # type: ignore[union-attr]


def test_a_merged_record_is_archived(client: FlaskClient, login: Login) -> None:
    first, second = _pair()
    login(AdminFactory())
    _merge(client, first, second)
    merged = _fresh(second)
    assert (merged.is_archived, merged.merged_into_id) == (True, first.id)


def test_a_merge_is_audited(client: FlaskClient, login: Login) -> None:
    first, second = _pair()
    admin = AdminFactory()
    login(admin)
    _merge(client, first, second)
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "service_user.merge")
    ).one()
    assert (entry.actor_id, entry.object_id) == (admin.id, first.id)


def test_merging_the_record_holding_the_number_passes_it_to_the_one_kept(
    client: FlaskClient, login: Login
) -> None:
    first, second = _pair()
    login(AdminFactory())
    _merge(client, second, first)
    assert _fresh(second).id_number_conflict is False


def test_a_group_place_the_kept_record_has_already_stays_with_the_duplicate(
    client: FlaskClient, login: Login
) -> None:
    group = running_group(members=0)
    first = ServiceUserFactory(unit=group.unit)
    second = ServiceUserFactory(unit=group.unit, id_number=first.id_number, id_number_conflict=True)
    for person in (first, second):
        db.session.add(
            GroupMember(group_id=group.id, service_user_id=person.id, joined_on=date(2026, 11, 2))
        )
    db.session.commit()
    login(AdminFactory())
    _merge(client, first, second)
    holders = db.session.scalars(
        select(GroupMember.service_user_id).where(GroupMember.group_id == group.id)
    ).all()
    assert sorted(holders) == sorted([first.id, second.id])


def test_records_with_different_id_numbers_are_not_merged(
    client: FlaskClient, login: Login
) -> None:
    first, other = ServiceUserFactory(), ServiceUserFactory()
    login(AdminFactory())
    _merge(client, first, other)
    assert _fresh(other).merged_into_id is None


def test_undo_gives_the_cases_back(client: FlaskClient, login: Login) -> None:
    first, second = _pair()
    case = CaseFactory(service_user=second)
    login(AdminFactory())
    _merge(client, first, second)
    record = db.session.scalars(select(PersonMerge)).one()
    client.post(f"/admin/duplicates/merges/{record.id}/undo")
    db.session.expire_all()
    assert db.session.get(Case, case.id).service_user_id == second.id  # type: ignore[union-attr]
    assert (_fresh(second).is_archived, _fresh(second).id_number_conflict) == (False, True)


def test_undo_after_the_undo_period_is_refused(client: FlaskClient, login: Login) -> None:
    first, second = _pair()
    login(AdminFactory())
    _merge(client, first, second)
    record = db.session.scalars(select(PersonMerge)).one()
    record.merged_at -= timedelta(days=services.UNDO_DAYS + 1)
    db.session.commit()
    client.post(f"/admin/duplicates/merges/{record.id}/undo")
    assert _fresh(second).merged_into_id == first.id


@pytest.mark.parametrize(
    "make_user", [WorkerFactory, StationHeadFactory, TutorFactory, BureauViewerFactory]
)
def test_only_an_administrator_sees_the_duplicates_page(
    client: FlaskClient, login: Login, make_user: Any
) -> None:
    login(make_user())
    assert client.get("/admin/duplicates/").status_code == 403


@pytest.mark.parametrize(
    "make_user", [WorkerFactory, StationHeadFactory, TutorFactory, BureauViewerFactory]
)
def test_only_an_administrator_merges(client: FlaskClient, login: Login, make_user: Any) -> None:
    first, second = _pair()
    staff_of_the_unit = make_user is not BureauViewerFactory
    user: User = make_user(unit=second.unit) if staff_of_the_unit else make_user()
    login(user)
    assert _merge(client, first, second).status_code == 403
    assert _fresh(second).merged_into_id is None


def test_a_huge_record_number_is_refused_without_a_server_error(
    client: FlaskClient, login: Login
) -> None:
    first, second = _pair()
    login(AdminFactory())
    response = client.post(
        "/admin/duplicates/merge",
        data={"target_id": first.id, "source_id": 2**40, "reason": "重复"},
    )
    assert response.status_code == 302
    assert _fresh(second).merged_into_id is None
