"""Downloads: every list and the case statistics as CSV or XLSX (``?format=csv|xlsx``).

Each list export is built from the same visibility query and filters as its page, so every
row is one the user may open. ID and phone numbers are masked; the front-line staff who may
see every row's full numbers can ask for them (``/full``) by stating what the file is for.
Bureau viewers get statistics only, with small counts hidden. Every export leaves an audit
entry with its row count and format (and, with full numbers, the stated purpose), never
personal data.
"""

from __future__ import annotations

from typing import Any, TypeVar

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    has_request_context,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.orm import selectinload
from werkzeug.datastructures import MultiDict

from casework.accounts.models import User
from casework.accounts.permissions import casework_unit_ids
from casework.activities.models import ActivityType, CommunityActivity
from casework.activities.permissions import activities_visible_to
from casework.cases import queries as case_queries
from casework.cases.enums import ServiceDomain
from casework.cases.models import Case
from casework.cases.permissions import can_list_cases, cases_visible_to
from casework.core import audit
from casework.core.actions import done
from casework.core.enums import LabelledEnum
from casework.core.exports import Table, export_format, send_export, table
from casework.core.i18n import listing, short_datetime
from casework.core.masking import mask_id_number, mask_phone
from casework.core.numbers import one_decimal
from casework.core.permissions import require
from casework.exports import approvals
from casework.exports.forms import FullIdentifiersForm
from casework.exports.models import ExportApproval
from casework.extensions import db
from casework.groups import queries as group_queries
from casework.groups.models import GroupStage, GroupStatus, GroupType
from casework.groups.permissions import groups_visible_to
from casework.helpdesk import queries as request_queries
from casework.helpdesk.models import HelpRequest
from casework.helpdesk.permissions import can_handle_request, requests_visible_to
from casework.people.models import ServiceUser
from casework.people.permissions import (
    can_list_people,
    can_see_full_numbers,
    may_export_full_identifiers,
    people_visible_to,
)
from casework.people.views import search_condition
from casework.volunteers import queries as volunteer_queries
from casework.volunteers.models import VolunteerCategory
from casework.volunteers.permissions import volunteers_visible_to

bp = Blueprint("exports", __name__, url_prefix="/exports")

E = TypeVar("E", bound=LabelledEnum)

SEARCH_LENGTH = 50


def may_export_lists(user: User) -> bool:
    """Lists of individuals go only to the staff who work with them.

    Bureau viewers see aggregates only; administrators read single cases through an audited
    break-glass grant, which is no licence to download lists.
    """
    return bool(casework_unit_ids(user))


@bp.app_context_processor
def export_context() -> dict[str, bool]:
    """Whether the list pages show their download links."""
    signed_in = bool(has_request_context() and current_user.is_authenticated)
    lists = signed_in and may_export_lists(current_user)
    return {
        "may_export_lists": lists,
        "may_export_full": lists and may_export_full_identifiers(current_user),
    }


def _enum_arg(args: MultiDict[str, str], enum_class: type[E], name: str) -> E | None:
    """A filter from the query string; an unknown value means no filter, as on the pages."""
    value = args.get(name) or ""
    try:
        return enum_class.of(value) if value else None
    except ValueError:
        return None


def finish(data: Table, name: str, fmt: str, **details: object) -> Response:
    """Audit the export (row count and format only), commit it, send the file."""
    audit.record(
        f"export.{name}",
        None,
        actor_id=current_user.id,
        unit_id=current_user.unit_id,
        details={"rows": len(data.rows), "format": fmt, **details},
    )
    db.session.commit()
    return send_export(data, name, fmt)


# --- lists -------------------------------------------------------------------------------


