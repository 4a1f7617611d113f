"""Agencies (民办社会工作服务机构), service projects (服务项目) and their evaluations."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from flask import Blueprint, abort, request, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import pgettext
from flask_login import current_user, login_required

from casework.attachments.forms import AttachmentForm
from casework.attachments.services import AttachmentRejected, stored_path
from casework.core import exports
from casework.core.actions import done, form_page, report_refusal
from casework.core.clock import local_today
from casework.core.forms import SelectChoice, add_error
from casework.core.pdf import pdf_download, render_pdf
from casework.core.permissions import require
from casework.evidence.permissions import can_request_evidence_pack
from casework.extensions import db
from casework.orgs.models import Unit
from casework.projects import queries, services
from casework.projects.forms import (
    AgencyForm,
    FundForm,
    IndicatorsForm,
    MilestoneForm,
    ProjectForm,
    TargetsForm,
    evaluation_form,
    to_fen,
)
from casework.projects.models import (
    Agency,
    FundSource,
    MilestoneKind,
    Project,
    ProjectDocument,
    ProjectEvaluation,
    ProjectFund,
    QualificationLevel,
)
from casework.projects.permissions import (
    agencies_visible_to,
    can_edit_agency,
    can_edit_project,
    can_list_projects,
    can_manage_projects,
    projects_visible_to,
)
from casework.projects.progress import (
    project_progress,
    project_shown,
    shown_to,
    time_elapsed_percent,
)

bp = Blueprint("projects", __name__, url_prefix="/projects")

NEW_UNIT = 0


@bp.app_template_filter("yuan")
def _yuan(fen: int) -> str:
    return queries.yuan(fen)


def _project_or_404(project_id: int) -> Project:
    project: Project = db.first_or_404(
        projects_visible_to(current_user).where(Project.id == project_id)
    )
    return project


def _agency_or_404(agency_id: int) -> Agency:
    agency: Agency = db.first_or_404(
        agencies_visible_to(current_user).where(Agency.id == agency_id)
    )
    return agency


def _editable_project(project_id: int) -> Project:
    project = _project_or_404(project_id)
    require(can_edit_project(current_user, project))
    return project


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    """The projects the user may see, with their progress, and the bureau's agencies."""
    require(can_list_projects(current_user))
    today = local_today()
    projects = queries.visible_projects(current_user)
    agencies = queries.visible_agencies(current_user)
    return form_page(
        "projects/index.html",
        projects=projects,
        agencies=agencies,
        agency_projects=queries.projects_by_agency(agencies, current_user),
        elapsed={project.id: time_elapsed_percent(project, today) for project in projects},
        can_manage=can_manage_projects(current_user),
    )


# --- agencies ----------------------------------------------------------------------------


def _agency_form(agency: Agency | None) -> AgencyForm:
    form = AgencyForm(obj=agency) if agency is not None else AgencyForm()
    if agency is not None:
        if request.method == "GET":
            form.qualification.data = agency.qualification.value
        for name in ("unit", "parent", "unit_name", "unit_code"):
            delattr(form, name)
        return form
    form.unit.choices = [SelectChoice(NEW_UNIT, _("新建机构单位"))] + [
        SelectChoice(unit.id, unit.name)
        for unit in queries.agency_units_without_record(current_user)
    ]
    form.parent.choices = [
        SelectChoice(unit.id, unit.name) for unit in queries.bureaus_of(current_user)
    ]
    if request.method == "GET":
        form.parent.data = current_user.unit_id
    return form


def _agency_details(form: AgencyForm) -> services.AgencyDetails:
    return services.AgencyDetails(
        credit_code=form.credit_code.data or "",
        registration_authority=form.registration_authority.data or "",
        legal_representative=form.legal_representative.data or "",
        founded_on=form.founded_on.data,  # type: ignore[arg-type]  # required
        qualification=QualificationLevel.of(form.qualification.data or "none"),
    )


