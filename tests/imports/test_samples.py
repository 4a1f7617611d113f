"""The sample lists in casework/fixtures/imports against the demo data, as head1."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from casework.demo import DEMO_PASSWORD
from casework.extensions import db
from casework.imports.models import ImportKind, ImportRun, ImportStatus
from tests.imports.helpers import run_id_of

FOLDER = Path(__file__).resolve().parents[2] / "casework" / "fixtures" / "imports"
SAMPLES = {
    "staff": ImportKind.STAFF,
    "volunteers": ImportKind.VOLUNTEERS,
    "service_users": ImportKind.SERVICE_USERS,
}


def _sample(name: str) -> Path:
    return next(path for path in FOLDER.iterdir() if path.stem == name)


@pytest.fixture
def demo(make_app: Callable[..., Flask]) -> Any:
    app = make_app(DEMO=True)
    result = app.test_cli_runner().invoke(args=["casework", "seed-demo"])
    assert result.exit_code == 0, result.output
    client = app.test_client()
    response = client.post("/login", data={"username": "head1", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return app, client


def _upload(client: Any, kind: ImportKind, path: Path) -> Any:
    data: dict[str, Any] = {"kind": kind.value, "file": (io.BytesIO(path.read_bytes()), path.name)}
    if kind is ImportKind.SERVICE_USERS:
        data |= {"consent_basis": "written", "consent_given_on": "2026-11-01"}
    return client.post("/imports/new", data=data, content_type="multipart/form-data")


@pytest.mark.parametrize("stem", SAMPLES)
def test_clean_sample_imports_cleanly_into_the_demo(demo: Any, stem: str) -> None:
    app, client = demo
    response = _upload(client, SAMPLES[stem], _sample(f"{stem}_clean"))
    run_id = run_id_of(response)
    page = client.get(f"/imports/{run_id}/preview").get_data(as_text=True)
    assert "0 行有问题" in page, page[page.find('id="summary"') :][:600]
    client.post(f"/imports/{run_id}/confirm")
    with app.app_context():
        run = db.session.get(ImportRun, run_id)
        assert run is not None
        assert run.status is ImportStatus.COMPLETED
        assert run.created_count == run.total_rows >= 10
        assert run.skipped_count == 0


@pytest.mark.parametrize("stem", SAMPLES)
def test_faulty_sample_shows_errors_and_writes_nothing(demo: Any, stem: str) -> None:
    app, client = demo
    response = _upload(client, SAMPLES[stem], _sample(f"{stem}_errors"))
    run_id = run_id_of(response)
    page = client.get(f"/imports/{run_id}/preview").get_data(as_text=True)
    for label in ("必填项为空", "与文件中其他行重复", "单位代码不存在"):
        assert label in page, label
    if stem != "volunteers":
        assert "日期无效" in page
        assert "身份证号无效" in page
    if stem != "staff":
        assert "与已登记的人员重复" in page  # a demo person or volunteer of station 1
    client.post(f"/imports/{run_id}/confirm")  # without skipping: refused
    with app.app_context():
        run = db.session.get(ImportRun, run_id)
        assert run is not None
        assert run.status is ImportStatus.PENDING
        assert (
            db.session.scalar(
                select(func.count(ImportRun.id)).where(ImportRun.status == ImportStatus.COMPLETED)
            )
            == 0
        )


def test_the_samples_script_reproduces_the_files() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "make_import_samples", FOLDER.parents[2] / "scripts" / "make_import_samples.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for name, content in module.build().items():
        assert (FOLDER / name).read_bytes() == content, name
