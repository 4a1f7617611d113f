"""The group report: plain data from the group's records, a PDF that shows Chinese, the route."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from casework.core.audit import AuditEntry
from casework.core.clock import local_timezone, local_today
from casework.core.pdf import MissingCJKFont
from casework.extensions import db
from casework.groups import report_views, services
from casework.groups.models import AttendanceStatus, Group, GroupSession
from casework.groups.report import group_report_data, render_group_report
from casework.volunteers import services as volunteer_services
from tests.conftest import Login
from tests.factories import (
    ServiceUserFactory,
    TutorFactory,
    VolunteerFactory,
    WorkerFactory,
    running_group,
)

P, A, E = AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED
PLAIN_LEAVES = (str, int, float, bool, date, datetime, type(None))
TOPICS = ("相识与破冰", "分享独居生活", "邻里互助约定")


def _session(group: Group, days_ago: int, topic: str) -> GroupSession:
    starts = datetime.combine(
        local_today() - timedelta(days=days_ago), time(9, 30), local_timezone()
    )
    return services.schedule_session(
        actor=group.facilitator,
        group=group,
        plan=services.SessionPlan(
            starts_at=starts.astimezone(UTC),
            duration_minutes=90,
            place="湖西社区活动室",
            topic=topic,
            planned_content="游戏热身，分享",
        ),
    )


@pytest.fixture
def group(app: Flask) -> Group:
    """A running group: 孙秀兰 and two others, three held sessions, a tutor's comment, scores."""
    with app.test_request_context():
        group = running_group(members=2, name="湖西社区独居老人互助小组")
        facilitator = group.facilitator
        sun = services.add_member(
            actor=facilitator,
            group=group,
            person=ServiceUserFactory(unit=group.unit, name="孙秀兰"),
            joined_on=local_today() - timedelta(days=30),
        )
        first, second = group.members[0], group.members[1]
        pattern = [(P, P, P), (A, P, E), (E, P, P)]  # 孙秀兰: ✓ × 假
        for (days_ago, topic), marks in zip(
            zip((21, 14, 7), TOPICS, strict=True), pattern, strict=True
        ):
            session = _session(group, days_ago, topic)
            services.take_attendance(
                actor=facilitator,
                session=session,
                marks={sun.id: marks[0], first.id: marks[1], second.id: marks[2]},
            )
            services.record_session(
                actor=facilitator,
                session=session,
                record=services.SessionRecord(
                    process=f"{topic}：组员轮流发言", observations="气氛融洽", goal_progress="良好"
                ),
            )
        tutor = TutorFactory(unit=group.unit, supervised_units=[group.unit])
        services.comment_on_session(
            actor=tutor, session=group.sessions[0], comment="请多关注沉默的组员"
        )
        services.set_scores(
            actor=facilitator, group=group, scores={sun.id: (7, 4), first.id: (6, None)}
        )
        services.save_summary(
            actor=facilitator, group=group, summary="组员之间建立了互助关系", outcomes="孤独感下降"
        )
        volunteer_services.assign_volunteer(
            actor=facilitator,
            volunteer=VolunteerFactory(unit=group.unit, name="周志红"),
            served_on=local_today() - timedelta(days=7),
            hours=2.5,
            role="协助带领游戏",
            group=group,
        )
        db.session.commit()
    return group


def _data(app: Flask, group: Group) -> dict[str, Any]:
    with app.test_request_context():
        return group_report_data(group)


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def _text(pdf: bytes) -> str:
    """All pages' text with whitespace removed, since table cells wrap anywhere."""
    reader = PdfReader(io.BytesIO(pdf))
    return "".join("".join((page.extract_text() or "").split()) for page in reader.pages)


def _pdf(app: Flask, group: Group) -> bytes:
    with app.test_request_context():
        return render_group_report(group)


# --- the data ------------------------------------------------------------------------------


def test_report_data_is_plain_values_only(app: Flask, group: Group) -> None:
    assert all(isinstance(leaf, PLAIN_LEAVES) for leaf in _leaves(_data(app, group)))


def test_report_data_has_the_plan(app: Flask, group: Group) -> None:
    plan = _data(app, group)["plan"]
    assert (plan["purpose"], plan["measure_name"], plan["planned_sessions"]) == (
        "减轻独居老人的孤独感，建立邻里互助网络",
        "孤独感量表",
        4,
    )


def test_report_data_has_every_session_with_its_record_and_comment(
    app: Flask, group: Group
) -> None:
    sessions = _data(app, group)["sessions"]
    assert [session["topic"] for session in sessions] == list(TOPICS)
    assert sessions[1]["process"] == "分享独居生活：组员轮流发言"
    assert sessions[0]["tutor_comment"] == "请多关注沉默的组员"
    assert sessions[0]["place"] == "湖西社区活动室"


def test_attendance_table_marks_each_member_per_session(app: Flask, group: Group) -> None:
    table = _data(app, group)["attendance"]
    marks = {row["name"]: [cell["mark"] for cell in row["cells"]] for row in table["rows"]}
    assert table["sessions"] == [1, 2, 3]
    assert marks["孙秀兰"] == ["✓", "×", "假"]


def test_attendance_table_has_a_legend_for_every_mark(app: Flask, group: Group) -> None:
    legend = {item["mark"]: item["label"] for item in _data(app, group)["attendance"]["legend"]}
    assert legend == {"✓": "出席", "×": "缺席", "假": "请假", "—": "当时不是组员"}


