"""The resources: what each answers, filters, cursor pages and the one error shape."""

from __future__ import annotations

from flask.testing import FlaskClient

from casework.cases import services as case_services
from casework.cases.enums import CaseStatus
from casework.core.clock import local_today
from casework.extensions import db
from casework.people.models import ConsentBasis
from tests.api.conftest import MakeToken, bearer
from tests.factories import (
    ActivityFactory,
    BureauViewerFactory,
    CaseFactory,
    HelpRequestFactory,
    ServiceUserFactory,
    StationHeadFactory,
    WorkerFactory,
    advance_case,
    running_group,
)


def test_me_names_the_tokens_owner_and_scope(client: FlaskClient, make_token: MakeToken) -> None:
    worker = WorkerFactory()
    body = client.get("/api/v1/me", headers=bearer(make_token(worker))).json
    assert (body["username"], body["unit"]["id"], body["token_scope"]) == (
        worker.username,
        worker.unit_id,
        "read",
    )


def test_cases_come_in_cursor_pages_without_overlap(
    client: FlaskClient, make_token: MakeToken
) -> None:
    first = CaseFactory()
    worker = first.worker
    others = [CaseFactory(service_user=ServiceUserFactory(unit=worker.unit), worker=worker)]
    others.append(CaseFactory(service_user=ServiceUserFactory(unit=worker.unit), worker=worker))
    headers = bearer(make_token(worker))
    page_one = client.get("/api/v1/cases?limit=2", headers=headers).json
    page_two = client.get(
        f"/api/v1/cases?limit=2&cursor={page_one['next_cursor']}", headers=headers
    ).json
    numbers = [item["number"] for item in page_one["items"] + page_two["items"]]
    assert (sorted(numbers), page_two["next_cursor"]) == (
        sorted(case.number for case in [first, *others]),
        None,
    )


def test_a_broken_cursor_is_refused_in_the_error_shape(
    client: FlaskClient, make_token: MakeToken
) -> None:
    response = client.get("/api/v1/cases?cursor=!!!", headers=bearer(make_token(WorkerFactory())))
    assert (response.status_code, list(response.json["error"]["fields"])) == (422, ["cursor"])


def test_a_limit_out_of_range_names_the_field(client: FlaskClient, make_token: MakeToken) -> None:
    response = client.get("/api/v1/cases?limit=1000", headers=bearer(make_token(WorkerFactory())))
    assert (response.status_code, list(response.json["error"]["fields"])) == (422, ["limit"])


def test_cases_filter_by_status(client: FlaskClient, make_token: MakeToken) -> None:
    case = advance_case(CaseFactory(), CaseStatus.ASSESSMENT)
    CaseFactory(service_user=ServiceUserFactory(unit=case.unit), worker=case.worker)
    body = client.get(
        "/api/v1/cases?status=assessment", headers=bearer(make_token(case.worker))
    ).json
    assert [item["id"] for item in body["items"]] == [case.id]


def test_a_case_comes_with_its_records_and_the_steps_allowed(
    client: FlaskClient, make_token: MakeToken
) -> None:
    case = advance_case(CaseFactory(), CaseStatus.INTERVENTION)
    body = client.get(f"/api/v1/cases/{case.id}", headers=bearer(make_token(case.worker))).json
    assert body["record"]["intake"]["presenting_problem"]
    assert "start_evaluation" in [step["action"] for step in body["steps"]]


def test_people_show_masked_numbers_only(client: FlaskClient, make_token: MakeToken) -> None:
    person = ServiceUserFactory()
    worker = WorkerFactory(unit=person.unit)
    response = client.get(f"/api/v1/people/{person.id}", headers=bearer(make_token(worker)))
    assert person.id_number not in response.get_data(as_text=True)
    assert response.json["masked_id_number"] == person.masked_id_number


def test_help_requests_list_the_stations_queue(client: FlaskClient, make_token: MakeToken) -> None:
    request = HelpRequestFactory()
    HelpRequestFactory()
    worker = WorkerFactory(unit=request.unit)
    body = client.get("/api/v1/help-requests", headers=bearer(make_token(worker))).json
    assert [item["tracking_code"] for item in body["items"]] == [request.tracking_code]


