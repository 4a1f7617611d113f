"""Time a 10,000-row import end to end: ``python -m bench.imports [URL]``.

Migrates an EMPTY database (a new SQLite file when no URL is given), creates one station
and its head, then for each list uploads a generated file through the real pages (login,
upload + check, the preview page, confirm) and prints the seconds each step took. Not used
by the app.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
from pathlib import Path
from typing import Any

from casework import create_app
from casework.accounts import services as accounts
from casework.accounts.models import Role
from casework.extensions import db
from casework.imports import samples, workbooks
from casework.imports.models import ImportKind, ImportRun, ImportStatus
from casework.orgs.models import UnitKind
from casework.orgs.services import create_unit

PASSWORD = "benchmark-password"  # noqa: S105  (a throwaway account in a throwaway database)
GENERATORS = {
    ImportKind.STAFF: samples.staff_rows,
    ImportKind.VOLUNTEERS: samples.volunteer_rows,
    ImportKind.SERVICE_USERS: samples.service_user_rows,
}


def _prepare(url: str, instance: str) -> Any:
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "benchmark",
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_ENABLED": False,
            "UPLOAD_FOLDER": str(Path(instance) / "uploads"),
            "LOG_LEVEL": "WARNING",
        }
    )
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        bureau = create_unit(
            actor_id=None, code="BM", name="基准测试民政局", kind=UnitKind.CITY_BUREAU, parent=None
        )
        centre = create_unit(
            actor_id=None, code="BM-C", name="基准测试中心", kind=UnitKind.CENTRE, parent=bureau
        )
        station = create_unit(
            actor_id=None, code="BM-1", name="基准测试站", kind=UnitKind.STATION, parent=centre
        )
        accounts.create_user(
            actor=None,
            username="bench-head",
            display_name="基准站长",
            password=PASSWORD,
            role=Role.STATION_HEAD,
            unit=station,
        )
        db.session.commit()
    return app


def _time(label: str, results: dict[str, float], action: Any) -> Any:
    started = time.perf_counter()
    value = action()
    results[label] = time.perf_counter() - started
    return value


def measure(app: Any, kind: ImportKind, rows: int, fmt: str) -> dict[str, float]:
    generated = GENERATORS[kind](rows, unit_code="")
    content = (
        workbooks.to_xlsx(kind, generated) if fmt == "xlsx" else workbooks.to_csv(kind, generated)
    )
    client = app.test_client()
    client.post("/login", data={"username": "bench-head", "password": PASSWORD})
    timings: dict[str, float] = {}
    data = {"kind": kind.value, "file": (io.BytesIO(content), f"list.{fmt}")}
    if kind is ImportKind.SERVICE_USERS:
        data |= {"consent_basis": "written", "consent_given_on": "2026-11-01"}
    response = _time(
        "upload+check",
        timings,
        lambda: client.post("/imports/new", data=data, content_type="multipart/form-data"),
    )
    if response.status_code != 302:
        raise SystemExit(f"upload failed with {response.status_code}")
    preview_url = response.headers["Location"]
    run_id = int(preview_url.rstrip("/").split("/")[-2])
    _time("preview page", timings, lambda: client.get(preview_url))
    _time("confirm", timings, lambda: client.post(f"/imports/{run_id}/confirm"))
    with app.app_context():
        run = db.session.get(ImportRun, run_id)
        if run is None or run.status is not ImportStatus.COMPLETED or run.created_count != rows:
            raise SystemExit(f"{kind.value}: the import did not complete with {rows} rows")
    timings["total"] = sum(timings.values())
    timings["file KB"] = len(content) / 1024
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url", nargs="?", default="", help="an EMPTY database (default: SQLite)")
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="xlsx")
    parser.add_argument("--kind", choices=[kind.value for kind in ImportKind], action="append")
    arguments = parser.parse_args()
    with tempfile.TemporaryDirectory() as instance:
        url = arguments.url or "sqlite:///" + str(Path(instance) / "benchmark.db")
        app = _prepare(url, instance)
        kinds = [ImportKind.of(k) for k in arguments.kind] if arguments.kind else list(ImportKind)
        dialect = app.config["SQLALCHEMY_DATABASE_URI"].split(":")[0]
        print(f"{dialect}, {arguments.rows} rows, {arguments.format}")
        for kind in kinds:
            timings = measure(app, kind, arguments.rows, arguments.format)
            print(f"  {kind.value:14} " + "  ".join(f"{k} {v:.1f}" for k, v in timings.items()))


if __name__ == "__main__":
    main()