def _refuse_agency(error: services.ProjectRuleError, form: AgencyForm) -> None:
    fields: dict[str, Any] = {
        "credit_code": form.credit_code,
        "credit_code_taken": form.credit_code,
    }
    if hasattr(form, "unit_code"):
        fields |= {"unit_code": form.unit_code, "unit": form.unit, "parent": form.parent}
    report_refusal(error, fields.get(error.code))


@bp.route("/agencies/new", methods=["GET", "POST"])
@login_required
def new_agency() -> ResponseReturnValue:
    require(can_manage_projects(current_user))
    form = _agency_form(None)
    if not form.validate_on_submit():
        return form_page("projects/agency_form.html", form=form, agency=None)
    units = {unit.id: unit for unit in queries.agency_units_without_record(current_user)}
    bureaus = {unit.id: unit for unit in queries.bureaus_of(current_user)}
    unit = units.get(form.unit.data) if form.unit.data != NEW_UNIT else None
    if form.unit.data != NEW_UNIT and unit is None:
        abort(404)
    if unit is None and not (
        (form.unit_name.data or "").strip() and (form.unit_code.data or "").strip()
    ):
        form.unit_name.errors = [_("新建机构时请填写机构名称和单位编码。")]
        return form_page("projects/agency_form.html", form=form, agency=None)
    try:
        agency = services.create_agency(
            actor=current_user,
            details=_agency_details(form),
            unit=unit,
            new_unit_parent=bureaus.get(form.parent.data),
            new_unit_name=form.unit_name.data or "",
            new_unit_code=form.unit_code.data or "",
        )
    except services.ProjectRuleError as error:
        _refuse_agency(error, form)
        return form_page("projects/agency_form.html", form=form, agency=None)
    return done(_("机构已登记。"), url_for("projects.agency", agency_id=agency.id))


@bp.get("/agencies/<int:agency_id>")
@login_required
def agency(agency_id: int) -> ResponseReturnValue:
    """An agency's registration, staff, the stations and projects it runs and its results."""
    found = _agency_or_404(agency_id)
    today = local_today()
    projects = queries.agency_projects(found, current_user)
    return form_page(
        "projects/agency.html",
        agency=found,
        projects=projects,
        staff=queries.staff_counts(found, today),
        shown=shown_to(current_user, queries.agency_unit_ids(found)),
        stations=queries.stations_run(projects),
        results=queries.results_by_year(projects),
        can_edit=can_edit_agency(current_user, found),
    )


@bp.route("/agencies/<int:agency_id>/edit", methods=["GET", "POST"])
@login_required
def edit_agency(agency_id: int) -> ResponseReturnValue:
    found = _agency_or_404(agency_id)
    require(can_edit_agency(current_user, found))
    form = _agency_form(found)
    if not form.validate_on_submit():
        return form_page("projects/agency_form.html", form=form, agency=found)
    try:
        services.update_agency(actor=current_user, agency=found, details=_agency_details(form))
    except services.ProjectRuleError as error:
        _refuse_agency(error, form)
        return form_page("projects/agency_form.html", form=form, agency=found)
    return done(_("机构信息已保存。"), url_for("projects.agency", agency_id=found.id))


# --- projects ----------------------------------------------------------------------------


def _project_form(project: Project | None) -> ProjectForm:
    form = ProjectForm()
    form.purchaser.choices = [
        SelectChoice(unit.id, unit.name) for unit in queries.bureaus_of(current_user)
    ]
    form.agency.choices = [
        SelectChoice(agency.id, agency.name) for agency in queries.visible_agencies(current_user)
    ]
    form.units.choices = [
        SelectChoice(unit.id, unit.name) for unit in queries.service_units_of(current_user)
    ]
    if request.method == "GET" and project is not None:
        form.name.data = project.name
        form.purchaser.data = project.purchaser_id
        form.agency.data = project.agency_id
        form.units.data = [unit.id for unit in project.units]
        form.contract_number.data = project.contract_number
        form.starts_on.data = project.starts_on
        form.ends_on.data = project.ends_on
        form.budget.data = Decimal(project.budget_fen) / 100
    return form


