"""The residents' side of the help channel: ask for help, follow it up, read the notice.

No page here requires a login. A tracking code never appears in a URL: it travels in the
session for the one page that shows it, and in the body of a POST when a resident looks
it up, so it stays out of access logs, browser history and shared links.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import (
    Blueprint,
    current_app,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from werkzeug.wrappers import Response

from casework.core.actions import form_status
from casework.core.inputs import db_int
from casework.core.redirects import is_safe_next
from casework.core.retention_policy import current_policy
from casework.extensions import db, limiter
from casework.helpdesk import chooser, services
from casework.helpdesk.board import NoticeBoard, notice_board
from casework.helpdesk.models import (
    OPEN_STATUSES,
    ContactPreference,
    EventKind,
    HelpRequest,
    RequestCategory,
)
from casework.helpdesk.public_forms import (
    HelpRequestForm,
    OfferedUnit,
    TrackingCodeForm,
    all_offered_units,
    offered_unit,
    station_choices,
)
from casework.orgs.models import Unit

bp = Blueprint("helpdesk_public", __name__, url_prefix="/help")

# What /help/submitted shows once: {"code": ..., "unit_id": ...}.
SUBMITTED_KEY = "help_submitted"

# "公开答复" is the staff's word (as opposed to an internal note); to a resident, "public"
# would sound as if everyone could read it.
RESIDENT_LABELS = {EventKind.REPLY: _l("答复")}

# Events whose text the station wrote for the resident to read.
EVENTS_WITH_TEXT = frozenset(
    {
        EventKind.REPLY,
        EventKind.REFERRED,
        EventKind.DECLINED,
        EventKind.CONVERTED,
        EventKind.CLOSED,
    }
)


# The elder-friendly mode (长辈版) is remembered per browser by this cookie: "1" or absent.
# It holds no personal data and no identifier, so it needs no consent.
ELDER_COOKIE = "elder_mode"
ELDER_COOKIE_DAYS = 365


@bp.app_context_processor
def elder_mode_setting() -> dict[str, bool]:
    """Whether the page is shown large and plain; only the residents' pages offer it."""
    if not has_request_context():  # PDFs rendered by a background job
        return {"elder_mode": False}
    on = request.blueprint == bp.name and request.cookies.get(ELDER_COOKIE) == "1"
    return {"elder_mode": on}


@bp.post("/elder-mode")
def elder_mode() -> ResponseReturnValue:
    """Switch the elder-friendly mode on or off for this browser, then go back."""
    target = request.form.get("next")
    response = redirect(target if is_safe_next(target) else url_for(".submit"), code=303)
    # Behind a proxy that ends TLS the request itself may look plain: follow the session's.
    secure = bool(current_app.config["SESSION_COOKIE_SECURE"] or request.is_secure)
    if request.form.get("on") == "1":
        response.set_cookie(
            ELDER_COOKIE,
            "1",
            max_age=ELDER_COOKIE_DAYS * 24 * 3600,
            secure=secure,
            httponly=True,
            samesite="Lax",
        )
    else:
        response.delete_cookie(ELDER_COOKIE, secure=secure, httponly=True, samesite="Lax")
    return response


def _submit_limit() -> str:
    return str(current_app.config["HELP_SUBMIT_RATE_LIMIT"])


def _status_limit() -> str:
    return str(current_app.config["HELP_STATUS_RATE_LIMIT"])