@bp.get("/cases")
@login_required
def cases() -> Response:
    require(can_list_cases(current_user) and may_export_lists(current_user))
    fmt = export_format(request.args.get("format"))
    filters = case_queries.case_filters_from(request.args)
    query = case_queries.filtered_cases(cases_visible_to(current_user), filters).options(
        selectinload(Case.unit)
    )
    data = table(
        (
            _l("个案编号"),
            _l("服务对象"),
            _l("个案概况"),
            _l("服务领域"),
            _l("状态"),
            _l("风险等级"),
            _l("负责社工"),
            _l("开案日期"),
            _l("最近服务"),
            _l("结案日期"),
            _l("所属单位"),
        ),
        title=_l("个案"),
    )
    for case in db.session.scalars(query):
        data.add(
            (
                case.number,
                case.service_user.name,
                case.summary,
                case.domain.label,
                case.status.label,
                case.risk_level.label,
                case.worker.display_name,
                case.opened_on,
                case.last_service_on,
                case.closed_on,
                case.unit.name,
            )
        )
    return finish(data, "cases", fmt)


def _people_rows(term: str) -> list[ServiceUser]:
    query = people_visible_to(current_user).options(
        selectinload(ServiceUser.tags), selectinload(ServiceUser.unit)
    )
    if term:
        query = query.where(search_condition(term))  # type: ignore[arg-type]
    return list(db.session.scalars(query.order_by(ServiceUser.name, ServiceUser.id)))


def _people_table(people: list[ServiceUser], *, full_identifiers: bool) -> Table:
    data = table(
        (
            _l("姓名"),
            _l("性别"),
            _l("出生日期"),
            _l("身份证号"),
            _l("联系电话"),
            _l("特殊群体标签"),
            _l("所属单位"),
        ),
        title=_l("服务对象"),
    )
    for person in people:
        data.add(
            (
                person.name,
                person.gender.label if person.gender else "",
                person.birth_date,
                person.id_number if full_identifiers else mask_id_number(person.id_number),
                person.phone if full_identifiers else mask_phone(person.phone),
                listing(tag.name for tag in person.tags),
                person.unit.name,
            )
        )
    return data


def _search_term() -> str:
    """A search term may name someone, so it comes only in a POST body, never in the URL."""
    if "q" in request.args:
        abort(400)
    return (request.form.get("q") or "").strip()[:SEARCH_LENGTH]


@bp.route("/people", methods=["GET", "POST"])
@login_required
def people() -> Response:
    """The people list, with ID and phone numbers masked as on the list."""
    require(can_list_people(current_user) and may_export_lists(current_user))
    fmt = export_format(request.form.get("format") or request.args.get("format"))
    term = _search_term()
    data = _people_table(_people_rows(term), full_identifiers=False)
    return finish(data, "people", fmt, searched=bool(term))


@bp.route("/people/full", methods=["GET", "POST"])
@login_required
def people_full() -> ResponseReturnValue:
    """The people list with full ID and phone numbers: for a stated purpose, audited."""
    require(
        can_list_people(current_user)
        and may_export_lists(current_user)
        and may_export_full_identifiers(current_user)
    )
    term = _search_term()
    form = _full_identifiers_form(q=term)
    if not form.validate_on_submit():
        return _full_identifiers_page(form, what=_l("服务对象"), back=url_for("people.index"))
    people = full_people_rows(term)
    if approvals.needs_approval(len(people)):
        return _ask_for_approval(form, "people", {"q": term}, len(people))
    data = _people_table(people, full_identifiers=True)
    return finish(data, "people", form.format.data or "", searched=bool(term), **_purpose(form))


def full_people_rows(term: str) -> list[ServiceUser]:
    """The people list for a file with full numbers: every row one the user may see in full."""
    people = _people_rows(term)
    require(all(can_see_full_numbers(current_user, person) for person in people))
    return people


def _requests_table(rows: list[request_queries.QueueRow], *, full_identifiers: bool) -> Table:
    data = table(
        (
            _l("提交时间"),
            _l("所属单位"),
            _l("求助类别"),
            _l("来源渠道"),
            _l("求助人"),
            _l("联系电话"),
            _l("内容摘要"),
            _l("状态"),
            _l("负责社工"),
            _l("受理期限"),
            _l("答复期限"),
            _l("是否逾期"),
        ),
        title=_l("求助"),
    )
    for row in rows:
        item: HelpRequest = row.request
        data.add(
            (
                short_datetime(item.submitted_at),
                item.unit.name,
                item.category.label,
                item.channel.label,
                item.name or _("匿名"),
                item.phone if full_identifiers else item.masked_phone,
                row.excerpt,
                item.status.label,
                item.assigned_to.display_name if item.assigned_to else "",
                row.deadlines.acknowledge_by,
                row.deadlines.answer_by,
                _("是") if row.deadlines.is_overdue else _("否"),
            )
        )
    return data


