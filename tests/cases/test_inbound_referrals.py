"""Referrals that arrive: the receiving unit's queue, its answer, and the sender's view."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.cases.enums import ReferralOutcome
from casework.cases.models import Case, Referral
from casework.core.clock import local_today
from casework.extensions import db
from casework.orgs.models import Unit
from tests.audit_helpers import shown_to
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    CaseFactory,
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
)

SHARED = "刘桂兰，独居，需要上门助餐；本人同意提供给贵站。"


def _refer(client: FlaskClient, case: Case, to_unit: Unit, **overrides: str) -> Any:
    data = {
        "referred_on": local_today().isoformat(),
        "to_unit_id": str(to_unit.id),
        "shared_information": SHARED,
        "consent_basis": "written",
        "to_agency": "",
        "agency_contact": "",
        "reason": "居住地在贵站服务范围",
    }
    data.update(overrides)
    return client.post(f"/cases/{case.id}/referrals/new", data=data)


@pytest.fixture
def sent(client: FlaskClient, login: Login) -> tuple[Case, Referral, Any]:
    """A referral from a case to another station, and that station's worker."""
    case = CaseFactory()
    receiving = StationFactory()
    receiver = WorkerFactory(unit=receiving)
    login(case.worker)
    _refer(client, case, receiving)
    client.post("/logout")
    return case, db.session.scalars(select(Referral)).one(), receiver


def _fresh(referral: Referral) -> Referral:
    db.session.expire_all()
    found = db.session.get(Referral, referral.id)
    assert found is not None
    return found


def _answer(client: FlaskClient, referral: Referral, outcome: str, note: str = "") -> Any:
    return client.post(
        f"/cases/referrals/inbound/{referral.id}",
        data={"outcome": outcome, "outcome_on": local_today().isoformat(), "note": note},
    )


def test_a_referral_to_another_station_appears_in_its_queue(
    client: FlaskClient, login: Login, sent: tuple[Case, Referral, Any]
) -> None:
    _case, referral, receiver = sent
    login(receiver)
    body = client.get("/cases/referrals/inbound").get_data(as_text=True)
    assert f"/cases/referrals/inbound/{referral.id}" in body


def test_the_receiver_sees_what_was_shared_and_not_the_case(
    client: FlaskClient, login: Login, sent: tuple[Case, Referral, Any]
) -> None:
    case, referral, receiver = sent
    login(receiver)
    body = client.get(f"/cases/referrals/inbound/{referral.id}").get_data(as_text=True)
    assert SHARED in body
    assert client.get(f"/cases/{case.id}").status_code == 404


def test_the_receivers_view_of_what_was_shared_is_audited_for_the_sender(
    client: FlaskClient, login: Login, sent: tuple[Case, Referral, Any]
) -> None:
    case, referral, receiver = sent
    login(receiver)
    client.get(f"/cases/referrals/inbound/{referral.id}")
    assert ("referrals", referral.id, case.unit_id) in shown_to(receiver.id)


def test_a_referral_to_a_unit_needs_the_information_shared(
    client: FlaskClient, login: Login
) -> None:
    case = CaseFactory()
    login(case.worker)
    response = _refer(client, case, StationFactory(), shared_information="")
    assert response.status_code == 422
    assert db.session.scalars(select(Referral)).first() is None


def test_a_referral_to_a_unit_needs_the_consent_basis(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    login(case.worker)
    response = _refer(client, case, StationFactory(), consent_basis="")
    assert response.status_code == 422


def test_the_sender_sees_the_receivers_feedback(
    client: FlaskClient, login: Login, sent: tuple[Case, Referral, Any]
) -> None:
    case, referral, receiver = sent
    login(receiver)
    _answer(client, referral, "completed", "已上门评估，纳入助餐服务")
    client.post("/logout")
    login(case.worker)
    assert "已上门评估，纳入助餐服务" in client.get(f"/cases/{case.id}").get_data(as_text=True)


def test_an_answer_is_recorded_with_who_gave_it(
    client: FlaskClient, login: Login, sent: tuple[Case, Referral, Any]
) -> None:
    _case, referral, receiver = sent
    login(receiver)
    _answer(client, referral, "accepted")
    answered = _fresh(referral)
    assert (answered.outcome, answered.responded_by_id) == (ReferralOutcome.ACCEPTED, receiver.id)


def test_declining_needs_feedback(
    client: FlaskClient, login: Login, sent: tuple[Case, Referral, Any]
) -> None:
    _case, referral, receiver = sent
    login(receiver)
    response = _answer(client, referral, "declined", "")
    assert response.status_code == 422
    assert _fresh(referral).outcome is ReferralOutcome.PENDING


def test_the_sender_cannot_record_the_answer_of_a_unit(
    client: FlaskClient, login: Login, sent: tuple[Case, Referral, Any]
) -> None:
    case, referral, _receiver = sent
    login(case.worker)
    response = client.post(
        f"/cases/{case.id}/referrals/{referral.id}/outcome",
        data={"outcome": "completed", "outcome_on": local_today().isoformat(), "note": "自填"},
    )
    assert response.status_code == 422
    assert _fresh(referral).outcome is ReferralOutcome.PENDING


def test_an_overdue_referral_shows_on_the_receivers_home(
    client: FlaskClient, login: Login, sent: tuple[Case, Referral, Any]
) -> None:
    _case, referral, receiver = sent
    referral.due_on = local_today() - timedelta(days=1)
    db.session.commit()
    login(receiver)
    body = client.get("/").get_data(as_text=True)
    assert f"/cases/referrals/inbound/{referral.id}" in body


def test_an_overdue_referral_shows_on_the_senders_home(
    client: FlaskClient, login: Login, sent: tuple[Case, Referral, Any]
) -> None:
    case, referral, _receiver = sent
    referral.due_on = local_today() - timedelta(days=1)
    db.session.commit()
    login(case.worker)
    body = client.get("/").get_data(as_text=True)
    assert f"#referral-{referral.id}" in body


def test_a_referral_not_yet_due_is_not_overdue(
    client: FlaskClient, login: Login, sent: tuple[Case, Referral, Any]
) -> None:
    case, _referral, _receiver = sent
    login(case.worker)
    assert 'id="overdue-referrals"' not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("make_user", [WorkerFactory, StationHeadFactory, TutorFactory])
def test_another_unit_does_not_see_the_referral(
    client: FlaskClient, login: Login, sent: tuple[Case, Referral, Any], make_user: Any
) -> None:
    _case, referral, _receiver = sent
    login(make_user())
    assert client.get(f"/cases/referrals/inbound/{referral.id}").status_code == 404


def test_an_administrator_has_no_referral_queue(client: FlaskClient, login: Login) -> None:
    login(AdminFactory())
    assert client.get("/cases/referrals/inbound").status_code == 403


def test_the_sending_worker_cannot_answer_their_own_referral(
    client: FlaskClient, login: Login, sent: tuple[Case, Referral, Any]
) -> None:
    case, referral, _receiver = sent
    login(case.worker)
    assert _answer(client, referral, "completed", "自己答复").status_code == 404
