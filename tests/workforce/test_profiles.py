"""Personnel files: who may open, list and change them; masking; audit of views."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.accounts.models import User
from casework.core.clock import local_today
from casework.core.disclosure import AuditDisclosure
from casework.extensions import db
from casework.workforce import services
from casework.workforce.models import Certificate, WorkerProfile
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    BureauViewerFactory,
    CertificateFactory,
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
    WorkerProfileFactory,
    make_id_number,
)

ID_NUMBER = make_id_number(local_today().replace(year=1990, month=5, day=4), serial=235)


def _profile_of_worker() -> tuple[WorkerProfile, User]:
    worker = WorkerFactory()
    profile = WorkerProfileFactory(
        unit=worker.unit, user=worker, name="档案本人", id_number=ID_NUMBER, phone="13912345678"
    )
    return profile, worker


def _views(profile: WorkerProfile) -> int:
    """How many requests showed the file, to whomever."""
    db.session.expire_all()
    return len(
        db.session.scalars(
            select(AuditDisclosure.entry_id).where(
                AuditDisclosure.object_type == "worker_profiles",
                AuditDisclosure.object_id == profile.id,
            )
        ).all()
    )


@pytest.mark.parametrize(
    "who", ["self", "head", "tutor", "admin"], ids=["self", "head", "tutor", "admin"]
)
def test_allowed_roles_open_the_file(client: FlaskClient, login: Login, who: str) -> None:
    profile, worker = _profile_of_worker()
    user = {
        "self": lambda: worker,
        "head": lambda: StationHeadFactory(unit=profile.unit),
        "tutor": lambda: TutorFactory(supervised_units=[profile.unit]),
        "admin": AdminFactory,
    }[who]()
    login(user)
    assert client.get(f"/workforce/profiles/{profile.id}").status_code == 200


@pytest.mark.parametrize(
    "who",
    ["colleague", "other_head", "other_tutor", "bureau"],
)
def test_other_roles_get_404_on_the_file(client: FlaskClient, login: Login, who: str) -> None:
    profile, _worker = _profile_of_worker()
    user = {
        "colleague": lambda: WorkerFactory(unit=profile.unit),
        "other_head": StationHeadFactory,
        "other_tutor": lambda: TutorFactory(supervised_units=[StationFactory()]),
        "bureau": lambda: BureauViewerFactory(unit=profile.unit.parent.parent),
    }[who]()
    login(user)
    assert client.get(f"/workforce/profiles/{profile.id}").status_code == 404


@pytest.mark.parametrize("factory", [WorkerFactory, BureauViewerFactory])
def test_workers_and_bureau_get_403_on_the_list(
    client: FlaskClient, login: Login, factory: type
) -> None:
    login(factory())
    assert client.get("/workforce/profiles/").status_code == 403


def test_list_masks_id_and_phone(client: FlaskClient, login: Login) -> None:
    profile, _worker = _profile_of_worker()
    login(StationHeadFactory(unit=profile.unit))
    page = client.get("/workforce/profiles/").get_data(as_text=True)
    assert "档案本人" in page
    assert ID_NUMBER not in page
    assert ID_NUMBER[:6] + "********" + ID_NUMBER[-4:] in page
    assert "139****5678" in page


def test_list_holds_only_the_heads_unit(client: FlaskClient, login: Login) -> None:
    profile, _worker = _profile_of_worker()
    WorkerProfileFactory(name="外站人员")
    login(StationHeadFactory(unit=profile.unit))
    page = client.get("/workforce/profiles/").get_data(as_text=True)
    assert "外站人员" not in page


def test_tutor_sees_masked_numbers_on_the_file(client: FlaskClient, login: Login) -> None:
    profile, _worker = _profile_of_worker()
    login(TutorFactory(supervised_units=[profile.unit]))
    page = client.get(f"/workforce/profiles/{profile.id}").get_data(as_text=True)
    assert ID_NUMBER not in page
    assert "139****5678" in page


def test_person_sees_own_full_numbers(client: FlaskClient, login: Login) -> None:
    profile, worker = _profile_of_worker()
    login(worker)
    page = client.get(f"/workforce/profiles/{profile.id}").get_data(as_text=True)
    assert ID_NUMBER in page


def test_viewing_someone_elses_file_is_audited(client: FlaskClient, login: Login) -> None:
    profile, _worker = _profile_of_worker()
    login(StationHeadFactory(unit=profile.unit))
    client.get(f"/workforce/profiles/{profile.id}")
    assert _views(profile) == 1


def test_viewing_ones_own_file_is_not_audited(client: FlaskClient, login: Login) -> None:
    profile, worker = _profile_of_worker()
    login(worker)
    client.get(f"/workforce/profiles/{profile.id}")
    assert _views(profile) == 0


def test_my_profile_redirects_to_the_file(client: FlaskClient, login: Login) -> None:
    profile, worker = _profile_of_worker()
    login(worker)
    response = client.get("/workforce/profiles/mine")
    assert response.headers["Location"].endswith(f"/workforce/profiles/{profile.id}")


def test_my_profile_without_a_file_says_so(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    assert 'id="no-profile"' in client.get("/workforce/profiles/mine").get_data(as_text=True)


def test_person_may_not_edit_own_file(client: FlaskClient, login: Login) -> None:
    profile, worker = _profile_of_worker()
    login(worker)
    assert client.get(f"/workforce/profiles/{profile.id}/edit").status_code == 403
    assert client.get(f"/workforce/profiles/{profile.id}/certificates/new").status_code == 403


def test_tutor_may_not_edit_a_file(client: FlaskClient, login: Login) -> None:
    profile, _worker = _profile_of_worker()
    login(TutorFactory(supervised_units=[profile.unit]))
    assert client.get(f"/workforce/profiles/{profile.id}/edit").status_code == 403


def test_head_creates_a_file_for_an_account(client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    worker = WorkerFactory(unit=head.unit)
    login(head)
    response = client.post(
        "/workforce/profiles/new",
        data={
            "unit": str(head.unit_id),
            "account": str(worker.id),
            "name": "新社工",
            "gender": "female",
            "id_number": "",
            "phone": "",
            "education_level": "bachelor",
            "major": "社会工作",
            "is_social_work_major": "y",
            "position_title": "",
            "employed_since": "",
            "is_active": "y",
        },
    )
    assert response.status_code == 302
    profile = db.session.scalars(select(WorkerProfile)).one()
    assert (profile.user_id, profile.unit_id, profile.is_social_work_major) == (
        worker.id,
        head.unit_id,
        True,
    )


def test_invalid_id_number_keeps_the_input(client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    login(head)
    response = client.post(
        "/workforce/profiles/new",
        data={"unit": str(head.unit_id), "account": "", "name": "张三", "id_number": "123"},
    )
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "身份证号无效" in page
    assert 'value="张三"' in page


def test_head_registers_a_certificate(client: FlaskClient, login: Login) -> None:
    profile, _worker = _profile_of_worker()
    login(StationHeadFactory(unit=profile.unit))
    response = client.post(
        f"/workforce/profiles/{profile.id}/certificates/new",
        data={
            "level": "assistant",
            "certificate_number": "A2024001",
            "obtained_on": (local_today() - timedelta(days=30)).isoformat(),
            "registration_number": "",
            "registered_on": "",
        },
    )
    assert response.status_code == 302
    assert db.session.scalars(select(Certificate)).one().certificate_number == "A2024001"


def test_duplicate_certificate_number_is_refused(client: FlaskClient, login: Login) -> None:
    CertificateFactory(certificate_number="DUP-1")
    profile, _worker = _profile_of_worker()
    login(StationHeadFactory(unit=profile.unit))
    response = client.post(
        f"/workforce/profiles/{profile.id}/certificates/new",
        data={
            "level": "assistant",
            "certificate_number": "DUP-1",
            "obtained_on": (local_today() - timedelta(days=30)).isoformat(),
        },
    )
    assert response.status_code == 422
    assert "已登记在其他档案中" in response.get_data(as_text=True)


def test_head_of_another_station_gets_404_on_a_certificate(
    client: FlaskClient, login: Login
) -> None:
    certificate = CertificateFactory()
    login(StationHeadFactory())
    assert client.get(f"/workforce/certificates/{certificate.id}/registration").status_code == 404


def test_head_records_reregistration(client: FlaskClient, login: Login) -> None:
    today = local_today()
    certificate = CertificateFactory(
        obtained_on=today - timedelta(days=1500), registered_on=today - timedelta(days=1400)
    )
    login(StationHeadFactory(unit=certificate.profile.unit))
    response = client.post(
        f"/workforce/certificates/{certificate.id}/registration",
        data={
            "registration_number": "DJ-1",
            "registered_on": (today - timedelta(days=1400)).isoformat(),
            "last_reregistered_on": (today - timedelta(days=10)).isoformat(),
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert certificate.last_reregistered_on == today - timedelta(days=10)


def test_head_adds_education_exam_award_and_employment(client: FlaskClient, login: Login) -> None:
    profile, _worker = _profile_of_worker()
    login(StationHeadFactory(unit=profile.unit))
    today = local_today().isoformat()
    base = f"/workforce/profiles/{profile.id}"
    posts = {
        "/education/new": {
            "kind": "conference",
            "title": "年会",
            "started_on": today,
            "hours": "8",
        },
        "/exams/new": {"year": str(local_today().year), "level": "assistant", "is_passed": "y"},
        "/awards/new": {"title": "优秀社工", "awarded_on": today},
        "/employment/new": {"employer": "某社区居委会", "started_on": today},
    }
    for path, data in posts.items():
        assert client.post(base + path, data=data).status_code == 302, path
    db.session.expire_all()
    assert len(profile.education_entries) == 1
    assert len(profile.exam_records) == 1
    assert len(profile.award_records) == 1
    assert len(profile.employment_records) == 1


@pytest.mark.parametrize("hours", ["sNaN", "NaN", "Infinity"])
def test_hours_that_are_not_a_number_are_refused(
    client: FlaskClient, login: Login, hours: str
) -> None:
    profile, _worker = _profile_of_worker()
    login(StationHeadFactory(unit=profile.unit))
    response = client.post(
        f"/workforce/profiles/{profile.id}/education/new",
        data={
            "kind": "conference",
            "title": "年会",
            "started_on": local_today().isoformat(),
            "hours": hours,
        },
    )
    assert response.status_code == 422
    assert "请填写数字" in response.get_data(as_text=True)
    db.session.expire_all()
    assert profile.education_entries == []


def test_user_gets_at_most_one_file(app: object) -> None:
    worker = WorkerFactory()
    WorkerProfileFactory(unit=worker.unit, user=worker)
    with pytest.raises(services.WorkforceError, match="user_has_profile"):
        WorkerProfileFactory(unit=worker.unit, user=worker)
