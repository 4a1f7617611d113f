"""Supervision records (督导记录): the list, a record's page, and the tutor's form."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from casework.accounts.models import Role, User
from casework.accounts.permissions import casework_unit_ids
from casework.accounts.queries import front_line_staff
from casework.cases import wording
from casework.cases.models import INACTIVE_STATUSES, Case
from casework.cases.permissions import cases_visible_to
from casework.core.actions import done, form_status, report_refusal
from casework.core.clock import local_today
from casework.core.forms import SelectChoice
from casework.core.i18n import with_note
from casework.core.inputs import db_int
from casework.core.permissions import require
from casework.extensions import db
from casework.orgs.models import Unit
from casework.supervision import services
from casework.supervision.forms import SupervisionRecordForm
from casework.supervision.models import SupervisionForm, SupervisionSession, supervision_cases
from casework.supervision.permissions import (
    can_edit_supervision,
    can_read_supervision,
    can_record_supervision,
    supervision_visible_to,
)

bp = Blueprint("supervision", __name__, url_prefix="/supervision")

PER_PAGE = 25
DEFAULT_MINUTES = 60


def _visible_record_or_404(record_id: int) -> SupervisionSession:
    record: SupervisionSession = db.first_or_404(
        supervision_visible_to(current_user).where(SupervisionSession.id == record_id)
    )
    return record


def _date_arg(name: str) -> date | None:
    """A date filter from the query string; anything unreadable means no filter."""
    try:
        return date.fromisoformat(request.args.get(name) or "")
    except ValueError:
        return None


def _units(unit_ids: list[int]) -> list[Unit]:
    if not unit_ids:
        return []
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(unit_ids)).order_by(Unit.code)))


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    """The records the user may read, newest first, filtered by unit and dates."""
    require(can_read_supervision(current_user))
    unit_id = request.args.get("unit", type=db_int)
    start, end = _date_arg("from"), _date_arg("to")
    query = supervision_visible_to(current_user)
    if unit_id is not None:
        query = query.where(SupervisionSession.unit_id == unit_id)
    if start is not None:
        query = query.where(SupervisionSession.held_on >= start)
    if end is not None:
        query = query.where(SupervisionSession.held_on <= end)
    page = db.paginate(
        query.options(
            selectinload(SupervisionSession.tutor),
            selectinload(SupervisionSession.unit),
            selectinload(SupervisionSession.workers),
        ).order_by(SupervisionSession.held_on.desc(), SupervisionSession.id.desc()),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template(
        "supervision/index.html",
        page=page,
        units=_units(casework_unit_ids(current_user)),
        unit_id=unit_id,
        start=start,
        end=end,
        can_record=can_record_supervision(current_user),
    )


@bp.get("/<int:record_id>")
@login_required
def detail(record_id: int) -> ResponseReturnValue:
    record = _visible_record_or_404(record_id)
    # Only the cases the reader may open are named: a record is no back door to a case.
    discussed = db.session.scalars(
        cases_visible_to(current_user)
        .where(
            Case.id.in_(
                select(supervision_cases.c.case_id).where(
                    supervision_cases.c.supervision_id == record.id
                )
            )
        )
        .order_by(Case.number)
    ).all()
    # Judgemental wording in the notes, as on a case's records (a hint, never a refusal).
    hints = wording.matcher().by_field(
        [
            (_("督导议题"), record.topics),
            (_("督导意见与建议"), record.advice),
            (_("商定的跟进事项"), record.follow_up),
        ]
    )
    return render_template(
        "supervision/detail.html",
        record=record,
        discussed=discussed,
        hints={f"supervision-{record.id}": hints} if hints else {},
        can_edit=can_edit_supervision(current_user, record),
    )


# --- the tutor's form --------------------------------------------------------------------


def _open_cases(unit: Unit) -> Select[Case]:
    return (
        cases_visible_to(current_user)
        .where(Case.unit_id == unit.id, Case.status.not_in(INACTIVE_STATUSES))
        .order_by(Case.number)
    )


def _fill_choices(
    form: SupervisionRecordForm, unit: Unit, record: SupervisionSession | None = None
) -> None:
    """The unit's workers and head, and its open cases by number and summary (no names).

    On an edit, whoever and whatever the record already names stays selectable, even if
    the worker has left or the case has since been closed.
    """
    workers = front_line_staff([unit.id])
    cases = list(db.session.scalars(_open_cases(unit)))
    if record is not None:
        workers += [w for w in record.workers if w not in workers]
        cases += [c for c in record.cases if c not in cases]
    form.worker_ids.choices = [
        SelectChoice(
            str(worker.id),
            worker.display_name
            if worker.role is Role.SOCIAL_WORKER
            else with_note(worker.display_name, worker.role.label),
        )
        for worker in workers
    ]
    form.case_ids.choices = [
        SelectChoice(str(case.id), f"{case.number} {case.summary}") for case in cases
    ]


def _details(form: SupervisionRecordForm) -> services.SupervisionDetails:
    # Both fields are DataRequired: a validated form has them.
    return services.SupervisionDetails(
        held_on=form.held_on.data,  # type: ignore[arg-type]
        form=SupervisionForm.of(form.form.data or ""),
        duration_minutes=form.duration_minutes.data,  # type: ignore[arg-type]
        topics=form.topics.data or "",
        advice=form.advice.data or "",
        follow_up=form.follow_up.data or "",
        place=form.place.data or "",
    )


def _chosen(form: SupervisionRecordForm) -> tuple[list[User], list[Case]]:
    """The ticked workers and cases; the form's choices already limit them to the unit."""
    worker_ids = form.worker_ids.data or []
    case_ids = form.case_ids.data or []
    workers = list(db.session.scalars(select(User).where(User.id.in_(worker_ids))))
    cases = list(
        db.session.scalars(
            cases_visible_to(current_user).where(Case.id.in_(case_ids)).order_by(Case.number)
        )
    )
    return workers, cases


