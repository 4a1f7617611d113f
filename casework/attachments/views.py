"""Uploading, downloading and archiving attachments of cases and service users."""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, send_file, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from casework.activities.models import CommunityActivity
from casework.activities.permissions import activities_visible_to
from casework.attachments import services
from casework.attachments.forms import AttachmentForm
from casework.attachments.models import Attachment
from casework.attachments.permissions import (
    attachments_visible_to,
    can_archive_attachment,
    can_upload_to_activity,
    can_upload_to_case,
    can_upload_to_person,
)
from casework.cases.models import Case
from casework.cases.permissions import cases_visible_to
from casework.core.actions import done
from casework.core.permissions import require
from casework.extensions import db
from casework.people.models import ServiceUser
from casework.people.permissions import people_visible_to

log = logging.getLogger(__name__)

bp = Blueprint("attachments", __name__)


@bp.post("/cases/<int:case_id>/attachments")
@login_required
def upload_to_case(case_id: int) -> ResponseReturnValue:
    case: Case = db.first_or_404(cases_visible_to(current_user).where(Case.id == case_id))
    require(can_upload_to_case(current_user, case))
    return _upload(url_for("cases.detail", case_id=case.id), case=case)


@bp.post("/people/<int:person_id>/attachments")
@login_required
def upload_to_person(person_id: int) -> ResponseReturnValue:
    person: ServiceUser = db.first_or_404(
        people_visible_to(current_user).where(ServiceUser.id == person_id)
    )
    require(can_upload_to_person(current_user, person))
    return _upload(url_for("people.detail", person_id=person.id), person=person)


@bp.post("/activities/<int:activity_id>/attachments")
@login_required
def upload_to_activity(activity_id: int) -> ResponseReturnValue:
    activity: CommunityActivity = db.first_or_404(
        activities_visible_to(current_user).where(CommunityActivity.id == activity_id)
    )
    require(can_upload_to_activity(current_user, activity))
    return _upload(url_for("activities.detail", activity_id=activity.id), activity=activity)


def _upload(
    back: str,
    *,
    case: Case | None = None,
    person: ServiceUser | None = None,
    activity: CommunityActivity | None = None,
) -> ResponseReturnValue:
    # The form lives on the case or person page, so errors go back there as messages.
    form = AttachmentForm()
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(str(error), "danger")
        return redirect(back)
    try:
        services.store_attachment(
            actor=current_user,
            file_storage=form.file.data,
            case=case,
            person=person,
            activity=activity,
            description=form.description.data or "",
        )
    except services.AttachmentRejected as rejected:
        flash(str(rejected.message), "danger")
        return redirect(back)
    return done(_("附件已上传。"), back)


def _visible_attachment_or_404(attachment_id: int) -> Attachment:
    attachment: Attachment = db.first_or_404(
        attachments_visible_to(current_user).where(Attachment.id == attachment_id)
    )
    return attachment


@bp.get("/attachments/<int:attachment_id>")
@login_required
def download(attachment_id: int) -> ResponseReturnValue:
    attachment = _visible_attachment_or_404(attachment_id)
    try:
        path = services.open_attachment(attachment)
    except services.AttachmentFileMissing:
        log.error("attachment %s has no file in the upload folder", attachment.id)
        abort(404)
    services.record_download(actor=current_user, attachment=attachment)
    db.session.commit()
    response = send_file(
        path,
        mimetype=attachment.content_type,
        as_attachment=True,
        download_name=attachment.original_name,
        conditional=False,
        etag=False,
    )
    # Documents about people must not stay in shared office PCs' caches.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.post("/attachments/<int:attachment_id>/archive")
@login_required
def archive(attachment_id: int) -> ResponseReturnValue:
    attachment = _visible_attachment_or_404(attachment_id)
    require(can_archive_attachment(current_user, attachment))
    services.archive_attachment(actor=current_user, attachment=attachment)
    return done(_("附件已删除。"), _page_of(attachment))


def _page_of(attachment: Attachment) -> str:
    if attachment.case_id is not None:
        return url_for("cases.detail", case_id=attachment.case_id)
    if attachment.activity_id is not None:
        return url_for("activities.detail", activity_id=attachment.activity_id)
    return url_for("people.detail", person_id=attachment.service_user_id)
