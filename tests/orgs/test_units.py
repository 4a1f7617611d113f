"""The organisation tree and its rules."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from casework.extensions import db
from casework.orgs.models import Unit, UnitKind
from casework.orgs.services import InvalidParent, create_unit, units_in_subtree
from tests.conftest import Login
from tests.factories import AdminFactory, BureauFactory, CentreFactory, StationFactory


def test_unit_path_follows_the_tree(app) -> None:  # type: ignore[no-untyped-def]
    station = StationFactory()
    centre = station.parent
    assert station.path == f"{centre.path}{station.id}/"
    assert station.path.startswith(centre.parent.path)


def test_subtree_holds_the_unit_and_its_descendants_only(app) -> None:  # type: ignore[no-untyped-def]
    centre = CentreFactory()
    inside = StationFactory(parent=centre)
    outside = StationFactory()
    codes = {unit.code for unit in units_in_subtree(centre)}
    assert codes == {centre.code, inside.code}
    assert outside.code not in codes


def test_subtree_is_not_fooled_by_id_prefixes(app) -> None:  # type: ignore[no-untyped-def]
    """Unit 1's subtree must not include unit 12: paths end with a slash."""
    bureaus = [BureauFactory() for _ in range(12)]
    assert [unit.id for unit in units_in_subtree(bureaus[0])] == [bureaus[0].id]


def test_station_cannot_sit_directly_under_a_bureau(app) -> None:  # type: ignore[no-untyped-def]
    bureau = BureauFactory()
    with pytest.raises(InvalidParent):
        create_unit(actor_id=None, code="X1", name="站", kind=UnitKind.STATION, parent=bureau)


def test_admin_creates_a_station_under_a_centre(client: FlaskClient, login: Login) -> None:
    login(AdminFactory())
    centre = CentreFactory()
    response = client.post(
        "/units/new",
        data={
            "code": "CC-CQ-NEW",
            "name": "新社区社会工作服务站",
            "kind": "station",
            "parent_id": centre.id,
        },
    )
    assert response.status_code == 302
    unit = db.session.scalars(db.select(Unit).filter_by(code="CC-CQ-NEW")).one()
    assert unit.parent_id == centre.id


def test_invalid_parent_is_refused_with_input_kept(client: FlaskClient, login: Login) -> None:
    login(AdminFactory())
    bureau = BureauFactory()
    response = client.post(
        "/units/new",
        data={"code": "BAD-1", "name": "放错位置的站", "kind": "station", "parent_id": bureau.id},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "放错位置的站" in body
    assert db.session.scalar(db.select(Unit).filter_by(code="BAD-1")) is None


def test_duplicate_unit_code_is_refused(client: FlaskClient, login: Login) -> None:
    login(AdminFactory())
    BureauFactory(code="DUP")
    response = client.post(
        "/units/new", data={"code": "DUP", "name": "重复", "kind": "city_bureau", "parent_id": 0}
    )
    assert response.status_code == 422
    assert "该单位代码已存在" in response.get_data(as_text=True)
