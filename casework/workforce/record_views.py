"""The records in a personnel file (certificates, registration, employment, exams, awards,
continuing education), on the workforce blueprint."""

from __future__ import annotations

from decimal import Decimal

from flask import flash, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from casework.accounts.forms import ActionForm
from casework.core.actions import done, form_status, report_refusal
from casework.core.permissions import require
from casework.extensions import db
from casework.workforce import services
from casework.workforce.forms import (
    AwardForm,
    CertificateForm,
    EducationEntryForm,
    EmploymentForm,
    ExamForm,
    RegistrationForm,
)
from casework.workforce.models import (
    AwardRecord,
    Certificate,
    CertificateLevel,
    ContinuingEducationEntry,
    EducationKind,
    EmploymentRecord,
    ExamRecord,
    WorkerProfile,
)
from casework.workforce.permissions import (
    can_edit_profile,
    profiles_visible_to,
)
from casework.workforce.views import (
    bp,
    editable_profile_or_404,
    form_page,
    profile_crumbs,
)


@bp.route("/profiles/<int:profile_id>/certificates/new", methods=["GET", "POST"])
@login_required
def new_certificate(profile_id: int) -> ResponseReturnValue:
    profile = editable_profile_or_404(profile_id)
    form = CertificateForm()
    page = {
        "heading": _("添加职业水平证书"),
        "back": url_for("workforce.profile", profile_id=profile.id),
        "crumbs": profile_crumbs(profile),
        "help_texts": {"registered_on": _("取得证书后一年内应办理登记；尚未登记的留空。")},
    }
    if not form.validate_on_submit():
        return form_page(form, status=form_status(), **page)
    try:
        services.add_certificate(
            profile,
            level=CertificateLevel.of(form.level.data or ""),
            certificate_number=form.certificate_number.data or "",
            obtained_on=form.obtained_on.data,  # type: ignore[arg-type]  # DataRequired
            registration_number=form.registration_number.data or None,
            registered_on=form.registered_on.data,
            actor=current_user,
        )
    except services.WorkforceError as error:
        report_refusal(error, form.certificate_number)
        return form_page(form, status=422, **page)
    return done(_("证书已添加。"), url_for("workforce.profile", profile_id=profile.id))


def _editable_certificate_or_404(certificate_id: int) -> Certificate:
    certificate: Certificate = db.first_or_404(
        select(Certificate)
        .where(Certificate.id == certificate_id)
        .where(
            Certificate.profile_id.in_(
                profiles_visible_to(current_user).with_only_columns(WorkerProfile.id)
            )
        )
    )
    require(can_edit_profile(current_user, certificate.profile))
    return certificate


@bp.route("/certificates/<int:certificate_id>/registration", methods=["GET", "POST"])
@login_required
def registration(certificate_id: int) -> ResponseReturnValue:
    certificate = _editable_certificate_or_404(certificate_id)
    profile = certificate.profile
    form = RegistrationForm()
    if request.method == "GET":
        form.registration_number.data = certificate.registration_number
        form.registered_on.data = certificate.registered_on
        form.last_reregistered_on.data = certificate.last_reregistered_on
    page = {
        "heading": _("登记与再登记：%(number)s", number=certificate.certificate_number),
        "back": url_for("workforce.profile", profile_id=profile.id),
        "crumbs": profile_crumbs(profile),
        "help_texts": {
            "last_reregistered_on": _("每三年再登记一次；再登记日期开始新的继续教育周期。")
        },
    }
    if not form.validate_on_submit():
        return form_page(form, status=form_status(), **page)
    try:
        services.record_registration(
            certificate,
            actor=current_user,
            registration_number=form.registration_number.data,
            registered_on=form.registered_on.data,
            last_reregistered_on=form.last_reregistered_on.data,
        )
    except services.WorkforceError as error:
        report_refusal(error, form.registered_on)
        return form_page(form, status=422, **page)
    return done(_("登记信息已保存。"), url_for("workforce.profile", profile_id=profile.id))


@bp.post("/certificates/<int:certificate_id>/delete")
@login_required
def delete_certificate(certificate_id: int) -> ResponseReturnValue:
    certificate = _editable_certificate_or_404(certificate_id)
    profile_id = certificate.profile_id
    if ActionForm().validate_on_submit():
        services.remove_certificate(certificate, actor=current_user)
        db.session.commit()
        flash(_("证书已删除。"), "success")
    return redirect(url_for("workforce.profile", profile_id=profile_id))


@bp.route("/profiles/<int:profile_id>/employment/new", methods=["GET", "POST"])
@login_required
def new_employment(profile_id: int) -> ResponseReturnValue:
    profile = editable_profile_or_404(profile_id)
    form = EmploymentForm()
    page = {
        "heading": _("添加工作经历"),
        "back": url_for("workforce.profile", profile_id=profile.id),
        "crumbs": profile_crumbs(profile),
    }
    if not form.validate_on_submit():
        return form_page(form, status=form_status(), **page)
    try:
        services.add_employment_record(
            profile,
            actor=current_user,
            employer=form.employer.data or "",
            position=form.position.data,
            started_on=form.started_on.data,  # type: ignore[arg-type]  # DataRequired
            ended_on=form.ended_on.data,
        )
    except services.WorkforceError as error:
        report_refusal(error, form.ended_on)
        return form_page(form, status=422, **page)
    return done(
        _("工作经历已添加。"),
        url_for("workforce.profile", profile_id=profile.id, _anchor="employment"),
    )


