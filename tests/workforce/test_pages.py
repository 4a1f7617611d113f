"""Every workforce page renders for the roles that use it."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from casework.accounts.models import User
from casework.extensions import db
from casework.workforce import training as training_services
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    CertificateFactory,
    PostFactory,
    StationHeadFactory,
    TrainingCourseFactory,
    TrainingSessionFactory,
    TutorFactory,
    WorkerProfileFactory,
)


@pytest.mark.parametrize("role", ["head", "admin"])
def test_pages_render(client: FlaskClient, login: Login, role: str) -> None:
    head = StationHeadFactory()
    user: User = head if role == "head" else AdminFactory()
    profile = WorkerProfileFactory(unit=head.unit)
    certificate = CertificateFactory(profile=profile)
    post = PostFactory(unit=head.unit, holder=profile)
    course = TrainingCourseFactory(unit=head.unit)
    session = TrainingSessionFactory(course=course)
    plan = training_services.create_plan(
        unit=head.unit, year=2026, title="计划", notes=None, actor=head
    )
    db.session.commit()
    login(user)
    urls = [
        "/workforce/profiles/",
        "/workforce/profiles/new",
        f"/workforce/profiles/{profile.id}",
        f"/workforce/profiles/{profile.id}/edit",
        f"/workforce/profiles/{profile.id}/certificates/new",
        f"/workforce/profiles/{profile.id}/education/new",
        f"/workforce/profiles/{profile.id}/exams/new",
        f"/workforce/profiles/{profile.id}/awards/new",
        f"/workforce/profiles/{profile.id}/employment/new",
        f"/workforce/certificates/{certificate.id}/registration",
        "/workforce/posts/",
        "/workforce/posts/new",
        f"/workforce/posts/{post.id}/edit",
        "/workforce/training/",
        "/workforce/training/plans/new",
        f"/workforce/training/plans/{plan.id}",
        f"/workforce/training/plans/{plan.id}/edit",
        "/workforce/training/courses/new",
        f"/workforce/training/courses/{course.id}",
        f"/workforce/training/courses/{course.id}/edit",
        f"/workforce/training/courses/{course.id}/sessions/new",
        f"/workforce/training/sessions/{session.id}/attendance",
        "/workforce/statistics",
        "/",
    ]
    if role == "admin":
        urls.append("/workforce/targets")
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_tutor_reads_the_statistics_of_supervised_units(client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    login(TutorFactory(supervised_units=[head.unit]))
    assert client.get("/workforce/statistics").status_code == 200
    assert client.get("/workforce/profiles/").status_code == 200
