"""Posts, their fill state and the share held by certified workers (持证上岗率)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.core.clock import local_today
from casework.extensions import db
from casework.workforce import services
from casework.workforce.models import CertificateLevel, Post, PostKind
from casework.workforce.statistics import counts_of, share
from tests.conftest import Login
from tests.factories import (
    BureauViewerFactory,
    CertificateFactory,
    PostFactory,
    StationFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
    WorkerProfileFactory,
)


def _holder(unit: object, level: CertificateLevel | None) -> object:
    profile = WorkerProfileFactory(unit=unit)
    if level is not None:
        CertificateFactory(
            profile=profile, level=level, obtained_on=local_today() - timedelta(days=30)
        )
    return profile


@pytest.mark.parametrize(
    ("required", "held", "certified"),
    [
        (CertificateLevel.ASSISTANT, CertificateLevel.ASSISTANT, True),
        (CertificateLevel.ASSISTANT, CertificateLevel.SENIOR, True),
        (CertificateLevel.INTERMEDIATE, CertificateLevel.ASSISTANT, False),
        (None, CertificateLevel.ASSISTANT, True),
        (None, None, False),
    ],
)
def test_post_counts_as_certified_when_the_holder_has_the_required_level(
    app: Flask,
    required: CertificateLevel | None,
    held: CertificateLevel | None,
    certified: bool,
) -> None:
    station = StationFactory()
    post = PostFactory(unit=station, required_level=required, holder=_holder(station, held))
    assert post.is_filled_by_certified is certified


def test_fill_rate_counts_certified_holders_among_all_posts(app: Flask) -> None:
    station = StationFactory()
    PostFactory(unit=station, holder=_holder(station, CertificateLevel.ASSISTANT))
    PostFactory(unit=station, holder=_holder(station, None))
    PostFactory(unit=station)
    PostFactory(unit=station, holder=_holder(station, CertificateLevel.INTERMEDIATE))
    counts = counts_of([station.id], year=local_today().year, today=local_today())
    assert (counts.posts, counts.posts_filled, counts.posts_certified) == (4, 3, 2)
    assert share(counts.posts_certified, counts.posts) == 50.0


def test_no_posts_no_rate() -> None:
    assert share(0, 0) is None


def test_a_post_whose_holder_has_left_is_not_held_by_a_certified_worker(app: Flask) -> None:
    station = StationFactory()
    holder = _holder(station, CertificateLevel.ASSISTANT)
    post = PostFactory(unit=station, holder=holder)
    holder.is_active = False  # type: ignore[attr-defined]
    db.session.commit()
    counts = counts_of([station.id], year=local_today().year, today=local_today())
    assert (post.is_filled_by_certified, counts.posts_certified) == (False, 0)


def test_holder_must_belong_to_the_unit(app: Flask) -> None:
    with pytest.raises(services.WorkforceError, match="holder_other_unit"):
        PostFactory(unit=StationFactory(), holder=WorkerProfileFactory())


def test_one_person_holds_one_post(app: Flask) -> None:
    station = StationFactory()
    holder = WorkerProfileFactory(unit=station)
    PostFactory(unit=station, holder=holder)
    with pytest.raises(services.WorkforceError, match="holder_has_post"):
        PostFactory(unit=station, holder=holder)


def test_list_shows_the_rate_of_the_unit(client: FlaskClient, login: Login) -> None:
    station = StationFactory()
    PostFactory(unit=station, holder=_holder(station, CertificateLevel.ASSISTANT))
    PostFactory(unit=station)
    login(WorkerFactory(unit=station))
    page = client.get("/workforce/posts/").get_data(as_text=True)
    assert "持证上岗率 50%" in page


def test_list_shows_only_the_posts_of_the_users_units(client: FlaskClient, login: Login) -> None:
    station = StationFactory()
    PostFactory(unit=station, title="本站岗位")
    PostFactory(title="他站岗位")
    login(TutorFactory(supervised_units=[station]))
    page = client.get("/workforce/posts/").get_data(as_text=True)
    assert "本站岗位" in page
    assert "他站岗位" not in page


def test_head_adds_a_post_with_a_holder(client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    holder = WorkerProfileFactory(unit=head.unit)
    login(head)
    response = client.post(
        "/workforce/posts/new",
        data={
            "title": "个案社工",
            "kind": PostKind.FULL_TIME.value,
            "required_level": CertificateLevel.ASSISTANT.value,
            "salary_band": "",
            "holder": str(holder.id),
        },
    )
    assert response.status_code == 302
    post = db.session.scalars(select(Post)).one()
    assert (post.unit_id, post.holder_profile_id) == (head.unit_id, holder.id)


def test_missing_title_keeps_the_input(client: FlaskClient, login: Login) -> None:
    login(StationHeadFactory())
    response = client.post(
        "/workforce/posts/new",
        data={
            "title": "",
            "kind": "full_time",
            "required_level": "",
            "salary_band": "三级",
            "holder": "",
        },
    )
    assert response.status_code == 422
    assert 'value="三级"' in response.get_data(as_text=True)


def test_head_edits_and_deletes_a_post(client: FlaskClient, login: Login) -> None:
    head = StationHeadFactory()
    post_id = PostFactory(unit=head.unit).id
    login(head)
    response = client.post(
        f"/workforce/posts/{post_id}/edit",
        data={
            "title": "新名称",
            "kind": "community",
            "required_level": "",
            "salary_band": "",
            "holder": "",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Post, post_id).title == "新名称"  # type: ignore[union-attr]
    assert client.post(f"/workforce/posts/{post_id}/delete").status_code == 302
    db.session.expire_all()
    assert db.session.scalar(select(Post.id).where(Post.id == post_id)) is None


def test_worker_may_not_add_posts(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    assert client.get("/workforce/posts/new").status_code == 403


def test_worker_of_the_unit_may_not_edit_posts(client: FlaskClient, login: Login) -> None:
    worker = WorkerFactory()
    post = PostFactory(unit=worker.unit)
    login(worker)
    assert client.get(f"/workforce/posts/{post.id}/edit").status_code == 403


def test_head_of_another_station_gets_404_on_a_post(client: FlaskClient, login: Login) -> None:
    post = PostFactory()
    login(StationHeadFactory())
    assert client.get(f"/workforce/posts/{post.id}/edit").status_code == 404
    assert client.post(f"/workforce/posts/{post.id}/delete").status_code == 404


def test_bureau_viewer_gets_403_on_posts(client: FlaskClient, login: Login) -> None:
    login(BureauViewerFactory())
    assert client.get("/workforce/posts/").status_code == 403
