"""The real app under gunicorn with several workers, for tests of what only that shows."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from casework import PROJECT_ROOT

GUNICORN = Path(sys.executable).parent / "gunicorn"
WORKERS = 2
STARTUP_SECONDS = 30.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def gunicorn(database_url: str, instance: Path, **settings: str) -> Iterator[str]:
    """Serve wsgi:app with ``WORKERS`` workers on a free loopback port until the block ends.

    ``settings`` become ``CASEWORK_*`` variables; everything else is the app's default, as
    with ``make run``.
    """
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
            "--workers",
            str(WORKERS),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--access-logfile",
            "/dev/null",
            "--error-logfile",
            "-",
            "wsgi:app",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server)
        yield base
    finally:
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