def _project_details(form: ProjectForm) -> services.ProjectDetails | None:
    """The form's choices as records, or None when one is not the user's to choose (404)."""
    bureaus = {unit.id: unit for unit in queries.bureaus_of(current_user)}
    agencies = {agency.id: agency for agency in queries.visible_agencies(current_user)}
    units = {unit.id: unit for unit in queries.service_units_of(current_user)}
    purchaser = bureaus.get(form.purchaser.data)
    agency = agencies.get(form.agency.data)
    chosen = [units.get(unit_id) for unit_id in form.units.data or []]
    if purchaser is None or agency is None or any(unit is None for unit in chosen):
        return None
    return services.ProjectDetails(
        name=form.name.data or "",
        purchaser=purchaser,
        agency=agency,
        units=[unit for unit in chosen if unit is not None],
        contract_number=form.contract_number.data or "",
        starts_on=form.starts_on.data,  # type: ignore[arg-type]  # required
        ends_on=form.ends_on.data,  # type: ignore[arg-type]  # required
        budget_fen=to_fen(form.budget.data or Decimal(0)),
    )


def _refuse_project(error: services.ProjectRuleError, form: ProjectForm) -> None:
    fields: dict[str, Any] = {
        "period": form.ends_on,
        "purchaser": form.purchaser,
        "budget": form.budget,
        "units": form.units,
        "contract_number": form.contract_number,
    }
    report_refusal(error, fields.get(error.code))


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new_project() -> ResponseReturnValue:
    require(can_manage_projects(current_user))
    form = _project_form(None)
    if not form.validate_on_submit():
        return form_page("projects/project_form.html", form=form, project=None)
    details = _project_details(form)
    if details is None:
        abort(404)
    try:
        project = services.create_project(actor=current_user, details=details)
    except services.ProjectRuleError as error:
        _refuse_project(error, form)
        return form_page("projects/project_form.html", form=form, project=None)
    return done(
        _("项目已创建，请设置合同指标。"), url_for("projects.targets", project_id=project.id)
    )


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@login_required
def edit_project(project_id: int) -> ResponseReturnValue:
    project = _editable_project(project_id)
    form = _project_form(project)
    if not form.validate_on_submit():
        return form_page("projects/project_form.html", form=form, project=project)
    details = _project_details(form)
    if details is None:
        abort(404)
    try:
        services.update_project(actor=current_user, project=project, details=details)
    except services.ProjectRuleError as error:
        _refuse_project(error, form)
        return form_page("projects/project_form.html", form=form, project=project)
    return done(_("项目已保存。"), url_for("projects.detail", project_id=project.id))


def _detail_page(
    project: Project,
    fund_form: FundForm | None = None,
    milestone_form: MilestoneForm | None = None,
    document_form: AttachmentForm | None = None,
) -> ResponseReturnValue:
    today = local_today()
    return form_page(
        "projects/detail.html",
        project=project,
        progress=project_progress(project, today),
        elapsed=time_elapsed_percent(project, today),
        shown=project_shown(current_user, project),
        fund_form=fund_form or FundForm(formdata=None),
        document_form=document_form or AttachmentForm(formdata=None),
        milestone_form=milestone_form or MilestoneForm(formdata=None),
        can_edit=can_edit_project(current_user, project),
        can_request_pack=can_request_evidence_pack(current_user),
        can_open_agency=db.session.scalar(
            agencies_visible_to(current_user).where(Agency.id == project.agency_id)
        )
        is not None,
        evidence_end=min(project.ends_on, today),
    )


@bp.get("/<int:project_id>")
@login_required
def detail(project_id: int) -> ResponseReturnValue:
    """A project: its contract, money, deliverables against target, milestones, evaluations."""
    return _detail_page(_project_or_404(project_id))


