"""Every response that shows someone's identifying data leaves an audit entry naming them.

The demo is crawled as each role would click through it: every link on every page, one
address per endpoint and query shape. Whatever a page, download, PDF or export shows of a
person (a name, an ID or phone number, masked or not, a case number) must be among the
records the request's ``personal_data.view`` entries list.
"""

from __future__ import annotations

import io
from collections import deque
from collections.abc import Iterator
from urllib.parse import parse_qsl, urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import func, select
from werkzeug.exceptions import HTTPException

from casework.accounts.models import User
from casework.activities.models import activity_participants
from casework.cases.models import Case
from casework.core.audit import AuditEntry
from casework.core.disclosure import AuditDisclosure
from casework.core.masking import mask_id_number, mask_phone
from casework.demo import DEMO_PASSWORD
from casework.extensions import db
from casework.groups.models import GroupMember
from casework.helpdesk.models import HelpRequest
from casework.orgs.models import Unit
from casework.people.models import ServiceUser
from casework.supervision.models import supervision_cases
from casework.volunteers.models import Volunteer
from casework.workforce.models import WorkerProfile

Record = tuple[str, int]

# Pages are not opened twice for the same endpoint and the same query parameter names.
SKIP_PATHS = ("/logout", "/static/", "/help", "/locale")


def _strings(*values: str | None) -> Iterator[str]:
    for value in values:
        if value and len(value) >= 2:
            yield "".join(value.split())


def _identifying_strings(viewer: User) -> dict[str, set[Record]]:
    """Each string that identifies someone, and the records it belongs to."""
    everyone: dict[str, set[Record]] = {}

    def add(record: Record, *values: str | None) -> None:
        for text in _strings(*values):
            everyone.setdefault(text, set()).add(record)

    for person in db.session.scalars(select(ServiceUser)):
        add(
            ("service_users", person.id),
            person.name,
            person.id_number,
            mask_id_number(person.id_number),
            person.phone,
            mask_phone(person.phone),
        )
    for case in db.session.scalars(select(Case)):
        add(("cases", case.id), case.number)
    for request in db.session.scalars(select(HelpRequest)):
        add(("help_requests", request.id), request.name, request.phone, mask_phone(request.phone))
    for volunteer in db.session.scalars(select(Volunteer)):
        add(
            ("volunteers", volunteer.id),
            volunteer.name,
            volunteer.phone,
            mask_phone(volunteer.phone),
        )
    for profile in db.session.scalars(select(WorkerProfile)):
        if profile.user_id == viewer.id:
            continue  # one's own file is not audited
        # Staff names are on every page (who recorded what); their numbers identify the file.
        add(
            ("worker_profiles", profile.id),
            profile.id_number,
            mask_id_number(profile.id_number),
            profile.phone,
            mask_phone(profile.phone),
        )
    # A name in a group's, an activity's or a supervision record's own text ("协助赵志刚上下楼")
    # is accounted for by that record, which the audit entry lists.
    containers = _containers()
    everyone = {
        text: records | {c for record in records for c in containers.get(record, ())}
        for text, records in everyone.items()
    }
    # Words that are also a staff member's or a unit's name prove nothing.
    common = {"".join(name.split()) for name in db.session.scalars(select(User.display_name))}
    common |= {"".join(name.split()) for name in db.session.scalars(select(Unit.name))}
    return {text: records for text, records in everyone.items() if text not in common}


def _containers() -> dict[Record, set[Record]]:
    """The groups, activities and supervision records each person's or case's data is in."""
    found: dict[Record, set[Record]] = {}
    for person_id, group_id in db.session.execute(
        select(GroupMember.service_user_id, GroupMember.group_id)
    ):
        found.setdefault(("service_users", person_id), set()).add(("groups", group_id))
    for person_id, activity_id in db.session.execute(
        select(activity_participants.c.service_user_id, activity_participants.c.activity_id)
    ):
        found.setdefault(("service_users", person_id), set()).add(
            ("community_activities", activity_id)
        )
    for person_id, case_id, supervision_id in db.session.execute(
        select(Case.service_user_id, Case.id, supervision_cases.c.supervision_id).join(
            supervision_cases, supervision_cases.c.case_id == Case.id
        )
    ):
        for record in (("service_users", person_id), ("cases", case_id)):
            found.setdefault(record, set()).add(("supervision_sessions", supervision_id))
    return found