def _request_rows(filters: MultiDict[str, str]) -> list[request_queries.QueueRow]:
    """The queue's rows with the page's filters (which name no one, so may be in the URL)."""
    query = request_queries.filtered_requests(
        requests_visible_to(current_user), request_queries.request_filters_from(filters)
    )
    return request_queries.queue_rows(list(db.session.scalars(query)))


def full_request_rows(filters: MultiDict[str, str]) -> list[request_queries.QueueRow]:
    """The queue for a file with full numbers: every row one the user handles."""
    rows = _request_rows(filters)
    require(all(can_handle_request(current_user, row.request) for row in rows))
    return rows


@bp.get("/requests", endpoint="requests")
@login_required
def help_requests() -> Response:
    """The help-request queue, with phone numbers masked as on the list."""
    require(may_export_lists(current_user))
    fmt = export_format(request.args.get("format"))
    rows = _request_rows(request.args)
    return finish(_requests_table(rows, full_identifiers=False), "requests", fmt)


@bp.route("/requests/full", methods=["GET", "POST"])
@login_required
def requests_full() -> ResponseReturnValue:
    """The queue with full phone numbers: for a stated purpose, audited."""
    require(may_export_lists(current_user) and may_export_full_identifiers(current_user))
    form = _full_identifiers_form()
    if not form.validate_on_submit():
        filters: dict[str, Any] = request.args.to_dict()
        back = url_for("helpdesk.index", **filters)
        return _full_identifiers_page(form, what=_l("求助"), back=back)
    rows = full_request_rows(request.args)
    if approvals.needs_approval(len(rows)):
        return _ask_for_approval(form, "requests", request.args.to_dict(), len(rows))
    data = _requests_table(rows, full_identifiers=True)
    return finish(data, "requests", form.format.data or "", **_purpose(form))


def _full_identifiers_form(**data: str) -> FullIdentifiersForm:
    """Blank when the list page's button first asks for it; checked once the reason is in."""
    if "reason" not in request.form:
        return FullIdentifiersForm(formdata=None, **data)
    return FullIdentifiersForm()


def _full_identifiers_page(form: FullIdentifiersForm, *, what: object, back: str) -> Response:
    status = 422 if "reason" in request.form else 200
    page = render_template(
        "exports/full_identifiers.html",
        form=form,
        what=what,
        back=back,
        approval_threshold=current_app.config["EXPORT_APPROVAL_THRESHOLD"],
    )
    return Response(page, status=status)


def _ask_for_approval(
    form: FullIdentifiersForm, kind: str, criteria: dict[str, Any], rows: int
) -> ResponseReturnValue:
    """Too many people for one person's say-so: the request waits for a second person."""
    approval = approvals.request_approval(
        actor=current_user,
        kind=kind,
        reason=(form.reason.data or "").strip(),
        file_format=form.format.data or "xlsx",
        criteria=criteria,
        rows=rows,
    )
    message = _(
        "文件含 %(rows)d 人的完整号码，超过 %(limit)d 人，"
        "须经站长（或本站另一名社工）批准后才能下载。",
        rows=rows,
        limit=current_app.config["EXPORT_APPROVAL_THRESHOLD"],
    )
    return done(message, url_for("exports.approval", approval_id=approval.id), "info")


def build_approved(approval: ExportApproval) -> Table:
    """The approved list, built now from what was asked for: no file is ever kept."""
    criteria = approval.criteria or {}
    if approval.kind == "people":
        return _people_table(full_people_rows(str(criteria.get("q") or "")), full_identifiers=True)
    rows = full_request_rows(MultiDict({str(k): str(v) for k, v in criteria.items()}))
    return _requests_table(rows, full_identifiers=True)