@bp.route("/profiles/<int:profile_id>/exams/new", methods=["GET", "POST"])
@login_required
def new_exam(profile_id: int) -> ResponseReturnValue:
    profile = editable_profile_or_404(profile_id)
    form = ExamForm()
    page = {
        "heading": _("添加职业水平考试记录"),
        "back": url_for("workforce.profile", profile_id=profile.id),
        "crumbs": profile_crumbs(profile),
        "help_texts": {"subjects_passed": _("例如：社会工作综合能力、社会工作实务")},
    }
    if not form.validate_on_submit():
        return form_page(form, status=form_status(), **page)
    try:
        services.add_exam_record(
            profile,
            actor=current_user,
            year=int(form.year.data or 0),
            level=CertificateLevel.of(form.level.data or ""),
            subjects_passed=form.subjects_passed.data,
            is_passed=bool(form.is_passed.data),
        )
    except services.WorkforceError as error:
        report_refusal(error, form.year)
        return form_page(form, status=422, **page)
    return done(
        _("考试记录已添加。"), url_for("workforce.profile", profile_id=profile.id, _anchor="exams")
    )


@bp.route("/profiles/<int:profile_id>/awards/new", methods=["GET", "POST"])
@login_required
def new_award(profile_id: int) -> ResponseReturnValue:
    profile = editable_profile_or_404(profile_id)
    form = AwardForm()
    page = {
        "heading": _("添加奖励与考核"),
        "back": url_for("workforce.profile", profile_id=profile.id),
        "crumbs": profile_crumbs(profile),
    }
    if not form.validate_on_submit():
        return form_page(form, status=form_status(), **page)
    services.add_award_record(
        profile,
        actor=current_user,
        title=form.title.data or "",
        awarded_by=form.awarded_by.data,
        awarded_on=form.awarded_on.data,  # type: ignore[arg-type]  # DataRequired
    )
    return done(
        _("奖励与考核记录已添加。"),
        url_for("workforce.profile", profile_id=profile.id, _anchor="awards"),
    )


@bp.post("/profiles/<int:profile_id>/<kind>/<int:record_id>/delete")
@login_required
def delete_record(profile_id: int, kind: str, record_id: int) -> ResponseReturnValue:
    profile = editable_profile_or_404(profile_id)
    model = RECORD_KINDS.get(kind)
    if model is None:
        return redirect(url_for("workforce.profile", profile_id=profile.id))
    record = db.first_or_404(
        select(model).where(model.id == record_id, model.profile_id == profile.id)
    )
    if ActionForm().validate_on_submit():
        services.remove_profile_record(record, actor=current_user)
        db.session.commit()
        flash(_("记录已删除。"), "success")
    return redirect(url_for("workforce.profile", profile_id=profile.id))


@bp.route("/profiles/<int:profile_id>/education/new", methods=["GET", "POST"])
@login_required
def new_education(profile_id: int) -> ResponseReturnValue:
    profile = editable_profile_or_404(profile_id)
    form = EducationEntryForm()
    page = {
        "heading": _("添加继续教育学时"),
        "back": url_for("workforce.profile", profile_id=profile.id),
        "crumbs": profile_crumbs(profile),
        "help_texts": {
            "hours": _("学历教育不填学时：毕业后一次计 90 学时，每个登记周期只计一次。"),
            "evidence": _("证明材料的名称或编号，例如结业证书编号；原件由本单位存档。"),
        },
    }
    if not form.validate_on_submit():
        return form_page(form, status=form_status(), **page)
    hours = form.hours.data
    try:
        services.add_education_entry(
            profile,
            actor=current_user,
            kind=EducationKind.of(form.kind.data or ""),
            title=form.title.data or "",
            provider=form.provider.data,
            started_on=form.started_on.data,  # type: ignore[arg-type]  # DataRequired
            ended_on=form.ended_on.data,
            hours=Decimal(hours) if hours is not None else None,
            is_degree_completed=bool(form.is_degree_completed.data),
            evidence=form.evidence.data,
        )
    except services.WorkforceError as error:
        field = {"invalid_hours": form.hours, "ends_before_start": form.ended_on}.get(
            error.code, form.ended_on
        )
        report_refusal(error, field)
        return form_page(form, status=422, **page)
    return done(
        _("继续教育学时已登记。"),
        url_for("workforce.profile", profile_id=profile.id, _anchor="education"),
    )


@bp.post("/education/<int:entry_id>/delete")
@login_required
def delete_education(entry_id: int) -> ResponseReturnValue:
    entry: ContinuingEducationEntry = db.first_or_404(
        select(ContinuingEducationEntry).where(
            ContinuingEducationEntry.id == entry_id,
            ContinuingEducationEntry.profile_id.in_(
                profiles_visible_to(current_user).with_only_columns(WorkerProfile.id)
            ),
        )
    )
    require(can_edit_profile(current_user, entry.profile))
    profile_id = entry.profile_id
    if ActionForm().validate_on_submit():
        try:
            services.remove_education_entry(entry, actor=current_user)
        except services.WorkforceError as error:
            report_refusal(error)
            return redirect(url_for("workforce.profile", profile_id=profile_id))
        db.session.commit()
        flash(_("继续教育记录已删除。"), "success")
    return redirect(url_for("workforce.profile", profile_id=profile_id, _anchor="education"))


RECORD_KINDS: dict[str, type[EmploymentRecord | ExamRecord | AwardRecord]] = {
    "employment": EmploymentRecord,
    "exam": ExamRecord,
    "award": AwardRecord,
}
