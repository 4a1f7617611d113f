"""The one PDF renderer: a Jinja template, to HTML, to PDF with WeasyPrint."""

from __future__ import annotations

import logging
import mimetypes
import multiprocessing
import resource
import shutil
import subprocess
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from flask import current_app, has_request_context, render_template, request
from flask_babel import lazy_gettext as _l
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

log = logging.getLogger(__name__)

# Families of the installed fonts that cover Chinese; empty output means none.
FC_LIST_CJK = ("fc-list", ":lang=zh", "family")

# Only a found font is remembered: after an administrator installs one, the next
# attempt succeeds without restarting the server.
_cjk_font_found = False


class MissingCJKFont(RuntimeError):
    """No Chinese font is installed: a PDF would show empty boxes instead of text."""

    def __init__(self) -> None:
        message = _l("系统未安装中文字体，无法生成 PDF。请管理员安装 fonts-noto-cjk 后重试。")
        super().__init__(str(message))
        self.message = message


class ResourceRefused(ValueError):
    """A template asked for something other than a file under the static folder."""


def cjk_font_installed(command: Sequence[str] = FC_LIST_CJK) -> bool:
    """Whether fontconfig lists at least one font that covers Chinese."""
    executable = shutil.which(command[0])
    if executable is None:
        log.warning("%s not found: cannot check for a Chinese font", command[0])
        return False
    try:
        result = subprocess.run(  # noqa: S603  (a fixed command, no user input)
            [executable, *command[1:]], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError):
        log.exception("checking for a Chinese font failed")
        return False
    return result.returncode == 0 and bool(result.stdout.strip())


def ensure_cjk_font() -> None:
    """Raise MissingCJKFont unless a Chinese font is installed."""
    global _cjk_font_found
    if _cjk_font_found:
        return
    if not cjk_font_installed():
        raise MissingCJKFont()
    _cjk_font_found = True


# Templates get nothing from outside the application: a stray link in a record must
# neither make the server fetch from the network nor read a file such as the secret key.
class StaticFileFetcher(URLFetcher):
    """Serve files under the static folder (by ``/static/…`` URL or path); refuse the rest."""

    def __init__(self, static_folder: str | Path, static_url_path: str = "/static") -> None:
        super().__init__(allowed_protocols=("file",))
        self.root = Path(static_folder).resolve()
        self.url_prefix = static_url_path.rstrip("/") + "/"

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> URLFetcherResponse:
        """The static file that ``url`` names, or ResourceRefused."""
        path = self.static_path(url)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(
            path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )

    def static_path(self, url: str) -> Path:
        """The file under the static folder that ``url`` names, or ResourceRefused."""
        parts = urlsplit(url)
        if parts.scheme == "file" and parts.netloc in ("", "localhost"):
            raw_path = url2pathname(parts.path)
        elif not parts.scheme and not parts.netloc:
            raw_path = unquote(parts.path)
        else:
            raise ResourceRefused(f"not a static file: {url}")
        candidates = [Path(raw_path)]
        # "/static/css/pdf.css" resolved against a file: base URL arrives as
        # file:///static/css/pdf.css: map the URL prefix onto the static folder.
        if raw_path.startswith(self.url_prefix):
            candidates.append(self.root / raw_path.removeprefix(self.url_prefix))
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved.is_relative_to(self.root) and resolved.is_file():
                return resolved
        raise ResourceRefused(f"not a static file: {url}")


def _static_url_prefix() -> str:
    """What ``url_for('static', …)`` puts before a file name, mount point included."""
    script_root = request.script_root if has_request_context() else ""
    return script_root + (current_app.static_url_path or "/static")


class PDFRenderError(RuntimeError):
    """Rendering failed in the child process (or the child died or took too long)."""


# Errors of ours that a child re-raises in the parent as themselves.
_PASSED_THROUGH: dict[str, type[Exception]] = {
    "MissingCJKFont": MissingCJKFont,
    "ResourceRefused": ResourceRefused,
}


@dataclass(frozen=True)
class _RenderJob:
    """Everything WeasyPrint needs, as plain data: the child never touches Flask or the DB."""

    html: str
    base_url: str
    static_folder: str
    static_url_prefix: str

    def write_pdf(self) -> bytes:
        document = HTML(
            string=self.html,
            base_url=self.base_url,
            url_fetcher=StaticFileFetcher(self.static_folder, self.static_url_prefix),
        )
        return bytes(document.write_pdf())


def _render_child(job: _RenderJob, sender: Connection) -> None:
    """In the child: render, send ("ok", pdf, peak RSS in KiB) or ("error", name, text)."""
    try:
        pdf = job.write_pdf()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        sender.send(("ok", pdf, peak))
    except BaseException as error:  # everything goes back to the parent, which raises it
        sender.send(("error", type(error).__name__, str(error)))
    finally:
        sender.close()


def _render_in_child(job: _RenderJob, timeout: float) -> bytes:
    """Run ``job`` in a forked child, so its memory is returned when the child exits.

    Fork keeps the start cheap (the child shares the loaded WeasyPrint and fonts with the
    worker) and needs nothing pickled but the result.
    """
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_render_child, args=(job, sender), daemon=True)
    started = time.perf_counter()
    child.start()
    sender.close()
    try:
        if not receiver.poll(timeout):
            raise PDFRenderError(f"PDF rendering took longer than {timeout:g} s")
        outcome = receiver.recv()
    except EOFError:
        outcome = None
    finally:
        receiver.close()
        if child.is_alive():
            child.join(1)
        if child.is_alive():
            child.kill()
        child.join()
    if outcome is None:
        raise PDFRenderError(f"the PDF renderer exited with code {child.exitcode}")
    if outcome[0] == "error":
        _, name, message = outcome
        passed = _PASSED_THROUGH.get(name)
        if passed is MissingCJKFont:
            raise MissingCJKFont()
        if passed is not None:
            raise passed(message)
        raise PDFRenderError(f"{name}: {message}")
    _, pdf, peak_kib = outcome
    log.info(
        "PDF rendered in a child: %d KiB in %.2f s, child peak RSS %d MiB",
        len(pdf) // 1024,
        time.perf_counter() - started,
        peak_kib // 1024,
    )
    return bytes(pdf)


def render_pdf(template_name: str, **context: Any) -> bytes:
    """Render a template from templates/ with ``context`` and return the PDF.

    The template is rendered here (it may read the database); the layout runs in a child
    process unless ``PDF_RENDER_IN_SUBPROCESS`` is off.
    """
    ensure_cjk_font()
    html = render_template(template_name, **context)
    static_folder = current_app.static_folder
    if static_folder is None:  # pragma: no cover  (create_app always sets it)
        raise RuntimeError("the application has no static folder")
    job = _RenderJob(
        html=html,
        base_url=Path(static_folder).resolve().as_uri() + "/",
        static_folder=str(static_folder),
        static_url_prefix=_static_url_prefix(),
    )
    if current_app.config.get("PDF_RENDER_IN_SUBPROCESS", True):
        return _render_in_child(job, float(current_app.config.get("PDF_RENDER_TIMEOUT", 120)))
    return job.write_pdf()
