"""The monthly report (月报): plain data, the PDF's content and fonts, and its download."""

from __future__ import annotations

import io
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from pypdf import PdfReader
from sqlalchemy import select

from casework import PROJECT_ROOT
from casework.core.audit import AuditEntry
from casework.extensions import db
from casework.orgs.models import Unit
from casework.reports.monthly import monthly_report_data, render_monthly_report
from tests.conftest import Login
from tests.factories import (
    BureauViewerFactory,
    CaseFactory,
    HelpRequestFactory,
    ServiceUserFactory,
    StationFactory,
    StationHeadFactory,
    WorkerFactory,
)

NOVEMBER = date(2026, 11, 1)
PLAIN_LEAVES = (str, int, float, bool, date, datetime, type(None))


@pytest.fixture
def station(app: Flask) -> Unit:
    return StationFactory(name="湖西社区社会工作服务站")


def open_cases(unit: Unit, count: int, opened_on: date = date(2026, 11, 5)) -> None:
    for _index in range(count):
        CaseFactory(
            service_user=ServiceUserFactory(unit=unit),
            worker=WorkerFactory(unit=unit),
            opened_on=opened_on,
        )


def _data(app: Flask, unit: Unit, *, aggregate_only: bool = False) -> dict[str, Any]:
    with app.test_request_context():
        return monthly_report_data(
            unit, [unit.id], NOVEMBER, aggregate_only=aggregate_only, today=date(2026, 12, 1)
        )


def _pdf(app: Flask, unit: Unit, *, aggregate_only: bool = False) -> bytes:
    with app.test_request_context():
        return render_monthly_report(
            monthly_report_data(
                unit, [unit.id], NOVEMBER, aggregate_only=aggregate_only, today=date(2026, 12, 1)
            )
        )


def _text(pdf: bytes) -> str:
    """All pages' text with whitespace removed, since table cells wrap anywhere."""
    reader = PdfReader(io.BytesIO(pdf))
    return "".join("".join((page.extract_text() or "").split()) for page in reader.pages)


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def test_monthly_report_data_is_plain_values_only(app: Flask, station: Unit) -> None:
    open_cases(station, 2)
    data = _data(app, station)
    assert all(isinstance(leaf, PLAIN_LEAVES) for leaf in _leaves(data))
    assert data["title"] == "湖西社区社会工作服务站 社会工作月报（2026年11月）"
    assert (data["start"], data["end"]) == (date(2026, 11, 1), date(2026, 11, 30))


def test_monthly_pdf_has_the_title_and_the_headline_figures(app: Flask, station: Unit) -> None:
    open_cases(station, 7)
    open_cases(station, 2, opened_on=date(2026, 10, 31))  # October: not this month's
    text = _text(_pdf(app, station))
    assert "湖西社区社会工作服务站社会工作月报（2026年11月）" in text
    assert "新开个案7" in text
    assert "一、主要数据" in text
    assert "七、人才队伍" in text
    assert "统计期间：2026年11月1日—2026年11月30日" in text
    assert "生成于2026年12月1日" in text


def test_monthly_pdf_has_page_numbers(app: Flask, station: Unit) -> None:
    reader = PdfReader(io.BytesIO(_pdf(app, station)))
    total = len(reader.pages)
    assert total > 1
    last_page = "".join((reader.pages[-1].extract_text() or "").split())
    assert f"第{total}页/共{total}页" in last_page


def test_monthly_pdf_embeds_a_chinese_font_and_only_that(app: Flask, station: Unit) -> None:
    open_cases(station, 2)  # so that the charts, drawn in SVG, have text
    reader = PdfReader(io.BytesIO(_pdf(app, station)))
    base_fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert base_fonts
    assert all("CJK-SC" in name for name in base_fonts), base_fonts


def test_monthly_pdf_draws_the_three_charts(app: Flask, station: Unit) -> None:
    open_cases(station, 3)
    request = HelpRequestFactory(unit=station)
    request.submitted_at = datetime(2026, 11, 9, 1, 0, tzinfo=UTC)
    request.acknowledged_at = datetime(2026, 11, 9, 3, 0, tzinfo=UTC)
    db.session.commit()
    data = _data(app, station)
    charts = [block["chart"] for section in data["sections"] for block in section["blocks"]]
    assert {chart.split('id="', 1)[1].split('"', 1)[0] for chart in charts if chart} == {
        "chart-trend",
        "chart-domains",
        "chart-response",
    }
    # The trend's axis names the months as "7月"; the tables and titles write "2026-07".
    assert "7月" in _text(_pdf(app, station))


def test_bureau_monthly_pdf_shows_small_counts_as_less_than_five(app: Flask, station: Unit) -> None:
    open_cases(station, 3)
    text = _text(_pdf(app, station, aggregate_only=True))
    assert "新开个案<5" in text
    assert "1至4的数字显示为“<5”" in text


