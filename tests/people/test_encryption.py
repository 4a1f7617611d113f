"""Identifiers at rest: ciphertext in the database, found by blind index and hashed grams."""

from __future__ import annotations

import subprocess
from datetime import date
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text
from sqlalchemy.engine import make_url

from casework.core import crypto, keyrotation
from casework.extensions import db
from casework.people import services
from casework.people.models import ServiceUser
from casework.people.permissions import people_visible_to
from tests.conftest import Login
from tests.factories import (
    HelpRequestFactory,
    ServiceUserFactory,
    VolunteerFactory,
    WorkerFactory,
    WorkerProfileFactory,
    make_id_number,
)

ID_NUMBER = "220102195603141234"
PHONE = "13912345678"
NEW_KEY = "ab" * 32
STAFF_ID = make_id_number(date(1980, 1, 1), serial=123)


def _raw(column: str, person_id: int) -> Any:
    statement = text(f"SELECT {column} FROM service_users WHERE id = :id")  # noqa: S608
    return db.session.execute(statement, {"id": person_id}).scalar_one()


def _person() -> ServiceUser:
    return ServiceUserFactory(id_number=ID_NUMBER, phone=PHONE, address="湖西路 8 号 3 单元")


@pytest.mark.parametrize("column", ["id_number", "phone", "address"])
def test_identifiers_are_ciphertext_in_the_table(app: Flask, column: str) -> None:
    person = _person()
    stored = _raw(column, person.id)
    assert stored.startswith("v1:")
    assert getattr(person, column) not in stored


def test_the_model_reads_the_plain_values(app: Flask) -> None:
    person_id = _person().id
    db.session.expire_all()
    person = db.session.get(ServiceUser, person_id)
    assert (person.id_number, person.phone) == (ID_NUMBER, PHONE)  # type: ignore[union-attr]


def test_the_same_number_encrypts_differently_each_time(app: Flask) -> None:
    assert crypto.encrypt(PHONE, "phone") != crypto.encrypt(PHONE, "phone")


def test_a_value_moved_to_another_column_does_not_decrypt(app: Flask) -> None:
    with pytest.raises(crypto.DataKeyError):
        crypto.decrypt(crypto.encrypt(PHONE, "phone"), "id_number")


def _dump() -> str:
    """The whole database as the owner's dump tool writes it."""
    if db.engine.dialect.name == "sqlite":
        raw: Any = db.engine.raw_connection()
        try:
            return "\n".join(raw.driver_connection.iterdump())
        finally:
            raw.close()
    url = make_url(db.engine.url.render_as_string(hide_password=False))
    command = ["pg_dump", "-h", url.host or "127.0.0.1", "-U", url.username or "postgres"]
    return subprocess.run(  # noqa: S603  (the PostgreSQL client, fixed arguments)
        [*command, url.database or ""], capture_output=True, text=True, check=True
    ).stdout


def test_a_database_dump_holds_no_id_or_phone_number(app: Flask) -> None:
    person = _person()
    HelpRequestFactory(unit=person.unit, phone="13700001111")
    VolunteerFactory(unit=person.unit, phone="13600002222")
    WorkerProfileFactory(unit=person.unit, id_number=STAFF_ID, phone="13500003333")
    db.session.commit()
    dump = _dump()
    numbers = [ID_NUMBER, PHONE, "13700001111", "13600002222", STAFF_ID, "13500003333"]
    assert [number for number in numbers if number in dump] == []


def test_the_search_index_holds_no_digits_of_the_numbers(app: Flask) -> None:
    person = _person()
    tokens = db.session.execute(
        text(
            "SELECT tokens FROM search_documents WHERE entity_id = :id AND kind = 'service_users'"
        ),
        {"id": person.id},
    ).scalar_one()
    assert [gram for gram in ("1956", "1234", "1391", "5678") if gram in tokens.split()] == []


