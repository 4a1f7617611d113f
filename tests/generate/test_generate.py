"""``flask casework generate``: consistent, reproducible data, and never onto real data."""

from __future__ import annotations

import hashlib
import itertools
from collections import defaultdict
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select, text

from casework.cases import lifecycle
from casework.cases.enums import CaseStatus
from casework.cases.models import Case, CaseTransition, ServiceRecord
from casework.core.audit_chain import guard_lifted
from casework.core.crypto import EncryptedText
from casework.extensions import db
from casework.generate.marker import generated_dataset
from casework.generate.scales import SCALES, STAFF_PASSWORD
from casework.helpdesk.models import HelpRequest
from casework.orgs.models import Unit, UnitKind
from casework.people import idcard
from casework.people.models import Gender, ServiceUser
from tests import factories

AS_OF = "2026-11-01"
STATION = SCALES["station"]


def generate(app: Flask, *extra: str, seed: str = "7") -> Any:
    args = ["casework", "generate", "--scale", "station", "--seed", seed, "--as-of", AS_OF]
    return app.test_cli_runner().invoke(args=[*args, "--no-search-index", *extra])


@pytest.fixture
def generated(app: Flask) -> Flask:
    result = generate(app)
    assert result.exit_code == 0, result.output
    return app


def _count(model: Any) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def test_counts_are_near_the_scale(generated: Flask) -> None:
    assert STATION.service_users * 0.8 <= _count(ServiceUser) <= STATION.service_users * 1.2
    assert STATION.cases * 0.9 <= _count(Case) <= STATION.cases * 1.1
    records = _count(ServiceRecord)
    assert STATION.service_records * 0.7 <= records <= STATION.service_records * 1.6
    assert STATION.help_requests * 0.8 <= _count(HelpRequest) <= STATION.help_requests * 1.2


def test_every_status_of_the_lifecycle_occurs(generated: Flask) -> None:
    statuses = set(db.session.scalars(select(Case.status).distinct()))
    common = {
        CaseStatus.INTAKE,
        CaseStatus.ASSESSMENT,
        CaseStatus.INTERVENTION,
        CaseStatus.CLOSED,
        CaseStatus.DECLINED,
    }
    assert common <= statuses


def test_transitions_follow_the_lifecycle_to_the_case_status(generated: Flask) -> None:
    chains: dict[int, list[CaseTransition]] = defaultdict(list)
    for transition in db.session.scalars(select(CaseTransition).order_by(CaseTransition.id)):
        chains[transition.case_id].append(transition)
    for case in db.session.scalars(select(Case)):
        chain = chains[case.id]
        assert chain[0].action == "open"
        assert chain[0].from_status is None
        for before, step in itertools.pairwise(chain):
            rule = lifecycle.STEPS[step.action]
            assert step.from_status == before.to_status
            assert step.from_status in rule.sources
            assert rule.target is None or step.to_status == rule.target
            assert step.at >= before.at or step.at.date() == before.at.date()
        assert chain[-1].to_status == case.status


def test_records_exist_only_where_the_status_allows_them(generated: Flask) -> None:
    with_records = set(db.session.scalars(select(ServiceRecord.case_id).distinct()))
    for case in db.session.scalars(select(Case).where(Case.id.in_(with_records))):
        assert case.status not in (CaseStatus.INTAKE, CaseStatus.DECLINED)
        assert case.last_service_on is not None
    for case in db.session.scalars(select(Case)):
        closed = case.status in (CaseStatus.CLOSED, CaseStatus.FOLLOW_UP, CaseStatus.DECLINED)
        assert (case.closed_on is not None) == closed
        if case.status is CaseStatus.INTERVENTION:
            assert case.approved_plan is not None
        if case.status in (CaseStatus.CLOSED, CaseStatus.CLOSURE_PENDING_APPROVAL):
            assert case.closure is not None


def test_record_dates_lie_within_the_case(generated: Flask) -> None:
    rows = db.session.execute(
        select(ServiceRecord.served_on, Case.opened_on).join(Case, Case.id == ServiceRecord.case_id)
    ).all()
    assert rows
    for served_on, opened_on in rows:
        assert opened_on <= served_on <= date.fromisoformat(AS_OF)


def test_each_station_has_a_case_with_fifty_records(generated: Flask) -> None:
    long_cases = db.session.execute(
        select(Case.unit_id)
        .join(ServiceRecord, ServiceRecord.case_id == Case.id)
        .group_by(Case.id, Case.unit_id)
        .having(func.count() >= 50)
    ).all()
    stations = _count(select(Unit).where(Unit.kind == UnitKind.STATION).subquery())
    assert len({unit_id for (unit_id,) in long_cases}) == stations