def _purpose(form: FullIdentifiersForm) -> dict[str, object]:
    """What the audit entry says of an export with full numbers: that, and why."""
    return {"full_identifiers": True, "reason": (form.reason.data or "").strip()}


@bp.get("/groups")
@login_required
def groups() -> Response:
    require(may_export_lists(current_user))
    fmt = export_format(request.args.get("format"))
    args = request.args
    filters = group_queries.GroupFilters(
        status=_enum_arg(args, GroupStatus, "status"),
        stage=_enum_arg(args, GroupStage, "stage"),
        group_type=_enum_arg(args, GroupType, "type"),
        mine=args.get("mine") == "1",
    )
    query = group_queries.filtered_groups(groups_visible_to(current_user), filters, current_user)
    data = table(
        (
            _l("小组名称"),
            _l("小组类型"),
            _l("服务领域"),
            _l("状态"),
            _l("阶段"),
            _l("带领者"),
            _l("组员人数"),
            _l("开始日期"),
            _l("结束日期"),
            _l("所属单位"),
        ),
        title=_l("小组"),
    )
    for group in db.session.scalars(query):
        data.add(
            (
                group.name,
                group.group_type.label,
                group.domain.label,
                group.status.label,
                group.stage.label,
                group.facilitator.display_name,
                len(group.current_members),
                group.started_on,
                group.closed_on,
                group.unit.name,
            )
        )
    return finish(data, "groups", fmt)


@bp.get("/activities")
@login_required
def activities() -> Response:
    require(may_export_lists(current_user))
    fmt = export_format(request.args.get("format"))
    query = activities_visible_to(current_user).options(
        selectinload(CommunityActivity.organiser), selectinload(CommunityActivity.unit)
    )
    activity_type = _enum_arg(request.args, ActivityType, "type")
    domain = _enum_arg(request.args, ServiceDomain, "domain")
    if activity_type is not None:
        query = query.where(CommunityActivity.activity_type == activity_type)
    if domain is not None:
        query = query.where(CommunityActivity.domain == domain)
    data = table(
        (
            _l("活动日期"),
            _l("活动名称"),
            _l("活动类型"),
            _l("服务领域"),
            _l("活动地点"),
            _l("参与人数"),
            _l("组织者"),
            _l("所属单位"),
        ),
        title=_l("社区活动"),
    )
    for activity in db.session.scalars(
        query.order_by(CommunityActivity.held_on.desc(), CommunityActivity.id.desc())
    ):
        data.add(
            (
                activity.held_on,
                activity.title,
                activity.activity_type.label,
                activity.domain.label,
                activity.place,
                activity.participant_count,
                activity.organiser.display_name,
                activity.unit.name,
            )
        )
    return finish(data, "activities", fmt)


@bp.get("/volunteers")
@login_required
def volunteers() -> Response:
    require(may_export_lists(current_user))
    fmt = export_format(request.args.get("format"))
    category = _enum_arg(request.args, VolunteerCategory, "category")
    status = volunteer_queries.volunteer_status_from(request.args)
    volunteers = list(
        db.session.scalars(
            volunteer_queries.filtered_volunteers(
                volunteers_visible_to(current_user), category, status
            )
        )
    )
    hours = volunteer_queries.hours_by_volunteer([volunteer.id for volunteer in volunteers])
    data = table(
        (
            _l("姓名"),
            _l("志愿者类别"),
            _l("联系电话"),
            _l("特长技能"),
            _l("可服务时间"),
            _l("志愿服务时长（小时）"),
            _l("状态"),
            _l("所属单位"),
        ),
        title=_l("志愿者"),
    )
    for volunteer in volunteers:
        data.add(
            (
                volunteer.name,
                volunteer.category.label,
                volunteer.masked_phone,
                volunteer.skills,
                volunteer.availability,
                one_decimal(hours.get(volunteer.id, 0.0)),
                _("在册") if volunteer.is_active else _("已停用"),
                volunteer.unit.name,
            )
        )
    return finish(data, "volunteers", fmt)


# --- statistics --------------------------------------------------------------------------