def test_station_monthly_pdf_shows_the_exact_small_count(app: Flask, station: Unit) -> None:
    open_cases(station, 3)
    text = _text(_pdf(app, station))
    assert "新开个案3" in text
    assert "<5" not in text


def test_bureau_monthly_pdf_names_no_person_and_no_case(app: Flask, station: Unit) -> None:
    worker = WorkerFactory(unit=station, display_name="司马懿德")
    case = CaseFactory(
        service_user=ServiceUserFactory(unit=station, name="欧阳翠花"),
        worker=worker,
        summary="独一无二的个案摘要",
        opened_on=date(2026, 11, 3),
    )
    HelpRequestFactory(unit=station, name="诸葛亮亮", description="独特的求助内容")
    text = _text(_pdf(app, station, aggregate_only=True))
    assert "新开个案<5" in text  # the case is counted …
    for personal in ("司马懿德", "欧阳翠花", "独一无二的个案摘要", "诸葛亮亮", "独特的求助内容"):
        assert personal not in text  # … but nothing names it
    assert case.number not in text


# --- the download ----------------------------------------------------------------------------


def test_station_head_downloads_the_monthly_report(
    client: FlaskClient, login: Login, station: Unit
) -> None:
    head = StationHeadFactory(unit=station)
    login(head)
    response = client.get(f"/reports/monthly.pdf?unit={station.id}&month=2026-11")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="monthly-report-{station.id}-2026-11.pdf"'
    )
    assert response.data.startswith(b"%PDF")


def test_the_download_is_audited(client: FlaskClient, login: Login, station: Unit) -> None:
    head = StationHeadFactory(unit=station)
    login(head)
    client.get(f"/reports/monthly.pdf?unit={station.id}&month=2026-11")
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "report.monthly_pdf")
    ).one()
    assert (entry.actor_id, entry.unit_id, entry.details) == (
        head.id,
        station.id,
        {"month": "2026-11"},
    )


def test_bureau_viewer_downloads_the_report_of_a_station_in_the_subtree(
    client: FlaskClient, login: Login, station: Unit
) -> None:
    bureau = station.parent.parent  # type: ignore[union-attr]
    login(BureauViewerFactory(unit=bureau))
    response = client.get(f"/reports/monthly.pdf?unit={station.id}&month=2026-11")
    assert response.status_code == 200


def test_the_report_of_a_unit_outside_the_users_reach_is_404(
    client: FlaskClient, login: Login, station: Unit
) -> None:
    login(StationHeadFactory())
    response = client.get(f"/reports/monthly.pdf?unit={station.id}&month=2026-11")
    assert response.status_code == 404


def test_an_unusable_month_sends_the_user_back_with_a_message(
    client: FlaskClient, login: Login, station: Unit
) -> None:
    login(StationHeadFactory(unit=station))
    response = client.get(
        f"/reports/monthly.pdf?unit={station.id}&month=2026-13", follow_redirects=True
    )
    assert response.request.path == "/reports/"
    assert "月份格式不正确，请按 2026-11 的格式填写。" in response.get_data(as_text=True)


# Runs in a fresh interpreter: fontconfig reads FONTCONFIG_FILE once per process, and the
# renderer remembers a found font for the life of the process.
NO_FONT_SCRIPT = textwrap.dedent(
    """
    import sys
    from casework import create_app
    from casework.extensions import db

    app = create_app({
        "TESTING": True, "SECRET_KEY": "x", "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False, "DEMO": False, "DATABASE_URL": sys.argv[1],
        "MFA_REQUIRED_ROLES": (),
    })
    with app.app_context():
        db.create_all()
        from tests.factories import PASSWORD, StationHeadFactory
        head = StationHeadFactory()
        username, unit_id = head.username, head.unit_id
    client = app.test_client()
    client.post("/login", data={"username": username, "password": PASSWORD})
    response = client.get(f"/reports/monthly.pdf?unit={unit_id}&month=2026-11")
    print("status:", response.status_code, response.headers.get("Location"))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    print("message:", "fonts-noto-cjk" in page)
    with app.app_context():
        from casework.core.audit import AuditEntry
        entries = db.session.query(AuditEntry).filter_by(action="report.monthly_pdf")
        print("audited:", entries.count())
    """
)


def test_without_a_chinese_font_the_user_is_sent_back_with_a_message(tmp_path: Path) -> None:
    empty_config = tmp_path / "fonts.conf"
    empty_config.write_text('<?xml version="1.0"?>\n<fontconfig></fontconfig>\n')
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(tmp_path),
        "FONTCONFIG_FILE": str(empty_config),
        "CASEWORK_INSTANCE_PATH": str(tmp_path / "instance"),
    }
    result = subprocess.run(  # noqa: S603  (our own interpreter and script)
        [sys.executable, "-c", NO_FONT_SCRIPT, f"sqlite:///{tmp_path / 'fonts.db'}"],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "status: 302 /reports/?unit=" in result.stdout
    assert "message: True" in result.stdout
    assert "audited: 0" in result.stdout
