"""The API's frame: the flask-smorest ``Api`` that generates the OpenAPI document, the
``/api/v1`` blueprint with its token authentication and per-token rate limit, and cursor
pagination.

A call is answered as the token's owner: ``current_user`` is that user for the request
(never a session: no cookie is read or set), so every visibility query and permission
predicate of the pages applies unchanged, and the disclosure audit records what the call
showed, as for a page.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any

import marshmallow as ma
from flask import current_app, g, request
from flask_babel import gettext as _
from flask_smorest import Api, Blueprint
from sqlalchemy import Select

from casework.accounts.services import token_digest
from casework.api import tokens
from casework.api.models import TokenScope
from casework.core.errors import ApiError
from casework.extensions import csrf, db, limiter

MAX_LIMIT = 100
DEFAULT_LIMIT = 25


class ErrorDetailSchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"description": "A stable error code"})
    message = ma.fields.String(required=True, metadata={"description": "What went wrong"})
    field_errors = ma.fields.Dict(
        data_key="fields",
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "Per field: why its value was refused"},
    )


class ErrorSchema(ma.Schema):
    """Every error of the API has this one shape."""

    error = ma.fields.Nested(ErrorDetailSchema, required=True)


class CaseworkApi(Api):
    """flask-smorest without its app-wide error handler: errors under /api/ are answered by
    ``core.errors`` in the API's shape, and every page keeps its HTML error page."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        return None


api = CaseworkApi()

blp = Blueprint(
    "api",
    __name__,
    url_prefix="/api/v1",
    description="casework JSON API, version 1",
)


def bearer_secret() -> str:
    """The secret of ``Authorization: Bearer …``, or ""."""
    scheme, _sep, secret = request.headers.get("Authorization", "").partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else ""


def open_to_tokens(blueprint: Blueprint, prefix: str) -> None:
    """No CSRF (no cookie authenticates these calls), and ``API_RATE_LIMIT`` per presented
    secret (by its digest; an unknown one is counted too), else per address."""

    def key() -> str:
        secret = bearer_secret()
        return f"{prefix}:" + (token_digest(secret)[:32] if secret else (request.remote_addr or ""))

    csrf.exempt(blueprint)
    limiter.limit(lambda: str(current_app.config["API_RATE_LIMIT"]), key_func=key)(blueprint)


open_to_tokens(blp, "api")


@blp.before_request
def authenticate() -> None:
    token = tokens.token_for(bearer_secret())
    if token is None:
        raise ApiError(401, "unauthorized", _("缺少有效的 API 令牌，或令牌已过期、已撤销。"))
    if not tokens.can_use_api(token.user):
        raise ApiError(403, "forbidden", _("该账号不能使用 API。"))
    if request.method not in ("GET", "HEAD", "OPTIONS") and token.scope is not TokenScope.WRITE:
        raise ApiError(403, "read_only_token", _("只读令牌不能修改数据。"))
    # The owner answers the call, for this request only: no session is made or read.
    g._login_user = token.user
    g.api_token_id = token.id
    tokens.note_use(token)
    if db.session.dirty:
        db.session.commit()


class PageArgs(ma.Schema):
    cursor = ma.fields.String(
        load_default=None, metadata={"description": "``next_cursor`` of the previous page"}
    )
    limit = ma.fields.Integer(
        load_default=DEFAULT_LIMIT, validate=ma.validate.Range(min=1, max=MAX_LIMIT)
    )


def page_schema(item: type[ma.Schema], name: str) -> type[ma.Schema]:
    """``{"items": [...], "next_cursor": ...}`` of ``item``."""
    return ma.Schema.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item), required=True),
            "next_cursor": ma.fields.String(
                required=True,
                allow_none=True,
                metadata={"description": "Pass as ``cursor`` for the next page; null at the end"},
            ),
        },
        name=name,
    )


def _decode(cursor: str) -> int:
    try:
        value = int(base64.urlsafe_b64decode(cursor.encode("ascii") + b"==").decode("ascii"))
    except (ValueError, UnicodeError, binascii.Error):
        value = 0
    if not 0 < value < 2**31:
        raise ApiError(422, "invalid_cursor", _("分页游标无效。"), {"cursor": [_("无效")]})
    return value


def _encode(value: int) -> str:
    return base64.urlsafe_b64encode(str(value).encode("ascii")).decode("ascii").rstrip("=")


def paginate(query: Select[Any], id_column: Any, args: dict[str, Any]) -> dict[str, Any]:
    """Newest first by id: the rows after ``cursor``, and the cursor of the next page."""
    limit = int(args["limit"])
    if args.get("cursor"):
        query = query.where(id_column < _decode(args["cursor"]))
    rows: Sequence[Any] = db.session.scalars(
        query.order_by(None).order_by(id_column.desc()).limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": list(rows), "next_cursor": _encode(rows[-1].id) if more else None}
