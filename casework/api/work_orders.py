"""/api/v1/work-orders: a connected system (the 12345 hotline) dispatches a work order to a
station. Authenticated by the system's service token (``cws_…``), not a person's."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import g
from flask_babel import gettext as _
from flask_smorest import Blueprint

from casework.api.base import bearer_secret, open_to_tokens
from casework.api.schemas import UtcDateTime
from casework.core.errors import ApiError
from casework.extensions import db
from casework.helpdesk.models import RequestCategory
from casework.hotline import services
from casework.hotline.models import ConnectedSystem, WorkOrder

blp = Blueprint(
    "work_orders",
    __name__,
    url_prefix="/api/v1/work-orders",
    description="Work orders (工单) from a connected system such as the 12345 hotline",
)
open_to_tokens(blp, "system")


@blp.before_request
def authenticate() -> None:
    system = services.system_for(bearer_secret())
    if system is None:
        raise ApiError(401, "unauthorized", _("缺少有效的系统令牌。"))
    g.connected_system_id = system.id


class WorkOrderIn(ma.Schema):
    order_number = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    community = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=32),
        metadata={"description": "The target station's unit code"},
    )
    category = ma.fields.Enum(RequestCategory, by_value=True, load_default=RequestCategory.OTHER)
    content = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=4000))
    caller_name = ma.fields.String(load_default=None, validate=ma.validate.Length(max=64))
    caller_phone = ma.fields.String(
        load_default=None, validate=ma.validate.Regexp(r"^[0-9+\- ]{7,20}$")
    )
    deadline = ma.fields.AwareDateTime(
        load_default=None, metadata={"description": "办结时限, with its UTC offset"}
    )


class WorkOrderOut(ma.Schema):
    id = ma.fields.Integer(required=True)
    order_number = ma.fields.String(required=True)
    help_request_id = ma.fields.Integer(required=True)
    tracking_code = ma.fields.Function(
        lambda order: order.help_request.tracking_code, required=True
    )
    status = ma.fields.Function(lambda order: order.help_request.status.value, required=True)
    received_at = UtcDateTime(required=True)
    deadline = UtcDateTime(required=True, allow_none=True)


@blp.post("")
@blp.arguments(WorkOrderIn)
@blp.response(201, WorkOrderOut)
@blp.alt_response(200, schema=WorkOrderOut, description="The same order number again")
def receive(args: dict[str, Any]) -> Any:
    """Receive a work order: it enters the target station's queue as a help request
    (channel 12345), and its acceptance is reported to the system's callback."""
    system = db.session.get(ConnectedSystem, g.connected_system_id)
    if system is None:
        raise ApiError(401, "unauthorized", _("缺少有效的系统令牌。"))
    try:
        order, created = services.receive(
            system=system,
            details=services.OrderDetails(
                order_number=args["order_number"],
                community=args["community"],
                category=args["category"],
                content=args["content"],
                caller_name=args["caller_name"],
                caller_phone=args["caller_phone"],
                deadline=args["deadline"],
            ),
        )
    except services.WorkOrderError as error:
        field = error.code or "request"
        raise ApiError(
            422, f"invalid_{field}", error.message, {field: [str(error.message)]}
        ) from None
    db.session.commit()
    return order, 201 if created else 200


@blp.get("/<order_number>")
@blp.response(200, WorkOrderOut)
def status(order_number: str) -> WorkOrder:
    """Where a work order this system sent stands."""
    found: WorkOrder = db.first_or_404(
        db.select(WorkOrder).where(
            WorkOrder.system_id == g.connected_system_id, WorkOrder.order_number == order_number
        )
    )
    return found
