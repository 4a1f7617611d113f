"""The case file (个案档案): plain data from every record, and a PDF that really shows Chinese."""

from __future__ import annotations

import io
from datetime import date, datetime
from typing import Any

import pytest
from flask import Flask
from pypdf import PdfReader

from casework.cases import services as case_services
from casework.cases.casefile import case_file_data, render_case_file
from casework.cases.enums import CaseStatus
from casework.cases.models import Case
from casework.extensions import db
from tests.factories import CaseFactory, TutorFactory, advance_case

PLAIN_LEAVES = (str, int, bool, date, datetime, type(None))


@pytest.fixture
def case_in_follow_up(app: Flask) -> Case:
    """A case walked through every stage to follow-up, with its tutor's comments."""
    case = CaseFactory()
    tutor = TutorFactory(unit=case.unit, supervised_units=[case.unit])
    advance_case(case, CaseStatus.FOLLOW_UP, tutor=tutor)
    case_services.add_comment(
        actor=tutor,
        case=case,
        subject_type="service_record",
        subject_id=case.service_records[0].id,
        body="请补充服务对象的情绪变化",
    )
    case_services.add_comment(
        actor=tutor, case=case, subject_type="case", subject_id=None, body="整体进展良好，同意结案"
    )
    db.session.commit()
    return case


def _leaves(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    if isinstance(value, list):
        return [leaf for item in value for leaf in _leaves(item)]
    return [value]


def _text(pdf: bytes) -> str:
    """All pages' text with whitespace removed, since table cells wrap anywhere."""
    reader = PdfReader(io.BytesIO(pdf))
    return "".join("".join((page.extract_text() or "").split()) for page in reader.pages)


def test_case_file_data_is_plain_values_only(app: Flask, case_in_follow_up: Case) -> None:
    with app.test_request_context():
        data = case_file_data(case_in_follow_up)
    assert all(isinstance(leaf, PLAIN_LEAVES) for leaf in _leaves(data))


def test_case_file_data_has_every_record_in_process_order(
    app: Flask, case_in_follow_up: Case
) -> None:
    with app.test_request_context():
        data = case_file_data(case_in_follow_up)
    assert data["cover"]["number"] == case_in_follow_up.number
    assert data["cover"]["status"] == "回访"
    assert data["intake"]["presenting_problem"] == "独居，子女在外地，近期摔倒后生活自理困难"
    assert data["assessment"]["summary"] == "需要链接居家养老服务"
    assert [plan["status"] for plan in data["plans"]] == ["已批准"]
    assert data["plans"][0]["goals"][0]["description"] == "链接居家养老助餐服务"
    assert data["service_records"][0]["content"] == "家访，了解助餐服务使用情况"
    assert data["evaluation"]["goal_results"][0]["attainment"] == "完全达成"
    assert data["closure"]["closure_type"] == "目标达成"
    assert data["follow_ups"][0]["content"] == "电话回访，情况稳定"
    timeline = [(step["from_status"], step["to_status"]) for step in data["transitions"]]
    assert timeline[0] == ("", "接案")
    assert timeline[-1] == ("已结案", "回访")
    assert data["transitions"][0]["action"] == "开案"


def test_case_file_data_masks_the_id_and_phone_numbers(app: Flask, case_in_follow_up: Case) -> None:
    person = case_in_follow_up.service_user
    with app.test_request_context():
        data = case_file_data(case_in_follow_up)
    assert data["person"]["id_number"] == person.masked_id_number
    assert data["person"]["phone"] == person.masked_phone
    leaves = [leaf for leaf in _leaves(data) if isinstance(leaf, str)]
    assert not any(person.id_number in leaf or person.phone in leaf for leaf in leaves)


def test_comments_sit_with_their_record(app: Flask, case_in_follow_up: Case) -> None:
    with app.test_request_context():
        data = case_file_data(case_in_follow_up)
    record_comments = data["service_records"][0]["comments"]
    assert [comment["body"] for comment in record_comments] == ["请补充服务对象的情绪变化"]
    assert [comment["body"] for comment in data["case_comments"]] == ["整体进展良好，同意结案"]
    assert data["intake"]["comments"] == []


def test_case_file_pdf_shows_the_records_and_only_the_masked_id(
    app: Flask, case_in_follow_up: Case
) -> None:
    person = case_in_follow_up.service_user
    with app.test_request_context():
        pdf = render_case_file(case_in_follow_up)
    text = _text(pdf)
    assert "个案档案" in text
    assert "独居，子女在外地，近期摔倒后生活自理困难" in text
    assert "家访，了解助餐服务使用情况" in text
    assert "请补充服务对象的情绪变化" in text
    assert person.masked_id_number in text
    assert person.id_number not in text
    assert person.phone not in text


def test_case_file_pdf_has_page_numbers_and_the_case_number_in_the_header(
    app: Flask, case_in_follow_up: Case
) -> None:
    with app.test_request_context():
        pdf = render_case_file(case_in_follow_up)
    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    second_page = "".join((reader.pages[1].extract_text() or "").split())
    assert f"第2页/共{total}页" in second_page
    # The header comes from static/css/pdf.css, so this also proves the fetcher served it.
    assert case_in_follow_up.number in second_page


def test_case_file_pdf_embeds_a_chinese_font(app: Flask, case_in_follow_up: Case) -> None:
    with app.test_request_context():
        pdf = render_case_file(case_in_follow_up)
    reader = PdfReader(io.BytesIO(pdf))
    base_fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("CJK" in name for name in base_fonts), base_fonts
