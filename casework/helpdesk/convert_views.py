"""Converting a help request into a case (registering the person first when needed), on the
helpdesk blueprint."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import Select, or_

from casework.accounts.models import User
from casework.cases import services as case_services
from casework.cases.enums import CaseSource, ProblemCategory, RiskLevel, ServiceDomain
from casework.cases.forms import OpenCaseForm, default_tutor_id, fill_staff_choices
from casework.cases.permissions import can_open_case
from casework.core.actions import done, form_page, report_refusal
from casework.core.clock import local_today
from casework.core.crypto import blind_candidates
from casework.core.forms import SelectChoice, add_error
from casework.core.inputs import db_int
from casework.core.permissions import require
from casework.extensions import db
from casework.helpdesk import queries, services
from casework.helpdesk.models import (
    HelpRequest,
    RequestCategory,
)
from casework.helpdesk.views import bp, handled_request_or_403
from casework.people import services as people_services
from casework.people.forms import PersonForm
from casework.people.models import ConsentBasis, Gender, ServiceUser
from casework.people.permissions import people_visible_to
from casework.people.views import search_condition

CASE_SUMMARY_LENGTH = 60
CANDIDATE_LIMIT = 20

# The problem category a request's category plainly names, ticked for the worker to check.
# Domain and risk level are never pre-selected: the worker judges them from the request.
SUGGESTED_PROBLEMS: dict[RequestCategory, tuple[ProblemCategory, ...]] = {
    RequestCategory.LIVELIHOOD: (ProblemCategory.LIVELIHOOD,),
    RequestCategory.HEALTH: (ProblemCategory.HEALTH_CARE,),
    RequestCategory.EDUCATION: (ProblemCategory.EDUCATION,),
}


def _case_form(help_request: HelpRequest) -> OpenCaseForm:
    form = OpenCaseForm()
    tutors = fill_staff_choices(form, help_request.unit_id)
    if request.method == "GET":
        form.worker_id.data = help_request.assigned_to_id or current_user.id
        form.tutor_id.data = default_tutor_id(tutors)
        form.source.data = services.case_source_for(help_request).value
        form.summary.data = queries.excerpt(help_request.description, CASE_SUMMARY_LENGTH)
        problems = SUGGESTED_PROBLEMS.get(help_request.category, ())
        form.problems.data = [problem.value for problem in problems]
    return form


def _case_details(form: OpenCaseForm) -> case_services.CaseDetails:
    return case_services.CaseDetails(
        domain=ServiceDomain.of(form.domain.data or ""),
        source=CaseSource.of(form.source.data or ""),
        risk_level=RiskLevel.of(form.risk_level.data or ""),
        summary=form.summary.data or "",
        problems=[ProblemCategory.of(value) for value in form.problems.data or []],
    )


def _person_form(help_request: HelpRequest) -> PersonForm:
    form = PersonForm()
    form.tag_ids.choices = [
        SelectChoice(str(tag.id), tag.name) for tag in people_services.active_tags()
    ]
    if request.method == "GET":
        # The name a resident gives on the form is often a form of address ("何女士"): the
        # record needs the legal name, which the worker asks for (the page shows the former).
        form.phone.data = help_request.phone
        form.consent_given_on.data = local_today()
    return form


def _person_details(form: PersonForm) -> people_services.PersonDetails:
    tags = {tag.id: tag for tag in people_services.active_tags()}
    return people_services.PersonDetails(
        name=form.name.data or "",
        gender=Gender.of(form.gender.data) if form.gender.data else None,
        birth_date=form.birth_date.data,
        id_number=form.id_number.data or None,
        phone=form.phone.data,
        address=form.address.data,
        notes=form.notes.data,
        consent_given_on=form.consent_given_on.data,
        consent_basis=ConsentBasis.of(form.consent_basis.data or ""),
        tags=[tags[tag_id] for tag_id in form.tag_ids.data or [] if tag_id in tags],
    )


def _open_case(
    help_request: HelpRequest, person: ServiceUser, form: OpenCaseForm
) -> ResponseReturnValue | None:
    """Convert; None when a rule refused (the caller shows the form again)."""
    worker = db.get_or_404(User, form.worker_id.data)
    tutor = db.session.get(User, form.tutor_id.data) if form.tutor_id.data else None
    try:
        case = services.convert_to_case(
            actor=current_user,
            request=help_request,
            person=person,
            details=_case_details(form),
            worker=worker,
            tutor=tutor,
        )
    except services.RequestRuleError as error:
        report_refusal(error)
        return None
    return done(
        _("已转为个案 %(number)s，求助内容已记入接案登记表。", number=case.number),
        url_for("cases.detail", case_id=case.id),
    )


def _candidates(
    help_request: HelpRequest, scope: Select[ServiceUser], term: str
) -> list[ServiceUser]:
    conditions = []
    if term:
        conditions.append(search_condition(term))
    if help_request.phone:
        conditions.append(
            ServiceUser.phone_index.in_(blind_candidates(help_request.phone, "phone"))
        )
    if not conditions:
        return []
    query = scope.where(or_(*conditions)).order_by(ServiceUser.name, ServiceUser.id)  # type: ignore[arg-type]
    return list(db.session.scalars(query.limit(CANDIDATE_LIMIT)))


@bp.route("/<int:request_id>/convert", methods=["GET", "POST"])
@login_required
def convert(request_id: int) -> ResponseReturnValue:
    """Open a case from the request: pick a registered person or register one, then the case."""
    help_request = handled_request_or_403(request_id)
    require(can_open_case(current_user))
    if not help_request.is_active:
        flash(
            _("求助当前为“%(status)s”，不能转为个案。", status=help_request.status.label),
            "warning",
        )
        return redirect(url_for("helpdesk.detail", request_id=help_request.id))
    scope = people_visible_to(current_user).where(ServiceUser.unit_id == help_request.unit_id)
    person_id = request.args.get("person", type=db_int)
    if person_id:
        person: ServiceUser = db.first_or_404(scope.where(ServiceUser.id == person_id))
        return _convert_for_person(help_request, person)
    if request.args.get("new") == "1":
        return _convert_for_new_person(help_request, scope)
    term = (request.args.get("q", help_request.name or "")).strip()[:50]
    return render_template(
        "helpdesk/convert_choose.html",
        help_request=help_request,
        term=term,
        candidates=_candidates(help_request, scope, term),
    )


def _convert_for_person(help_request: HelpRequest, person: ServiceUser) -> ResponseReturnValue:
    form = _case_form(help_request)
    context = {"help_request": help_request, "person": person, "form": form}
    if not form.validate_on_submit():
        return form_page("helpdesk/convert_case.html", **context)
    return _open_case(help_request, person, form) or (
        render_template("helpdesk/convert_case.html", **context),
        422,
    )


def _convert_for_new_person(
    help_request: HelpRequest, scope: Select[ServiceUser]
) -> ResponseReturnValue:
    person_form = _person_form(help_request)
    form = _case_form(help_request)
    context: dict[str, object] = {
        "help_request": help_request,
        "person": None,
        "person_form": person_form,
        "form": form,
        "duplicates": [],
    }
    person_valid = person_form.validate_on_submit()
    case_valid = form.validate_on_submit()
    if not (person_valid and case_valid):
        return form_page("helpdesk/convert_case.html", **context)
    duplicates = people_services.find_possible_duplicates(
        scope,
        name=person_form.name.data or "",
        birth_date=person_form.birth_date.data,
        id_number=person_form.id_number.data,
    )
    context["duplicates"] = duplicates
    if duplicates and not person_form.confirm_not_duplicate.data:
        return render_template("helpdesk/convert_case.html", **context), 409
    try:
        person = people_services.register_person(
            actor=current_user, unit=help_request.unit, details=_person_details(person_form)
        )
    except people_services.PersonError as error:
        db.session.rollback()
        field = (
            person_form.birth_date if error.code == "birth_date_mismatch" else person_form.id_number
        )
        add_error(field, error.message)
        return render_template("helpdesk/convert_case.html", **context), 422
    return _open_case(help_request, person, form) or (
        render_template("helpdesk/convert_case.html", **context),
        422,
    )
