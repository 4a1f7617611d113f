"""The administrator's view of the connected systems and of what was reported to them."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from casework.accounts.models import Role, User
from casework.core.permissions import require
from casework.extensions import db
from casework.hotline.models import (
    CallbackAttempt,
    ConnectedSystem,
    WorkOrder,
    WorkOrderCallback,
)

bp = Blueprint("hotline", __name__, url_prefix="/admin/connected-systems")
RECENT = 50


def can_view_connections(user: User) -> bool:
    return user.role is Role.SYSADMIN


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    """Each system, and the latest reports with their last attempt: what failed shows."""
    require(can_view_connections(current_user))
    systems = db.session.scalars(
        select(ConnectedSystem)
        .options(selectinload(ConnectedSystem.unit))
        .order_by(ConnectedSystem.id)
    ).all()
    callbacks = db.session.scalars(
        select(WorkOrderCallback)
        .options(selectinload(WorkOrderCallback.work_order).selectinload(WorkOrder.system))
        .order_by(WorkOrderCallback.id.desc())
        .limit(RECENT)
    ).all()
    last_attempts = {
        attempt.callback_id: attempt
        for attempt in db.session.scalars(
            select(CallbackAttempt)
            .where(CallbackAttempt.callback_id.in_([callback.id for callback in callbacks]))
            .order_by(CallbackAttempt.id)
        )
    }
    return render_template(
        "hotline/index.html", systems=systems, callbacks=callbacks, last_attempts=last_attempts
    )
