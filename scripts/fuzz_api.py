"""A bounded schemathesis run against the running API: no server error, and every answer
as the OpenAPI document describes it.

Serves a fresh demo database with gunicorn, makes a personal API token for a social worker
(read-write), a tutor and a bureau viewer (read-only), and runs schemathesis once per token
over every operation of /api/v1/openapi.json, with a fixed number of examples each and a
fixed seed. CI runs it after the suite (``make api-fuzz``); locally:
``.venv/bin/python scripts/fuzz_api.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import demo_server

PORT = int(os.environ.get("FUZZ_PORT", "5198"))
EXAMPLES = os.environ.get("FUZZ_EXAMPLES", "25")
# (demo account, token scope): the three kinds of caller the pages know.
CALLERS = (("worker1", "write"), ("tutor", "read"), ("bureau", "read"))
CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    )
)


def _token(env: dict[str, str], username: str, scope: str) -> str:
    return demo_server.flask(
        env,
        "casework",
        "create-api-token",
        "--username",
        username,
        "--name",
        "schemathesis",
        "--scope",
        scope,
    )


def _schemathesis(base: str, secret: str, env: dict[str, str]) -> bool:
    result = subprocess.run(  # noqa: S603
        [
            str(demo_server.BIN / "schemathesis"),
            "run",
            f"{base}/api/v1/openapi.json",
            "--header",
            f"Authorization: Bearer {secret}",
            "--max-examples",
            EXAMPLES,
            "--checks",
            CHECKS,
            "--seed",
            "1",
            # One worker: hypothesis describes its strategies by parsing lambdas' source, which
            # CPython 3.11's ast module does not survive from two threads at once
            # ("AST constructor recursion depth mismatch").
            "--workers",
            "1",
            "--no-color",
        ],
        cwd=demo_server.ROOT,
        env=env,
        check=False,
    )
    return result.returncode == 0


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="casework-fuzz-") as folder:
        work = Path(folder)
        # Thousands of calls a minute: the limit itself is tested in the suite.
        env = demo_server.environment(
            work / "instance", CASEWORK_API_RATE_LIMIT="1000000 per minute"
        )
        demo_server.seed(env)
        secrets = {username: _token(env, username, scope) for username, scope in CALLERS}
        with demo_server.served(env, PORT, work / "gunicorn.log") as base:
            failed = []
            for username, secret in secrets.items():
                print(f"== schemathesis as {username}", flush=True)
                if not _schemathesis(base, secret, env):
                    failed.append(username)
    if failed:
        print("api-fuzz: failures as " + ", ".join(failed))
        return 1
    print("api-fuzz: no server error, every answer as documented")
    return 0


if __name__ == "__main__":
    sys.exit(main())