@bp.route("/<int:project_id>/targets", methods=["GET", "POST"])
@login_required
def targets(project_id: int) -> ResponseReturnValue:
    project = _editable_project(project_id)
    form = TargetsForm()
    if request.method == "GET":
        existing = {deliverable.kind: deliverable.target for deliverable in project.deliverables}
        for kind, field in form.target_fields():
            field.data = existing.get(kind)
    if not form.validate_on_submit():
        return form_page("projects/targets.html", form=form, project=project)
    try:
        services.set_targets(
            actor=current_user,
            project=project,
            targets={kind: field.data for kind, field in form.target_fields() if field.data},
        )
    except services.ProjectRuleError as error:
        report_refusal(error)
        return form_page("projects/targets.html", form=form, project=project)
    return done(_("合同指标已保存。"), url_for("projects.detail", project_id=project.id))


@bp.post("/<int:project_id>/funds")
@login_required
def add_fund(project_id: int) -> ResponseReturnValue:
    project = _editable_project(project_id)
    form = FundForm()
    if not form.validate_on_submit():
        return _detail_page(project, fund_form=form)
    try:
        services.add_fund(
            actor=current_user,
            project=project,
            source=FundSource.of(form.source.data or ""),
            amount_fen=to_fen(form.amount.data or Decimal(0)),
            received_on=form.received_on.data,  # type: ignore[arg-type]  # required
            note=(form.note.data or "").strip(),
        )
    except services.ProjectRuleError as error:
        report_refusal(error, form.amount)
        return _detail_page(project, fund_form=form)
    return done(_("到账资金已记录。"), url_for("projects.detail", project_id=project.id))


@bp.post("/<int:project_id>/funds/<int:fund_id>/remove")
@login_required
def remove_fund(project_id: int, fund_id: int) -> ResponseReturnValue:
    project = _editable_project(project_id)
    fund = next((item for item in project.funds if item.id == fund_id), None)
    if not isinstance(fund, ProjectFund):
        abort(404)
    services.remove_fund(actor=current_user, fund=fund)
    return done(_("到账记录已删除。"), url_for("projects.detail", project_id=project.id))


@bp.post("/<int:project_id>/milestones")
@login_required
def add_milestone(project_id: int) -> ResponseReturnValue:
    project = _editable_project(project_id)
    form = MilestoneForm()
    if not form.validate_on_submit():
        return _detail_page(project, milestone_form=form)
    services.add_milestone(
        actor=current_user,
        project=project,
        kind=MilestoneKind.of(form.kind.data or ""),
        held_on=form.held_on.data,  # type: ignore[arg-type]  # required
        findings=form.findings.data or "",
        score=form.score.data,
    )
    return done(_("评估节点已记录。"), url_for("projects.detail", project_id=project.id))


@bp.post("/<int:project_id>/documents")
@login_required
def add_document(project_id: int) -> ResponseReturnValue:
    """Upload a document of the project (contract, plan, evaluation papers)."""
    project = _editable_project(project_id)
    back = url_for("projects.detail", project_id=project.id) + "#documents"
    form = AttachmentForm()
    if not form.validate_on_submit():
        return _detail_page(project, document_form=form)
    try:
        services.add_document(
            actor=current_user,
            project=project,
            file_storage=form.file.data,
            description=form.description.data or "",
        )
    except AttachmentRejected as rejected:
        db.session.rollback()
        add_error(form.file, str(rejected.message))
        return _detail_page(project, document_form=form)
    return done(_("文件已上传。"), back)


def _document_or_404(project: Project, document_id: int) -> ProjectDocument:
    document = next((item for item in project.documents if item.id == document_id), None)
    if document is None:
        abort(404)
    return document


