"""Running a group: sessions (节次), the attendance screen, records, comments, members, scores."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from casework.core.actions import done, form_page, refused, report_refusal
from casework.core.clock import local_timezone, local_today
from casework.core.models import as_utc
from casework.core.permissions import require
from casework.core.rules import RuleError
from casework.extensions import db
from casework.groups import queries, services
from casework.groups.forms import (
    AddMemberForm,
    AttendanceForm,
    LeaveForm,
    ScoresForm,
    SessionCommentForm,
    SessionForm,
    SessionRecordForm,
    mark_field_name,
    marks_from,
)
from casework.groups.models import (
    AttendanceStatus,
    Group,
    GroupMember,
    GroupSession,
    GroupStatus,
)
from casework.groups.permissions import can_run_group, can_supervise_group
from casework.groups.views import (
    EDITABLE_STATUSES,
    bp,
    refuse_unless,
    runnable_group,
    visible_group_or_404,
)
from casework.people.models import ServiceUser
from casework.people.permissions import may_invite, people_visible_to
from casework.people.views import search_condition

# Sessions can be planned and changed until the group is closed.
OPEN_STATUSES = (
    GroupStatus.PLANNING,
    GroupStatus.PLAN_PENDING_APPROVAL,
    GroupStatus.RUNNING,
    GroupStatus.CLOSURE_PENDING_APPROVAL,
)


def _session_of(group: Group, session_id: int) -> GroupSession:
    session: GroupSession = db.first_or_404(
        select(GroupSession).where(GroupSession.id == session_id, GroupSession.group_id == group.id)
    )
    return session


def _to_session(session: GroupSession, anchor: str = "") -> ResponseReturnValue:
    return redirect(
        url_for("groups.session", group_id=session.group_id, session_id=session.id) + anchor
    )


def _session_plan(form: SessionForm) -> services.SessionPlan:
    # The form's date and time are the stations' local time; stored in UTC.
    local = datetime.combine(
        form.held_on.data,  # type: ignore[arg-type]
        form.starts_at.data,  # type: ignore[arg-type]
        tzinfo=local_timezone(),
    )
    return services.SessionPlan(
        starts_at=local.astimezone(UTC),
        duration_minutes=form.duration_minutes.data or 0,
        place=form.place.data or "",
        topic=form.topic.data or "",
        planned_content=form.planned_content.data or "",
    )


def _local(moment: datetime) -> datetime:
    return as_utc(moment).astimezone(local_timezone())


@bp.route("/<int:group_id>/sessions/new", methods=["GET", "POST"])
@login_required
def new_session(group_id: int) -> ResponseReturnValue:
    group = runnable_group(group_id)
    if refusal := refuse_unless(group, OPEN_STATUSES):
        return refusal
    form = SessionForm()
    if request.method == "GET":
        last = group.sessions[-1] if group.sessions else None
        if last is not None:
            # The next session usually follows the last one a week later, same time and place.
            starts = _local(last.starts_at) + timedelta(days=7)
            form.held_on.data = starts.date()
            form.starts_at.data = starts.time().replace(tzinfo=None)
            form.duration_minutes.data = last.duration_minutes
            form.place.data = last.place
        else:
            form.held_on.data = local_today()
            form.duration_minutes.data = 90
    if not form.validate_on_submit():
        return form_page("groups/session_form.html", form=form, group=group)
    try:
        session = services.schedule_session(
            actor=current_user, group=group, plan=_session_plan(form)
        )
    except RuleError as error:
        return refused(error, "groups/session_form.html", form=form, group=group)
    db.session.commit()
    flash(_("第 %(number)d 节已安排。", number=session.number), "success")
    return _to_session(session)


@bp.get("/<int:group_id>/sessions/<int:session_id>")
@login_required
def session(group_id: int, session_id: int) -> ResponseReturnValue:
    group = visible_group_or_404(group_id)
    group_session = _session_of(group, session_id)
    counts = Counter(row.status for row in group_session.attendance)
    return render_template(
        "groups/session.html",
        group=group,
        group_session=group_session,
        attendance=sorted(group_session.attendance, key=lambda row: row.member.service_user.name),
        counts={status: counts.get(status, 0) for status in AttendanceStatus},
        can_run=can_run_group(current_user, group),
        can_supervise=can_supervise_group(current_user, group),
        comment_form=SessionCommentForm(formdata=None, comment=group_session.tutor_comment),
    )


@bp.route("/<int:group_id>/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def edit_session(group_id: int, session_id: int) -> ResponseReturnValue:
    group = runnable_group(group_id)
    group_session = _session_of(group, session_id)
    if refusal := refuse_unless(group, OPEN_STATUSES):
        return refusal
    form = SessionForm()
    if request.method == "GET":
        starts = _local(group_session.starts_at)
        form.held_on.data = starts.date()
        form.starts_at.data = starts.time().replace(tzinfo=None)
        form.duration_minutes.data = group_session.duration_minutes
        form.place.data = group_session.place
        form.topic.data = group_session.topic
        form.planned_content.data = group_session.planned_content
    context = {"form": form, "group": group, "group_session": group_session}
    if not form.validate_on_submit():
        return form_page("groups/session_form.html", **context)
    try:
        services.update_session(actor=current_user, session=group_session, plan=_session_plan(form))
    except RuleError as error:
        return refused(error, "groups/session_form.html", **context)
    db.session.commit()
    flash(_("节次安排已保存。"), "success")
    return _to_session(group_session)


@bp.route("/<int:group_id>/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@login_required
def attendance(group_id: int, session_id: int) -> ResponseReturnValue:
    """The phone screen: 出席/缺席/请假 for every member expected at the session."""
    group = runnable_group(group_id)
    group_session = _session_of(group, session_id)
    refusal = services.attendance_refusal(group_session)
    if refusal is not None:
        flash(str(refusal), "warning")
        return _to_session(group_session)
    expected = services.members_expected_at(group_session)
    form = AttendanceForm()
    if request.method == "GET":
        marks = {row.member_id: row.status for row in group_session.attendance}
    elif form.all_present.data:
        marks = {member.id: AttendanceStatus.PRESENT for member in expected}
    else:
        marks = marks_from(request.form, expected)
    context = {
        "form": form,
        "group": group,
        "group_session": group_session,
        "expected": expected,
        "marks": marks,
        "field_name": mark_field_name,
        "statuses": list(AttendanceStatus),
        "missing": set(),
    }
    if not form.validate_on_submit():
        return form_page("groups/attendance.html", **context)
    try:
        services.take_attendance(actor=current_user, session=group_session, marks=marks)
    except RuleError as error:
        context["missing"] = {member.id for member in expected} - set(marks)
        return refused(error, "groups/attendance.html", **context)
    db.session.commit()
    flash(_("第 %(number)d 节点名已保存。", number=group_session.number), "success")
    return _to_session(group_session, "#attendance")


@bp.route("/<int:group_id>/sessions/<int:session_id>/record", methods=["GET", "POST"])
@login_required
def record(group_id: int, session_id: int) -> ResponseReturnValue:
    """The session record (每节记录), written after the session."""
    group = runnable_group(group_id)
    group_session = _session_of(group, session_id)
    if refusal := refuse_unless(group, (GroupStatus.RUNNING,)):
        return refusal
    form = SessionRecordForm()
    if request.method == "GET":
        form.process_text.data = group_session.process
        form.observations.data = group_session.observations
        form.goal_progress.data = group_session.goal_progress
    context = {"form": form, "group": group, "group_session": group_session}
    if not form.validate_on_submit():
        return form_page("groups/record.html", **context)
    try:
        services.record_session(
            actor=current_user,
            session=group_session,
            record=services.SessionRecord(
                process=form.process_text.data or "",
                observations=form.observations.data or "",
                goal_progress=form.goal_progress.data or "",
            ),
        )
    except RuleError as error:
        return refused(error, "groups/record.html", **context)
    db.session.commit()
    flash(_("第 %(number)d 节的每节记录已保存。", number=group_session.number), "success")
    return _to_session(group_session, "#record")


@bp.post("/<int:group_id>/sessions/<int:session_id>/comment")
@login_required
def comment(group_id: int, session_id: int) -> ResponseReturnValue:
    """The tutor's comment (督导意见) on a session record."""
    group = visible_group_or_404(group_id)
    group_session = _session_of(group, session_id)
    require(can_supervise_group(current_user, group))
    form = SessionCommentForm()
    if not form.validate_on_submit():
        flash(_("请填写督导意见。"), "danger")
        return _to_session(group_session, "#comment")
    try:
        services.comment_on_session(
            actor=current_user, session=group_session, comment=form.comment.data or ""
        )
    except RuleError as error:
        report_refusal(error)
        return _to_session(group_session, "#comment")
    db.session.commit()
    flash(_("督导意见已保存。"), "success")
    return _to_session(group_session, "#comment")


