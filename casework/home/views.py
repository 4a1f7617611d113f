"""The home page: what is due for the signed-in person, and where to go from here."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask.typing import ResponseReturnValue
from flask_login import current_user, login_required

from casework.accounts.forms import ActionForm
from casework.accounts.models import Role
from casework.accounts.queries import accounts_needing_action
from casework.accounts.services import has_usable_password, is_locked
from casework.cases import queries, referrals
from casework.cases.models import Case
from casework.cases.permissions import cases_visible_to
from casework.core.clock import local_today, missing_schedule_year
from casework.core.models import utcnow
from casework.core.suppression import suppressed
from casework.dashboards import bureau
from casework.dashboards import queries as dashboards
from casework.exports import approvals as export_approvals
from casework.groups.permissions import groups_visible_to
from casework.groups.queries import sessions_awaiting_record
from casework.helpdesk import queries as request_queries
from casework.workforce.dashboard import home_warnings

bp = Blueprint("home", __name__)


@bp.get("/")
@login_required
def index() -> ResponseReturnValue:
    scope = cases_visible_to(current_user)
    reminders = None
    approvals: list[dashboards.Approval] | None = None
    overdue_requests: list[request_queries.QueueRow] | None = None
    sessions_to_record = None
    if current_user.role in (Role.SOCIAL_WORKER, Role.STATION_HEAD):
        # Whoever leads a group (a head may too) is reminded of its unrecorded sessions.
        sessions_to_record = sessions_awaiting_record(
            groups_visible_to(current_user), current_user.id, utcnow()
        )
    if current_user.role is Role.SOCIAL_WORKER:
        reminders = queries.reminders_for(scope.where(Case.worker_id == current_user.id))
    elif current_user.role is Role.STATION_HEAD:
        reminders = queries.reminders_for(scope)
    elif current_user.role is Role.TUTOR:
        # The same list, and so the same count, as the tutor's dashboard.
        approvals = dashboards.approvals(scope, groups_visible_to(current_user))
    overdue_referrals_in = overdue_referrals_out = None
    if current_user.role in (Role.SOCIAL_WORKER, Role.STATION_HEAD):
        overdue_requests = request_queries.overdue_requests([current_user.unit_id])
        # Referrals overdue on either side: to this unit, and from the user's own cases
        # (the whole unit's, for its head).
        sent_from = (
            scope.where(Case.worker_id == current_user.id)
            if current_user.role is Role.SOCIAL_WORKER
            else scope
        )
        overdue_referrals = referrals.overdue(current_user, sent_from, local_today())
        overdue_referrals_in = [item for item in overdue_referrals if item.case is None]
        overdue_referrals_out = [item for item in overdue_referrals if item.case is not None]
    exports_to_approve = None
    if current_user.role in (Role.SOCIAL_WORKER, Role.STATION_HEAD):
        exports_to_approve = export_approvals.waiting_for(current_user)
    accounts_to_act_on = None
    if current_user.role in (Role.STATION_HEAD, Role.SYSADMIN):
        accounts_to_act_on = accounts_needing_action(current_user)
    missing_holidays = None
    if current_user.role is Role.SYSADMIN:
        missing_holidays = missing_schedule_year(local_today())
    overview = None
    if current_user.role is Role.BUREAU_VIEWER:
        overview = bureau.bureau_overview(current_user, local_today())
    return render_template(
        "home/index.html",
        reminders=reminders,
        sessions_to_record=sessions_to_record,
        approvals=approvals,
        overdue_requests=overdue_requests,
        overdue_referrals_in=overdue_referrals_in,
        overdue_referrals_out=overdue_referrals_out,
        overview=overview,
        count=suppressed,
        today=local_today(),
        registration_warnings=home_warnings(current_user),
        accounts_to_act_on=accounts_to_act_on,
        exports_to_approve=exports_to_approve,
        missing_holidays=missing_holidays,
        account_action_form=ActionForm(),
        is_locked=is_locked,
        has_usable_password=has_usable_password,
    )
