"""Photos and documents of community activities follow the same rules as case files."""

from __future__ import annotations

from flask.testing import FlaskClient

from casework.attachments.models import Attachment
from casework.extensions import db
from tests.attachments.test_attachments import download, png_bytes, post_file
from tests.conftest import Login
from tests.factories import ActivityFactory, StationFactory, TutorFactory, WorkerFactory


def _stored() -> list[Attachment]:
    return list(db.session.scalars(db.select(Attachment)))


def test_organisers_unit_uploads_a_photo_to_an_activity(client: FlaskClient, login: Login) -> None:
    activity = ActivityFactory()
    login(WorkerFactory(unit=activity.unit))
    response = post_file(client, f"/activities/{activity.id}/attachments", png_bytes(), "义诊.png")
    assert response.headers["Location"] == f"/activities/{activity.id}"
    assert [a.activity_id for a in _stored()] == [activity.id]


def test_activity_page_lists_its_photos(client: FlaskClient, login: Login) -> None:
    activity = ActivityFactory()
    login(activity.organiser)
    post_file(client, f"/activities/{activity.id}/attachments", png_bytes(), "义诊现场.png")
    assert "义诊现场.png" in client.get(f"/activities/{activity.id}").get_data(as_text=True)


def test_worker_of_another_station_cannot_upload_to_an_activity(
    client: FlaskClient, login: Login
) -> None:
    activity = ActivityFactory()
    login(WorkerFactory(unit=StationFactory()))
    response = post_file(client, f"/activities/{activity.id}/attachments", png_bytes(), "x.png")
    assert response.status_code == 404
    assert _stored() == []


def test_worker_of_another_station_cannot_download_an_activity_photo(
    client: FlaskClient, login: Login
) -> None:
    activity = ActivityFactory()
    login(activity.organiser)
    post_file(client, f"/activities/{activity.id}/attachments", png_bytes(), "x.png")
    (photo,) = _stored()
    client.post("/logout")
    login(WorkerFactory(unit=StationFactory()))
    assert download(client, photo.id).status_code == 404


def test_tutor_of_the_unit_may_view_but_not_upload(client: FlaskClient, login: Login) -> None:
    activity = ActivityFactory()
    login(TutorFactory(supervised_units=[activity.unit]))
    response = post_file(client, f"/activities/{activity.id}/attachments", png_bytes(), "x.png")
    assert response.status_code == 403
