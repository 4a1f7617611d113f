"""Keyset pagination: the same rows as offsets, in the same order, with plain page links."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from werkzeug.datastructures import MultiDict

from casework.cases import queries
from casework.cases.enums import CaseStatus, RiskLevel
from casework.cases.models import Case
from casework.core.clock import local_today
from casework.core.pagination import keyset_paginate
from casework.extensions import db
from casework.people.models import ServiceUser
from tests.conftest import Login
from tests.factories import (
    CaseFactory,
    ServiceUserFactory,
    StationFactory,
    StationHeadFactory,
    WorkerFactory,
)


def _cases(count: int) -> None:
    station = StationFactory()
    worker = WorkerFactory(unit=station)
    for index in range(count):
        CaseFactory(
            service_user=ServiceUserFactory(unit=station),
            worker=worker,
            # Repeated dates and risks, so the tie-breaking id matters.
            opened_on=local_today() - timedelta(days=index % 3),
            risk_level=(RiskLevel.LOW, RiskLevel.MEDIUM, RiskLevel.HIGH)[index % 3],
        )
    db.session.execute(db.update(Case).where(Case.id % 2 == 0).values(status=CaseStatus.ASSESSMENT))
    db.session.commit()


def _walk(sort: str, per_page: int) -> tuple[list[int], list[list[int]]]:
    """Every page following the "next" cursors, then back with the "previous" cursors."""
    keys = queries.SORT_KEYS[sort]
    query = select(Case)
    args: dict[str, object] = {}
    forward: list[list[int]] = []
    while True:
        page = keyset_paginate(query, keys=keys, id_column=Case.id, args=args, per_page=per_page)
        forward.append([case.id for case in page.items])
        if not page.has_next:
            break
        args = {"page": page.next_num, **page.next_args}
    backward: list[list[int]] = [forward[-1]]
    while page.has_prev:
        args = {"page": page.prev_num, **page.prev_args}
        page = keyset_paginate(query, keys=keys, id_column=Case.id, args=args, per_page=per_page)
        backward.append([case.id for case in page.items])
    return [row for chunk in forward for row in chunk], [*reversed(backward)]


@pytest.mark.parametrize("sort", ["opened", "number", "risk", "status"])
def test_cursor_pages_match_the_full_order(app: Flask, sort: str) -> None:
    _cases(7)
    expected = list(db.session.scalars(select(Case.id).order_by(*queries.SORTS[sort])))
    rows, pages_back = _walk(sort, per_page=3)
    assert rows == expected
    assert [row for chunk in pages_back for row in chunk] == expected


def test_nullable_sort_pages_by_offset(app: Flask) -> None:
    _cases(5)
    page = keyset_paginate(
        select(Case),
        keys=queries.SORT_KEYS["last_service"],
        id_column=Case.id,
        args={"page": 2},
        per_page=2,
    )
    expected = list(db.session.scalars(select(Case.id).order_by(*queries.SORTS["last_service"])))
    assert [case.id for case in page.items] == expected[2:4]
    assert page.next_args == {}


def test_a_plain_page_number_still_works(app: Flask) -> None:
    _cases(5)
    args = MultiDict({"page": "2"})
    page = keyset_paginate(
        select(Case), keys=queries.SORT_KEYS["opened"], id_column=Case.id, args=args, per_page=2
    )
    expected = list(db.session.scalars(select(Case.id).order_by(*queries.SORTS["opened"])))
    assert [case.id for case in page.items] == expected[2:4]
    assert (page.page, page.pages, page.total) == (2, 3, 5)


def test_caseload_next_link_carries_the_last_row(client: FlaskClient, login: Login) -> None:
    station = StationFactory()
    head = StationHeadFactory(unit=station)
    for _index in range(26):
        CaseFactory(service_user=ServiceUserFactory(unit=station), worker=head)
    login(head)
    first = client.get("/cases/?sort=number").get_data(as_text=True)
    link = re.search(r'href="(/cases/\?[^"]*after=\d+[^"]*)"', first)
    assert link is not None
    second = client.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    numbers = re.findall(r">(U\d+-\d{4}-\d{4})<", second)
    assert numbers == [f"{station.code}-{local_today().year}-0026"]


def test_person_list_links_carry_no_names(client: FlaskClient, login: Login) -> None:
    station = StationFactory()
    head = StationHeadFactory(unit=station)
    for index in range(26):
        ServiceUserFactory(unit=station, name=f"王秀英{index:02d}")
    login(head)
    body = client.get("/people/").get_data(as_text=True)
    links = re.findall(r'href="(/people/\?[^"]*)"', body)
    assert links
    assert all("%E7%8E%8B" not in link and "王" not in link for link in links)
    last = db.session.scalars(select(ServiceUser).order_by(ServiceUser.name.desc())).first()
    assert last is not None
    follow = client.get(links[-1].replace("&amp;", "&")).get_data(as_text=True)
    assert last.name in follow


def test_a_cursor_outside_the_scope_is_ignored(app: Flask) -> None:
    _cases(5)
    outside = CaseFactory()
    scope = select(Case).where(Case.unit_id != outside.unit_id)
    page = keyset_paginate(
        scope,
        keys=queries.SORT_KEYS["opened"],
        id_column=Case.id,
        args={"page": 1, "after": outside.id},
        per_page=2,
    )
    expected = list(
        db.session.scalars(scope.with_only_columns(Case.id).order_by(*queries.SORTS["opened"]))
    )
    assert [case.id for case in page.items] == expected[:2]
