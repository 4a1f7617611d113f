"""The project forms carry a CSRF token and refuse a post without one."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask

from casework.extensions import db
from casework.projects.models import Project
from tests.factories import PASSWORD, AgencyFactory, BureauViewerFactory, ProjectFactory


def test_a_fund_posted_without_a_csrf_token_is_refused(make_app: Callable[..., Flask]) -> None:
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        project = ProjectFactory(agency=AgencyFactory())
        viewer = BureauViewerFactory(unit=project.purchaser)
        username, project_id = viewer.username, project.id
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert token
    client.post("/login", data={"username": username, "password": PASSWORD, "csrf_token": token[1]})
    detail = client.get(f"/projects/{project_id}").get_data(as_text=True)
    assert 'name="csrf_token"' in detail
    data = {"source": "fiscal", "amount": "100.00", "received_on": "2026-06-01"}
    assert client.post(f"/projects/{project_id}/funds", data=data).status_code == 400
    with app.app_context():
        assert db.session.get(Project, project_id).funds == []  # type: ignore[union-attr]