def test_rates_per_member_and_per_session(app: Flask, group: Group) -> None:
    data = _data(app, group)
    by_name = {member["name"]: member["attendance"]["percent"] for member in data["members"]}
    per_session = [session["attendance"]["percent"] for session in data["sessions"]]
    assert by_name["孙秀兰"] == 33.3
    assert per_session == [100.0, 33.3, 66.7]


def test_a_member_who_joined_later_is_marked_not_expected(app: Flask, group: Group) -> None:
    with app.test_request_context():
        services.add_member(
            actor=group.facilitator,
            group=group,
            person=ServiceUserFactory(unit=group.unit, name="晚来的组员"),
            joined_on=local_today() - timedelta(days=10),
        )
        db.session.commit()
    rows = _data(app, group)["attendance"]["rows"]
    late = next(row for row in rows if row["name"] == "晚来的组员")
    assert [cell["mark"] for cell in late["cells"]] == ["—", "—", "—"]


def test_scores_show_the_change_and_the_average_of_paired_scores(app: Flask, group: Group) -> None:
    scores = _data(app, group)["scores"]
    sun = next(row for row in scores["rows"] if row["name"] == "孙秀兰")
    assert (sun["pre"], sun["post"], sun["change"]) == (7, 4, -3)
    assert (scores["paired"], scores["average_change"]) == (1, -3.0)


def test_report_data_has_the_summary_and_the_transitions(app: Flask, group: Group) -> None:
    data = _data(app, group)
    assert data["summary"]["summary"] == "组员之间建立了互助关系"
    actions = [transition["action"] for transition in data["transitions"]]
    assert actions == ["创建小组", "提交小组计划书审核", "批准小组计划书"]


def test_report_data_has_the_volunteers_hours(app: Flask, group: Group) -> None:
    volunteers = _data(app, group)["volunteers"]
    assert [(item["name"], item["hours"]) for item in volunteers] == [("周志红", 2.5)]


def test_report_data_has_no_id_or_phone_number(app: Flask, group: Group) -> None:
    leaves = [leaf for leaf in _leaves(_data(app, group)) if isinstance(leaf, str)]
    for member in group.members:
        person = member.service_user
        assert not any(person.id_number in leaf or (person.phone or "-") in leaf for leaf in leaves)


def test_many_sessions_put_the_attendance_table_on_landscape_pages(
    app: Flask, group: Group
) -> None:
    with app.test_request_context():
        for days_ago in range(6, -2, -1):
            session = _session(group, max(days_ago, 0), "延伸活动")
            services.take_attendance(
                actor=group.facilitator,
                session=session,
                marks={member.id: P for member in services.members_expected_at(session)},
            )
        db.session.commit()
    assert _data(app, group)["attendance"]["landscape"] is True


def test_few_sessions_keep_the_attendance_table_upright(app: Flask, group: Group) -> None:
    assert _data(app, group)["attendance"]["landscape"] is False


# --- the PDF -------------------------------------------------------------------------------


def test_pdf_shows_the_group_a_topic_and_a_members_marks(app: Flask, group: Group) -> None:
    text = _text(_pdf(app, group))
    assert "湖西社区独居老人互助小组" in text
    assert "分享独居生活" in text
    assert "孙秀兰✓×假" in text


def test_pdf_embeds_a_chinese_font(app: Flask, group: Group) -> None:
    reader = PdfReader(io.BytesIO(_pdf(app, group)))
    base_fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("CJK" in name for name in base_fonts), base_fonts


# --- the route -----------------------------------------------------------------------------


def test_worker_of_the_station_downloads_the_report(
    client: FlaskClient, login: Login, group: Group
) -> None:
    login(group.facilitator)
    response = client.get(f"/groups/{group.id}/report.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "no-store"
    assert f'filename="group-{group.id}.pdf"' in response.headers["Content-Disposition"]


def test_downloading_the_report_is_audited(client: FlaskClient, login: Login, group: Group) -> None:
    login(group.facilitator)
    client.get(f"/groups/{group.id}/report.pdf")
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "group.export_pdf")
    ).one()
    assert (entry.object_id, entry.actor_id) == (group.id, group.facilitator_id)


def test_supervising_tutor_downloads_the_report(
    client: FlaskClient, login: Login, group: Group
) -> None:
    login(TutorFactory(unit=group.unit, supervised_units=[group.unit]))
    assert client.get(f"/groups/{group.id}/report.pdf").status_code == 200


def test_worker_of_another_station_gets_404(
    client: FlaskClient, login: Login, group: Group
) -> None:
    login(WorkerFactory())
    assert client.get(f"/groups/{group.id}/report.pdf").status_code == 404


def test_report_of_a_missing_group_is_404(client: FlaskClient, login: Login, group: Group) -> None:
    login(group.facilitator)
    assert client.get(f"/groups/{group.id + 1000}/report.pdf").status_code == 404


def test_without_a_chinese_font_the_user_is_sent_back_with_a_message(
    client: FlaskClient, login: Login, group: Group, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_font(_group: Group) -> bytes:
        raise MissingCJKFont()

    monkeypatch.setattr(report_views, "render_group_report", no_font)
    login(group.facilitator)
    response = client.get(f"/groups/{group.id}/report.pdf", follow_redirects=True)
    assert response.request.path == f"/groups/{group.id}"
    assert "fonts-noto-cjk" in response.get_data(as_text=True)
    assert not db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "group.export_pdf")
    ).all()
