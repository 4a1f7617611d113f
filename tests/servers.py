"""The real app under gunicorn with several workers, for tests of what only that shows."""

from __future__ import annotations

import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from casework import PROJECT_ROOT

GUNICORN = Path(sys.executable).parent / "gunicorn"
WORKERS = 2
STARTUP_SECONDS = 30.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    base: str
    process: subprocess.Popen[bytes]

    def kill(self) -> None:
        """SIGKILL to the master and every worker at once: a power cut, as far as they know."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=15)


@contextmanager
def gunicorn(database_url: str, instance: Path, **settings: str) -> Iterator[str]:
    """Serve wsgi:app with ``WORKERS`` workers on a free loopback port until the block ends.

    ``settings`` become ``CASEWORK_*`` variables; everything else is the app's default, as
    with ``make run``.
    """
    with gunicorn_server(database_url, instance, **settings) as served:
        yield served.base


@contextmanager
def gunicorn_server(database_url: str, instance: Path, **settings: str) -> Iterator[Served]:
    """``gunicorn``, with the process (in a process group of its own) to kill."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("CASEWORK_")}
    env |= {
        "CASEWORK_DATABASE_URL": database_url,
        "CASEWORK_SECRET_KEY": "server-test-secret-key-not-for-production",
        "CASEWORK_INSTANCE_PATH": str(instance),
        "CASEWORK_DEMO": "false",
        "CASEWORK_LOG_LEVEL": "WARNING",
    }
    env |= {f"CASEWORK_{name}": value for name, value in settings.items()}
    log = (instance / "gunicorn.log").open("w")
    server = subprocess.Popen(  # noqa: S603  (fixed arguments, our own venv's gunicorn)
        [
            str(GUNICORN),
            "-c",
            str(Path(PROJECT_ROOT) / "gunicorn.conf.py"),
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "wsgi:app",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server)
        yield Served(base, server)
    finally:
        if server.poll() is None:
            server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(timeout=5)
        log.close()


def _wait_until_up(base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2) as response:  # noqa: S310
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not answer /healthz in time")


def _load_flood_script() -> ModuleType:
    """``scripts/flood_help_form.py``, the residents' load generator, as a module."""
    path = Path(PROJECT_ROOT) / "scripts" / "flood_help_form.py"
    spec = importlib.util.spec_from_file_location("flood_help_form", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building
    spec.loader.exec_module(module)
    return module


flood_help_form = _load_flood_script()
