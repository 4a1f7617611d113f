"""The demo workforce: files, the re-registration warning for worker1, posts and training."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import select

from casework.accounts.models import User
from casework.core.clock import local_today
from casework.demo import DEMO_PASSWORD
from casework.demo.loader import load_demo_data
from casework.extensions import db
from casework.workforce import hours
from casework.workforce.models import (
    CertificateLevel,
    ContinuingEducationEntry,
    Post,
    TrainingAttendance,
    WorkerProfile,
)
from tests.conftest import seeded_demo


@pytest.fixture(scope="module")
def seeded(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The demo data, loaded once by the real command: every test here only reads it."""
    with seeded_demo(database_url, tmp_path_factory.mktemp("demo")) as app:
        yield app


def _profile_of(username: str) -> WorkerProfile:
    return db.session.scalars(
        select(WorkerProfile)
        .join(User, User.id == WorkerProfile.user_id)
        .where(User.username == username)
    ).one()


def test_worker1_holds_a_social_worker_certificate(seeded: Flask) -> None:
    certificate = _profile_of("worker1").current_certificate
    assert certificate is not None
    assert certificate.level is CertificateLevel.INTERMEDIATE


def test_worker1_sees_the_reregistration_warning(seeded: Flask) -> None:
    warning = hours.registration_warning(_profile_of("worker1"))
    assert warning is not None
    assert not warning.is_first_registration
    assert 0 < warning.days_left <= 90
    assert warning.hours < 90


def test_worker1_has_hours_from_the_training_she_attended(seeded: Flask) -> None:
    credited = db.session.scalars(
        select(ContinuingEducationEntry).where(
            ContinuingEducationEntry.profile_id == _profile_of("worker1").id,
            ContinuingEducationEntry.source_attendance_id.is_not(None),
        )
    ).all()
    assert len(credited) == 2


def test_some_files_have_no_account(seeded: Flask) -> None:
    assert db.session.scalars(select(WorkerProfile).where(WorkerProfile.user_id.is_(None))).first()


def test_posts_exist_with_a_vacancy(seeded: Flask) -> None:
    posts = db.session.scalars(select(Post)).all()
    assert len(posts) >= 5
    assert any(post.holder_profile_id is None for post in posts)


def test_attendance_was_recorded(seeded: Flask) -> None:
    assert db.session.scalars(
        select(TrainingAttendance).where(TrainingAttendance.is_present.is_(True))
    ).first()


def test_worker1_home_page_shows_the_warning(seeded: Flask) -> None:
    client = seeded.test_client()
    client.post("/login", data={"username": "worker1", "password": DEMO_PASSWORD})
    page = client.get("/").get_data(as_text=True)
    assert 'id="registration-warnings"' in page


def test_bureau_sees_certified_workers_against_the_target(seeded: Flask) -> None:
    client = seeded.test_client()
    client.post("/login", data={"username": "bureau", "password": DEMO_PASSWORD})
    page = client.get("/workforce/statistics").get_data(as_text=True)
    target = load_demo_data().workforce.target.target
    assert f'data-figure="target">{target}<' in page
    assert f'data-figure="target_due">{local_today().year + 1}-12-31<' in page
    assert "王芳" not in page