def test_a_group_comes_with_its_members_count(client: FlaskClient, make_token: MakeToken) -> None:
    group = running_group(members=2)
    body = client.get(
        f"/api/v1/groups/{group.id}", headers=bearer(make_token(group.facilitator))
    ).json
    assert (body["members"], body["sessions"]) == (2, [])


def test_statistics_answer_the_pages_headline_figures(
    client: FlaskClient, make_token: MakeToken
) -> None:
    case = CaseFactory()
    viewer = BureauViewerFactory(unit=case.unit.parent.parent)
    body = client.get("/api/v1/statistics", headers=bearer(make_token(viewer))).json
    keys = [figure["key"] for figure in body["figures"]]
    assert "cases.opened" in keys


def test_a_bureau_viewer_lists_no_cases(client: FlaskClient, make_token: MakeToken) -> None:
    response = client.get("/api/v1/cases", headers=bearer(make_token(BureauViewerFactory())))
    assert (response.status_code, response.json["error"]["code"]) == (403, "forbidden")


def test_an_unknown_path_answers_in_the_error_shape(client: FlaskClient) -> None:
    response = client.get("/api/v1/nothing-here")
    assert set(response.json["error"]) == {"code", "message", "fields"}


def test_the_openapi_document_is_3_1_and_generated_from_the_code(client: FlaskClient) -> None:
    body = client.get("/api/v1/openapi.json").json
    assert (body["openapi"], "/api/v1/cases/{case_id}" in body["paths"]) == ("3.1.0", True)


def test_the_reference_page_loads_only_vendored_assets(client: FlaskClient) -> None:
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in page
    assert "://" not in page


def test_a_head_lists_the_staff_of_their_unit_only(
    client: FlaskClient, make_token: MakeToken
) -> None:
    head = StationHeadFactory()
    worker = WorkerFactory(unit=head.unit)
    WorkerFactory()
    body = client.get("/api/v1/staff", headers=bearer(make_token(head))).json
    assert sorted(item["id"] for item in body["items"]) == sorted([head.id, worker.id])


def test_a_worker_lists_no_staff(client: FlaskClient, make_token: MakeToken) -> None:
    response = client.get("/api/v1/staff", headers=bearer(make_token(WorkerFactory())))
    assert response.status_code == 403


def test_activities_list_the_stations_own(client: FlaskClient, make_token: MakeToken) -> None:
    activity = ActivityFactory()
    ActivityFactory()
    worker = WorkerFactory(unit=activity.unit)
    body = client.get("/api/v1/activities", headers=bearer(make_token(worker))).json
    assert [item["id"] for item in body["items"]] == [activity.id]


def test_a_referral_received_shows_what_was_shared_and_not_the_case(
    client: FlaskClient, make_token: MakeToken
) -> None:
    case = CaseFactory()
    receiving = WorkerFactory()
    case_services.add_referral(
        actor=case.worker,
        case=case,
        referred_on=local_today(),
        to_unit=receiving.unit,
        to_agency=None,
        reason="需要长者日间照料",
        shared_information="独居，行动不便，需要助餐",
        consent_basis=ConsentBasis.WRITTEN,
    )
    db.session.commit()
    response = client.get("/api/v1/referrals/inbound", headers=bearer(make_token(receiving)))
    (item,) = response.json["items"]
    assert item["shared_information"] == "独居，行动不便，需要助餐"
    assert case.number not in response.get_data(as_text=True)


def test_a_cases_records_are_typed_in_the_document(client: FlaskClient) -> None:
    body = client.get("/api/v1/openapi.json").json
    record = body["components"]["schemas"]["CaseDetail"]["properties"]["record"]
    assert record["$ref"] == "#/components/schemas/CaseFile"


def test_a_plans_goals_come_with_their_dates_in_iso_form(
    client: FlaskClient, make_token: MakeToken
) -> None:
    case = advance_case(CaseFactory(), CaseStatus.INTERVENTION)
    body = client.get(f"/api/v1/cases/{case.id}", headers=bearer(make_token(case.worker))).json
    (plan,) = body["record"]["plans"]
    assert plan["goals"][0]["position"] == 1
    assert plan["decided_at"].endswith("+00:00")
