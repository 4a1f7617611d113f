"""Wording hints: words of the administrator's list found in records, with a suggestion."""

from __future__ import annotations

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from flask import Flask
from flask.testing import FlaskClient

from casework.cases import records as case_records
from casework.cases import wording
from casework.cases.enums import CaseStatus, ServiceForm
from casework.cases.models import Case, WordingRule
from casework.core.audit import AuditEntry
from casework.core.clock import local_today
from casework.extensions import db
from tests.conftest import Login
from tests.factories import (
    AdminFactory,
    BureauViewerFactory,
    CaseFactory,
    StationHeadFactory,
    TutorFactory,
    WorkerFactory,
    advance_case,
)

SUGGESTION = "描述具体行为，如“未按约定时间到场”"


def _rule(word: str = "不配合", *, exceptions: str = "", is_active: bool = True) -> WordingRule:
    rule = WordingRule(word=word, suggestion=SUGGESTION, exceptions=exceptions, is_active=is_active)
    db.session.add(rule)
    db.session.commit()
    return rule


def _case_with_record(content: str) -> tuple[Case, int]:
    case = advance_case(
        CaseFactory(opened_on=local_today() - timedelta(days=5)), CaseStatus.INTERVENTION
    )
    record = case_records.add_service_record(
        actor=case.worker,
        case=case,
        served_on=local_today(),
        form=ServiceForm.HOME_VISIT,
        duration_minutes=30,
        content=content,
        response="",
        next_step="",
    )
    db.session.commit()
    return case, record.id


def _hints_on_page(client: FlaskClient, case: Case, record_id: int) -> str | None:
    page = BeautifulSoup(client.get(f"/cases/{case.id}").get_data(as_text=True), "html.parser")
    box = page.select_one(f'[data-wording-hints="service_record-{record_id}"]')
    return box.get_text(" ", strip=True) if box else None


def test_a_word_is_found_inside_chinese_text(app: Flask) -> None:
    _rule()
    hints = wording.matcher().find("服务对象今天很不配合，拒绝谈话")
    assert hints == [wording.Hint("不配合", SUGGESTION)]


def test_latin_words_match_whatever_their_case(app: Flask) -> None:
    _rule("Loser")
    assert [h.word for h in wording.matcher().find("他说自己是 LOSER")] == ["loser"]


def test_an_exception_phrase_gives_no_hint(app: Flask) -> None:
    _rule("有病", exceptions="有病史、有病历")
    assert wording.matcher().find("有病史三年") == []
    assert [h.word for h in wording.matcher().find("有病史，邻居说他有病")] == ["有病"]


def test_a_longer_word_is_reported_once(app: Flask) -> None:
    _rule("懒")
    _rule("懒惰")
    assert [h.word for h in wording.matcher().find("比较懒惰")] == ["懒惰"]


def test_a_record_containing_the_word_shows_the_hint_with_the_suggestion(
    client: FlaskClient, login: Login
) -> None:
    _rule()
    case, record_id = _case_with_record("服务对象不配合，会谈提前结束")
    login(case.worker)
    text = _hints_on_page(client, case, record_id)
    assert text is not None
    assert "不配合" in text
    assert SUGGESTION in text


def test_the_hint_can_be_closed(client: FlaskClient, login: Login) -> None:
    _rule()
    case, record_id = _case_with_record("服务对象不配合")
    login(case.worker)
    page = BeautifulSoup(client.get(f"/cases/{case.id}").get_data(as_text=True), "html.parser")
    assert page.select_one(
        f'[data-wording-hints="service_record-{record_id}"] [data-bs-dismiss="alert"]'
    )


def test_an_inactive_word_gives_no_hint(client: FlaskClient, login: Login) -> None:
    _rule(is_active=False)
    case, record_id = _case_with_record("服务对象不配合，会谈提前结束")
    login(case.worker)
    assert _hints_on_page(client, case, record_id) is None


def test_saving_a_record_with_the_word_says_so_and_saves(client: FlaskClient, login: Login) -> None:
    _rule()
    case = advance_case(CaseFactory(), CaseStatus.INTERVENTION)
    login(case.worker)
    response = client.post(
        f"/cases/{case.id}/records/new",
        data={
            "served_on": local_today().isoformat(),
            "form": ServiceForm.PHONE.value,
            "duration_minutes": "20",
            "content": "服务对象不配合",
        },
        follow_redirects=True,
    )
    body = response.get_data(as_text=True)
    assert "服务记录已保存。" in body
    assert "用词提示（服务内容）" in body
    assert SUGGESTION in body