def _form_page(
    form: SupervisionRecordForm,
    unit: Unit,
    record: SupervisionSession | None,
    status: int,
) -> ResponseReturnValue:
    return render_template(
        "supervision/form.html",
        form=form,
        unit=unit,
        record=record,
        can_change_unit=record is None and len(current_user.supervised_units) > 1,
    ), status


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    """A tutor records a session: first the unit (a plain GET), then the record itself."""
    require(can_record_supervision(current_user))
    units: list[Unit] = list(current_user.supervised_units)
    unit_id = request.args.get("unit", type=db_int)
    if unit_id is None and len(units) == 1:
        unit_id = units[0].id
    if unit_id is None:
        return render_template("supervision/choose_unit.html", units=units)
    supervised = {candidate.id: candidate for candidate in units}
    require(unit_id in supervised)
    unit = supervised[unit_id]
    form = SupervisionRecordForm()
    _fill_choices(form, unit)
    if request.method == "GET":
        form.held_on.data = local_today()
        form.form.data = SupervisionForm.INDIVIDUAL.value
        form.duration_minutes.data = DEFAULT_MINUTES
        # From a case page: that case ticked (ignored unless it is one of the choices).
        preselected = request.args.get("case", type=db_int)
        if preselected is not None:
            form.case_ids.data = [preselected]
    if not form.validate_on_submit():
        return _form_page(form, unit, None, form_status())
    workers, cases = _chosen(form)
    try:
        record = services.record_supervision(
            tutor=current_user, unit=unit, details=_details(form), workers=workers, cases=cases
        )
    except services.SupervisionRuleError as error:
        report_refusal(error)
        return _form_page(form, unit, None, 422)
    return done(_("督导记录已保存。"), url_for("supervision.detail", record_id=record.id))


@bp.route("/<int:record_id>/edit", methods=["GET", "POST"])
@login_required
def edit(record_id: int) -> ResponseReturnValue:
    record = _visible_record_or_404(record_id)
    require(can_edit_supervision(current_user, record))
    form = SupervisionRecordForm()
    _fill_choices(form, record.unit, record)
    if request.method == "GET":
        form.held_on.data = record.held_on
        form.form.data = record.form.value
        form.duration_minutes.data = record.duration_minutes
        form.place.data = record.place
        form.worker_ids.data = [worker.id for worker in record.workers]
        form.case_ids.data = [case.id for case in record.cases]
        form.topics.data = record.topics
        form.advice.data = record.advice
        form.follow_up.data = record.follow_up
    if not form.validate_on_submit():
        return _form_page(form, record.unit, record, form_status())
    workers, cases = _chosen(form)
    try:
        services.update_supervision(
            tutor=current_user, session=record, details=_details(form), workers=workers, cases=cases
        )
    except services.SupervisionRuleError as error:
        report_refusal(error)
        return _form_page(form, record.unit, record, 422)
    return done(_("督导记录已保存。"), url_for("supervision.detail", record_id=record.id))