def test_duplicate_detection_finds_the_id_number(app: Flask) -> None:
    person = _person()
    worker = WorkerFactory(unit=person.unit)
    found = services.find_possible_duplicates(
        people_visible_to(worker), name="别人", birth_date=None, id_number=ID_NUMBER.lower()
    )
    assert [p.id for p in found] == [person.id]


def test_a_four_digit_fragment_finds_the_person_in_search(
    client: FlaskClient, login: Login
) -> None:
    person = _person()
    login(WorkerFactory(unit=person.unit))
    page = client.post("/search/", data={"q": "5678"}).get_data(as_text=True)
    assert f"/people/{person.id}" in page


def test_the_people_list_filter_finds_a_fragment(client: FlaskClient, login: Login) -> None:
    person = _person()
    other = ServiceUserFactory(unit=person.unit)
    login(WorkerFactory(unit=person.unit))
    page = client.get("/people/?q=03141234").get_data(as_text=True)
    assert (f"/people/{person.id}" in page, f'/people/{other.id}"' in page) == (True, False)


def test_the_people_list_filter_finds_a_whole_phone_number(
    client: FlaskClient, login: Login
) -> None:
    person = _person()
    login(WorkerFactory(unit=person.unit))
    assert f"/people/{person.id}" in client.get(f"/people/?q={PHONE}").get_data(as_text=True)


# --- key rotation ------------------------------------------------------------------------


def _rotate_to_new_key(app: Flask) -> Any:
    app.config.update(DATA_KEY_PREVIOUS=app.config["DATA_KEY"], DATA_KEY=NEW_KEY)
    return app.test_cli_runner().invoke(args=["casework", "rotate-data-key"])


def test_rotation_moves_every_value_to_the_new_key(app: Flask) -> None:
    person_id = _person().id
    _rotate_to_new_key(app)
    assert crypto.key_id_of(_raw("phone", person_id)) == crypto.parse_key(NEW_KEY).id


def test_after_rotation_the_old_key_is_no_longer_needed(app: Flask) -> None:
    person_id = _person().id
    _rotate_to_new_key(app)
    app.config["DATA_KEY_PREVIOUS"] = ""
    db.session.expire_all()
    assert db.session.get(ServiceUser, person_id).id_number == ID_NUMBER  # type: ignore[union-attr]


def test_after_rotation_the_blind_index_still_finds_the_person(app: Flask) -> None:
    person = _person()
    _rotate_to_new_key(app)
    app.config["DATA_KEY_PREVIOUS"] = ""
    found = services.find_possible_duplicates(
        people_visible_to(WorkerFactory(unit=person.unit)),
        name="",
        birth_date=None,
        id_number=ID_NUMBER,
    )
    assert [p.id for p in found] == [person.id]


def test_after_rotation_a_fragment_still_finds_the_person(
    app: Flask, client: FlaskClient, login: Login
) -> None:
    person = _person()
    worker = WorkerFactory(unit=person.unit)
    _rotate_to_new_key(app)
    login(worker)
    assert f"/people/{person.id}" in client.post("/search/", data={"q": "5678"}).get_data(True)


def test_a_stopped_rotation_carries_on_where_it_stopped(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [ServiceUserFactory().id for _ in range(3)]
    app.config.update(DATA_KEY_PREVIOUS=app.config["DATA_KEY"], DATA_KEY=NEW_KEY)
    monkeypatch.setattr(keyrotation, "BATCH", 1)

    def stop(_table: str, _count: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        keyrotation.rotate(stop)
    keyrotation.rotate()
    new_id = crypto.parse_key(NEW_KEY).id
    assert {crypto.key_id_of(_raw("phone", person_id)) for person_id in ids} == {new_id}


def test_rotation_without_the_old_key_is_refused(app: Flask) -> None:
    result = app.test_cli_runner().invoke(args=["casework", "rotate-data-key"])
    assert (result.exit_code, "DATA_KEY_PREVIOUS is not set" in result.output) == (1, True)