def test_the_record_form_carries_the_active_words_for_live_hints(
    client: FlaskClient, login: Login
) -> None:
    _rule()
    _rule("懒", is_active=False)
    case = advance_case(CaseFactory(), CaseStatus.INTERVENTION)
    login(case.worker)
    page = BeautifulSoup(
        client.get(f"/cases/{case.id}/records/new").get_data(as_text=True), "html.parser"
    )
    holder = page.select_one("#wording-rules")
    assert holder is not None
    assert "不配合" in holder["data-rules"]
    assert "懒" not in holder["data-rules"]


def test_the_administrator_adds_a_word(client: FlaskClient, login: Login) -> None:
    login(AdminFactory())
    response = client.post(
        "/admin/wording/", data={"word": "难缠", "suggestion": "写明具体诉求", "exceptions": ""}
    )
    assert response.status_code == 302
    rule = db.session.scalar(db.select(WordingRule).where(WordingRule.word == "难缠"))
    assert rule is not None
    assert rule.is_active
    assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "wording.rule_added"))


def test_a_word_already_listed_is_refused_on_its_field(client: FlaskClient, login: Login) -> None:
    _rule()
    login(AdminFactory())
    response = client.post(
        "/admin/wording/", data={"word": "不配合", "suggestion": "另一建议", "exceptions": ""}
    )
    assert response.status_code == 422
    assert "词表中已有“不配合”。" in response.get_data(as_text=True)


def test_the_administrator_deactivates_a_word(client: FlaskClient, login: Login) -> None:
    rule = _rule()
    login(AdminFactory())
    response = client.post(
        f"/admin/wording/{rule.id}",
        data={"word": rule.word, "suggestion": rule.suggestion, "exceptions": ""},
    )
    assert response.status_code == 302
    db.session.refresh(rule)
    assert rule.is_active is False
    assert db.session.scalar(
        db.select(AuditEntry).where(AuditEntry.action == "wording.rule_updated")
    )


def test_the_default_list_loads_once(client: FlaskClient, login: Login) -> None:
    login(AdminFactory())
    client.post("/admin/wording/defaults")
    client.post("/admin/wording/defaults")
    words = db.session.scalars(db.select(WordingRule.word)).all()
    assert "不配合" in words
    assert len(words) == len(set(words)) == len(wording.default_rules())


def test_the_default_list_guards_the_assessment_of_cooperation(app: Flask) -> None:
    wording.load_default_rules(actor=None)
    db.session.commit()
    assert wording.matcher().find("进行不配合度评估") == []


@pytest.mark.parametrize(
    "make_user",
    [
        WorkerFactory,
        StationHeadFactory,
        TutorFactory,
        BureauViewerFactory,
    ],
)
def test_only_the_administrator_may_edit_the_list(
    client: FlaskClient, login: Login, make_user: type
) -> None:
    rule = _rule()
    login(make_user())
    assert client.get("/admin/wording/").status_code == 403
    assert client.post("/admin/wording/", data={"word": "x", "suggestion": "y"}).status_code == 403
    assert client.post(f"/admin/wording/{rule.id}", data={"word": "x"}).status_code == 403
    assert client.post("/admin/wording/defaults").status_code == 403


def test_an_unknown_word_is_404(client: FlaskClient, login: Login) -> None:
    login(AdminFactory())
    assert client.get("/admin/wording/99999999999999999999").status_code == 404


def test_saving_an_intake_record_with_the_word_says_so(client: FlaskClient, login: Login) -> None:
    _rule("问题家庭")
    case = CaseFactory()
    login(case.worker)
    response = client.post(
        f"/cases/{case.id}/intake",
        data={
            "presenting_problem": "问题家庭，父母常年争吵",
            "arrival": "社区转介",
            "first_judgement": "符合接案条件",
        },
        follow_redirects=True,
    )
    body = response.get_data(as_text=True)
    assert "接案登记表已保存。" in body
    assert "用词提示（求助问题）" in body


def test_a_tutor_sees_the_hints_on_the_case_page(client: FlaskClient, login: Login) -> None:
    _rule()
    case, record_id = _case_with_record("服务对象不配合")
    login(TutorFactory(unit=case.unit, supervised_units=[case.unit]))
    assert _hints_on_page(client, case, record_id) is not None