@bp.get("/<int:project_id>/documents/<int:document_id>")
@login_required
def document(project_id: int, document_id: int) -> ResponseReturnValue:
    """A document of a project the user may read, as a download (audited)."""
    found = _document_or_404(_project_or_404(project_id), document_id)
    path = stored_path(found.stored_name)
    if path is None:
        abort(404)
    services.record_document_download(actor=current_user, document=found)
    db.session.commit()
    response = send_file(
        path,
        mimetype=found.content_type,
        as_attachment=True,
        download_name=found.original_name,
        conditional=False,
        etag=False,
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:project_id>/documents/<int:document_id>/archive")
@login_required
def archive_document(project_id: int, document_id: int) -> ResponseReturnValue:
    project = _editable_project(project_id)
    services.archive_document(actor=current_user, document=_document_or_404(project, document_id))
    return done(_("文件已移除。"), url_for("projects.detail", project_id=project.id) + "#documents")


# --- evaluation --------------------------------------------------------------------------


def _indicator_rows(form: IndicatorsForm) -> list[tuple[str, int]]:
    """The rows filled in, as (name, weight); blank rows are left out."""
    rows: list[tuple[str, int]] = []
    for entry in form.rows:
        row: Any = entry
        name, weight = row.form.name.data or "", row.form.weight.data
        if name.strip() or weight is not None:
            rows.append((name, weight or 0))
    return rows


@bp.route("/indicators", methods=["GET", "POST"])
@login_required
def indicators() -> ResponseReturnValue:
    """The bureau's evaluation indicators and weights (summing to 100)."""
    require(can_manage_projects(current_user))
    bureau: Unit = current_user.unit
    current = services.active_indicators(bureau)
    form = IndicatorsForm()
    if request.method == "GET":
        for entry, indicator in zip(form.rows, current, strict=False):
            row: Any = entry
            row.form.name.data = indicator.name
            row.form.weight.data = indicator.weight
    if not form.validate_on_submit():
        return form_page("projects/indicators.html", form=form, bureau=bureau, current=current)
    try:
        services.set_indicators(
            actor=current_user,
            bureau=bureau,
            indicators=_indicator_rows(form),
        )
    except services.ProjectRuleError as error:
        report_refusal(error)
        return form_page("projects/indicators.html", form=form, bureau=bureau, current=current)
    return done(_("评估指标已保存。"), url_for("projects.indicators"))


@bp.route("/<int:project_id>/evaluations/new", methods=["GET", "POST"])
@login_required
def new_evaluation(project_id: int) -> ResponseReturnValue:
    project = _editable_project(project_id)
    scheme = services.active_indicators(project.purchaser)
    form = evaluation_form([(item.id, f"{item.name}（{item.weight}%）") for item in scheme])
    score_fields = [(item, form[f"score_{item.id}"]) for item in scheme]
    context = {"form": form, "project": project, "score_fields": score_fields}
    if not scheme:
        return form_page("projects/evaluation_form.html", **context)
    if not form.validate_on_submit():
        return form_page("projects/evaluation_form.html", **context)
    try:
        evaluation = services.record_evaluation(
            actor=current_user,
            project=project,
            evaluator=form.evaluator.data or "",
            evaluated_on=form.evaluated_on.data,  # type: ignore[arg-type]  # required
            report=form.report.data or "",
            scores={item.id: field.data for item, field in score_fields},
        )
    except services.ProjectRuleError as error:
        report_refusal(error)
        return form_page("projects/evaluation_form.html", **context)
    return done(
        _("评估结果已保存，总分 %(total)s。", total=evaluation.total),
        url_for("projects.evaluation", evaluation_id=evaluation.id),
    )


def _evaluation_or_404(evaluation_id: int) -> ProjectEvaluation:
    evaluation = db.session.get(ProjectEvaluation, evaluation_id)
    if evaluation is None:
        abort(404)
    _project_or_404(evaluation.project_id)
    return evaluation


@bp.get("/evaluations/<int:evaluation_id>")
@login_required
def evaluation(evaluation_id: int) -> ResponseReturnValue:
    found = _evaluation_or_404(evaluation_id)
    return form_page("projects/evaluation.html", evaluation=found, project=found.project)


def evaluation_document(evaluation: ProjectEvaluation) -> dict[str, Any]:
    """The report's content as plain data."""
    project = evaluation.project
    return {
        "title": _("服务项目评估报告"),
        "project": project.name,
        "contract_number": project.contract_number,
        "agency": project.agency.name,
        "credit_code": project.agency.credit_code,
        "purchaser": project.purchaser.name,
        "period": f"{project.starts_on.isoformat()} — {project.ends_on.isoformat()}",
        "evaluator": evaluation.evaluator,
        "evaluated_on": evaluation.evaluated_on,
        "scores": [
            {"name": score.name, "weight": score.weight, "score": score.score}
            for score in evaluation.scores
        ],
        "total": evaluation.total,
        "report": evaluation.report,
    }


@bp.get("/evaluations/<int:evaluation_id>/pdf")
@login_required
def evaluation_pdf(evaluation_id: int) -> ResponseReturnValue:
    found = _evaluation_or_404(evaluation_id)
    pdf = render_pdf("projects/evaluation_pdf.html", doc=evaluation_document(found))
    services.record_pdf_download(actor=current_user, evaluation=found)
    db.session.commit()
    return pdf_download(pdf, f"evaluation-{found.id}.pdf")


# --- statistics and exports --------------------------------------------------------------


@bp.get("/export.<fmt>")
@login_required
def export_projects(fmt: str) -> ResponseReturnValue:
    """One row per deliverable of each visible project, with its progress."""
    require(can_list_projects(current_user))
    exports.export_format(fmt)
    today = local_today()
    data = exports.table(
        (
            _("项目名称"),
            _("合同编号"),
            _("承接机构"),
            _("购买方"),
            _("合同开始日期"),
            _("合同结束日期"),
            _("项目预算（元）"),
            _("到账资金（元）"),
            _("合同时间已过（%）"),
            _("合同指标"),
            _("目标"),
            _("完成"),
            _("完成率（%）"),
        ),
        title=pgettext("list", "服务项目"),
    )
    for project in queries.visible_projects(current_user):
        base: list[exports.Cell] = [
            project.name,
            project.contract_number,
            project.agency.name,
            project.purchaser.name,
            project.starts_on,
            project.ends_on,
            queries.yuan(project.budget_fen),
            queries.yuan(project.funds_received_fen),
            time_elapsed_percent(project, today),
        ]
        progress = project_progress(project, today)
        shown = project_shown(current_user, project)
        if not progress:
            data.add([*base, "", "", "", ""])
        for item in progress:
            data.add(
                [
                    *base,
                    item.kind.label,
                    float(item.target),
                    item.shown_actual(shown)
                    if item.actual is None or item.is_hidden(shown)
                    else item.actual,
                    None if item.is_hidden(shown) else item.percent,
                ]
            )
    services.record_export(actor=current_user, kind="projects", fmt=fmt)
    db.session.commit()
    return exports.send_export(data, "projects", fmt)


@bp.get("/agencies/export.<fmt>")
@login_required
def export_agencies(fmt: str) -> ResponseReturnValue:
    """One row per visible agency: registration, staff, projects, money, latest result."""
    require(can_list_projects(current_user))
    exports.export_format(fmt)
    today = local_today()
    data = exports.table(
        (
            _("机构名称"),
            _("统一社会信用代码"),
            _("评估等级"),
            _("在岗社工"),
            _("持证社工"),
            pgettext("list", "服务项目"),
            _("项目预算合计（元）"),
            _("到账资金合计（元）"),
            _("最近一次评估总分"),
        ),
        title=pgettext("list", "民办社会工作服务机构"),
    )
    agencies = queries.visible_agencies(current_user)
    projects_of = queries.projects_by_agency(agencies, current_user)
    for agency in agencies:
        staff = queries.staff_counts(agency, today)
        shown = shown_to(current_user, queries.agency_unit_ids(agency))
        projects = projects_of[agency.id]
        results = queries.results_by_year(projects)
        data.add(
            [
                agency.name,
                agency.credit_code,
                agency.qualification.label,
                shown.count(staff.workers),
                shown.count(staff.certified),
                len(projects),
                queries.yuan(sum(project.budget_fen for project in projects)),
                queries.yuan(sum(project.funds_received_fen for project in projects)),
                float(results[0].evaluations[0].total) if results else None,
            ]
        )
    services.record_export(actor=current_user, kind="agencies", fmt=fmt)
    db.session.commit()
    return exports.send_export(data, "agencies", fmt)
