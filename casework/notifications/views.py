"""The inbox, opening a notification, and the notification settings."""

from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user, login_required

from casework.accounts.forms import ActionForm
from casework.core.actions import done, form_page
from casework.core.forms import SelectChoice
from casework.core.redirects import is_safe_next
from casework.extensions import db
from casework.notifications import services
from casework.notifications.forms import SettingsForm
from casework.notifications.models import Notification

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    return render_template(
        "notifications/index.html",
        items=services.inbox(current_user),
        kinds=services.KINDS,
        action_form=ActionForm(),
    )


@bp.post("/<int:notification_id>/open")
@login_required
def open_notification(notification_id: int) -> ResponseReturnValue:
    """Mark it read and go where it points (a path of this site)."""
    notification: Notification = db.first_or_404(
        db.select(Notification).where(
            Notification.id == notification_id, Notification.user_id == current_user.id
        )
    )
    if not ActionForm().validate_on_submit():
        abort(400)
    services.mark_read(notification)
    db.session.commit()
    target = notification.url if is_safe_next(notification.url) else url_for(".index")
    return redirect(target)


@bp.post("/read")
@login_required
def read_all() -> ResponseReturnValue:
    if ActionForm().validate_on_submit():
        services.mark_all_read(current_user)
        return done(_("已全部标为已读。"), url_for(".index"))
    return redirect(url_for(".index"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings() -> ResponseReturnValue:
    form = SettingsForm()
    choices = [SelectChoice(kind, label) for kind, label in services.KINDS.items()]
    form.email_kinds.choices = form.wanted_kinds.choices = choices
    if request.method == "GET":
        saved = services.settings_for(current_user)
        form.process(obj=saved)
        form.wanted_kinds.data = [kind for kind in services.KINDS if kind not in saved.muted_kinds]
    if not form.validate_on_submit():
        return form_page("notifications/settings.html", form=form)
    services.save_settings(
        user=current_user,
        email=form.email.data,
        email_kinds=list(form.email_kinds.data or []),
        wanted_kinds=list(form.wanted_kinds.data or []),
        quiet_from=form.quiet_from.data,
        quiet_until=form.quiet_until.data,
    )
    return done(_("通知设置已保存。"), url_for(".settings"))
