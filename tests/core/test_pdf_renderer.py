"""The PDF renderer's process: children that die with their worker and within their time
limit, slots shared by all workers, the cache of rendered documents, and the retry page."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from casework.core import pdf as module
from tests import factories
from tests.conftest import Login

PROJECT_ROOT = Path(__file__).resolve().parents[2]
STATIC = PROJECT_ROOT / "static"

# A script that starts a render whose layout hangs, after writing the child's pid.
HANGING_RENDER = textwrap.dedent(
    """
    import os, sys, time
    from casework.core import pdf

    def hang(self):
        with open(sys.argv[1] + ".tmp", "w") as out:
            out.write(str(os.getpid()))
        os.rename(sys.argv[1] + ".tmp", sys.argv[1])
        time.sleep(120)
        return b""

    pdf._RenderJob.write_pdf = hang
    job = pdf._RenderJob(html="<p>x</p>", base_url="file:///", static_folder=sys.argv[2],
                         static_url_prefix="/static")
    pdf._render_in_child(job, timeout=float(sys.argv[3]))
    """
)


def _gone(pid: int) -> bool:
    """No such process, or only its zombie (it has exited)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return True
    return state in ("Z", "X")


def _wait_until(check: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def _start_hanging_render(tmp_path: Path, timeout: float) -> tuple[subprocess.Popen[bytes], int]:
    pid_file = tmp_path / "child.pid"
    worker = subprocess.Popen(  # noqa: S603  (our own interpreter and script)
        [sys.executable, "-c", HANGING_RENDER, str(pid_file), str(STATIC), str(timeout)],
        cwd=PROJECT_ROOT,
    )
    assert _wait_until(pid_file.exists, 60), "the render child never started"
    return worker, int(pid_file.read_text())


def test_a_render_child_dies_when_its_worker_is_killed(tmp_path: Path) -> None:
    worker, child = _start_hanging_render(tmp_path, timeout=60)
    worker.send_signal(signal.SIGKILL)
    worker.wait(10)
    assert _wait_until(lambda: _gone(child), 5)


def test_a_render_past_its_time_limit_is_killed(tmp_path: Path) -> None:
    worker, child = _start_hanging_render(tmp_path, timeout=1)
    worker.wait(30)
    assert _gone(child)


def test_a_render_past_its_time_limit_is_reported_to_the_worker(tmp_path: Path) -> None:
    worker, _child = _start_hanging_render(tmp_path, timeout=1)
    assert worker.wait(30) != 0


def test_a_render_child_ends_itself_at_its_alarm(tmp_path: Path) -> None:
    script = textwrap.dedent(
        """
        import os, sys, time
        from multiprocessing import Pipe
        from casework.core import pdf

        pdf._RenderJob.write_pdf = lambda self: time.sleep(120)
        job = pdf._RenderJob(html="", base_url="file:///", static_folder=sys.argv[1],
                             static_url_prefix="/static")
        _receiver, sender = Pipe(duplex=False)
        pdf._render_child(job, sender, os.getppid(), 1)
        """
    )
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603  (our own interpreter and script)
        [sys.executable, "-c", script, str(STATIC)], cwd=PROJECT_ROOT, timeout=60, check=False
    )
    assert result.returncode == -signal.SIGALRM
    assert time.monotonic() - started < 30


def test_a_taken_slot_makes_the_next_render_wait_then_refuse(tmp_path: Path) -> None:
    with (
        module.render_slot(tmp_path, 1, wait=0.1),
        pytest.raises(module.PDFBusy),
        module.render_slot(tmp_path, 1, wait=0.3),
    ):
        pass


def test_a_second_slot_is_taken_when_the_first_is_busy(tmp_path: Path) -> None:
    with (
        module.render_slot(tmp_path, 2, wait=0.1) as first,
        module.render_slot(tmp_path, 2, wait=0.1) as second,
    ):
        assert {first, second} == {0, 1}


def test_a_freed_slot_is_taken_again(tmp_path: Path) -> None:
    with module.render_slot(tmp_path, 1, wait=0.1):
        pass
    with module.render_slot(tmp_path, 1, wait=0.1) as index:
        assert index == 0


def _counting_renders(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    calls: list[str] = []

    def render(job: Any, timeout: float) -> bytes:
        calls.append(job.html)
        return b"%PDF-1.7 " + job.html.encode()

    monkeypatch.setattr(module, "_render_in_child", render)
    module.clear_render_cache()
    return calls


def test_the_same_document_is_laid_out_once(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counting_renders(monkeypatch)
    monkeypatch.setattr(module, "render_template", lambda *_args, **_kw: "<p>个案档案</p>")
    app = make_app(PDF_CACHE_BYTES=1_000_000)
    with app.test_request_context():
        first, second = module.render_pdf("any.html"), module.render_pdf("any.html")
    assert (len(calls), first) == (1, second)


def test_a_changed_document_is_laid_out_again(
    make_app: Callable[..., Flask], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = _counting_renders(monkeypatch)
    pages = iter(["<p>记录 1 条</p>", "<p>记录 2 条</p>"])
    monkeypatch.setattr(module, "render_template", lambda *_args, **_kw: next(pages))
    app = make_app(PDF_CACHE_BYTES=1_000_000)
    with app.test_request_context():
        module.render_pdf("any.html")
        module.render_pdf("any.html")
    assert len(calls) == 2


def test_the_cache_keeps_only_its_size() -> None:
    cache = module.RenderCache(max_bytes=10)
    cache.put("a", b"123456")
    cache.put("b", b"7890ab")
    assert (cache.get("a"), cache.get("b")) == (None, b"7890ab")


def test_a_render_that_times_out_asks_the_user_to_retry(
    client: FlaskClient, login: Login, monkeypatch: pytest.MonkeyPatch
) -> None:
    def too_slow(_job: Any, timeout: float) -> bytes:
        raise module.PDFRenderError(f"PDF rendering took longer than {timeout:g} s")

    monkeypatch.setattr(module, "_render_in_child", too_slow)
    case = factories.CaseFactory()
    login(case.worker)
    response = client.get(f"/cases/{case.id}/file.pdf")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "30"
    assert "请稍等片刻后重试" in response.get_data(as_text=True)
