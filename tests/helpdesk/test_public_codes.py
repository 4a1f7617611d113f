"""Tracking codes: random, from the unambiguous alphabet, never sequential or repeated."""

from __future__ import annotations

from flask.testing import FlaskClient
from sqlalchemy import select

from casework.extensions import db
from casework.helpdesk.models import HelpRequest
from casework.helpdesk.services import CODE_ALPHABET, CODE_LENGTH, new_tracking_code
from casework.orgs.models import Unit


def test_new_code_has_the_length_and_only_the_alphabet() -> None:
    codes = [new_tracking_code() for _draw in range(200)]
    assert all(len(code) == CODE_LENGTH for code in codes)
    assert set("".join(codes)) <= set(CODE_ALPHABET)


def test_alphabet_has_no_characters_that_are_easy_to_confuse() -> None:
    assert not set("01ILO") & set(CODE_ALPHABET)


def test_a_thousand_codes_are_all_distinct() -> None:
    codes = {new_tracking_code() for _draw in range(1000)}
    assert len(codes) == 1000


def test_many_submissions_through_the_form_get_distinct_codes(
    client: FlaskClient, station: Unit
) -> None:
    data = {
        "station": str(station.id),
        "category": "other",
        "description": "小区里的健身器材坏了，希望有人来修",
        "contact_preference": "online_only",
        "consent": "y",
    }
    statuses = {client.post("/help", data=data).status_code for _submission in range(40)}
    codes = list(db.session.scalars(select(HelpRequest.tracking_code)))
    assert statuses == {303}
    assert len(codes) == len(set(codes)) == 40