# --- members and scores --------------------------------------------------------------------


def _members_page(
    group: Group,
    *,
    status: int = 200,
    leave_form: LeaveForm | None = None,
    leaving_id: int | None = None,
) -> ResponseReturnValue:
    term = (request.values.get("q") or "").strip()[:50]
    candidates = (
        queries.member_candidates(
            people_visible_to(current_user).where(may_invite()), group, search_condition(term)
        )
        if term
        else []
    )
    add_form = AddMemberForm(formdata=None)
    add_form.joined_on.data = local_today()
    return render_template(
        "groups/members.html",
        group=group,
        term=term,
        candidates=candidates,
        add_form=add_form,
        leave_form=leave_form or LeaveForm(formdata=None, left_on=local_today()),
        leaving_id=leaving_id,
        today=local_today(),
    ), status


@bp.get("/<int:group_id>/members")
@login_required
def members(group_id: int) -> ResponseReturnValue:
    """Find service users of the unit by name and add them; record members leaving."""
    return _members_page(runnable_group(group_id))


@bp.post("/<int:group_id>/members")
@login_required
def add_member(group_id: int) -> ResponseReturnValue:
    group = runnable_group(group_id)
    form = AddMemberForm()
    if not form.validate_on_submit():
        flash(_("请选择要添加的服务对象。"), "danger")
        return _members_page(group, status=422)
    person: ServiceUser = db.first_or_404(
        people_visible_to(current_user).where(ServiceUser.id == form.person_id.data)
    )
    try:
        services.add_member(
            actor=current_user, group=group, person=person, joined_on=form.joined_on.data
        )
    except RuleError as error:
        report_refusal(error)
        return _members_page(group, status=422)
    return done(
        _("%(name)s 已加入小组。", name=person.name), url_for("groups.members", group_id=group.id)
    )


