"""A staff form sent back with problems lists them first, each linked to its field."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from tests.conftest import Login
from tests.factories import WorkerFactory

SUMMARY = re.compile(r'<div class="alert alert-danger" id="error-summary"[^>]*>(.*?)</div>', re.S)


def test_a_staff_form_sent_empty_lists_its_problems_with_links_to_the_fields(
    client: FlaskClient, login: Login
) -> None:
    login(WorkerFactory())
    response = client.post("/people/new", data={})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    match = SUMMARY.search(html)
    assert match is not None
    summary = match.group(0)
    assert 'tabindex="-1"' in summary
    assert "data-error-summary" in summary
    assert 'role="alert"' not in summary
    assert "<h2" in match.group(1)
    targets = re.findall(r'href="#([^"]+)"', match.group(1))
    assert "name" in targets
    for target in targets:  # every link lands on a control of the page
        assert f'id="{target}"' in html
    assert html.count('id="error-summary"') == 1


def test_a_staff_form_first_shown_has_no_summary(client: FlaskClient, login: Login) -> None:
    login(WorkerFactory())
    assert 'id="error-summary"' not in client.get("/people/new").get_data(as_text=True)
