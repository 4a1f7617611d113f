"""The issue's "done when", on the demo data: dashboard, approval, a record and who reads it."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from datetime import timedelta

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from casework.accounts.models import User
from casework.cases.enums import CaseStatus
from casework.cases.models import INACTIVE_STATUSES, Case
from casework.core.clock import local_today
from casework.demo import DEMO_PASSWORD
from casework.extensions import db
from casework.supervision.models import SupervisionSession


def _signed_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def test_tutor_works_from_the_dashboard_and_only_attendees_read_the_record(
    make_app: Callable[..., Flask],
) -> None:
    app = make_app(DEMO=True)
    assert app.test_cli_runner().invoke(args=["casework", "seed-demo"]).exit_code == 0
    tutor = _signed_in(app, "tutor")

    # The caseload of worker1, worker2 (station 1) and worker3 (station 2).
    board = tutor.get("/dashboard/tutor").get_data(as_text=True)
    for name in ("王芳", "张伟", "赵丽"):
        assert name in board

    # Approve a pending plan with the button on the dashboard, and land back on it.
    action = re.search(r'action="(/cases/(\d+)/steps/approve_plan\?next=[^"]+)"', board)
    assert action is not None
    response = tutor.post(html.unescape(action.group(1)))
    assert response.headers["Location"] == "/dashboard/tutor"
    with app.app_context():
        approved = db.session.get(Case, int(action.group(2)))
        assert approved is not None
        assert approved.status is CaseStatus.INTERVENTION

    # Record a supervision session at station 1 with worker1 about one of her cases.
    with app.app_context():
        worker1 = db.session.scalars(select(User).where(User.username == "worker1")).one()
        case = db.session.scalars(
            select(Case)
            .where(Case.worker_id == worker1.id, Case.status.not_in(INACTIVE_STATUSES))
            .order_by(Case.id)
            .limit(1)
        ).one()
        unit_id, worker_id, case_id, number = worker1.unit_id, worker1.id, case.id, case.number
    assert 'name="unit"' in tutor.get("/supervision/new").get_data(as_text=True)
    response = tutor.post(
        f"/supervision/new?unit={unit_id}",
        data={
            "held_on": (local_today() - timedelta(days=1)).isoformat(),
            "form": "individual",
            "duration_minutes": "60",
            "place": "湖西社区社会工作服务站",
            "worker_ids": [str(worker_id)],
            "case_ids": [str(case_id)],
            "topics": "个案进展与风险评估",
            "advice": "增加家访频次，关注情绪变化",
            "follow_up": "",
        },
    )
    assert response.status_code == 302
    with app.app_context():
        session_id = db.session.scalars(
            select(SupervisionSession.id).where(SupervisionSession.topics == "个案进展与风险评估")
        ).one()

    worker1_client = _signed_in(app, "worker1")
    assert f'data-record="{session_id}"' in worker1_client.get("/supervision/").get_data(
        as_text=True
    )
    page = worker1_client.get(f"/supervision/{session_id}").get_data(as_text=True)
    assert number in page

    worker3_client = _signed_in(app, "worker3")
    assert f'data-record="{session_id}"' not in worker3_client.get("/supervision/").get_data(
        as_text=True
    )
    assert worker3_client.get(f"/supervision/{session_id}").status_code == 404
