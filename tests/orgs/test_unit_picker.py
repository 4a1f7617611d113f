"""Choosing a unit among thousands: near ones first, any by name or code, never all at once."""

from __future__ import annotations

from typing import Any

from flask.testing import FlaskClient
from sqlalchemy import select

from casework.orgs import picker
from casework.orgs.models import Unit
from tests.conftest import Login
from tests.factories import CaseFactory, CentreFactory, StationFactory


def _neighbour(case: Any) -> Unit:
    """A station under the same street centre as the case's."""
    return StationFactory(parent=case.unit.parent, name="西解放社区社会工作服务站")


def _far() -> Unit:
    """A station in another city."""
    return StationFactory(name="远方社区社会工作服务站")


def _transfer_page(client: FlaskClient, case: Any, query: str = "") -> str:
    return client.get(f"/cases/{case.id}/transfer{query}").get_data(as_text=True)


def test_without_a_search_the_units_near_the_case_are_offered(
    client: FlaskClient, login: Login
) -> None:
    case = CaseFactory()
    neighbour = _neighbour(case)
    login(case.worker)
    assert f'value="{neighbour.id}"' in _transfer_page(client, case)


def test_without_a_search_a_far_unit_is_not_offered(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    far = _far()
    login(case.worker)
    assert f'value="{far.id}"' not in _transfer_page(client, case)


def test_a_search_finds_a_far_unit_by_name(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    far = _far()
    login(case.worker)
    assert f'value="{far.id}"' in _transfer_page(client, case, "?unit_q=远方")


def test_a_search_finds_a_unit_by_code(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    far = _far()
    login(case.worker)
    page = _transfer_page(client, case, f"?unit_q={far.code.lower()}")
    assert f'value="{far.id}"' in page


def test_a_form_shown_again_keeps_the_chosen_far_unit(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    far = _far()
    login(case.worker)
    response = client.post(
        f"/cases/{case.id}/transfer",
        data={"to_unit_id": str(far.id), "reason": "", "handover_note": "交接"},
    )
    assert response.status_code == 422
    assert f'<option selected value="{far.id}">' in response.get_data(as_text=True)


def test_a_huge_unit_id_is_refused_plainly(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    login(case.worker)
    response = client.post(
        f"/cases/{case.id}/transfer",
        data={"to_unit_id": str(2**70), "reason": "搬家", "handover_note": "交接"},
    )
    assert response.status_code == 422


def test_no_more_than_the_limit_is_offered(app: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(picker, "LIMIT", 3)
    centre = CentreFactory()
    stations = [StationFactory(parent=centre) for _ in range(5)]
    found = picker.pick_units(
        select(Unit).where(Unit.parent_id == centre.id),
        near=stations[0],
        term="",
        chosen=None,
    )
    assert (len(found.choices), found.more) == (3, True)


def test_a_referral_finds_a_far_unit_by_name(client: FlaskClient, login: Login) -> None:
    case = CaseFactory()
    far = _far()
    login(case.worker)
    page = client.get(f"/cases/{case.id}/referrals/new?unit_q=远方").get_data(as_text=True)
    assert f'value="{far.id}"' in page
