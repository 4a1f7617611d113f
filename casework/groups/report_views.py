"""The group report as a PDF download, on the groups blueprint."""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from casework.core import audit
from casework.core.pdf import MissingCJKFont, pdf_download
from casework.extensions import db
from casework.groups.report import render_group_report
from casework.groups.views import bp, visible_group_or_404


@bp.get("/<int:group_id>/report.pdf")
@login_required
def report(group_id: int) -> ResponseReturnValue:
    """Everyone who may see the group may print it; printing is audited like viewing."""
    group = visible_group_or_404(group_id)
    try:
        pdf = render_group_report(group)
    except MissingCJKFont as error:
        flash(str(error.message), "danger")
        return redirect(url_for("groups.detail", group_id=group.id))
    audit.record("group.export_pdf", group, actor_id=current_user.id)
    db.session.commit()
    # The group id, not its name, names the file: nothing personal in headers.
    return pdf_download(pdf, f"group-{group.id}.pdf")
