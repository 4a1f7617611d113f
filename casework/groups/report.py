"""The group report (小组工作报告): plan, members, sessions, attendance, scores, summary."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from casework.accounts.models import User
from casework.core.clock import local_today
from casework.core.pdf import render_pdf
from casework.extensions import db
from casework.groups import lifecycle, services
from casework.groups.models import (
    AttendanceStatus,
    Group,
    GroupMember,
    GroupSession,
    GroupTransition,
)
from casework.volunteers.models import VolunteerAssignment

TEMPLATE = "groups/report_pdf.html"

# Short marks keep a table of many sessions narrow. "×" rather than "✗": the CJK font has
# no ✗, which would pull in a second font, or show an empty box where none is installed.
MARKS = {
    AttendanceStatus.PRESENT: "✓",
    AttendanceStatus.ABSENT: "×",
    AttendanceStatus.EXCUSED: "假",
}
NOT_EXPECTED_MARK = "—"

# Transitions that are not lifecycle steps.
OTHER_ACTION_LABELS = {
    "create": _l("创建小组"),
    "advance_stage": _l("进入下一阶段"),
}

# Beyond this many sessions the attendance table gets a landscape page of its own.
LANDSCAPE_AFTER_SESSIONS = 10

Record = dict[str, Any]


def group_report_data(group: Group) -> Record:
    """The whole group as dicts, lists and plain values (str, int, float, bool, date, datetime)."""
    member_rates = services.member_attendance(group)
    session_rates = services.session_attendance(group)
    return {
        "cover": _cover(group),
        "plan": _plan(group),
        "members": [
            _member(position, member, member_rates.get(member.id))
            for position, member in enumerate(group.members, start=1)
        ],
        "sessions": [
            _session(session, session_rates.get(session.id)) for session in group.sessions
        ],
        "attendance": _attendance_table(group, member_rates, session_rates),
        "scores": _scores(group),
        "summary": {"summary": group.summary, "outcomes": group.outcomes},
        "volunteers": _volunteers(group),
        "transitions": [_transition(transition) for transition in group.transitions],
    }


def render_group_report(group: Group) -> bytes:
    """The group report as a PDF (needs a request context for the language)."""
    return render_pdf(TEMPLATE, report=group_report_data(group), generated_on=local_today())


def _name(user: User | None) -> str:
    return user.display_name if user is not None else ""


def _rate(rate: services.AttendanceRate | None) -> Record:
    if rate is None:
        return {"present": 0, "expected": 0, "percent": None}
    return {"present": rate.present, "expected": rate.expected, "percent": rate.percent}


def _cover(group: Group) -> Record:
    return {
        "name": group.name,
        "unit": group.unit.name,
        "group_type": group.group_type.label,
        "domain": group.domain.label,
        "status": group.status.label,
        "stage": group.stage.label,
        "facilitator": _name(group.facilitator),
        "co_facilitators": [_name(user) for user in group.co_facilitators],
        "observer": _name(group.observer),
        "tutor": _name(group.tutor),
        "started_on": group.started_on,
        "closed_on": group.closed_on,
        "planned_sessions": group.planned_sessions,
        "held_sessions": sum(1 for session in group.sessions if session.attendance),
        "member_count": len(group.members),
    }


def _plan(group: Group) -> Record:
    return {
        "purpose": group.purpose,
        "goals": group.goals,
        "target_members": group.target_members,
        "rationale": group.rationale,
        "session_plan": group.session_plan,
        "planned_sessions": group.planned_sessions,
        "recruitment_from": group.recruitment_from,
        "recruitment_until": group.recruitment_until,
        "measure_name": group.measure_name,
        "measure_max": group.measure_max,
        "decided_at": group.plan_decided_at,
        "decided_by": _name(db.session.get(User, group.plan_decided_by_id))
        if group.plan_decided_by_id
        else "",
    }


def _member(position: int, member: GroupMember, rate: services.AttendanceRate | None) -> Record:
    person = member.service_user
    # Name and gender only: the report needs no ID or phone number (PIPL: the minimum).
    return {
        "position": position,
        "name": person.name,
        "gender": person.gender.label if person.gender else "",
        "joined_on": member.joined_on,
        "left_on": member.left_on,
        "leave_reason": member.leave_reason or "",
        "attendance": _rate(rate),
    }


def _session(session: GroupSession, rate: services.AttendanceRate | None) -> Record:
    return {
        "number": session.number,
        "topic": session.topic,
        "starts_at": session.starts_at,
        "duration_minutes": session.duration_minutes,
        "place": session.place,
        "planned_content": session.planned_content,
        "is_held": bool(session.attendance),
        "is_recorded": session.is_recorded,
        "process": session.process,
        "observations": session.observations,
        "goal_progress": session.goal_progress,
        "recorded_by": _name(session.recorded_by),
        "recorded_at": session.recorded_at,
        "tutor_comment": session.tutor_comment,
        "tutor_comment_by": _name(session.tutor_comment_by),
        "attendance": _rate(rate),
    }


def _attendance_table(
    group: Group,
    member_rates: dict[int, services.AttendanceRate],
    session_rates: dict[int, services.AttendanceRate],
) -> Record:
    """Members × held sessions, one short mark per cell, rates on the margins."""
    held = [session for session in group.sessions if session.attendance]
    statuses = {
        (row.session_id, row.member_id): row.status
        for session in held
        for row in session.attendance
    }
    rows = [
        {
            "name": member.service_user.name,
            "cells": [_cell(statuses.get((session.id, member.id))) for session in held],
            "attendance": _rate(member_rates.get(member.id)),
        }
        for member in group.members
    ]
    return {
        "sessions": [session.number for session in held],
        "rows": rows,
        "session_attendance": [_rate(session_rates.get(session.id)) for session in held],
        "legend": [{"mark": MARKS[status], "label": status.label} for status in AttendanceStatus]
        + [{"mark": NOT_EXPECTED_MARK, "label": str(_l("当时不是组员"))}],
        "landscape": len(held) > LANDSCAPE_AFTER_SESSIONS,
    }


def _cell(status: AttendanceStatus | None) -> Record:
    if status is None:  # not a member on that day
        return {"mark": NOT_EXPECTED_MARK, "status": ""}
    return {"mark": MARKS[status], "status": status.value}


def _scores(group: Group) -> Record:
    rows: list[Record] = []
    for member in group.members:
        change = (
            member.post_score - member.pre_score
            if member.pre_score is not None and member.post_score is not None
            else None
        )
        rows.append(
            {
                "name": member.service_user.name,
                "pre": member.pre_score,
                "post": member.post_score,
                "change": change,
            }
        )
    paired = [row for row in rows if row["change"] is not None]

    def average(key: str) -> float | None:
        return round(sum(row[key] for row in paired) / len(paired), 1) if paired else None

    return {
        "measure_name": group.measure_name,
        "measure_max": group.measure_max,
        "rows": rows,
        "has_scores": any(row["pre"] is not None or row["post"] is not None for row in rows),
        "paired": len(paired),
        "average_pre": average("pre"),
        "average_post": average("post"),
        "average_change": average("change"),
    }


def _volunteers(group: Group) -> list[Record]:
    assignments = db.session.scalars(
        select(VolunteerAssignment)
        .where(VolunteerAssignment.group_id == group.id)
        .order_by(VolunteerAssignment.served_on, VolunteerAssignment.id)
    )
    return [
        {
            "name": assignment.volunteer.name,
            "category": assignment.volunteer.category.label,
            "served_on": assignment.served_on,
            "hours": float(assignment.hours),
            "role": assignment.role,
        }
        for assignment in assignments
    ]


def _transition(transition: GroupTransition) -> Record:
    step = lifecycle.STEPS.get(transition.action)
    label = step.label if step else OTHER_ACTION_LABELS.get(transition.action, transition.action)
    return {
        "at": transition.at,
        "actor": _name(transition.actor),
        "action": str(label),
        "from_status": transition.from_status.label if transition.from_status else "",
        "to_status": transition.to_status.label,
        "stage": transition.stage.label,
        "reason": transition.reason or "",
    }
