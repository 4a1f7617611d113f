"""The one PDF renderer: a Jinja template, to HTML, to PDF with WeasyPrint."""

from __future__ import annotations

import base64
import ctypes
import errno
import fcntl
import hashlib
import logging
import math
import mimetypes
import multiprocessing
import os
import resource
import shutil
import signal
import subprocess
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from flask import Response, current_app, has_request_context, render_template, request
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
        """The static file that ``url`` names, an inline image, or ResourceRefused."""
        if url.startswith("data:"):
            return inline_image(url)
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


# Pictures a document carries itself (an activity's photos in an evidence pack): the data
# is in the HTML already, so nothing is fetched; only the two photo types are accepted.
INLINE_IMAGE_TYPES = ("image/jpeg", "image/png")


def inline_image(url: str) -> URLFetcherResponse:
    """The picture in a ``data:image/…;base64,`` URL, or ResourceRefused."""
    header, _, payload = url.partition(",")
    content_type = header.removeprefix("data:").removesuffix(";base64")
    if not header.endswith(";base64") or content_type not in INLINE_IMAGE_TYPES:
        raise ResourceRefused("not an inline JPEG or PNG image")
    try:
        body = base64.b64decode(payload, validate=True)
    except ValueError:
        raise ResourceRefused("not an inline JPEG or PNG image") from None
    return URLFetcherResponse(url[:64], body=body, headers={"Content-Type": content_type})


def data_url(content: bytes, content_type: str) -> str:
    """``content`` as a ``data:`` URL that ``inline_image`` accepts."""
    return f"data:{content_type};base64," + base64.b64encode(content).decode("ascii")


def _static_url_prefix() -> str:
    """What ``url_for('static', …)`` puts before a file name, mount point included."""
    script_root = request.script_root if has_request_context() else ""
    return script_root + (current_app.static_url_path or "/static")


class PDFRenderError(RuntimeError):
    """Rendering failed in the child process (or the child died or took too long)."""


class PDFBusy(PDFRenderError):
    """Every render slot stayed taken for as long as a request may wait for one."""


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


# prctl(2): deliver a signal to this process when its parent exits (Linux).
PR_SET_PDEATHSIG = 1


def _die_with_parent(parent_pid: int) -> None:
    """Make the child exit when the worker that started it exits, however it exits.

    A worker killed by the master (timeout) or by the OOM killer must not leave its render
    behind, blocked on a pipe nobody reads. Where prctl is missing (not Linux) the parent's
    own time limit and the child's alarm still bound it.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover  (not Linux)
        pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)


def _render_child(job: _RenderJob, sender: Connection, parent_pid: int, limit: float) -> None:
    """In the child: render, send ("ok", pdf, peak RSS in KiB) or ("error", name, text).

    The child dies with its parent, and by itself after ``limit`` seconds (SIGALRM's default
    action ends the process), so it can never outlive the request that wanted it.
    """
    _die_with_parent(parent_pid)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)
    signal.alarm(max(1, math.ceil(limit)))
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
    child = context.Process(
        target=_render_child, args=(job, sender, os.getpid(), timeout + 1), daemon=True
    )
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


# --- how many renders at once, across every worker -----------------------------------------


@contextmanager
def render_slot(folder: Path, slots: int, wait: float) -> Iterator[int]:
    """Hold one of ``slots`` render slots (lock files in ``folder``) while rendering.

    The slots are shared by every worker on the machine, so at most ``slots`` renders (and
    their few hundred MB each) run at once; the rest wait up to ``wait`` seconds, then get
    PDFBusy. A lock is released by the kernel when its holder dies.
    """
    folder.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + wait
    while True:
        for index in range(max(1, slots)):
            handle = os.open(folder / f"pdf-slot-{index}.lock", os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as error:
                os.close(handle)
                if error.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                continue
            try:
                yield index
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)
                os.close(handle)
            return
        if time.monotonic() >= deadline:
            raise PDFBusy(f"all {slots} PDF render slots stayed taken for {wait:g} s")
        time.sleep(0.05)


# --- rendered documents, kept by content ---------------------------------------------------


class RenderCache:
    """The last PDFs rendered by this worker, keyed by a digest of their HTML.

    The HTML holds everything the PDF shows, so any change to a case or its records (or the
    date printed on it) gives another key: nothing needs invalidating. Kept in the worker's
    memory only, never on disk, and bounded in bytes.
    """

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, bytes] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    @staticmethod
    def key(job: _RenderJob) -> str:
        digest = hashlib.sha256()
        for part in (job.html, job.base_url, job.static_url_prefix):
            digest.update(part.encode())
            digest.update(b"\0")
        return digest.hexdigest()

    def get(self, key: str) -> bytes | None:
        with self._lock:
            pdf = self._entries.get(key)
            if pdf is not None:
                self._entries.move_to_end(key)
            return pdf

    def put(self, key: str, pdf: bytes) -> None:
        if len(pdf) > self.max_bytes:
            return
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = pdf
            self._size += len(pdf)
            while self._size > self.max_bytes:
                _old, dropped = self._entries.popitem(last=False)
                self._size -= len(dropped)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0


_cache = RenderCache(0)


def clear_render_cache() -> None:
    """Forget every PDF this worker rendered (after personal data was erased)."""
    _cache.clear()


def render_pdf(template_name: str, *, render_timeout: float | None = None, **context: Any) -> bytes:
    """Render a template from templates/ with ``context`` and return the PDF.

    The template is rendered here (it may read the database). The layout runs in a child
    process unless ``PDF_RENDER_IN_SUBPROCESS`` is off, in one of ``PDF_RENDER_SLOTS``
    slots, and its result is kept (``PDF_CACHE_BYTES``) for the same HTML.
    ``render_timeout`` replaces ``PDF_RENDER_TIMEOUT`` (and the wait for a slot) for a
    render outside a request, such as an evidence pack built in the background.
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
    config = current_app.config
    _cache.max_bytes = int(config.get("PDF_CACHE_BYTES", 0))
    key = RenderCache.key(job)
    cached = _cache.get(key) if _cache.max_bytes else None
    if cached is not None:
        return cached
    if not config.get("PDF_RENDER_IN_SUBPROCESS", True):
        pdf = job.write_pdf()
    else:
        with render_slot(
            Path(current_app.instance_path) / "run",
            int(config.get("PDF_RENDER_SLOTS", 2)),
            render_timeout or float(config.get("PDF_RENDER_QUEUE_WAIT", 20)),
        ):
            timeout = render_timeout or float(config.get("PDF_RENDER_TIMEOUT", 45))
            pdf = _render_in_child(job, timeout)
    if _cache.max_bytes:
        _cache.put(key, pdf)
    return pdf


def pdf_download(pdf: bytes, filename: str) -> Response:
    """A PDF as an attachment, never cached on the way. ``filename`` names the record by
    its number or id, never by anything personal."""
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
