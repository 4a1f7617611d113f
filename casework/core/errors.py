"""Error pages in the user's language, never a stack trace."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, current_app, g, jsonify, make_response, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DataError, DBAPIError, OperationalError
from werkzeug.exceptions import BadRequest, HTTPException, InternalServerError

from casework.core.pdf import PDFRenderError
from casework.core.requestlog import loggable_path
from casework.extensions import db

log = logging.getLogger(__name__)

MESSAGES = {
    400: (_l("请求无效"), _l("提交的内容无法处理。请返回上一页刷新后重试。")),
    403: (_l("没有权限"), _l("您的账号无权查看或执行此操作。")),
    404: (_l("页面不存在"), _l("您要找的页面不存在，或您无权查看。")),
    405: (_l("请求方式不允许"), _l("此页面不支持该操作。")),
    413: (_l("内容过大"), _l("上传的内容超过了允许的大小。")),
    422: (_l("内容有误"), _l("请检查填写的内容。")),
    429: (_l("操作过于频繁"), _l("请求次数过多，请稍后再试。")),
    500: (_l("系统出错"), _l("系统遇到了问题，已记录。请稍后再试。")),
    503: (_l("暂时无法完成"), _l("系统正忙，请稍后再试。")),
}
DATABASE_UNAVAILABLE_MESSAGE = _l(
    "数据库暂时无法访问或响应过慢，这次操作没有保存。请稍等片刻后返回上一页重试。"
)
PDF_RETRY_MESSAGE = _l(
    "文件这次没能生成（系统正忙或用时过长），您填写和保存的内容都没有受影响。请稍等片刻后重试。"
)
RETRY_AFTER_SECONDS = 30


class InputError(BadRequest):
    """A value from the request that cannot be used (a date out of range …): a 400 page that
    says why, in the user's language."""

    def __init__(self, message: object) -> None:
        super().__init__(str(message))
        self.message = message


class ApiError(HTTPException):
    """An answer of the JSON API (/api/): ``{"error": {"code", "message", "fields"}}``."""

    def __init__(
        self,
        status: int,
        error_code: str,
        message: object,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(str(message))
        self.code = status
        self.error_code = error_code
        self.message = message
        self.fields = fields or {}


# The API's error codes of the statuses it answers without a more specific one.
API_ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    422: "invalid_input",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


def _is_api_request() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def _field_messages(messages: Any) -> dict[str, list[str]]:
    """webargs' ``{"query": {"limit": [...]}}`` (or a body's nested errors) as
    ``{"limit": [...]}``, every message a string."""
    fields: dict[str, list[str]] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), inner)
        elif isinstance(value, list) and all(isinstance(item, str) for item in value):
            fields[prefix or "_"] = [str(item) for item in value]
        else:
            fields[prefix or "_"] = [str(value)]

    for location, errors in (messages or {}).items():
        walk("" if location in ("query", "json", "form", "path", "headers") else location, errors)
    return fields


def api_error_response(
    status: int,
    message: object = None,
    code: str | None = None,
    fields: dict[str, list[str]] | None = None,
) -> ResponseReturnValue:
    _title, standard = MESSAGES.get(status, MESSAGES[500])
    body = {
        "error": {
            "code": code or API_ERROR_CODES.get(status, "error"),
            "message": str(message or standard),
            "fields": fields or {},
        }
    }
    return jsonify(body), status


def _render(status: int, message: object = None) -> ResponseReturnValue:
    title, standard = MESSAGES.get(status, MESSAGES[500])
    message = message or standard
    if _is_api_request():
        return api_error_response(status, message)
    if request.accept_mimetypes.best == "application/json":
        return jsonify(error=str(title)), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _retry_later(message: object) -> ResponseReturnValue:
    """A 503 page with ``message`` and a Retry-After header."""
    response = make_response(_render(503, message))
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def _roll_back_quietly() -> None:
    """Roll the session back; with the database gone, the rollback itself may fail."""
    try:
        db.session.rollback()
    except DBAPIError:
        db.session.remove()


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(CSRFError)
    def csrf_error(_error: CSRFError) -> ResponseReturnValue:
        if _is_api_request():
            return api_error_response(400)
        title, _unused = MESSAGES[400]
        message = _l("表单已过期或缺少安全令牌。请刷新页面后重新提交。")
        return render_template("errors/error.html", status=400, title=title, message=message), 400

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> ResponseReturnValue:
        if error.code is None or error.code < 400:
            return error
        if isinstance(error, ApiError):
            db.session.rollback()
            return api_error_response(error.code, error.message, error.error_code, error.fields)
        if _is_api_request():
            # webargs puts a request's validation errors on the exception (422).
            data = getattr(error, "data", None) or {}
            fields = _field_messages(data.get("messages"))
            message = _l("请求参数有误。") if fields else None
            return api_error_response(error.code, message, fields=fields)
        return _render(error.code, error.message if isinstance(error, InputError) else None)

    @app.errorhandler(DataError)
    @app.errorhandler(OverflowError)
    def out_of_range(_error: Exception) -> ResponseReturnValue:
        # A value the database cannot hold (a number beyond its integers …) that got past
        # the checks on the way in: the request is refused, not answered with a 500.
        db.session.rollback()
        log.warning("value out of range on %s %s", request.method, loggable_path())
        return _render(400)

    @app.errorhandler(OperationalError)
    def database_unavailable(error: OperationalError) -> ResponseReturnValue:
        # The database is down, restarting, read-only, or a statement ran past
        # DATABASE_STATEMENT_TIMEOUT_MS: the transaction is rolled back, nothing half-done
        # stays, and the pool reconnects by itself once the database is back (pre-ping).
        _roll_back_quietly()
        # The page is drawn as for a visitor: the signed-in user (and their language) would
        # have to be read from the database that just failed.
        g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]
        log.warning(
            "database unavailable on %s %s: %s",
            request.method,
            loggable_path(),
            type(error.orig).__name__,
        )
        return _retry_later(DATABASE_UNAVAILABLE_MESSAGE)

    @app.errorhandler(PDFRenderError)
    def pdf_not_rendered(error: PDFRenderError) -> ResponseReturnValue:
        # A render that timed out, found no free slot or whose child died: nothing was
        # lost, the user is asked to try again.
        db.session.rollback()
        log.warning("PDF not rendered on %s %s: %s", request.method, loggable_path(), error)
        return _retry_later(PDF_RETRY_MESSAGE)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception) -> ResponseReturnValue:
        db.session.rollback()
        log.exception("unhandled error on %s %s", request.method, loggable_path())
        return _render(InternalServerError.code)
