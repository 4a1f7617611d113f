"""The wall screen (数据大屏): a bureau's headline figures, trends and overdue help requests
by station, full screen for a control room, refreshed every minute.

A display cannot sign in, so its address carries a secret token (``DisplayToken``, stored
only as a hash, revocable, redacted from the request log as ``token``). The token opens
these two addresses and nothing else: it signs nobody in and sets no cookie.
"""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, abort, current_app, jsonify, render_template
from flask.typing import ResponseReturnValue
from flask_babel import format_time

from casework.core.clock import local_today
from casework.dashboards import bureau, displays
from casework.extensions import db
from casework.orgs.models import Unit
from casework.orgs.services import units_in_subtree
from casework.reports import periods
from casework.workforce.services import target_for

bp = Blueprint("dashboards_wall", __name__, url_prefix="/wall")


def _board(token: str) -> tuple[bureau.BureauBoard, date]:
    unit = displays.unit_for_display_token(token)
    if unit is None:
        abort(404)
    db.session.commit()  # last seen
    today = local_today()
    return _figures(unit, today), today


def _figures(unit: Unit, today: date) -> bureau.BureauBoard:
    """This month's figures of ``unit``'s subtree, shared by its screens for a minute."""
    return bureau.recent_board(
        ("wall", unit.id, unit.code, today),
        float(current_app.config["DASHBOARD_CACHE_SECONDS"]),
        lambda: bureau.bureau_board(
            unit,
            units_in_subtree(unit),
            periods.month_period(today),
            today,
            aggregate_only=True,
            compare=False,
            target=target_for(unit),
        ),
    )


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/<token>")
def screen(token: str) -> ResponseReturnValue:
    board, today = _board(token)
    return _no_store(
        Response(
            render_template(
                "dashboards/wall.html",
                board=board,
                today=today,
                token=token,
                refresh_seconds=int(current_app.config["WALL_REFRESH_SECONDS"]),
                updated_at=format_time(board.computed_at, "HH:mm"),
            )
        )
    )


@bp.get("/<token>/data.json")
def data(token: str) -> ResponseReturnValue:
    board, _today = _board(token)
    return _no_store(jsonify(bureau.wall_payload(board, format_time(board.computed_at, "HH:mm"))))