def test_id_numbers_are_valid_and_match_birth_and_gender(generated: Flask) -> None:
    people = list(db.session.scalars(select(ServiceUser).where(ServiceUser.id_number.is_not(None))))
    assert people
    for person in people:
        number = person.id_number or ""
        assert idcard.is_valid(number), number
        assert idcard.birth_date_of(number) == person.birth_date
        assert idcard.is_male(number) == (person.gender is Gender.MALE)


def test_phone_numbers_are_mobile_numbers(generated: Flask) -> None:
    phones = db.session.scalars(select(ServiceUser.phone).where(ServiceUser.phone.is_not(None)))
    for phone in phones:
        assert phone is not None
        assert len(phone) == 11
        assert phone.startswith("1")


def test_the_tree_carries_the_generated_marker(generated: Flask) -> None:
    with db.engine.connect() as connection:
        dataset = generated_dataset(connection)
    assert dataset is not None
    assert dataset.scale == "station"
    assert dataset.seed == 7


def test_generated_staff_sign_in_with_the_documented_password(generated: Flask) -> None:
    client = generated.test_client()
    response = client.post(
        "/login", data={"username": "worker-g0101-01-01-1", "password": STAFF_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/cases/mine").status_code == 200


def _fingerprint() -> str:
    digest = hashlib.sha256()
    for table in ("units", "users", "service_users", "cases", "service_records", "help_requests"):
        # Encrypted columns differ by their random nonces; their blind indexes do not.
        columns = [
            c.name
            for c in db.metadata.tables[table].columns
            if c.name != "password_hash" and not isinstance(c.type, EncryptedText)
        ]
        statement = text(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id")  # noqa: S608
        for row in db.session.execute(statement):
            digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _empty() -> None:
    db.session.remove()
    with db.engine.begin() as connection, guard_lifted(connection):  # the audit log, too
        for table in reversed(db.metadata.sorted_tables):
            connection.execute(table.delete())


def test_the_same_seed_gives_the_same_data(app: Flask) -> None:
    assert generate(app).exit_code == 0
    first = _fingerprint()
    _empty()
    assert generate(app).exit_code == 0
    assert _fingerprint() == first


def test_another_seed_gives_other_data(app: Flask) -> None:
    assert generate(app).exit_code == 0
    first = _fingerprint()
    _empty()
    assert generate(app, seed="8").exit_code == 0
    assert _fingerprint() != first


def test_refuses_a_database_with_real_data(app: Flask) -> None:
    factories.ServiceUserFactory()
    db.session.commit()
    result = generate(app)
    assert result.exit_code != 0
    assert "not generated" in result.output
    assert _count(ServiceUser) == 1
    assert _count(Case) == 0


def test_refuses_a_database_with_a_real_organisation_tree(app: Flask) -> None:
    factories.StationFactory()
    db.session.commit()
    result = generate(app)
    assert result.exit_code != 0
    assert _count(ServiceUser) == 0


def test_refuses_to_append_to_a_generated_database(generated: Flask) -> None:
    cases = _count(Case)
    result = generate(generated, seed="9")
    assert result.exit_code != 0
    assert "already holds a generated dataset" in result.output
    assert _count(Case) == cases


def test_a_real_unit_beside_a_generated_tree_is_not_generated(generated: Flask) -> None:
    db.session.add(Unit(code="REAL", name="真实单位", kind=UnitKind.CITY_BUREAU, path="/999/"))
    db.session.commit()
    with db.engine.connect() as connection:
        assert generated_dataset(connection) is None


def test_reference_tags_alone_do_not_count_as_data(app: Flask) -> None:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["casework", "load-reference"]).exit_code == 0
    result = generate(app)
    assert result.exit_code == 0, result.output


def test_every_foreign_key_points_at_a_row(generated: Flask) -> None:
    for table in db.metadata.sorted_tables:
        for key in table.foreign_keys:
            child, parent = key.parent, key.column
            orphans = db.session.scalar(
                select(func.count())
                .select_from(table)
                .where(child.is_not(None), child.not_in(select(parent)))
            )
            assert orphans == 0, f"{table.name}.{child.name}"


def _identifiers() -> dict[int, tuple[str | None, str | None, str | None]]:
    db.session.expire_all()
    return {
        person.id: (person.id_number, person.phone, person.address)
        for person in db.session.scalars(db.select(ServiceUser))
    }


def test_key_rotation_round_trips_the_generated_data(generated: Flask) -> None:
    before = _identifiers()
    generated.config.update(DATA_KEY_PREVIOUS=generated.config["DATA_KEY"], DATA_KEY="cd" * 32)
    result = generated.test_cli_runner().invoke(args=["casework", "rotate-data-key"])
    assert result.exit_code == 0, result.output
    generated.config["DATA_KEY_PREVIOUS"] = ""  # the old key is gone: everything moved
    assert _identifiers() == before