@bp.post("/<int:group_id>/members/<int:member_id>/leave")
@login_required
def leave(group_id: int, member_id: int) -> ResponseReturnValue:
    group = runnable_group(group_id)
    member: GroupMember = db.first_or_404(
        select(GroupMember).where(GroupMember.id == member_id, GroupMember.group_id == group.id)
    )
    form = LeaveForm()
    if not form.validate_on_submit():
        return _members_page(group, status=422, leave_form=form, leaving_id=member.id)
    try:
        services.remove_member(
            actor=current_user,
            member=member,
            left_on=form.left_on.data,  # type: ignore[arg-type]
            reason=form.reason.data or "",
        )
    except RuleError as error:
        report_refusal(error)
        return _members_page(group, status=422, leave_form=form, leaving_id=member.id)
    return done(
        _("%(name)s 已退出小组。", name=member.service_user.name),
        url_for("groups.members", group_id=group.id),
    )


@bp.route("/<int:group_id>/scores", methods=["GET", "POST"])
@login_required
def scores(group_id: int) -> ResponseReturnValue:
    """Pre- and post-measures (前测/后测) per member on the group's own scale."""
    group = runnable_group(group_id)
    if refusal := refuse_unless(group, EDITABLE_STATUSES):
        return refusal
    form = ScoresForm()
    if request.method == "GET":
        for member in group.members:
            form.rows.append_entry()
            row = form.rows.entries[-1].form
            row.member_id.data = str(member.id)
            row.pre_score.data = member.pre_score
            row.post_score.data = member.post_score
    members_by_id = {member.id: member for member in group.members}
    rows = [
        (members_by_id.get(int(entry.form.member_id.data or 0)), entry.form)
        for entry in form.rows.entries
        if (entry.form.member_id.data or "").isdigit()
    ]
    context = {"form": form, "group": group, "rows": rows}
    if not form.validate_on_submit():
        return form_page("groups/scores.html", **context)
    try:
        services.set_scores(
            actor=current_user,
            group=group,
            scores={
                member.id: (row.pre_score.data, row.post_score.data)
                for member, row in rows
                if member is not None
            },
        )
    except RuleError as error:
        return refused(error, "groups/scores.html", **context)
    return done(_("前后测分数已保存。"), url_for("groups.detail", group_id=group.id) + "#scores")
