"""A fresh demo database served by gunicorn on 127.0.0.1, for the probes CI runs against a
live app (scripts/probe_sql_injection.py, scripts/fuzz_api.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def environment(instance: Path, **settings: str) -> dict[str, str]:
    """This process's environment without our own settings, plus demo mode in ``instance``
    and ``settings`` (``CASEWORK_*`` names)."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("CASEWORK_")}
    return env | {
        "CASEWORK_INSTANCE_PATH": str(instance),
        "CASEWORK_DEMO": "1",
        "CASEWORK_LOG_LEVEL": "WARNING",
        "FLASK_APP": "wsgi:app",
        **settings,
    }


def flask(env: dict[str, str], *args: str) -> str:
    """Run ``flask …`` in the project and return what it printed."""
    return subprocess.run(  # noqa: S603
        [str(BIN / "flask"), *args], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    ).stdout.strip()


def seed(env: dict[str, str]) -> None:
    flask(env, "db", "upgrade")
    flask(env, "casework", "load-reference")
    flask(env, "casework", "seed-demo")


@contextmanager
def served(env: dict[str, str], port: int, log: Path) -> Iterator[str]:
    """gunicorn (2 workers) on ``port`` until the block ends; yields the base URL."""
    base = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        server = subprocess.Popen(  # noqa: S603
            [
                str(BIN / "gunicorn"),
                "--workers",
                "2",
                "--bind",
                f"127.0.0.1:{port}",
                "--access-logfile",
                "/dev/null",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
        try:
            _wait_until_up(server, base)
            yield base
        finally:
            server.terminate()
            server.wait(timeout=15)


def _wait_until_up(server: subprocess.Popen[bytes], base: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit("gunicorn exited before answering")
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not answer /healthz in time")