def _text_of(response: object) -> str:
    body: bytes = response.get_data()  # type: ignore[attr-defined]
    kind: str = response.mimetype  # type: ignore[attr-defined]
    if kind == "application/pdf":
        text = "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(body)).pages)
    elif kind.endswith("spreadsheetml.sheet"):
        book = load_workbook(io.BytesIO(body), read_only=True)
        text = " ".join(
            str(cell)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for cell in row
            if cell is not None
        )
    else:
        text = body.decode("utf-8-sig", errors="replace")
    return "".join(text.split())


def _links(html: str, here: str) -> Iterator[str]:
    for anchor in BeautifulSoup(html, "html.parser").find_all("a", href=True):
        href = str(anchor["href"])
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or href.startswith("#"):
            continue
        path = parts.path or urlsplit(here).path
        if not path.startswith("/") or path.startswith(SKIP_PATHS):
            continue
        yield path + (f"?{parts.query}" if parts.query else "")


def _shape(app: Flask, url: str) -> tuple[str, tuple[str, ...]] | None:
    """The endpoint and query parameter names a URL opens: one visit per shape."""
    parts = urlsplit(url)
    try:
        endpoint, _args = app.url_map.bind("localhost").match(parts.path, method="GET")
    except HTTPException:  # a link to a page that does not take GET, or a redirect
        return None
    names = tuple(sorted({name for name, _value in parse_qsl(parts.query) if name != "page"}))
    return str(endpoint), names


def _disclosed_since(entry_id: int) -> set[Record]:
    rows = db.session.execute(
        select(AuditDisclosure.object_type, AuditDisclosure.object_id)
        .join(AuditEntry, AuditEntry.id == AuditDisclosure.entry_id)
        .where(AuditEntry.id > entry_id, AuditEntry.action == "personal_data.view")
    )
    return {(object_type, object_id) for object_type, object_id in rows}


def _last_entry_id() -> int:
    db.session.expire_all()
    return int(db.session.scalar(select(func.max(AuditEntry.id))) or 0)


def _crawl(app: Flask, username: str) -> dict[str, list[str]]:
    """Unaudited identifying strings per URL, crawling as ``username``."""
    viewer = db.session.scalars(select(User).where(User.username == username)).one()
    identifying = _identifying_strings(viewer)
    client = app.test_client()
    login = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert login.status_code == 302
    queue, seen_shapes, problems = deque(["/"]), set(), {}
    while queue:
        url = queue.popleft()
        shape = _shape(app, url)
        if shape is None or shape in seen_shapes:
            continue
        seen_shapes.add(shape)
        before = _last_entry_id()
        response = client.get(url)
        if not 200 <= response.status_code < 300:
            continue
        text = _text_of(response)
        disclosed = _disclosed_since(before)
        shown_here = {shown for shown in identifying if shown in text}
        missing = [
            shown
            for shown in shown_here
            if not identifying[shown] & disclosed
            # "马丽" shown only as part of "马丽娟", whose record is listed
            and not any(
                shown in longer and identifying[longer] & disclosed
                for longer in shown_here
                if longer != shown
            )
        ]
        if missing:
            problems[url] = sorted(missing)[:5]
        if response.mimetype == "text/html":
            queue.extend(_links(response.get_data(as_text=True), url))
    assert len(seen_shapes) > 20, "the crawl opened too few pages to prove anything"
    return problems


@pytest.mark.parametrize("username", ["worker1", "head1", "tutor"])
def test_every_page_that_shows_a_person_is_audited(demo: Flask, username: str) -> None:
    assert _crawl(demo, username) == {}
