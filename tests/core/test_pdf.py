"""The PDF renderer fetches only our static files and refuses to run without a Chinese font."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from casework import PROJECT_ROOT
from casework.core.pdf import ResourceRefused, StaticFileFetcher, cjk_font_installed

STATIC = Path(PROJECT_ROOT) / "static"
STYLESHEET = STATIC / "css" / "pdf.css"


@pytest.fixture
def fetcher(app: Flask) -> StaticFileFetcher:
    assert app.static_folder is not None
    return StaticFileFetcher(app.static_folder, app.static_url_path or "/static")


@pytest.mark.parametrize(
    "url",
    [
        "/static/css/pdf.css",
        # What WeasyPrint makes of "/static/css/pdf.css" against the static folder's base URL.
        "file:///static/css/pdf.css",
        STYLESHEET.as_uri(),
        str(STYLESHEET),
    ],
)
def test_fetcher_serves_a_static_file(fetcher: StaticFileFetcher, url: str) -> None:
    response = fetcher.fetch(url)
    try:
        assert response.read() == STYLESHEET.read_bytes()
        assert response.content_type == "text/css"
    finally:
        response.close()


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/style.css",
        "http://127.0.0.1/static/css/pdf.css",
        "ftp://example.com/style.css",
        "data:text/css,body{color:red}",
        "file://example.com/static/css/pdf.css",
        (Path(PROJECT_ROOT) / "casework" / "config.py").as_uri(),
        "file:///etc/passwd",
        "/etc/passwd",
        "/static/../casework/config.py",
        "file:///static/../../etc/passwd",
        STATIC.as_uri() + "/../casework/config.py",
        "/static/css/no-such-file.css",
        "/static/css",
    ],
)
def test_fetcher_refuses_anything_else(fetcher: StaticFileFetcher, url: str) -> None:
    with pytest.raises(ResourceRefused):
        fetcher.fetch(url)


def test_fetcher_refuses_a_symlink_out_of_the_static_folder(tmp_path: Path) -> None:
    static = tmp_path / "static"
    static.mkdir()
    secret = tmp_path / "secret_key"
    secret.write_text("not for templates")
    (static / "key.css").symlink_to(secret)
    with pytest.raises(ResourceRefused):
        StaticFileFetcher(static).fetch("/static/key.css")


def test_font_check_is_false_when_fc_list_is_missing() -> None:
    assert not cjk_font_installed(("casework-no-such-fc-list", ":lang=zh", "family"))


# Runs in a fresh interpreter: fontconfig reads FONTCONFIG_FILE once per process, and the
# renderer remembers a found font for the life of the process.
NO_FONT_SCRIPT = textwrap.dedent(
    """
    from casework import create_app
    from casework.core.pdf import MissingCJKFont, cjk_font_installed, render_pdf

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": "sqlite://"})
    with app.test_request_context():
        print("installed:", cjk_font_installed())
        try:
            render_pdf("cases/file_pdf.html")
        except MissingCJKFont as error:
            print("refused:", error)
    """
)


def test_render_refuses_without_a_chinese_font(tmp_path: Path) -> None:
    empty_config = tmp_path / "fonts.conf"
    empty_config.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n')
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "FONTCONFIG_FILE": str(empty_config),
        "CASEWORK_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    result = subprocess.run(  # noqa: S603  (our own interpreter and script)
        [sys.executable, "-c", NO_FONT_SCRIPT],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "installed: False" in result.stdout
    assert "refused: 系统未安装中文字体，无法生成 PDF。请管理员安装 fonts-noto-cjk 后重试。" in (
        result.stdout
    )


def _job(html: str) -> Any:
    from casework.core.pdf import _RenderJob

    return _RenderJob(
        html=html,
        base_url=STATIC.resolve().as_uri() + "/",
        static_folder=str(STATIC),
        static_url_prefix="/static",
    )


def test_a_child_process_renders_the_pdf(app: Flask) -> None:
    from casework.core.pdf import _render_in_child

    pdf = _render_in_child(_job("<p>个案档案</p>"), timeout=120)
    assert pdf.startswith(b"%PDF")


def test_an_error_in_the_child_is_raised_in_the_parent(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from casework.core import pdf as module

    def broken(_self: Any) -> bytes:
        raise ValueError("layout failed")

    monkeypatch.setattr(module._RenderJob, "write_pdf", broken)
    with pytest.raises(module.PDFRenderError, match="ValueError: layout failed"):
        module._render_in_child(_job("<p>x</p>"), timeout=120)


def test_a_child_that_dies_is_reported(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    from casework.core import pdf as module

    def dies(_self: Any) -> bytes:
        os._exit(3)

    monkeypatch.setattr(module._RenderJob, "write_pdf", dies)
    with pytest.raises(module.PDFRenderError, match="exited with code 3"):
        module._render_in_child(_job("<p>x</p>"), timeout=120)


def test_rendering_in_the_worker_process_can_be_chosen(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    from casework.core import pdf as module

    def no_child(*_args: Any) -> bytes:
        raise AssertionError("rendered in a child")

    monkeypatch.setattr(module, "_render_in_child", no_child)
    monkeypatch.setattr(module, "render_template", lambda *_args, **_kw: "<p>个案档案</p>")
    app = make_app(PDF_RENDER_IN_SUBPROCESS=False)
    with app.test_request_context():
        pdf = module.render_pdf("any.html")
    assert pdf.startswith(b"%PDF")