def _private(response: Response) -> Response:
    """Pages that carry a tracking code or its request must not stay in any cache."""
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("", methods=["GET", "POST"])
@limiter.limit(_submit_limit, methods=["POST"])
def submit() -> ResponseReturnValue:
    """The help form: first find the station, then write the request to it.

    A submission reads only its own station; only a submission naming a station residents
    may not address falls back to a select of every station, keeping what was written.
    """
    form = HelpRequestForm()

    if request.method == "GET":
        wanted = request.args.get("station")
        chosen = offered_unit(wanted)
        if chosen is None:
            # The first step: the stations of one area at a time, or those found by name.
            tree = chooser.Tree.load()
            query = request.args.get("q", "")
            return render_template(
                "helpdesk/public/form.html",
                form=form,
                board=None,
                show_form=False,
                step=tree.search(query)
                if query.strip()
                else tree.step(request.args.get("area", type=db_int)),
                station=None,
                station_missing=wanted is not None,
            )
        # The second step shows the chosen station, not the whole list again (a province
        # offers over a thousand stations): a link goes back to choose another.
        form.station.data = wanted
        return render_template(
            "helpdesk/public/form.html",
            form=form,
            board=notice_board(chosen[0]),
            show_form=True,
            station=chosen[0],
            station_missing=False,
        )

    chosen = offered_unit(form.station.data)
    if form.is_robot:
        # Answer a robot as if it had succeeded, so it learns nothing; store nothing.
        session[SUBMITTED_KEY] = {
            "code": services.new_tracking_code(),
            "unit_id": chosen[0].id if chosen else None,
        }
        return redirect(url_for("helpdesk_public.submitted"), code=303)
    # Validating the select needs only the chosen station among its choices.
    form.station.choices = station_choices(
        [OfferedUnit(unit=chosen[0], group=chosen[1])] if chosen else []
    )
    if not form.validate_on_submit() or chosen is None:
        if chosen is None:
            # No station or one we do not offer: keep the input and show the whole list.
            form.station.choices = station_choices(all_offered_units())
        return render_template(
            "helpdesk/public/form.html",
            form=form,
            board=notice_board(chosen[0]) if chosen else None,
            show_form=True,
            station=chosen[0] if chosen else None,
            station_missing=False,
        ), 422

    unit = chosen[0]
    help_request = services.submit_request(
        unit=unit,
        details=services.RequestDetails(
            category=RequestCategory.of(form.category.data or ""),
            description=form.description.data or "",
            name=form.name.data or None,
            phone=form.phone.data or None,
            contact_preference=ContactPreference.of(form.contact_preference.data or ""),
        ),
    )
    # Read before the commit, which expires the objects (two more queries afterwards).
    shown = {"code": help_request.tracking_code, "unit_id": unit.id}
    db.session.commit()
    session[SUBMITTED_KEY] = shown
    return redirect(url_for("helpdesk_public.submitted"), code=303)


@bp.get("/submitted")
def submitted() -> ResponseReturnValue:
    shown = session.pop(SUBMITTED_KEY, None)
    code = shown.get("code") if isinstance(shown, dict) else None
    unit_id = shown.get("unit_id") if isinstance(shown, dict) else None
    unit = db.session.get(Unit, unit_id) if isinstance(unit_id, int) else None
    page = render_template(
        "helpdesk/public/submitted.html",
        code=services.format_tracking_code(code) if code else None,
        board=notice_board(unit) if unit else None,
    )
    return _private(current_app.make_response(page))


@dataclass(frozen=True)
class PublicEvent:
    label: str
    at: datetime
    text: str
    to_unit_name: str | None


@dataclass(frozen=True)
class PublicStatus:
    """What a resident may read about a request: nothing about who they or the staff are."""

    category: str
    submitted_at: datetime
    status: str
    is_open: bool
    answer_by: date
    board: NoticeBoard
    events: list[PublicEvent]


def public_status(help_request: HelpRequest) -> PublicStatus:
    """Plain data for the status page, so the template never holds the request itself."""
    board = notice_board(help_request.unit)
    events = [
        PublicEvent(
            label=str(RESIDENT_LABELS.get(event.kind, event.kind.label)),
            at=event.at,
            text=event.body if event.kind in EVENTS_WITH_TEXT else "",
            to_unit_name=event.to_unit.name if event.to_unit else None,
        )
        for event in help_request.events
        if event.is_public
    ]
    limits = services.deadlines(help_request, services.profile_for(help_request.unit))
    return PublicStatus(
        category=help_request.category.label,
        submitted_at=help_request.submitted_at,
        status=help_request.status.label,
        is_open=help_request.status in OPEN_STATUSES,
        answer_by=limits.answer_by,
        board=board,
        events=events,
    )


@bp.route("/status", methods=["GET", "POST"])
@limiter.limit(_status_limit, methods=["POST"])
def status() -> ResponseReturnValue:
    form = TrackingCodeForm()
    if not form.validate_on_submit():
        code = form_status()
        page = render_template(
            "helpdesk/public/status.html", form=form, result=None, not_found=False
        )
        return _private(current_app.make_response((page, code)))
    help_request = services.find_by_tracking_code(form.code.data or "")
    if help_request is None:
        page = render_template(
            "helpdesk/public/status.html", form=form, result=None, not_found=True
        )
        return _private(current_app.make_response((page, 404)))
    page = render_template(
        "helpdesk/public/status.html",
        form=form,
        result=public_status(help_request),
        not_found=False,
    )
    return _private(current_app.make_response(page))


@bp.get("/privacy")
def privacy() -> ResponseReturnValue:
    return render_template(
        "helpdesk/public/privacy.html", retention_years=current_policy().help_years
    )
