"""Import pages: upload, preview with every row's problems, confirm, history, templates."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import selectinload

from casework.accounts.forms import ActionForm
from casework.core import exports
from casework.core.actions import form_page
from casework.core.clock import local_today
from casework.core.forms import SelectChoice, add_error
from casework.core.inputs import db_int
from casework.core.masking import mask_id_number, mask_phone
from casework.core.permissions import require
from casework.extensions import db
from casework.imports import services, workbooks
from casework.imports.columns import COLUMNS, Column, column_by_key
from casework.imports.forms import ConfirmForm, UploadForm
from casework.imports.models import ImportKind, ImportRun
from casework.imports.parsing import ImportFileRejected, Value
from casework.imports.permissions import (
    can_choose_unit,
    can_import,
    import_runs_visible_to,
    pending_imports_of,
)
from casework.imports.validation import PROBLEMS, RowResult
from casework.orgs.models import SERVICE_KINDS, Unit
from casework.people.models import ConsentBasis
from casework.workforce.services import WorkforceError

bp = Blueprint("imports", __name__, url_prefix="/imports")

PER_PAGE = 25
PREVIEW_PER_PAGE = 200


def _kind_or_404(value: str) -> ImportKind:
    try:
        return ImportKind.of(value)
    except ValueError:
        abort(404)


def _service_units() -> list[Unit]:
    return list(
        db.session.scalars(
            select(Unit)
            .where(Unit.kind.in_(SERVICE_KINDS), Unit.is_active.is_(True))
            .order_by(Unit.code)
        )
    )


def _upload_form() -> UploadForm:
    form = UploadForm()
    if can_choose_unit(current_user):
        form.unit_id.choices = [SelectChoice("", _("按文件中的单位代码"))] + [
            SelectChoice(str(unit.id), f"{unit.code} {unit.name}") for unit in _service_units()
        ]
    else:
        form.unit_id.choices = [SelectChoice("", current_user.unit.name)]
    if request.method == "GET":
        kind = request.args.get("kind", "")
        if kind in {k.value for k in ImportKind}:
            form.kind.data = kind
        form.consent_given_on.data = local_today()
    return form


def _delete_files(names: list[str | None]) -> None:
    for name in names:
        services.delete_stored_file(name)


def _pending_or_404(run_id: int) -> ImportRun:
    run: ImportRun = db.first_or_404(
        pending_imports_of(current_user)
        .where(ImportRun.id == run_id)
        .options(selectinload(ImportRun.unit), selectinload(ImportRun.created_by))
    )
    return run


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    require(can_import(current_user))
    page = db.paginate(
        import_runs_visible_to(current_user)
        .options(selectinload(ImportRun.unit), selectinload(ImportRun.created_by))
        .order_by(ImportRun.created_at.desc(), ImportRun.id.desc()),
        per_page=PER_PAGE,
        error_out=False,
    )
    return render_template("imports/index.html", page=page, kinds=list(ImportKind))


@bp.get("/template/<kind>.<fmt>")
@login_required
def template(kind: str, fmt: str) -> ResponseReturnValue:
    require(can_import(current_user))
    import_kind = _kind_or_404(kind)
    if fmt not in exports.FORMATS:
        abort(404)
    body = workbooks.to_xlsx(import_kind) if fmt == "xlsx" else workbooks.to_csv(import_kind)
    response = Response(body, content_type=exports.MIMETYPES[fmt])
    name = f"import-{workbooks.FILE_NAMES[import_kind]}.{fmt}"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _target_unit(form: UploadForm) -> Unit | None:
    """The unit picked by an administrator (None: by the file's codes); a head's own unit."""
    if not can_choose_unit(current_user):
        unit: Unit = current_user.unit
        return unit
    if not form.unit_id.data:
        return None
    try:
        unit_id = int(form.unit_id.data)
    except ValueError:
        return None
    chosen = db.session.get(Unit, unit_id)
    if chosen is None or chosen.kind not in SERVICE_KINDS or not chosen.is_active:
        add_error(form.unit_id, _("请选择服务单位"))
        return None
    return chosen


@bp.route("/new", methods=["GET", "POST"])
@login_required
def new() -> ResponseReturnValue:
    """Upload a list; it is checked and kept for preview, nothing is written yet."""
    require(can_import(current_user))
    form = _upload_form()
    if not form.validate_on_submit():
        return form_page("imports/new.html", form=form)
    kind = ImportKind.of(form.kind.data or "")
    unit = _target_unit(form)
    consent_basis = ConsentBasis.of(form.consent_basis.data) if form.consent_basis.data else None
    if kind is ImportKind.SERVICE_USERS:
        if consent_basis is None:
            add_error(form.consent_basis, _("导入服务对象时必须说明个人信息处理依据"))
        if form.consent_given_on.data is None:
            add_error(form.consent_given_on, _("请填写同意或登记日期"))
        elif form.consent_given_on.data > local_today():
            add_error(form.consent_given_on, _("日期不能晚于今天。"))
    if any(field.errors for field in form):
        return render_template("imports/new.html", form=form), 422
    stale = services.expire_stale_imports()
    try:
        run, _results = services.start_import(
            actor=current_user,
            upload=services.Upload(
                kind=kind,
                unit=unit,
                original_name=form.file.data.filename,
                stream=form.file.data.stream,
                consent_basis=consent_basis if kind is ImportKind.SERVICE_USERS else None,
                consent_given_on=form.consent_given_on.data
                if kind is ImportKind.SERVICE_USERS
                else None,
            ),
        )
    except ImportFileRejected as rejected:
        db.session.commit()  # the expired imports, if any
        _delete_files(list(stale))
        add_error(form.file, str(rejected.message))
        return render_template("imports/new.html", form=form), 422
    db.session.commit()
    _delete_files(list(stale))
    return redirect(url_for("imports.preview", run_id=run.id))


@dataclass
class PreviewRow:
    number: int
    values: list[str]
    problems: list[tuple[str, Any, int | None]]  # column header, problem label, other row


def _display(column: Column, value: Value | None) -> str:
    if value is None or value == "":
        return ""
    text = value.isoformat() if not isinstance(value, str) else value
    if column.key == "id_number":
        return mask_id_number(text)
    if column.key == "phone":
        return mask_phone(text)
    return text


def _header(kind: ImportKind, key: str) -> str:
    column = column_by_key(kind, key)
    return column.header if column else key


def _preview_rows(kind: ImportKind, results: list[RowResult]) -> list[PreviewRow]:
    columns = COLUMNS[kind]
    return [
        PreviewRow(
            number=result.number,
            values=[_display(column, result.cells.get(column.key)) for column in columns],
            problems=[
                (_header(kind, problem.field), problem.label, problem.other_row)
                for problem in result.problems
            ],
        )
        for result in results
    ]


def _expired_response(run: ImportRun) -> ResponseReturnValue:
    names = services.expire_stale_imports()
    db.session.commit()
    _delete_files(list(names))
    flash(_("这次上传已过期，文件已删除。请重新上传。"), "warning")
    return redirect(url_for("imports.detail", run_id=run.id))


def _failed_response(run_id: int, message: str) -> ResponseReturnValue:
    db.session.rollback()
    name = services.record_failure(actor=current_user, run_id=run_id)
    db.session.commit()
    services.delete_stored_file(name)
    flash(message, "danger")
    return redirect(url_for("imports.detail", run_id=run_id))


@bp.get("/<int:run_id>/preview")
@login_required
def preview(run_id: int) -> ResponseReturnValue:
    """Every row with its problems (ID and phone numbers masked); writes nothing but the audit."""
    require(can_import(current_user))
    run = _pending_or_404(run_id)
    if services.is_expired(run):
        return _expired_response(run)
    try:
        results = services.check_file(run)
    except ImportFileRejected as rejected:
        return _failed_response(run.id, str(rejected.message))
    services.record_preview(actor=current_user, run=run)
    db.session.commit()
    only_problems = request.args.get("show") == "problems"
    shown = [result for result in results if not result.is_valid] if only_problems else results
    pages = max(1, -(-len(shown) // PREVIEW_PER_PAGE))
    page = min(max(request.args.get("page", 1, type=db_int) or 1, 1), pages)
    counts = Counter(problem.code for result in results for problem in result.problems)
    invalid = sum(1 for result in results if not result.is_valid)
    return render_template(
        "imports/preview.html",
        run=run,
        columns=COLUMNS[run.kind],
        rows=_preview_rows(
            run.kind, shown[(page - 1) * PREVIEW_PER_PAGE : page * PREVIEW_PER_PAGE]
        ),
        total=len(results),
        invalid=invalid,
        problem_counts=[(PROBLEMS[code], count) for code, count in counts.most_common()],
        only_problems=only_problems,
        page=page,
        pages=pages,
        form=ConfirmForm(),
        cancel_form=ActionForm(),
    )


@bp.post("/<int:run_id>/confirm")
@login_required
def confirm(run_id: int) -> ResponseReturnValue:
    """Write every valid row in this request's one transaction, or nothing at all."""
    require(can_import(current_user))
    run = _pending_or_404(run_id)
    if services.is_expired(run):
        return _expired_response(run)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        stored_name = services.confirm_import(
            actor=current_user, run=run, skip_invalid=bool(form.skip_invalid.data)
        )
        db.session.commit()
    except services.ImportBlocked as blocked:
        db.session.rollback()
        flash(str(blocked.message), "warning")
        return redirect(url_for("imports.preview", run_id=run_id, show="problems"))
    except ImportFileRejected as rejected:
        db.session.rollback()
        return _failed_response(run_id, str(rejected.message))
    except (SQLAlchemyError, WorkforceError):
        # Roll back before anything else touches the session (even translating a message).
        # Row contents stay out of the log and the message: the database said no to one row.
        db.session.rollback()
        return _failed_response(
            run_id, _("导入失败，没有写入任何数据。可能有人同时登记了相同的人员，请重新上传。")
        )
    services.delete_stored_file(stored_name)
    flash(
        _(
            "已导入 %(created)d 行，跳过 %(skipped)d 行。",
            created=run.created_count,
            skipped=run.skipped_count,
        ),
        "success",
    )
    return redirect(url_for("imports.detail", run_id=run_id))


@bp.post("/<int:run_id>/cancel")
@login_required
def cancel(run_id: int) -> ResponseReturnValue:
    require(can_import(current_user))
    run = _pending_or_404(run_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    stored_name = services.cancel_import(actor=current_user, run=run)
    db.session.commit()
    services.delete_stored_file(stored_name)
    flash(_("已取消这次导入，文件已删除。"), "info")
    return redirect(url_for("imports.index"))


@bp.get("/<int:run_id>")
@login_required
def detail(run_id: int) -> ResponseReturnValue:
    """The result of an import: counts, and each skipped row's number and problems."""
    require(can_import(current_user))
    run: ImportRun = db.first_or_404(
        import_runs_visible_to(current_user).where(ImportRun.id == run_id)
    )
    skipped = [
        PreviewRow(
            number=int(entry.get("row", 0)),
            values=[],
            problems=[
                (
                    _header(run.kind, str(problem.get("field", ""))),
                    PROBLEMS.get(str(problem.get("code", "")), problem.get("code")),
                    problem.get("other_row"),
                )
                for problem in entry.get("problems", [])
            ],
        )
        for entry in run.skipped_rows or []
    ]
    return render_template(
        "imports/detail.html",
        run=run,
        skipped=skipped,
        is_mine=run.created_by_id == current_user.id,
    )
