"""Errors reach the user as Chinese pages, never as a stack trace."""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask


def test_unknown_page_is_chinese_404(make_app: Callable[..., Flask]) -> None:
    response = make_app().test_client().get("/no-such-page")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


def test_unexpected_error_is_chinese_500_without_traceback(make_app: Callable[..., Flask]) -> None:
    app = make_app(TESTING=False, PROPAGATE_EXCEPTIONS=False)

    @app.get("/boom")
    def boom() -> str:
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    body = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "系统出错" in body
    assert "secret internals" not in body
    assert "Traceback" not in body


def test_database_errors_in_the_log_carry_no_values(make_app: Callable[..., Flask]) -> None:
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    from casework.extensions import db

    app = make_app()
    with app.app_context():
        try:
            db.session.execute(
                text("SELECT * FROM no_such_table WHERE name = :name"), {"name": "王芳"}
            )
        except SQLAlchemyError as error:
            message = str(error)
        db.session.rollback()
    assert "王芳" not in message
